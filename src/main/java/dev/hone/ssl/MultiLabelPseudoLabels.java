package dev.hone.ssl;

/**
 * Noisy Student's pseudo-labels for multi-label classification: hone's extension of Xie et al. 2020
 * (arXiv:1911.04252), whose filtering and balancing ({@link PseudoLabels}) are for one softmax class per image.
 * Pure Java, no DJL: the caller hands in the teacher's sigmoid probabilities and one decision threshold per class.
 *
 * <p>Each unlabeled image gets hard targets: class k is present when the teacher's probability reaches the class's
 * threshold (hone learns it on the teacher's validation predictions, at the F1 optimum, as it does for the final
 * model's decisions). Every image is kept, once:
 * <ul>
 *   <li>no confidence filter: the paper drops images whose largest softmax probability is at most 0.3, mostly out of
 *       domain; a multi-label image makes K decisions, and one unsure class would throw away the other K - 1;</li>
 *   <li>no class balancing: classes co-occur, so duplicating the images of a rare class would also duplicate the
 *       common classes shown with it.</li>
 * </ul>
 * An image's confidence, for the histogram, is that of its least certain decision: {@code min_k max(p_k, 1 - p_k)},
 * in [0.5, 1].
 */
public final class MultiLabelPseudoLabels {
    private MultiLabelPseudoLabels() {}

    /**
     * The teacher's decisions on every unlabeled image.
     *
     * @param teacher sigmoid probabilities (N, K), N >= 1, each in [0, 1]; rows need not sum to 1
     * @param thresholds K finite decision thresholds {@code >= 0}: class k is a target when its probability is {@code >=}
     *     its threshold (one above 1, the learner's "nothing positive", makes none)
     * @return the selection: {@code indices} 0..N-1 in order, {@code targets} the 0/1 rows, {@code classes} all -1 (no
     *     single class), per-class counts of images with the class as a target (predicted, kept and balanced alike), the
     *     confidence histogram; {@code perClass} -1 and {@code threshold} 0 (nothing filtered)
     * @throws IllegalArgumentException if there are no rows, rows differ in length or from the thresholds, a value is
     *     outside [0, 1], or a threshold is negative or not finite
     */
    public static PseudoLabelSelection select(float[][] teacher, double[] thresholds) {
        if (teacher == null || teacher.length == 0 || thresholds == null || thresholds.length == 0) {
            throw new IllegalArgumentException("multi-label pseudo-labels need the teacher's probabilities for at least one image,"
                    + " and one threshold per class");
        }
        int k = thresholds.length;
        for (int c = 0; c < k; c++) {
            if (!(thresholds[c] >= 0 && Double.isFinite(thresholds[c]))) {
                throw new IllegalArgumentException("class " + c + "'s threshold " + thresholds[c] + " is not a finite number >= 0");
            }
        }
        int n = teacher.length;
        int[] indices = new int[n];
        float[][] targets = new float[n][k];
        int[] classes = new int[n];
        int[] counts = new int[k];
        int[] histogram = new int[PseudoLabels.HISTOGRAM_BINS];
        for (int i = 0; i < n; i++) {
            float[] row = teacher[i];
            if (row == null || row.length != k) {
                throw new IllegalArgumentException("teacher row " + i + " has " + (row == null ? "no" : row.length)
                        + " probabilities for " + k + " classes: give one sigmoid probability per class");
            }
            double confidence = 1;
            for (int c = 0; c < k; c++) {
                float p = row[c];
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("teacher row " + i + " holds " + p + ", not a probability: pass sigmoid"
                            + " outputs, not logits");
                }
                if (p >= thresholds[c]) {
                    targets[i][c] = 1;
                    counts[c]++;
                }
                confidence = Math.min(confidence, Math.max(p, 1 - p));
            }
            indices[i] = i;
            classes[i] = -1;
            histogram[Math.min(PseudoLabels.HISTOGRAM_BINS - 1, (int) (confidence * PseudoLabels.HISTOGRAM_BINS))]++;
        }
        return new PseudoLabelSelection(indices, targets, classes, counts, counts, counts, -1, histogram, 0, false);
    }

    /** The selection's targets as the N*K bytes of an image set's multi-hot labels, image-major. */
    public static byte[] multiHot(PseudoLabelSelection selection) {
        float[][] targets = selection.targets();
        int k = targets.length == 0 ? 0 : targets[0].length;
        byte[] out = new byte[targets.length * k];
        for (int i = 0; i < targets.length; i++) {
            for (int c = 0; c < k; c++) {
                out[i * k + c] = (byte) (targets[i][c] > 0.5f ? 1 : 0);
            }
        }
        return out;
    }
}
