package dev.hone.data.segmentation;

import dev.hone.core.HoneException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads one mask file as the class index of each pixel, exactly as stored.
 *
 * <p>A mask's pixel values are class indices, so none of an image's conversions apply: no colour
 * profile, no grey-from-colour luminance, no EXIF rotation, no scaling of 16-bit samples. What is read:
 * <ul>
 *   <li>a palette (indexed-colour) image, as Pascal VOC's {@code SegmentationClass} PNGs: the palette
 *       index of each pixel, read from the raster, not the colour the palette shows for it;</li>
 *   <li>a grey image (8 or 16 bits, with or without alpha): the grey value;</li>
 *   <li>an RGB image whose every pixel is grey (R = G = B), as some tools save grey masks: that value.</li>
 * </ul>
 * Refused, naming the mask and its image: an RGB image with colour (a colour-coded mask, whose colours
 * would have to be mapped to classes), a JPEG (lossy compression changes the values along every class
 * edge), values above 255, and a file that is not a readable image.
 */
final class MaskReader {
    static final String FIX_FORMAT = "save each mask as a single-channel (greyscale) PNG whose pixel values are"
            + " the class indices 0, 1, 2, ... (255 = ignore), or as a palette (indexed-colour) PNG as Pascal VOC does";

    private MaskReader() {}

    /**
     * A mask's raw values.
     *
     * @param values height*width values 0-255, row-major, as stored (before any ignore-index mapping)
     */
    record Mask(int height, int width, byte[] values) {}

    /**
     * Reads {@code mask}.
     *
     * @param image the image the mask belongs to, named in errors
     * @throws HoneException naming both files when the mask is missing, unreadable, a JPEG, a colour image, or holds a value above 255
     */
    static Mask read(Path mask, Path image) {
        String pair = mask + " (the mask of " + image + ")";
        if (!Files.isRegularFile(mask)) {
            throw HoneException.of("mask file does not exist", pair, "check the path");
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(mask.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw HoneException.of("mask is not a readable image", pair, FIX_FORMAT);
            }
            ImageReader reader = readers.next();
            try {
                String format = String.valueOf(reader.getFormatName()).toLowerCase(Locale.ROOT);
                if (format.contains("jpeg") || format.contains("jpg")) {
                    throw HoneException.of("mask is a JPEG, whose lossy compression changes the class values along"
                            + " every edge", pair, FIX_FORMAT);
                }
                reader.setInput(in, true, true);
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof HoneException h) {
                throw h;
            }
            throw new HoneException("mask is corrupt or unreadable (" + e.getMessage() + "): " + pair
                    + ". Fix: re-export the mask as PNG", e);
        }
        if (img == null) {
            throw HoneException.of("mask is corrupt or unreadable (the reader returned no image)", pair,
                    "re-export the mask as PNG");
        }
        return new Mask(img.getHeight(), img.getWidth(), toBytes(values(img, pair), img.getWidth(), pair));
    }

    /** The class index of each pixel, row-major: palette index, grey value, or the value of a grey RGB pixel. */
    private static int[] values(BufferedImage img, String pair) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        if (cm instanceof IndexColorModel || cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                || raster.getNumBands() < 3) {
            return raster.getSamples(0, 0, w, h, 0, (int[]) null);
        }
        int[] r = raster.getSamples(0, 0, w, h, 0, (int[]) null);
        int[] g = raster.getSamples(0, 0, w, h, 1, (int[]) null);
        int[] b = raster.getSamples(0, 0, w, h, 2, (int[]) null);
        for (int p = 0; p < r.length; p++) {
            if (r[p] != g[p] || r[p] != b[p]) {
                throw HoneException.of("mask is an RGB colour image, not class indices (pixel x=" + (p % w) + ", y="
                        + (p / w) + " is R=" + r[p] + " G=" + g[p] + " B=" + b[p] + ")", pair, FIX_FORMAT
                        + "; a colour-coded mask must first be converted to class indices");
            }
        }
        return r;
    }

    private static byte[] toBytes(int[] values, int w, String pair) {
        byte[] out = new byte[values.length];
        for (int p = 0; p < values.length; p++) {
            int v = values[p];
            if (v > 255) {
                throw HoneException.of("mask value " + v + " at x=" + (p % w) + ", y=" + (p / w)
                        + " is above 255 (a 16-bit mask?)", pair, FIX_FORMAT + ", 8 bits per pixel");
            }
            out[p] = (byte) v;
        }
        return out;
    }
}
