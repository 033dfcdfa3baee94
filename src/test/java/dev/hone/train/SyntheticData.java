package dev.hone.train;

import dev.hone.data.ImageSet;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Tiny, easily separable image data for end-to-end tests: class "top" is bright in its top half,
 * "left" in its left half, "diagonal" along its diagonal, each with noise so no two images match.
 */
public final class SyntheticData {
    public static final List<String> CLASSES = List.of("diagonal", "left", "top");

    private SyntheticData() {}

    static int pixel(int cls, int y, int x, int size, Random r) {
        return pixel(cls, y, x, size, r, 25);
    }

    private static int pixel(int cls, int y, int x, int size, Random r, double sigma) {
        return Math.max(0, Math.min(255, (on(cls, y, x, size) ? 200 : 40) + (int) (r.nextGaussian() * sigma)));
    }

    /** Whether class {@code cls}'s pattern lights pixel (y, x). */
    private static boolean on(int cls, int y, int x, int size) {
        return switch (cls) {
            case 0 -> Math.abs(x - y) <= 1;
            case 1 -> x < size / 2;
            default -> y < size / 2;
        };
    }

    /** An in-memory set of {@code perClass} images per class, {@code size} x {@code size} grey. */
    public static ImageSet set(int perClass, int size, long seed) {
        Random r = new Random(seed);
        int n = perClass * CLASSES.size();
        byte[] px = new byte[n * size * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES.size();
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    px[i * size * size + y * size + x] = (byte) pixel(labels[i], y, x, size, r);
                }
            }
        }
        return new ImageSet(px, labels, 1, size, size, CLASSES, i -> "synthetic#" + i);
    }

    /** Writes an image folder {@code root/<class>/<i>.png}. */
    public static Path folder(Path root, int perClass, int size, long seed) {
        return folder(root, perClass, size, seed, 25);
    }

    /**
     * Writes an image folder {@code root/<class>/<i>.png} whose pixels carry Gaussian noise of {@code sigma} grey levels
     * (25 in {@link #folder(Path, int, int, long)}; near 100 the patterns are hard to tell apart from a few images).
     */
    public static Path folder(Path root, int perClass, int size, long seed, double sigma) {
        Random r = new Random(seed);
        try {
            for (int c = 0; c < CLASSES.size(); c++) {
                Path dir = Files.createDirectories(root.resolve(CLASSES.get(c)));
                for (int i = 0; i < perClass; i++) {
                    ImageIO.write(image(c, size, r, sigma), "png", dir.resolve(i + ".png").toFile());
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A multi-label set: {@code n} {@code size} x {@code size} grey images under {@code dir/img}, each showing any of
     * the three {@link #CLASSES} patterns at once (each present with probability 1/2, at least one), and
     * {@code dir/labels.csv} ({@code path,labels}, classes joined by ';'). Returns the CSV.
     */
    public static Path multiLabel(Path dir, int n, int size, long seed) {
        return multiLabel(dir, n, size, seed, 25);
    }

    /** As {@link #multiLabel(Path, int, int, long)}, with pixel noise of {@code sigma} grey levels (25 there). */
    public static Path multiLabel(Path dir, int n, int size, long seed, double sigma) {
        Random r = new Random(seed);
        StringBuilder csv = new StringBuilder("path,labels\n");
        try {
            Files.createDirectories(dir.resolve("img"));
            for (int i = 0; i < n; i++) {
                boolean[] shown = new boolean[CLASSES.size()];
                do {
                    for (int c = 0; c < shown.length; c++) {
                        shown[c] = r.nextBoolean();
                    }
                } while (!shown[0] && !shown[1] && !shown[2]);
                BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        boolean on = false;
                        for (int c = 0; c < shown.length; c++) {
                            on |= shown[c] && on(c, y, x, size);
                        }
                        img.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, (on ? 200 : 40) + (int) (r.nextGaussian() * sigma))));
                    }
                }
                ImageIO.write(img, "png", dir.resolve("img/" + i + ".png").toFile());
                List<String> names = new java.util.ArrayList<>();
                for (int c = 0; c < shown.length; c++) {
                    if (shown[c]) {
                        names.add(CLASSES.get(c));
                    }
                }
                csv.append("img/").append(i).append(".png,").append(String.join(";", names)).append('\n');
            }
            return Files.writeString(dir.resolve("labels.csv"), csv.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage image(int cls, int size, Random r) {
        return image(cls, size, r, 25);
    }

    private static BufferedImage image(int cls, int size, Random r, double sigma) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = pixel(cls, y, x, size, r, sigma);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return img;
    }
}
