package dev.hone.report;

import dev.hone.data.ImageSet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Renders one image of an {@link ImageSet} as a PNG a person can look at.
 *
 * <p>Training images are often tiny (28x28 digits, 32x32 CIFAR), so tiles are enlarged by a whole
 * factor with nearest-neighbour sampling until the short side is at least {@link #MIN_SIDE} pixels:
 * the pixels the model saw stay visible as pixels instead of being smoothed away. Large images are
 * shrunk to at most {@link #MAX_SIDE} on the long side so that an embedded report stays small.
 * One channel renders grey, three as RGB; for other counts the first three channels are read as RGB
 * (e.g. RGBA), or the first channel as grey when there are fewer than three.
 */
public final class ImageTiles {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    public static final int MIN_SIDE = 84;
    public static final int MAX_SIDE = 256;

    private ImageTiles() {}

    /** Image {@code i} of {@code set} as PNG bytes. */
    public static byte[] png(ImageSet set, int i) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(render(set, i), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode image " + i + " (" + set.source(i) + ")", e);
        }
    }

    /** Any rendered image as PNG bytes. */
    static byte[] encodePng(BufferedImage image) {
        return MaskImages.encode(image);
    }

    /** Image {@code i} as a {@code data:image/png;base64,...} URI, ready for an {@code img src}. */
    public static String dataUri(ImageSet set, int i) {
        return dataUri(png(set, i));
    }

    /** Any PNG bytes as a data URI. */
    public static String dataUri(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** Image {@code i} resized for display (see the class comment for the rule). */
    public static BufferedImage render(ImageSet set, int i) {
        int[] out = outputSize(set.height(), set.width());
        return render(set, i, out[0], out[1]);
    }

    /** Image {@code i} of {@code set} at {@code height} x {@code width} pixels, nearest neighbour. */
    static BufferedImage render(ImageSet set, int i, int height, int width) {
        if (i < 0 || i >= set.size()) {
            throw new IndexOutOfBoundsException("image " + i + " of a set of " + set.size());
        }
        int h = set.height();
        int w = set.width();
        int[] out = {height, width};
        boolean rgb = set.channels() >= 3;
        BufferedImage image = new BufferedImage(out[1], out[0],
                rgb ? BufferedImage.TYPE_INT_RGB : BufferedImage.TYPE_BYTE_GRAY);
        byte[] px = set.pixels();
        int base = i * set.imageBytes();
        int plane = h * w;
        for (int y = 0; y < out[0]; y++) {
            int sy = (int) ((long) y * h / out[0]);
            for (int x = 0; x < out[1]; x++) {
                int at = base + sy * w + (int) ((long) x * w / out[1]);
                int r = px[at] & 0xff;
                if (rgb) {
                    int g = px[at + plane] & 0xff;
                    int b = px[at + 2 * plane] & 0xff;
                    image.setRGB(x, y, (r << 16) | (g << 8) | b);
                } else {
                    image.getRaster().setSample(x, y, 0, r);
                }
            }
        }
        return image;
    }

    /** {@code {height, width}} of the rendered tile for an image of {@code h} by {@code w}. */
    static int[] outputSize(int h, int w) {
        int shortSide = Math.min(h, w);
        int longSide = Math.max(h, w);
        if (shortSide < MIN_SIDE) {
            int factor = (MIN_SIDE + shortSide - 1) / shortSide;
            return new int[] {h * factor, w * factor};
        }
        if (longSide > MAX_SIDE) {
            double ratio = (double) MAX_SIDE / longSide;
            return new int[] {Math.max(1, (int) Math.round(h * ratio)), Math.max(1, (int) Math.round(w * ratio))};
        }
        return new int[] {h, w};
    }
}
