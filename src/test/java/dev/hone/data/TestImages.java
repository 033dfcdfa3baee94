package dev.hone.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Writes small synthetic IDX files and images for tests. */
final class TestImages {

    private TestImages() {}

    /** Writes an IDX images file of {@code n} images of {@code h x w}; pixel k of the file is {@code k * 7 % 256}. */
    static byte[] writeIdxImages(Path file, int n, int h, int w, boolean gzip) {
        byte[] pixels = new byte[n * h * w];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (k * 7);
        }
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(h).putInt(w).put(pixels);
        write(file, b.array(), gzip);
        return pixels;
    }

    /** Writes an IDX labels file. */
    static void writeIdxLabels(Path file, int[] labels, boolean gzip) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(IdxReader.LABELS_MAGIC).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        write(file, b.array(), gzip);
    }

    static void write(Path file, byte[] bytes, boolean gzip) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!gzip) {
                Files.write(file, bytes);
                return;
            }
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} (UTF-8) to {@code file} and returns the file. */
    static Path writeReturning(Path file, String text) {
        write(file, text.getBytes(java.nio.charset.StandardCharsets.UTF_8), false);
        return file;
    }

    /** A grey image whose pixel (x, y) is {@code (base + 10 x + y) % 256}. */
    static BufferedImage grey(int h, int w, int base) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (base + 10 * x + y) % 256);
            }
        }
        return img;
    }

    /** A colour image filled with one RGB colour. */
    static BufferedImage solid(int h, int w, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }

    /** A colour image of seeded noise, which compresses poorly: good for truncation tests. */
    static BufferedImage noise(int h, int w, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    /** Writes {@code img} as {@code format} ("png", "jpg", "bmp", "gif") to {@code file}. */
    static Path save(BufferedImage img, String format, Path file) {
        write(file, encode(img, format), false);
        return file;
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the first half of {@code img} encoded as {@code format}. */
    static Path saveTruncated(BufferedImage img, String format, Path file) {
        byte[] full = encode(img, format);
        write(file, java.util.Arrays.copyOf(full, full.length / 2), false);
        return file;
    }
}
