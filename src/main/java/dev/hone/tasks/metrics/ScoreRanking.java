package dev.hone.tasks.metrics;

import java.util.Arrays;

/**
 * Cumulative true and false positives at every distinct score, highest score first.
 *
 * <p>Entry {@code j} counts the samples with score {@code >= thresholds[j]}; equal scores form one group, so
 * a tie never splits between "predicted positive" and "predicted negative". This is the counting that
 * scikit-learn's {@code _binary_clf_curve} does, on which its precision-recall and ROC curves, average
 * precision and ROC-AUC rest.
 */
final class ScoreRanking {
    /** Distinct scores, strictly decreasing. */
    final double[] thresholds;
    /** {@code truePositives[j]}: positives with score {@code >= thresholds[j]}. */
    final long[] truePositives;
    /** {@code falsePositives[j]}: negatives with score {@code >= thresholds[j]}. */
    final long[] falsePositives;
    final long positives;
    final long negatives;

    private ScoreRanking(double[] thresholds, long[] tp, long[] fp) {
        this.thresholds = thresholds;
        this.truePositives = tp;
        this.falsePositives = fp;
        this.positives = tp.length == 0 ? 0 : tp[tp.length - 1];
        this.negatives = fp.length == 0 ? 0 : fp[fp.length - 1];
    }

    static ScoreRanking of(float[] scores, boolean[] positives) {
        Checks.scores(scores, positives);
        int n = scores.length;
        // Sort indices by score, descending; packing (score, index) into a long keeps it a primitive sort.
        long[] keyed = new long[n];
        for (int i = 0; i < n; i++) {
            keyed[i] = ((long) sortableBits(scores[i]) << 32) | i;
        }
        Arrays.sort(keyed);
        double[] thresholds = new double[n];
        long[] tp = new long[n];
        long[] fp = new long[n];
        int groups = 0;
        long tps = 0;
        long fps = 0;
        for (int r = n - 1; r >= 0; r--) {
            int i = (int) keyed[r];
            if (positives[i]) {
                tps++;
            } else {
                fps++;
            }
            boolean lastOfGroup = r == 0 || scores[(int) keyed[r - 1]] != scores[i];
            if (lastOfGroup) {
                thresholds[groups] = scores[i];
                tp[groups] = tps;
                fp[groups] = fps;
                groups++;
            }
        }
        return new ScoreRanking(Arrays.copyOf(thresholds, groups), Arrays.copyOf(tp, groups),
                Arrays.copyOf(fp, groups));
    }

    int size() {
        return thresholds.length;
    }

    /** Maps a float to an int whose signed order is the float's numeric order (-0 and +0 become equal). */
    private static int sortableBits(float f) {
        int bits = Float.floatToIntBits(f == 0f ? 0f : f);
        return bits >= 0 ? bits : bits ^ 0x7fffffff;
    }
}
