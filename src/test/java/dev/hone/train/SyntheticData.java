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
        boolean on = switch (cls) {
            case 0 -> Math.abs(x - y) <= 1;
            case 1 -> x < size / 2;
            default -> y < size / 2;
        };
        return Math.max(0, Math.min(255, (on ? 200 : 40) + (int) (r.nextGaussian() * 25)));
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
        Random r = new Random(seed);
        try {
            for (int c = 0; c < CLASSES.size(); c++) {
                Path dir = Files.createDirectories(root.resolve(CLASSES.get(c)));
                for (int i = 0; i < perClass; i++) {
                    ImageIO.write(image(c, size, r), "png", dir.resolve(i + ".png").toFile());
                }
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage image(int cls, int size, Random r) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int v = pixel(cls, y, x, size, r);
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return img;
    }
}
