package dev.hone.tasks.metrics;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.hone.record.NonFiniteAsNull;
import java.util.ArrayList;
import java.util.List;

/**
 * Equal-width confidence bins of a binary classifier's probabilities, and the expected calibration error
 * (ECE) read from them, as Guo et al., "On Calibration of Modern Neural Networks" (2017, arXiv:1706.04599).
 *
 * <p>ECE = {@code sum_m |B_m| / n * |accuracy(B_m) - confidence(B_m)|} over M bins of width 1/M. Two views
 * of a sigmoid output exist, and they give different numbers, so each has its own factory:
 * <ul>
 *   <li>{@link #positiveClass}: confidence is the probability of the positive class and "accuracy" is the
 *       fraction of positives in the bin: the reliability curve of scikit-learn's {@code calibration_curve}
 *       and torchmetrics' {@code BinaryCalibrationError}. Bins span [0, 1].
 *   <li>{@link #predictedClass}: confidence is {@code max(p, 1 - p)}, the probability of the predicted
 *       class ({@code p >= 0.5} predicts positive), and accuracy is whether that prediction is right: Guo's
 *       top-label definition applied to two classes. Only bins above 0.5 fill.
 * </ul>
 * Bins are closed on the left and open on the right, the last one closed at 1, as scikit-learn's
 * {@code calibration_curve} (Guo writes them closed on the right; they differ only for a probability exactly
 * on an edge). Edge {@code k} is {@code k * (1.0 / M)}, as numpy's {@code linspace}.
 *
 * @param bins the M bins in increasing order, empty ones included
 * @param samples the number of probabilities binned
 */
public record ReliabilityDiagram(List<Bin> bins, long samples) {
    /** Guo et al.'s choice of bin count. */
    public static final int DEFAULT_BINS = 15;

    /**
     * One bin.
     *
     * @param lower the lower edge, inclusive
     * @param upper the upper edge, exclusive except for the last bin
     * @param count the samples in the bin
     * @param meanConfidence their mean confidence; NaN when the bin is empty (JSON {@code null})
     * @param accuracy their fraction correct (positive-class view: fraction positive); NaN when empty (JSON {@code null})
     */
    public record Bin(double lower, double upper, long count,
            @JsonSerialize(using = NonFiniteAsNull.class) double meanConfidence,
            @JsonSerialize(using = NonFiniteAsNull.class) double accuracy) {}

    public ReliabilityDiagram {
        bins = List.copyOf(bins);
    }

    /**
     * Bins by the probability of the positive class.
     *
     * @param probabilities one sigmoid probability per sample, in [0, 1]
     * @param positives whether each sample is positive, same length
     * @param binCount M {@literal >=} 1; {@link #DEFAULT_BINS} as Guo et al.
     * @throws IllegalArgumentException if the lengths differ, a probability is outside [0, 1] or NaN, or M {@literal <} 1
     */
    public static ReliabilityDiagram positiveClass(float[] probabilities, boolean[] positives, int binCount) {
        return build(probabilities, positives, binCount, false);
    }

    /**
     * Bins by the probability of the predicted class, {@code max(p, 1 - p)}.
     *
     * @param probabilities one sigmoid probability per sample, in [0, 1]; {@code p >= 0.5} predicts positive
     * @param positives whether each sample is positive, same length
     * @param binCount M {@literal >=} 1; {@link #DEFAULT_BINS} as Guo et al.
     * @throws IllegalArgumentException as {@link #positiveClass}
     */
    public static ReliabilityDiagram predictedClass(float[] probabilities, boolean[] positives, int binCount) {
        return build(probabilities, positives, binCount, true);
    }

    private static ReliabilityDiagram build(float[] p, boolean[] y, int m, boolean predicted) {
        Checks.scores(p, y);
        Checks.probabilities(p);
        if (m < 1) {
            throw new IllegalArgumentException("bin count is " + m + "; use at least 1, e.g. "
                    + DEFAULT_BINS + " as Guo et al.");
        }
        double width = 1.0 / m;
        long[] count = new long[m];
        double[] confidence = new double[m];
        long[] correct = new long[m];
        for (int i = 0; i < p.length; i++) {
            double conf = predicted ? Math.max(p[i], 1.0 - p[i]) : p[i];
            boolean hit = predicted ? (p[i] >= 0.5) == y[i] : y[i];
            int b = Math.min((int) (conf * m), m - 1);
            while (b < m - 1 && conf >= (b + 1) * width) {
                b++;
            }
            while (b > 0 && conf < b * width) {
                b--;
            }
            count[b]++;
            confidence[b] += conf;
            correct[b] += hit ? 1 : 0;
        }
        List<Bin> bins = new ArrayList<>(m);
        for (int b = 0; b < m; b++) {
            double upper = b == m - 1 ? 1.0 : (b + 1) * width;
            bins.add(count[b] == 0 ? new Bin(b * width, upper, 0, Double.NaN, Double.NaN)
                    : new Bin(b * width, upper, count[b], confidence[b] / count[b], (double) correct[b] / count[b]));
        }
        return new ReliabilityDiagram(bins, p.length);
    }

    /** ECE in [0, 1]: the gap between accuracy and confidence, averaged over samples; NaN with no sample. */
    public double expectedCalibrationError() {
        if (samples == 0) {
            return Double.NaN;
        }
        double ece = 0;
        for (Bin b : bins) {
            if (b.count() > 0) {
                ece += (double) b.count() / samples * Math.abs(b.accuracy() - b.meanConfidence());
            }
        }
        return ece;
    }

    /** Maximum calibration error (Guo et al.): the largest gap over non-empty bins; NaN with no sample. */
    public double maximumCalibrationError() {
        return bins.stream().filter(b -> b.count() > 0).mapToDouble(b -> Math.abs(b.accuracy() - b.meanConfidence()))
                .max().orElse(Double.NaN);
    }
}
