package dev.hone.report;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * Segmentation masks as pictures: a class-index mask as a palette PNG (Pascal VOC's colours, so the
 * file opens as a coloured map and its raster still holds the class indices), and an image with its
 * mask blended over it, for the report's overlays and {@code hone predict --overlay}.
 *
 * <p>The palette is VOC's (the bit-interleaving map of the VOC devkit's {@code labelcolormap}): class
 * 0 is black, 1 dark red, 2 dark green, and index 255 (ignored) is cream, as VOC draws boundaries.
 */
public final class MaskImages {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** Weight of the mask's colour in an overlay; the image keeps the rest. */
    public static final double OVERLAY_ALPHA = 0.5;

    private MaskImages() {}

    /** The RGB colour of class (or ignore) index {@code k}, 0..255, as {@code 0xRRGGBB}. */
    public static int colour(int k) {
        if (k == 255) {
            return 0xE0E0C0;
        }
        int r = 0, g = 0, b = 0, c = k;
        for (int bit = 7; bit >= 0; bit--) {
            r |= ((c) & 1) << bit;
            g |= ((c >> 1) & 1) << bit;
            b |= ((c >> 2) & 1) << bit;
            c >>= 3;
        }
        return (r << 16) | (g << 8) | b;
    }

    private static IndexColorModel palette() {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int k = 0; k < 256; k++) {
            int c = colour(k);
            r[k] = (byte) (c >> 16);
            g[k] = (byte) (c >> 8);
            b[k] = (byte) c;
        }
        return new IndexColorModel(8, 256, r, g, b);
    }

    /**
     * A mask as an 8-bit palette PNG whose pixel values are the class indices.
     *
     * @param mask H*W class indices (or 255), row-major
     */
    public static byte[] png(byte[] mask, int height, int width) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, palette());
        image.getRaster().setDataElements(0, 0, width, height, mask);
        return encode(image);
    }

    /** The class indices of a PNG written by {@link #png} (or any 8-bit grey or palette PNG), row-major. */
    public static byte[] indices(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            byte[] out = new byte[image.getWidth() * image.getHeight()];
            image.getRaster().getDataElements(0, 0, image.getWidth(), image.getHeight(), out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode a mask PNG", e);
        }
    }

    /** {@link #png}, as base64 text for JSON. */
    public static String base64(byte[] mask, int height, int width) {
        return Base64.getEncoder().encodeToString(png(mask, height, width));
    }

    /**
     * {@code image} with the mask's colours blended over it ({@link #OVERLAY_ALPHA}); the mask is
     * scaled to the image's size by nearest neighbour. Class 0 (background) is left unpainted.
     *
     * @param mask H*W class indices of a {@code height x width} mask
     */
    public static BufferedImage overlay(BufferedImage image, byte[] mask, int height, int width) {
        int ow = image.getWidth(), oh = image.getHeight();
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < oh; y++) {
            int my = (int) ((long) y * height / oh);
            for (int x = 0; x < ow; x++) {
                int k = mask[my * width + (int) ((long) x * width / ow)] & 0xFF;
                int base = image.getRGB(x, y) & 0xFFFFFF;
                out.setRGB(x, y, k == 0 ? base : blend(base, colour(k)));
            }
        }
        return out;
    }

    private static int blend(int a, int b) {
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - OVERLAY_ALPHA) + ((b >> 16) & 0xFF) * OVERLAY_ALPHA);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - OVERLAY_ALPHA) + ((b >> 8) & 0xFF) * OVERLAY_ALPHA);
        int bl = (int) Math.round((a & 0xFF) * (1 - OVERLAY_ALPHA) + (b & 0xFF) * OVERLAY_ALPHA);
        return (r << 16) | (g << 8) | bl;
    }

    /** Any image as PNG bytes. */
    public static byte[] encode(BufferedImage image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG", e);
        }
    }
}
