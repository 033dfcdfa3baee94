package dev.hone.data;

import dev.hone.core.HoneException;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * A decoded, labelled image set held in memory as unsigned bytes, NCHW.
 *
 * <p>Every source (IDX, image folder, CSV manifest) decodes into this one shape so that the rest of
 * hone sees a single format. It is what becomes the resident uint8 tensor on the device: batches are
 * sliced there rather than decoded per image in Java.
 */
public final class ImageSet {
    private final byte[] pixels;
    private final int[] labels;
    private final int channels;
    private final int height;
    private final int width;
    private final List<String> classNames;
    private final IntFunction<String> sourceOf;

    /**
     * @param pixels N*C*H*W bytes, image-major then channel-major (NCHW)
     * @param labels N class indices in [0, classNames.size())
     * @param sourceOf names where image i came from (a file, or file#index), for errors and reports
     */
    public ImageSet(byte[] pixels, int[] labels, int channels, int height, int width,
            List<String> classNames, IntFunction<String> sourceOf) {
        this.pixels = Objects.requireNonNull(pixels);
        this.labels = Objects.requireNonNull(labels);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classNames = List.copyOf(classNames);
        this.sourceOf = Objects.requireNonNull(sourceOf);
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, expected "
                    + expected + " for " + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new HoneException("label " + labels[i] + " of " + sourceOf.apply(i)
                        + " is outside the " + classNames.size() + " known classes");
            }
        }
    }

    public int size() { return labels.length; }
    public int channels() { return channels; }
    public int height() { return height; }
    public int width() { return width; }
    public int imageBytes() { return channels * height * width; }
    public int numClasses() { return classNames.size(); }
    public List<String> classNames() { return classNames; }
    public int label(int i) { return labels[i]; }
    public String source(int i) { return sourceOf.apply(i); }

    /** The backing array, not a copy: callers must not modify it. */
    public byte[] pixels() { return pixels; }

    /** The backing array, not a copy: callers must not modify it. */
    public int[] labels() { return labels; }

    /** Images {@code indices}, in that order, as a new set sharing class names. */
    public ImageSet subset(int[] indices) {
        int bytes = imageBytes();
        byte[] p = new byte[indices.length * bytes];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(pixels, indices[k] * bytes, p, k * bytes, bytes);
            l[k] = labels[indices[k]];
        }
        int[] map = indices.clone();
        return new ImageSet(p, l, channels, height, width, classNames, k -> sourceOf.apply(map[k]));
    }

    /** Count of images per class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }
}
