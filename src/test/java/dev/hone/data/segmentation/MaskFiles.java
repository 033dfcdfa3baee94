package dev.hone.data.segmentation;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes tiny images and masks for segmentation tests. */
final class MaskFiles {
    private MaskFiles() {}

    /** A grey image of {@code h x w} whose pixel (x, y) is {@code (base + 10 x + y) % 256}. */
    static BufferedImage image(int h, int w, int base) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, (base + 10 * x + y) % 256);
            }
        }
        return img;
    }

    /** A colour image of {@code h x w}. */
    static BufferedImage colour(int h, int w, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb + x * 8 + y * 0x800);
            }
        }
        return img;
    }

    /** A single-channel 8-bit mask: {@code values[y][x]}. */
    static BufferedImage grey(int[][] values) {
        BufferedImage img = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_GRAY);
        fill(img, values);
        return img;
    }

    /** Pascal VOC's palette: index k gets the colour of VOC's bit-shuffled colour map. */
    static IndexColorModel vocPalette() {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            int c = i;
            int rr = 0;
            int gg = 0;
            int bb = 0;
            for (int j = 0; j < 8; j++) {
                rr |= ((c >> 0) & 1) << (7 - j);
                gg |= ((c >> 1) & 1) << (7 - j);
                bb |= ((c >> 2) & 1) << (7 - j);
                c >>= 3;
            }
            r[i] = (byte) rr;
            g[i] = (byte) gg;
            b[i] = (byte) bb;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    /** A palette (indexed-colour) mask with VOC's colours: the raster holds {@code values[y][x]}. */
    static BufferedImage palette(int[][] values) {
        BufferedImage img = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_BYTE_INDEXED, vocPalette());
        fill(img, values);
        return img;
    }

    /** A true-colour mask: each value painted in VOC's colour for it. */
    static BufferedImage rgb(int[][] values) {
        IndexColorModel voc = vocPalette();
        BufferedImage img = new BufferedImage(values[0].length, values.length, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[0].length; x++) {
                img.setRGB(x, y, voc.getRGB(values[y][x]));
            }
        }
        return img;
    }

    /** {@code h x w} filled with {@code v}. */
    static int[][] filled(int h, int w, int v) {
        int[][] m = new int[h][w];
        for (int[] row : m) {
            java.util.Arrays.fill(row, v);
        }
        return m;
    }

    /** {@code h x w} of {@code background}, with the rectangle [y0, y1) x [x0, x1) set to {@code v}. */
    static int[][] box(int h, int w, int background, int y0, int y1, int x0, int x1, int v) {
        int[][] m = filled(h, w, background);
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y][x] = v;
            }
        }
        return m;
    }

    /** Writes {@code img} as {@code format} ("png", "jpg") to {@code file}, creating folders. */
    static Path save(BufferedImage img, String format, Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            if (!ImageIO.write(img, format, file.toFile())) {
                throw new IllegalStateException("no writer for " + format);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path text(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void fill(BufferedImage img, int[][] values) {
        for (int y = 0; y < values.length; y++) {
            for (int x = 0; x < values[0].length; x++) {
                img.getRaster().setSample(x, y, 0, values[y][x]);
            }
        }
    }
}
