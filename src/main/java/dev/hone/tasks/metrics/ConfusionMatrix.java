package dev.hone.tasks.metrics;

/**
 * Counts of one binary decision (or one class of a multi-label one) at a threshold, and the metrics read
 * from them: accuracy, precision, recall and F1.
 *
 * <p>A sample is predicted positive when its score is {@code >= threshold}, the rule the curves use. A ratio
 * whose denominator is zero is 0, as scikit-learn's {@code zero_division=0}: precision with no predicted
 * positive, recall with no positive, and F1 when precision + recall = 0. F1 is computed as
 * {@code 2 TP / (2 TP + FP + FN)}, equal to the harmonic mean of precision and recall wherever that is defined.
 *
 * @param truePositives positives predicted positive
 * @param falsePositives negatives predicted positive
 * @param falseNegatives positives predicted negative
 * @param trueNegatives negatives predicted negative
 */
public record ConfusionMatrix(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {
    public ConfusionMatrix {
        if (truePositives < 0 || falsePositives < 0 || falseNegatives < 0 || trueNegatives < 0) {
            throw new IllegalArgumentException("confusion counts must be >= 0, got tp " + truePositives + ", fp "
                    + falsePositives + ", fn " + falseNegatives + ", tn " + trueNegatives);
        }
    }

    /**
     * Counts the decisions {@code score >= threshold} against the truth.
     *
     * @param scores one finite score per sample, e.g. a sigmoid probability in [0, 1]
     * @param positives whether each sample is positive, same length
     * @param threshold the decision threshold, in the units of the scores
     * @throws IllegalArgumentException if the lengths differ, a score is not finite, or the threshold is NaN
     */
    public static ConfusionMatrix at(float[] scores, boolean[] positives, double threshold) {
        Checks.scores(scores, positives);
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold is NaN; pass a number, e.g. 0.5");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean predicted = scores[i] >= threshold;
            if (predicted && positives[i]) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (positives[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        return new ConfusionMatrix(tp, fp, fn, tn);
    }

    /** Adds the counts of two matrices, as micro averaging does. */
    public ConfusionMatrix plus(ConfusionMatrix other) {
        return new ConfusionMatrix(truePositives + other.truePositives, falsePositives + other.falsePositives,
                falseNegatives + other.falseNegatives, trueNegatives + other.trueNegatives);
    }

    public long total() {
        return truePositives + falsePositives + falseNegatives + trueNegatives;
    }

    /** Number of positive samples (scikit-learn's support). */
    public long support() {
        return truePositives + falseNegatives;
    }

    /** Correct decisions over all samples; 0 with no sample. */
    public double accuracy() {
        return ratio(truePositives + trueNegatives, total());
    }

    /** TP / (TP + FP); 0 with no predicted positive. */
    public double precision() {
        return ratio(truePositives, truePositives + falsePositives);
    }

    /** TP / (TP + FN); 0 with no positive. */
    public double recall() {
        return ratio(truePositives, truePositives + falseNegatives);
    }

    /** 2 TP / (2 TP + FP + FN); 0 when precision + recall = 0 or nothing is positive in truth or prediction. */
    public double f1() {
        return ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
    }

    private static double ratio(long num, long den) {
        return den == 0 ? 0 : (double) num / den;
    }
}
