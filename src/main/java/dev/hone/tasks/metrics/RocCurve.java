package dev.hone.tasks.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The receiver operating characteristic of one class: one point per distinct score, and its area.
 *
 * <p>Follows scikit-learn's {@code roc_curve} with {@code drop_intermediate=False}: the point at threshold
 * {@code t} counts the samples with score {@code >= t} as predicted positive, equal scores move together
 * (a tie between a positive and a negative is a diagonal step, worth half), and the curve starts at
 * (0, 0) with threshold {@code +Infinity} (scikit-learn 1.2 writes {@code max score + 1} there; 1.3 and
 * later write infinity). Points are ordered by decreasing threshold, as scikit-learn.
 *
 * @param points (0, 0), then one point per distinct score, highest score first; ends at (1, 1)
 */
public record RocCurve(List<Point> points) {
    /**
     * One point of the curve.
     *
     * @param threshold samples with score {@code >= threshold} are predicted positive
     * @param falsePositiveRate false positives over all negatives, in [0, 1]
     * @param truePositiveRate true positives over all positives (recall), in [0, 1]
     */
    public record Point(double threshold, double falsePositiveRate, double truePositiveRate) {}

    public RocCurve {
        points = List.copyOf(points);
    }

    /**
     * Builds the curve of one class.
     *
     * @param scores one finite score per sample (a probability or a logit: only the order matters)
     * @param positives whether each sample belongs to the class, same length as {@code scores}
     * @return the curve; when only one class is present it holds only (0, 0) and {@link #auc()} is NaN
     * @throws IllegalArgumentException if the lengths differ or a score is NaN or infinite
     */
    public static RocCurve of(float[] scores, boolean[] positives) {
        return of(ScoreRanking.of(scores, positives));
    }

    static RocCurve of(ScoreRanking r) {
        List<Point> points = new ArrayList<>(r.size() + 1);
        points.add(new Point(Double.POSITIVE_INFINITY, 0, 0));
        if (r.positives == 0 || r.negatives == 0) {
            return new RocCurve(points);
        }
        for (int j = 0; j < r.size(); j++) {
            points.add(new Point(r.thresholds[j], (double) r.falsePositives[j] / r.negatives,
                    (double) r.truePositives[j] / r.positives));
        }
        return new RocCurve(points);
    }

    /**
     * ROC-AUC: the trapezoidal area under the curve, as scikit-learn's {@code roc_auc_score} for binary
     * labels (no {@code max_fpr}). Equals the probability that a random positive scores above a random
     * negative, ties counting half.
     *
     * @return the area in [0, 1], or {@code NaN} when only one class is present (ROC-AUC is undefined)
     */
    public double auc() {
        if (points.size() == 1) {
            return Double.NaN;
        }
        double area = 0;
        for (int j = 1; j < points.size(); j++) {
            Point a = points.get(j - 1);
            Point b = points.get(j);
            area += (b.falsePositiveRate() - a.falsePositiveRate())
                    * (a.truePositiveRate() + b.truePositiveRate()) / 2;
        }
        return area;
    }
}
