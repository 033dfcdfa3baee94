package dev.hone.data;

import java.util.stream.IntStream;

/**
 * Brings pixels into an {@link ImageFormat}: converts grey and colour, then resizes.
 *
 * <p>Colour becomes grey by ITU-R BT.601 luminance (0.299 R + 0.587 G + 0.114 B, as PIL's "L" mode),
 * so models trained here see the grey values users get from the usual tools; grey becomes colour by
 * copying the one channel three times. Converting to grey before resizing, and to colour after it,
 * resizes as few planes as possible.
 */
public final class PixelConverter {

    private PixelConverter() {}

    /**
     * Writes one image into {@code dest} at {@code offset} in {@code format}, channel-major.
     *
     * @param planes 1 (grey) or 3 (R, G, B) row-major planes of {@code h x w} values in [0, 255]
     */
    public static void write(float[][] planes, int h, int w, ImageFormat format, byte[] dest, int offset) {
        float[][] source = planes;
        if (planes.length == 3 && format.channels() == 1) {
            source = new float[][] {luminance(planes)};
        }
        int plane = format.height() * format.width();
        float[] first = null;
        for (int c = 0; c < format.channels(); c++) {
            float[] resized;
            if (source.length == 1 && c > 0) {
                resized = first;
            } else {
                resized = Resampler.resize(source[c], h, w, format.height(), format.width());
                first = resized;
            }
            int base = offset + c * plane;
            for (int i = 0; i < plane; i++) {
                dest[base + i] = toByte(resized[i]);
            }
        }
    }

    /** {@code set} in {@code format}; the same set when it already has that format. */
    public static ImageSet conform(ImageSet set, ImageFormat format) {
        if (ImageFormat.of(set).equals(format)) {
            return set;
        }
        int h = set.height();
        int w = set.width();
        int inBytes = set.imageBytes();
        int outBytes = format.imageBytes();
        byte[] src = set.pixels();
        byte[] out = new byte[Math.multiplyExact(set.size(), outBytes)];
        IntStream.range(0, set.size()).parallel().forEach(i -> {
            float[][] planes = new float[set.channels()][h * w];
            for (int c = 0; c < planes.length; c++) {
                int base = i * inBytes + c * h * w;
                for (int p = 0; p < h * w; p++) {
                    planes[c][p] = src[base + p] & 0xFF;
                }
            }
            write(planes, h, w, format, out, i * outBytes);
        });
        ImageSet conformed = new ImageSet(out, set.labels().clone(), format.channels(), format.height(), format.width(),
                set.classNames(), set::source);
        if (set.segmentation()) {
            return conformed.withMasks(nearest(set.masks(), set.size(), h, w, format.height(), format.width()));
        }
        if (set.detection()) {
            return conformed.withBoxes(scaledBoxes(set.boxes(), (float) format.width() / w, (float) format.height() / h,
                    format.width(), format.height()));
        }
        return set.multiLabel() ? conformed.withMultiHot(set.multiHot()) : conformed;
    }

    /**
     * Boxes of images resized by {@code sx} across and {@code sy} down: corners times the factors, capped at the
     * new size against rounding; class and ignore flag kept.
     */
    static float[][] scaledBoxes(float[][] boxes, float sx, float sy, int width, int height) {
        float[][] out = new float[boxes.length][];
        for (int i = 0; i < boxes.length; i++) {
            float[] b = boxes[i].clone();
            for (int r = 0; r < b.length; r += ImageSet.BOX_FIELDS) {
                b[r + 1] = Math.min(width, b[r + 1] * sx);
                b[r + 2] = Math.min(height, b[r + 2] * sy);
                b[r + 3] = Math.min(width, b[r + 3] * sx);
                b[r + 4] = Math.min(height, b[r + 4] * sy);
            }
            out[i] = b;
        }
        return out;
    }

    /**
     * Masks resized by nearest neighbour (a class index must not be blended), pixel centres aligned as
     * in PyTorch's {@code interpolate(mode="nearest-exact")}.
     *
     * @param masks n masks of sh*sw bytes, image-major
     * @return n masks of dh*dw bytes
     */
    public static byte[] nearest(byte[] masks, int n, int sh, int sw, int dh, int dw) {
        if (sh == dh && sw == dw) {
            return masks;
        }
        byte[] out = new byte[n * dh * dw];
        int[] rows = new int[dh];
        int[] cols = new int[dw];
        for (int y = 0; y < dh; y++) {
            rows[y] = Math.min(sh - 1, (int) ((y + 0.5) * sh / dh));
        }
        for (int x = 0; x < dw; x++) {
            cols[x] = Math.min(sw - 1, (int) ((x + 0.5) * sw / dw));
        }
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < dh; y++) {
                for (int x = 0; x < dw; x++) {
                    out[(i * dh + y) * dw + x] = masks[(i * sh + rows[y]) * sw + cols[x]];
                }
            }
        }
        return out;
    }

    static float[] luminance(float[][] rgb) {
        float[] r = rgb[0];
        float[] g = rgb[1];
        float[] b = rgb[2];
        float[] y = new float[r.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = 0.299f * r[i] + 0.587f * g[i] + 0.114f * b[i];
        }
        return y;
    }

    private static byte toByte(float v) {
        int i = Math.round(v);
        return (byte) (i < 0 ? 0 : Math.min(i, 255));
    }
}
