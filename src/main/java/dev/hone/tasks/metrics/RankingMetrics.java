package dev.hone.tasks.metrics;

/**
 * Threshold-free metrics of scores: average precision (AP), mean average precision (mAP) and ROC-AUC.
 *
 * <p>They judge the ranking a model makes before any threshold is chosen, so they are what the learners
 * maximise for multi-label (mAP) and, with F1, for binary tasks (ROC-AUC). A class whose value is undefined
 * (no positive sample for AP; one class only for ROC-AUC) gets {@code NaN}, which callers print as n/a.
 */
public final class RankingMetrics {
    private RankingMetrics() {}

    /**
     * Average precision of one class, as scikit-learn's {@code average_precision_score}.
     *
     * @param scores one finite score per sample
     * @param positives whether each sample is positive, same length
     * @return AP in [0, 1], or {@code NaN} with no positive sample
     * @throws IllegalArgumentException if the lengths differ or a score is NaN or infinite
     * @see PrecisionRecallCurve#averagePrecision()
     */
    public static double averagePrecision(float[] scores, boolean[] positives) {
        return PrecisionRecallCurve.of(scores, positives).averagePrecision();
    }

    /**
     * ROC-AUC of one class, as scikit-learn's {@code roc_auc_score} on binary labels.
     *
     * @param scores one finite score per sample
     * @param positives whether each sample is positive, same length
     * @return the area in [0, 1], or {@code NaN} unless both a positive and a negative are present
     * @throws IllegalArgumentException if the lengths differ or a score is NaN or infinite
     * @see RocCurve#auc()
     */
    public static double rocAuc(float[] scores, boolean[] positives) {
        return RocCurve.of(scores, positives).auc();
    }

    /**
     * Average precision of every class of an N x K multi-label problem.
     *
     * @param scores N rows of K finite scores
     * @param truth N rows of K labels
     * @return K values; {@code NaN} for a class with no positive sample
     * @throws IllegalArgumentException if the shapes differ, rows are ragged, or a score is not finite
     */
    public static double[] averagePrecisionPerClass(float[][] scores, boolean[][] truth) {
        int k = Checks.matrix(scores, truth);
        double[] ap = new double[k];
        for (int c = 0; c < k; c++) {
            ap[c] = averagePrecision(Checks.column(scores, c), Checks.column(truth, c));
        }
        return ap;
    }

    /**
     * Mean average precision (mAP): the mean of per-class AP over the classes with at least one positive.
     * Equals scikit-learn's {@code average_precision_score(average="macro")} restricted to those classes.
     *
     * @param scores N rows of K finite scores
     * @param truth N rows of K labels
     * @return mAP in [0, 1], or {@code NaN} when no class has a positive sample
     * @throws IllegalArgumentException as {@link #averagePrecisionPerClass}
     */
    public static double meanAveragePrecision(float[][] scores, boolean[][] truth) {
        return meanIgnoringNaN(averagePrecisionPerClass(scores, truth));
    }

    static double meanIgnoringNaN(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
