package dev.hone.tasks.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The precision-recall curve of one class: one point per distinct score, for a chart and for average
 * precision.
 *
 * <p>Follows scikit-learn's {@code precision_recall_curve} (1.2): the point at threshold {@code t} counts
 * the samples with score {@code >= t} as predicted positive, equal scores move together, and the curve
 * starts from the anchor (recall 0, precision 1) at threshold {@code +Infinity}. Points are ordered by
 * decreasing threshold, so recall never decreases along the list (scikit-learn returns the reverse order
 * and puts the anchor last). Precision with no predicted positive is 0, as scikit-learn.
 *
 * @param points the anchor, then one point per distinct score, highest score first
 */
public record PrecisionRecallCurve(List<Point> points) {
    /**
     * One point of the curve.
     *
     * @param threshold samples with score {@code >= threshold} are predicted positive
     * @param recall true positives over all positives, in [0, 1]
     * @param precision true positives over predicted positives, in [0, 1]
     */
    public record Point(double threshold, double recall, double precision) {}

    public PrecisionRecallCurve {
        points = List.copyOf(points);
    }

    /**
     * Builds the curve of one class.
     *
     * @param scores one finite score per sample (a probability or a logit: only the order matters)
     * @param positives whether each sample belongs to the class, same length as {@code scores}
     * @return the curve; with no positive sample recall is undefined and the curve holds only the anchor
     * @throws IllegalArgumentException if the lengths differ or a score is NaN or infinite
     */
    public static PrecisionRecallCurve of(float[] scores, boolean[] positives) {
        return of(ScoreRanking.of(scores, positives));
    }

    static PrecisionRecallCurve of(ScoreRanking r) {
        List<Point> points = new ArrayList<>(r.size() + 1);
        points.add(new Point(Double.POSITIVE_INFINITY, 0, 1));
        if (r.positives == 0) {
            return new PrecisionRecallCurve(points);
        }
        for (int j = 0; j < r.size(); j++) {
            long predicted = r.truePositives[j] + r.falsePositives[j];
            points.add(new Point(r.thresholds[j], (double) r.truePositives[j] / r.positives,
                    (double) r.truePositives[j] / predicted));
        }
        return new PrecisionRecallCurve(points);
    }

    /**
     * Average precision: the step-wise area {@code sum_n (R_n - R_{n-1}) P_n} over the points, exactly as
     * scikit-learn's {@code average_precision_score} (no interpolation).
     *
     * @return AP in [0, 1], or {@code NaN} when the class has no positive sample: the caller reports it as
     *     n/a and leaves it out of means
     */
    public double averagePrecision() {
        if (points.size() == 1) {
            return Double.NaN;
        }
        double ap = 0;
        for (int n = 1; n < points.size(); n++) {
            ap += (points.get(n).recall() - points.get(n - 1).recall()) * points.get(n).precision();
        }
        return ap;
    }
}
