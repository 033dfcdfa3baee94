package dev.hone.report;

import dev.hone.record.Json;
import dev.hone.tasks.metrics.PrecisionRecallCurve;
import dev.hone.tasks.metrics.RocCurve;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The test-set curves of a binary or multi-label evaluation, downsampled so that {@code evaluation.json}
 * stays small and the report can draw them again from the file alone.
 *
 * <p>Stored in {@link Evaluation#taskMetrics()} under {@link #KEY}. Each curve is computed exactly
 * ({@link PrecisionRecallCurve}, {@link RocCurve}, as scikit-learn), its area and the operating point read
 * from the full curve, and only then thinned to at most {@link #MAX_POINTS} points (see {@link #downsample}).
 * The operating point is where the learned decision threshold {@code t} puts the model on the test set:
 * images with score {@code >= t} predicted positive. It is the curve's point at the lowest score still
 * {@code >= t}, so it lies on the curve and is kept when thinning. When no test score reaches {@code t}
 * it is the curve's start: recall 0 drawn at precision 1 (the anchor), although the confusion counts
 * report precision 0 there, as scikit-learn's {@code zero_division=0}.
 *
 * @param precisionRecall one curve per class that has a positive test image (binary: the positive class
 *     only), in class order
 * @param roc the ROC curve of a binary task; null for multi-label, or when the test set holds one class only
 */
public record TaskCurves(List<PrecisionRecall> precisionRecall, Roc roc) {
    /** The key in {@link Evaluation#taskMetrics()}. */
    public static final String KEY = "curves";
    /** The most points kept per curve: a 640-pixel chart shows no more. */
    public static final int MAX_POINTS = 200;
    /** Rates are rounded to this many decimals when stored, 1e-4: far below a pixel. */
    private static final double SCALE = 1e4;

    public TaskCurves {
        precisionRecall = precisionRecall == null ? List.of() : List.copyOf(precisionRecall);
    }

    /**
     * The precision-recall curve of one class.
     *
     * @param className the class
     * @param averagePrecision AP of the full curve, in [0, 1] (scikit-learn's {@code average_precision_score})
     * @param threshold the learned decision threshold on the class's score (a probability)
     * @param operatingRecall recall on the test set at {@code threshold}, in [0, 1]
     * @param operatingPrecision precision on the test set at {@code threshold}, in [0, 1]
     * @param recall non-decreasing, from 0 to the full recall 1
     * @param precision at each point, in [0, 1]
     * @param thresholds at each point, strictly decreasing at full precision (float); the first, where
     *     nothing is predicted positive, is the highest score plus 1 (scikit-learn 1.2's convention: later
     *     versions write infinity, which strict JSON cannot hold)
     */
    public record PrecisionRecall(String className, double averagePrecision, double threshold, double operatingRecall,
            double operatingPrecision, double[] recall, double[] precision, float[] thresholds) {
        public PrecisionRecall {
            check(className, recall, precision, thresholds);
        }
    }

    /**
     * The ROC curve of a binary task's positive class.
     *
     * @param className the positive class
     * @param auc ROC-AUC of the full curve, in [0, 1] (scikit-learn's {@code roc_auc_score})
     * @param threshold the learned decision threshold on the positive class's probability
     * @param operatingFalsePositiveRate false-positive rate on the test set at {@code threshold}
     * @param operatingTruePositiveRate true-positive rate (recall) on the test set at {@code threshold}
     * @param falsePositiveRate non-decreasing, from 0 to 1
     * @param truePositiveRate non-decreasing, from 0 to 1
     * @param thresholds at each point, as {@link PrecisionRecall#thresholds()}
     */
    public record Roc(String className, double auc, double threshold, double operatingFalsePositiveRate,
            double operatingTruePositiveRate, double[] falsePositiveRate, double[] truePositiveRate, float[] thresholds) {
        public Roc {
            check(className, falsePositiveRate, truePositiveRate, thresholds);
        }
    }

    /**
     * The curves of a binary task.
     *
     * @param positiveClass the name of the positive class
     * @param scores the positive class's probability per test image
     * @param positives whether each test image is of the positive class
     * @param threshold the learned decision threshold
     * @throws IllegalArgumentException if the lengths differ or a score is not finite
     */
    public static TaskCurves binary(String positiveClass, float[] scores, boolean[] positives, double threshold) {
        PrecisionRecall pr = precisionRecall(positiveClass, scores, positives, threshold);
        RocCurve full = RocCurve.of(scores, positives);
        Roc roc = null;
        if (full.points().size() > 1) {
            List<RocCurve.Point> p = full.points();
            double[] fpr = p.stream().mapToDouble(RocCurve.Point::falsePositiveRate).toArray();
            double[] tpr = p.stream().mapToDouble(RocCurve.Point::truePositiveRate).toArray();
            int at = operatingIndex(p.stream().mapToDouble(RocCurve.Point::threshold).toArray(), threshold);
            int[] kept = downsample(fpr, tpr, MAX_POINTS, at);
            roc = new Roc(positiveClass, full.auc(), threshold, fpr[at], tpr[at], rounded(fpr, kept), rounded(tpr, kept),
                    floats(p.stream().mapToDouble(RocCurve.Point::threshold).toArray(), kept));
        }
        return new TaskCurves(pr == null ? List.of() : List.of(pr), roc);
    }

    /**
     * The precision-recall curves of a multi-label task, one per class with a positive test image.
     *
     * @param classes the class names, K
     * @param scores N rows of K probabilities
     * @param truth N rows of K labels
     * @param thresholds the K learned thresholds
     * @throws IllegalArgumentException if the shapes differ or a score is not finite
     */
    public static TaskCurves multiLabel(List<String> classes, float[][] scores, boolean[][] truth, double[] thresholds) {
        if (classes.size() != thresholds.length) {
            throw new IllegalArgumentException(classes.size() + " classes but " + thresholds.length + " thresholds");
        }
        List<PrecisionRecall> curves = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            float[] column = new float[scores.length];
            boolean[] positives = new boolean[scores.length];
            for (int i = 0; i < scores.length; i++) {
                column[i] = scores[i][k];
                positives[i] = truth[i][k];
            }
            PrecisionRecall pr = precisionRecall(classes.get(k), column, positives, thresholds[k]);
            if (pr != null) {
                curves.add(pr);
            }
        }
        return new TaskCurves(curves, null);
    }

    /**
     * The curves stored in {@code taskMetrics}, as built in memory or as read back from JSON; null when
     * there are none (records written before curves were stored) or they cannot be read.
     */
    public static TaskCurves from(Map<String, Object> taskMetrics) {
        Object value = taskMetrics == null ? null : taskMetrics.get(KEY);
        if (value == null || value instanceof TaskCurves) {
            return (TaskCurves) value;
        }
        try {
            return Json.mapper().convertValue(value, TaskCurves.class);
        } catch (IllegalArgumentException unreadable) {
            return null;
        }
    }

    /**
     * Indices of at most {@code maxPoints} points of a curve, in order, chosen evenly along its length in
     * the (x, y) plane, so that points crowd where the curve turns. The first and last points and the point
     * {@code keep} are always kept; picking a subsequence keeps every monotone coordinate monotone.
     *
     * @param maxPoints at least 3
     * @param keep an index to keep, or -1
     */
    static int[] downsample(double[] x, double[] y, int maxPoints, int keep) {
        int n = x.length;
        if (maxPoints < 3) {
            throw new IllegalArgumentException("keep at least 3 points, not " + maxPoints);
        }
        if (n <= maxPoints) {
            return IntStream.range(0, n).toArray();
        }
        double[] length = new double[n];
        for (int i = 1; i < n; i++) {
            length[i] = length[i - 1] + Math.hypot(x[i] - x[i - 1], y[i] - y[i - 1]);
        }
        boolean[] kept = new boolean[n];
        kept[0] = true;
        kept[n - 1] = true;
        if (keep >= 0 && keep < n) {
            kept[keep] = true;
        }
        int inner = maxPoints - 3;
        int i = 0;
        for (int k = 1; k <= inner; k++) {
            double target = length[n - 1] * k / (inner + 1);
            while (i < n - 1 && length[i] < target) {
                i++;
            }
            kept[i] = true;
        }
        int[] out = new int[n];
        int count = 0;
        for (int j = 0; j < n; j++) {
            if (kept[j]) {
                out[count++] = j;
            }
        }
        return Arrays.copyOf(out, count);
    }

    /** The last point whose threshold is {@code >= t}: the one that predicts exactly the scores {@code >= t}. */
    static int operatingIndex(double[] thresholds, double t) {
        int at = 0;
        while (at + 1 < thresholds.length && thresholds[at + 1] >= t) {
            at++;
        }
        return at;
    }

    private static PrecisionRecall precisionRecall(String name, float[] scores, boolean[] positives, double threshold) {
        PrecisionRecallCurve full = PrecisionRecallCurve.of(scores, positives);
        if (full.points().size() == 1) {
            return null;
        }
        List<PrecisionRecallCurve.Point> p = full.points();
        double[] recall = p.stream().mapToDouble(PrecisionRecallCurve.Point::recall).toArray();
        double[] precision = p.stream().mapToDouble(PrecisionRecallCurve.Point::precision).toArray();
        double[] thresholds = p.stream().mapToDouble(PrecisionRecallCurve.Point::threshold).toArray();
        int at = operatingIndex(thresholds, threshold);
        int[] kept = downsample(recall, precision, MAX_POINTS, at);
        return new PrecisionRecall(name, full.averagePrecision(), threshold, recall[at], precision[at],
                rounded(recall, kept), rounded(precision, kept), floats(thresholds, kept));
    }

    private static double[] rounded(double[] values, int[] kept) {
        double[] out = new double[kept.length];
        for (int j = 0; j < kept.length; j++) {
            out[j] = Math.round(values[kept[j]] * SCALE) / SCALE;
        }
        return out;
    }

    /** The kept thresholds; the anchor's infinity becomes the highest score plus 1, so the file is strict JSON. */
    private static float[] floats(double[] values, int[] kept) {
        float[] out = new float[kept.length];
        for (int j = 0; j < kept.length; j++) {
            double v = values[kept[j]];
            out[j] = (float) (v == Double.POSITIVE_INFINITY && values.length > 1 ? values[1] + 1 : v);
        }
        return out;
    }

    private static void check(String name, double[] x, double[] y, float[] thresholds) {
        if (x == null || y == null || thresholds == null) {
            throw new IllegalArgumentException("curve of '" + name + "' lacks x, y or thresholds");
        }
        if (x.length == 0 || x.length != y.length || x.length != thresholds.length) {
            throw new IllegalArgumentException("curve of '" + name + "' needs as many x, y and thresholds, at least one; got "
                    + x.length + ", " + y.length + " and " + thresholds.length);
        }
    }
}
