package dev.hone.ssl;

import dev.hone.data.ImageSet;
import dev.hone.data.unlabeled.UnlabeledSet;

/**
 * The student's training set in Noisy Student: the labeled images and the pseudo-labeled ones in one
 * {@link ImageSet}, so the loop, the augmentation and the checkpoints treat them alike.
 *
 * <p>From Xie et al. 2020 (arXiv:1911.04252): the student learns from labeled and pseudo-labeled
 * images together, and the paper draws its batches with more unlabeled than labeled images. With few
 * labels the pseudo-labeled images would otherwise outnumber the labeled ones a hundred to one, so the
 * labeled images are repeated until they make up at least {@code labeledShare} of the set (hone's
 * choice: 1/4, one labeled image per three pseudo-labeled, the paper's lower ratios). A pseudo-labeled
 * single-label image trains on the teacher's distribution (soft, the paper's choice; {@link
 * #combineSoft}) or its arg-max class (hard, {@link #combine}); a multi-label image on the classes at or
 * above their thresholds ({@link MultiLabelPseudoLabels}).
 */
public final class NoisyStudentData {
    /** The least fraction of the student's set that is labeled images, by default. */
    public static final double LABELED_SHARE = 0.25;

    private NoisyStudentData() {}

    /**
     * How often each labeled image appears, so that labeled images are at least {@code share} of the set.
     *
     * @throws IllegalArgumentException for no labeled images or a share outside (0, 1)
     */
    public static int labeledCopies(int labeled, int pseudoLabeled, double share) {
        if (labeled < 1 || !(share > 0 && share < 1) || pseudoLabeled < 0) {
            throw new IllegalArgumentException("labeled " + labeled + ", pseudo-labeled " + pseudoLabeled + ", share " + share);
        }
        return (int) Math.max(1, Math.ceil(share * pseudoLabeled / ((1 - share) * labeled)));
    }

    /**
     * The labeled set repeated {@code copies} times, then unlabeled images {@code indices} with classes
     * {@code classes}.
     *
     * @param labeled single-label images (N, C, H, W) with their classes
     * @param unlabeled images in the same format
     * @param indices images of {@code unlabeled}, repeats allowed (class balancing duplicates)
     * @param classes the pseudo-label of each entry of {@code indices}, in [0, K)
     * @throws IllegalArgumentException when the formats differ or the arrays do not match
     * @throws dev.hone.core.HoneException when the set would exceed one Java array (2 GiB)
     */
    public static ImageSet combine(ImageSet labeled, int copies, UnlabeledSet unlabeled, int[] indices, int[] classes) {
        if (labeled.multiLabel() || labeled.segmentation() || labeled.detection()) {
            throw new IllegalArgumentException("Noisy Student's classes are for single-label images; multi-label sets take"
                    + " combineMultiLabel");
        }
        if (indices.length != classes.length) {
            throw new IllegalArgumentException(indices.length + " images, " + classes.length + " labels");
        }
        byte[] pixels = pixels(labeled, copies, unlabeled, indices);
        int n = labeled.size();
        int base = n * copies;
        int[] labels = new int[base + indices.length];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(labeled.labels(), 0, labels, c * n, n);
        }
        System.arraycopy(classes, 0, labels, base, indices.length);
        return set(labeled, pixels, labels, unlabeled, indices, base);
    }

    /**
     * {@link #combine} with soft pseudo-labels: each labeled image's target is the one-hot row of its class, each
     * pseudo-labeled image's the teacher's distribution ({@link ImageSet#withSoftTargets}); the labels are the classes.
     *
     * @param classes the arg-max of each row of {@code targets}, in [0, K)
     * @param targets one probability row (length K) per entry of {@code indices}
     * @throws IllegalArgumentException when the formats differ, the arrays do not match or a row is not a distribution
     * @throws dev.hone.core.HoneException when the set would exceed one Java array (2 GiB)
     */
    public static ImageSet combineSoft(ImageSet labeled, int copies, UnlabeledSet unlabeled, int[] indices, int[] classes,
            float[][] targets) {
        if (targets.length != indices.length) {
            throw new IllegalArgumentException(indices.length + " images, " + targets.length + " target rows");
        }
        ImageSet hard = combine(labeled, copies, unlabeled, indices, classes);
        int k = labeled.numClasses();
        int base = labeled.size() * copies;
        float[] rows = new float[hard.size() * k];
        for (int i = 0; i < base; i++) {
            rows[i * k + hard.label(i)] = 1;
        }
        for (int i = 0; i < targets.length; i++) {
            if (targets[i].length != k) {
                throw new IllegalArgumentException("target row " + i + " holds " + targets[i].length + " classes, not " + k);
            }
            System.arraycopy(targets[i], 0, rows, (base + i) * k, k);
        }
        return hard.withSoftTargets(rows);
    }

    /**
     * The multi-label form of {@link #combine}: the labeled set repeated {@code copies} times with its label sets, then
     * unlabeled images {@code indices} with the pseudo-label sets {@code multiHot}.
     *
     * @param labeled multi-label images (N, C, H, W) with their label sets (K classes)
     * @param unlabeled images in the same format
     * @param indices images of {@code unlabeled}, repeats allowed
     * @param multiHot {@code indices.length * K} bytes of 0 or 1, entry-major: the pseudo-label set of each entry
     * @throws IllegalArgumentException when the set is not multi-label, the formats differ or the arrays do not match
     * @throws dev.hone.core.HoneException when the set would exceed one Java array (2 GiB)
     */
    public static ImageSet combineMultiLabel(ImageSet labeled, int copies, UnlabeledSet unlabeled, int[] indices, byte[] multiHot) {
        if (!labeled.multiLabel() || labeled.segmentation() || labeled.detection()) {
            throw new IllegalArgumentException("combineMultiLabel takes a multi-label set");
        }
        int k = labeled.numClasses();
        if (multiHot.length != (long) indices.length * k) {
            throw new IllegalArgumentException(indices.length + " images need " + indices.length + "x" + k
                    + " pseudo-label bytes, got " + multiHot.length);
        }
        byte[] pixels = pixels(labeled, copies, unlabeled, indices);
        int n = labeled.size();
        int base = n * copies;
        byte[] hot = new byte[(base + indices.length) * k];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(labeled.multiHot(), 0, hot, c * n * k, n * k);
        }
        System.arraycopy(multiHot, 0, hot, base * k, multiHot.length);
        return set(labeled, pixels, new int[base + indices.length], unlabeled, indices, base).withMultiHot(hot);
    }

    /** The labeled images' pixels {@code copies} times, then the chosen unlabeled images'. */
    private static byte[] pixels(ImageSet labeled, int copies, UnlabeledSet unlabeled, int[] indices) {
        if (copies < 1) {
            throw new IllegalArgumentException("labeled images appear at least once, not " + copies + " times");
        }
        if (unlabeled.format().channels() != labeled.channels() || unlabeled.format().height() != labeled.height()
                || unlabeled.format().width() != labeled.width()) {
            throw new IllegalArgumentException("unlabeled format " + unlabeled.format() + " differs from the labeled images'");
        }
        int bytes = labeled.imageBytes();
        int n = labeled.size();
        int total = n * copies + indices.length;
        if ((long) total * bytes > Integer.MAX_VALUE - 8) {
            throw new dev.hone.core.HoneException("The student's set of " + total + " images (" + n + " labeled x" + copies + ", "
                    + indices.length + " pseudo-labeled) needs " + ((long) total * bytes >> 20) + " MiB, more than one Java array"
                    + " holds. Fix: give fewer --unlabeled images, or smaller ones");
        }
        byte[] pixels = new byte[total * bytes];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(labeled.pixels(), 0, pixels, c * n * bytes, n * bytes);
        }
        int base = n * copies;
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(unlabeled.pixels(), indices[i] * bytes, pixels, (base + i) * bytes, bytes);
        }
        return pixels;
    }

    private static ImageSet set(ImageSet labeled, byte[] pixels, int[] labels, UnlabeledSet unlabeled, int[] indices, int base) {
        int n = labeled.size();
        return new ImageSet(pixels, labels, labeled.channels(), labeled.height(), labeled.width(), labeled.classNames(),
                i -> i < base ? labeled.source(i % n) : unlabeled.source(indices[i - base]) + " (pseudo-label)");
    }
}
