package dev.hone.data;

import dev.hone.core.HoneException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Decodes a list of labelled image files into one {@link ImageSet}, in parallel.
 *
 * <p>Each image is written at its own offset, so the order of the set is the order of the list no
 * matter which thread decodes what. When several images are damaged the first in list order is
 * reported, so the same folder always gives the same error.
 */
final class ImageFileLoader {

    private ImageFileLoader() {}

    /**
     * @param format the target format, or null to infer it from the files' headers
     */
    static ImageSet load(List<Path> files, int[] labels, List<String> classNames, ImageFormat format) {
        ImageFormat target = format != null ? format : FormatInference.infer(files);
        int bytes = target.imageBytes();
        long total = (long) files.size() * bytes;
        if (total > Integer.MAX_VALUE - 16) {
            throw HoneException.of("the " + files.size() + " images need " + (total >> 20)
                    + " MiB at " + target + ", more than one array can hold",
                    files.get(0).getParent(), "ask for a smaller image size or use fewer images");
        }
        byte[] pixels = new byte[(int) total];
        HoneException[] failures = new HoneException[files.size()];
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                ImageDecoder.decodeInto(files.get(i), target, pixels, i * bytes);
            } catch (HoneException e) {
                failures[i] = e;
            }
        });
        for (HoneException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        Path[] sources = files.toArray(Path[]::new);
        return new ImageSet(pixels, labels, target.channels(), target.height(), target.width(), classNames,
                i -> sources[i].toString());
    }
}
