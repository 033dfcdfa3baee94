package dev.hone.data.segmentation;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Catches a segmentation data set laid out under other folder names (Pascal VOC's {@code JPEGImages/}
 * and {@code SegmentationClass/}, or {@code images/} and {@code labels/}), which would otherwise be read
 * as two image classes named after the folders.
 */
public final class MaskFolderHint {
    private static final Set<String> IMAGE_FOLDERS = Set.of("images", "jpegimages", "imgs", "img");
    private static final Set<String> MASK_FOLDERS = Set.of("labels", "label", "segmentationclass", "segmentationclassraw",
            "annotations", "gt", "groundtruth", "ground_truth", "mask", "segmentations");

    private MaskFolderHint() {}

    /**
     * @throws HoneException when {@code dir} holds exactly an image folder and a mask-like folder whose files
     *     share most of their stems, naming both and the rename that makes hone read them as segmentation data
     */
    public static void check(Path dir) {
        List<Path> subdirs;
        try (Stream<Path> s = Files.list(dir)) {
            subdirs = s.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (subdirs.size() != 2) {
            return;
        }
        Path images = null, masks = null;
        for (Path p : subdirs) {
            String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (IMAGE_FOLDERS.contains(name)) {
                images = p;
            } else if (MASK_FOLDERS.contains(name)) {
                masks = p;
            }
        }
        if (images == null || masks == null) {
            return;
        }
        Set<String> a = stems(images);
        Set<String> b = stems(masks);
        long shared = a.stream().filter(b::contains).count();
        if (shared * 2 < Math.max(1, Math.min(a.size(), b.size()))) {
            return;
        }
        throw HoneException.of("this looks like segmentation data (" + shared + " files of " + images.getFileName() + "/ and "
                + masks.getFileName() + "/ share their names), but hone reads masks from a folder named masks/", dir,
                "rename " + masks.getFileName() + "/ to masks/" + (images.getFileName().toString().equals("images") ? ""
                        : " and " + images.getFileName() + "/ to images/") + " (if they are two classes of images, give each class "
                        + "folder another name)");
    }

    private static Set<String> stems(Path dir) {
        Set<String> out = new HashSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile).forEach(f -> {
                String n = f.getFileName().toString();
                int dot = n.lastIndexOf('.');
                out.add(dot > 0 ? n.substring(0, dot) : n);
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
