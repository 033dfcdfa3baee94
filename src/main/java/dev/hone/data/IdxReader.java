package dev.hone.data;

import dev.hone.core.HoneException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: a big-endian header then raw uint8 data.
 *
 * <p>Files may be gzip-compressed or plain; gzip is detected by its magic bytes, not by the file
 * name, because downloads are often decompressed by a browser and keep their {@code .gz} name (or
 * the reverse). The whole payload is read with bulk reads into one array, so 60,000 28x28 images
 * take well under a second.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes in 3 dimensions (N, H, W): images. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes in 1 dimension (N): labels. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final String FIX_DAMAGED = "re-download or reinstall the file";

    private IdxReader() {}

    /** Images of an IDX images file: {@code count} images of {@code height x width}, row-major. */
    public record Images(int count, int height, int width, byte[] pixels) {}

    /** Reads an IDX images file (magic {@code 0x00000803}). */
    public static Images readImages(Path file) {
        try (InputStream in = open(file)) {
            int magic = readInt(in, file, 0);
            checkMagic(magic, IMAGES_MAGIC, file, "images");
            int n = readInt(in, file, 4);
            int h = readInt(in, file, 8);
            int w = readInt(in, file, 12);
            long size = (long) n * h * w;
            if (n < 0 || h <= 0 || w <= 0 || size > Integer.MAX_VALUE - 16) {
                throw HoneException.of("IDX images header is invalid (" + n + " images of " + h + "x" + w + ")",
                        file, FIX_DAMAGED);
            }
            byte[] pixels = readFully(in, (int) size, file, 16);
            return new Images(n, h, w, pixels);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Reads an IDX labels file (magic {@code 0x00000801}); each label is an unsigned byte. */
    public static int[] readLabels(Path file) {
        try (InputStream in = open(file)) {
            int magic = readInt(in, file, 0);
            checkMagic(magic, LABELS_MAGIC, file, "labels");
            int n = readInt(in, file, 4);
            if (n < 0 || n > Integer.MAX_VALUE - 8) {
                throw HoneException.of("IDX labels header is invalid (" + n + " labels)", file, FIX_DAMAGED);
            }
            byte[] raw = readFully(in, n, file, 8);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /**
     * Reads an images file and its labels file into one set.
     *
     * @param classNames names of the classes; null names them by number, {@code "0"} to the largest label
     */
    public static ImageSet read(Path imagesFile, Path labelsFile, List<String> classNames) {
        Images images = readImages(imagesFile);
        int[] labels = readLabels(labelsFile);
        if (images.count() != labels.length) {
            throw HoneException.of("IDX images and labels differ in count (" + images.count() + " images in "
                    + imagesFile.getFileName() + ", " + labels.length + " labels in " + labelsFile.getFileName() + ")",
                    imagesFile + " and " + labelsFile, "use the labels file that belongs to the images file");
        }
        int maxLabel = -1;
        for (int l : labels) {
            maxLabel = Math.max(maxLabel, l);
        }
        List<String> names = classNames != null ? classNames : numberedClasses(maxLabel + 1);
        if (maxLabel >= names.size()) {
            throw HoneException.of("IDX labels go up to " + maxLabel + " but only " + names.size()
                    + " classes are named", labelsFile, "name every class, or use the labels file that matches");
        }
        String where = imagesFile.toString();
        return new ImageSet(images.pixels(), labels, 1, images.height(), images.width(), names,
                i -> where + "#" + i);
    }

    /** Class names {@code "0"} .. {@code n-1}. */
    public static List<String> numberedClasses(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    private static InputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw HoneException.of("IDX file does not exist", file, "check the path, or re-download the data set");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new GZIPInputStream(raw, 1 << 16);
        }
        return raw;
    }

    private static void checkMagic(int magic, int expected, Path file, String kind) {
        if (magic == expected) {
            return;
        }
        String other = expected == IMAGES_MAGIC ? "labels" : "images";
        String seen = magic == (expected == IMAGES_MAGIC ? LABELS_MAGIC : IMAGES_MAGIC)
                ? "it is an IDX " + other + " file"
                : String.format("magic number 0x%08x, expected 0x%08x", magic, expected);
        throw HoneException.of("not an IDX " + kind + " file (" + seen + ")", file,
                "pass the IDX " + kind + " file (name like *-" + (kind.equals("images") ? "images-idx3" : "labels-idx1")
                        + "-ubyte[.gz]), or " + FIX_DAMAGED);
    }

    private static int readInt(InputStream in, Path file, long offset) throws IOException {
        byte[] b = readFully(in, 4, file, offset);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** Reads exactly {@code n} bytes; fewer means the file was cut short. */
    private static byte[] readFully(InputStream in, int n, Path file, long offset) throws IOException {
        byte[] buf = new byte[n];
        int got = 0;
        try {
            while (got < n) {
                int r = in.read(buf, got, n - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
        } catch (EOFException e) {
            // a gzip stream that was cut short ends here, not with -1
        }
        if (got < n) {
            throw HoneException.of("IDX file is truncated (expected " + (offset + n)
                    + " bytes from its header, found " + (offset + got) + ")", file, FIX_DAMAGED);
        }
        return buf;
    }

    private static RuntimeException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return HoneException.of("IDX file does not exist", file, "check the path, or re-download the data set");
        }
        if (e instanceof ZipException) {
            return new HoneException("IDX file is a damaged gzip file (" + e.getMessage() + "): " + file
                    + ". Fix: " + FIX_DAMAGED, e);
        }
        return new HoneException("cannot read IDX file (" + e + "): " + file
                + ". Fix: check that the file is readable, or " + FIX_DAMAGED, e);
    }
}
