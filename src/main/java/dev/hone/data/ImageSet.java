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
    private final byte[] multiHot;
    private final byte[] masks;
    private final float[][] boxes;
    private final float[] softTargets;

    /** The mask value of a pixel that counts for no class (VOC's object boundaries): 255, read as unsigned. */
    public static final int IGNORE = 255;

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
        this.multiHot = null;
        this.masks = null;
        this.boxes = null;
        this.softTargets = null;
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

    private ImageSet(ImageSet set, byte[] multiHot, byte[] masks) {
        this(set, multiHot, masks, null, null);
    }

    private ImageSet(ImageSet set, byte[] multiHot, byte[] masks, float[][] boxes, float[] softTargets) {
        this.pixels = set.pixels;
        this.labels = set.labels;
        this.channels = set.channels;
        this.height = set.height;
        this.width = set.width;
        this.classNames = set.classNames;
        this.sourceOf = set.sourceOf;
        this.multiHot = multiHot;
        this.masks = masks;
        this.boxes = boxes;
        this.softTargets = softTargets;
    }

    /**
     * This set as a segmentation set: pixel (y, x) of image i shows class
     * {@code masks[i * H * W + y * W + x] & 0xFF}, or no class when that is {@link #IGNORE}. The
     * single-label {@link #labels()} then only steer stratified splits (e.g. each image's most frequent
     * foreground class).
     *
     * @param masks N*H*W bytes, image-major then row-major, at the images' size
     * @throws IllegalArgumentException when the length is not N*H*W or a value is neither a class index nor {@link #IGNORE}
     */
    public ImageSet withMasks(byte[] masks) {
        if (masks.length != (long) size() * height * width) {
            throw new IllegalArgumentException("masks hold " + masks.length + " pixels, expected " + size() + "x" + height + "x" + width);
        }
        int k = numClasses();
        for (int p = 0; p < masks.length; p++) {
            int v = masks[p] & 0xFF;
            if (v >= k && v != IGNORE) {
                throw new IllegalArgumentException("mask value " + v + " of " + source(p / (height * width))
                        + " is neither one of the " + k + " classes nor the ignore index " + IGNORE);
            }
        }
        return new ImageSet(this, null, masks);
    }

    /** Whether each image carries a class mask ({@link #withMasks}) rather than image-level labels. */
    public boolean segmentation() {
        return masks != null;
    }

    /** The backing N*H*W class masks of a segmentation set, not a copy (null otherwise). */
    public byte[] masks() {
        return masks;
    }

    /**
     * This set as a multi-label set: image i shows class k when {@code multiHot[i * K + k] == 1}.
     * An image may show none of the classes (a valid negative). The single-label {@link #labels()}
     * of a multi-label set carry no meaning.
     *
     * @param multiHot N*K bytes of 0 or 1, image-major
     * @throws IllegalArgumentException when the length is not N*K or a value is not 0 or 1
     */
    public ImageSet withMultiHot(byte[] multiHot) {
        if (multiHot.length != (long) size() * numClasses()) {
            throw new IllegalArgumentException("multi-hot targets hold " + multiHot.length + " values, expected " + size() + "x"
                    + numClasses());
        }
        for (byte b : multiHot) {
            if (b != 0 && b != 1) {
                throw new IllegalArgumentException("multi-hot targets must be 0 or 1, found " + b);
            }
        }
        return new ImageSet(this, multiHot, null);
    }

    /** Whether each image carries a set of labels ({@link #withMultiHot}) rather than one class. */
    public boolean multiLabel() {
        return multiHot != null;
    }

    /** Whether image {@code i} shows class {@code k}: its label for a single-label set, its set otherwise. */
    public boolean positive(int i, int k) {
        return multiHot != null ? multiHot[i * numClasses() + k] == 1 : labels[i] == k;
    }

    /** The names of the classes image {@code i} shows ({@link #positive}), in class order. */
    public List<String> shown(int i) {
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < numClasses(); k++) {
            if (positive(i, k)) {
                names.add(classNames.get(k));
            }
        }
        return names;
    }

    /** The backing N*K multi-hot array of a multi-label set, not a copy (null for a single-label set). */
    public byte[] multiHot() {
        return multiHot;
    }

    /** How far a soft target row's sum may be from 1. */
    static final double SOFT_SUM_TOLERANCE = 1e-3;

    /**
     * This single-label set with a target distribution per image, which training uses instead of the one-hot row of
     * its label: Noisy Student's soft pseudo-labels, the teacher's softmax (Xie et al. 2020, arXiv:1911.04252). The
     * labels stay the images' classes (the arg-max of each row for a pseudo-labeled image): splits, class counts and
     * training accuracy read them.
     *
     * @param rows N*K probabilities, image-major: each row in [0, 1] and summing to 1 (within 0.001)
     * @throws IllegalArgumentException when the set is not single-label, the length is not N*K, or a row is not a
     *     distribution
     */
    public ImageSet withSoftTargets(float[] rows) {
        if (multiLabel() || segmentation() || detection()) {
            throw new IllegalArgumentException("soft targets are for single-label sets");
        }
        int k = numClasses();
        if (rows.length != (long) size() * k) {
            throw new IllegalArgumentException("soft targets hold " + rows.length + " values, expected " + size() + "x" + k);
        }
        for (int i = 0; i < size(); i++) {
            double sum = 0;
            for (int c = i * k; c < (i + 1) * k; c++) {
                if (!(rows[c] >= 0 && rows[c] <= 1)) {
                    throw new IllegalArgumentException("soft target " + rows[c] + " of " + source(i) + " is not a probability");
                }
                sum += rows[c];
            }
            if (Math.abs(sum - 1) > SOFT_SUM_TOLERANCE) {
                throw new IllegalArgumentException("soft targets of " + source(i) + " sum to " + sum + ", not 1");
            }
        }
        return new ImageSet(this, null, null, null, rows);
    }

    /** The backing N*K target distributions of a set made by {@link #withSoftTargets}, not a copy (null otherwise). */
    public float[] softTargets() {
        return softTargets;
    }

    /** Floats per box in {@link #boxes()}: class, x1, y1, x2, y2, ignore. */
    public static final int BOX_FIELDS = 6;

    /**
     * This set as a detection set: image i shows the boxes {@code boxes[i]}, rows of
     * {@link #BOX_FIELDS} floats {@code class, x1, y1, x2, y2, ignore}. Corners are in pixels of the
     * stored (resized) image, continuous coordinates with (0, 0) the top-left corner of the top-left
     * pixel and (W, H) the bottom-right corner of the image, as COCO's {@code [x, y, w, h]} boxes are.
     * {@code ignore} is 1 for a box that neither trains nor counts in evaluation except as COCO's crowd
     * regions and VOC's difficult objects do (a detection matching it is neither true nor false), 0
     * otherwise. An image without boxes is a valid negative. The single-label {@link #labels()} only steer
     * stratified splits (e.g. each image's most frequent class).
     *
     * @param boxes N arrays, each a multiple of {@link #BOX_FIELDS} long
     * @throws IllegalArgumentException when there are not N arrays, a class is outside [0, K), a box has no
     *     area, or a corner lies outside the image by more than a hundredth of a pixel
     */
    public ImageSet withBoxes(float[][] boxes) {
        if (boxes.length != size()) {
            throw new IllegalArgumentException("boxes for " + boxes.length + " images, expected " + size());
        }
        float tolerance = 0.01f;
        for (int i = 0; i < boxes.length; i++) {
            float[] b = boxes[i];
            if (b.length % BOX_FIELDS != 0) {
                throw new IllegalArgumentException("boxes of " + source(i) + " hold " + b.length + " floats, not a multiple of " + BOX_FIELDS);
            }
            for (int r = 0; r < b.length; r += BOX_FIELDS) {
                int c = (int) b[r];
                if (c != b[r] || c < 0 || c >= numClasses()) {
                    throw new IllegalArgumentException("box class " + b[r] + " of " + source(i) + " is outside the " + numClasses() + " known classes");
                }
                if (!(b[r + 3] > b[r + 1] && b[r + 4] > b[r + 2])) {
                    throw new IllegalArgumentException("a box of " + source(i) + " has no area: " + boxText(b, r));
                }
                if (b[r + 1] < -tolerance || b[r + 2] < -tolerance || b[r + 3] > width + tolerance || b[r + 4] > height + tolerance) {
                    throw new IllegalArgumentException("a box of " + source(i) + " lies outside its " + width + "x" + height + " image: " + boxText(b, r));
                }
            }
        }
        return new ImageSet(this, null, null, boxes, null);
    }

    private static String boxText(float[] b, int r) {
        return "[x1=" + b[r + 1] + ", y1=" + b[r + 2] + ", x2=" + b[r + 3] + ", y2=" + b[r + 4] + "]";
    }

    /** Whether each image carries boxes ({@link #withBoxes}) rather than image-level labels. */
    public boolean detection() {
        return boxes != null;
    }

    /** The backing per-image box arrays of a detection set, not copies (null otherwise). */
    public float[][] boxes() {
        return boxes;
    }

    /** The most boxes any image of this detection set holds (0 for none, or for another kind of set). */
    public int maxBoxes() {
        int most = 0;
        if (boxes != null) {
            for (float[] b : boxes) {
                most = Math.max(most, b.length / BOX_FIELDS);
            }
        }
        return most;
    }

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
        ImageSet sub = new ImageSet(p, l, channels, height, width, classNames, k -> sourceOf.apply(map[k]));
        if (boxes != null) {
            float[][] b = new float[indices.length][];
            for (int k = 0; k < indices.length; k++) {
                b[k] = boxes[indices[k]];
            }
            return new ImageSet(sub, null, null, b, null);
        }
        if (masks != null) {
            int hw = height * width;
            byte[] m = new byte[indices.length * hw];
            for (int k = 0; k < indices.length; k++) {
                System.arraycopy(masks, indices[k] * hw, m, k * hw, hw);
            }
            return sub.withMasks(m);
        }
        if (softTargets != null) {
            int kk = numClasses();
            float[] t = new float[indices.length * kk];
            for (int k = 0; k < indices.length; k++) {
                System.arraycopy(softTargets, indices[k] * kk, t, k * kk, kk);
            }
            return new ImageSet(sub, null, null, null, t);
        }
        if (multiHot == null) {
            return sub;
        }
        int kk = numClasses();
        byte[] m = new byte[indices.length * kk];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(multiHot, indices[k] * kk, m, k * kk, kk);
        }
        return sub.withMultiHot(m);
    }

    /**
     * Count of images per class (for a multi-label set, the images showing each class; for a
     * segmentation set, the images with at least one pixel of each class; for a detection set, the
     * images with at least one box of each class).
     */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        if (boxes != null) {
            for (float[] b : boxes) {
                boolean[] seen = new boolean[counts.length];
                for (int r = 0; r < b.length; r += BOX_FIELDS) {
                    int c = (int) b[r];
                    if (!seen[c]) {
                        seen[c] = true;
                        counts[c]++;
                    }
                }
            }
            return counts;
        }
        if (masks != null) {
            int hw = height * width;
            for (int i = 0; i < size(); i++) {
                boolean[] seen = new boolean[counts.length];
                for (int p = i * hw; p < (i + 1) * hw; p++) {
                    int v = masks[p] & 0xFF;
                    if (v != IGNORE && !seen[v]) {
                        seen[v] = true;
                        counts[v]++;
                    }
                }
            }
            return counts;
        }
        if (multiHot != null) {
            for (int i = 0; i < multiHot.length; i++) {
                counts[i % counts.length] += multiHot[i];
            }
            return counts;
        }
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }
}
