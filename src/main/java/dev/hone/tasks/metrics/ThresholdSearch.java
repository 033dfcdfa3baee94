package dev.hone.tasks.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Learns per-class decision thresholds on validation scores for a {@link ThresholdTarget}.
 *
 * <p>Candidates are every threshold that changes a decision: the midpoint between each pair of adjacent
 * distinct scores (so a learned threshold sits as far as possible from the validation scores on either side),
 * plus the two extremes: the smallest score (everything predicted positive) and the next double above the
 * largest (nothing predicted positive). Each candidate is scored exactly, with ties grouped, in
 * O(N log N). The best candidate for the target wins: highest F1; or highest recall with precision
 * {@code >=} the floor, then highest precision; or highest precision with recall {@code >=} the floor, then
 * highest recall. Candidates equal on those keys (within 1e-12) are broken toward the one closest to 0.5,
 * the threshold of a calibrated sigmoid, and then toward the lower one.
 *
 * <p>A class with no positive in validation keeps {@link #DEFAULT_THRESHOLD} and says so; a precision floor
 * that no candidate reaches falls back to the candidate with the highest precision and says so.
 */
public final class ThresholdSearch {
    /** The threshold of an untuned sigmoid classifier, kept where nothing can be learned. */
    public static final double DEFAULT_THRESHOLD = 0.5;
    private static final double TIE = 1e-12;

    private ThresholdSearch() {}

    /**
     * Learns the threshold of one class.
     *
     * @param scores one finite validation score per sample, e.g. a sigmoid probability
     * @param positives whether each sample is positive, same length
     * @param target what to optimise
     * @throws IllegalArgumentException if the lengths differ or a score is not finite
     */
    public static LearnedThreshold learn(float[] scores, boolean[] positives, ThresholdTarget target) {
        ScoreRanking r = ScoreRanking.of(scores, positives);
        if (r.positives == 0) {
            return new LearnedThreshold(DEFAULT_THRESHOLD, ConfusionMatrix.at(scores, positives, DEFAULT_THRESHOLD),
                    LearnedThreshold.Outcome.NO_POSITIVE, String.format(Locale.ROOT,
                            "no positive among %d validation samples: kept the default %.1f", scores.length,
                            DEFAULT_THRESHOLD));
        }
        int m = r.size();
        boolean feasibleSeen = false;
        double bestThreshold = Double.NaN;
        long bestTp = 0;
        long bestFp = 0;
        double[] bestKey = null;
        // candidate m is "nothing positive"; candidate j < m predicts score >= thresholds[j]
        for (int j = 0; j <= m; j++) {
            long tp = j < m ? r.truePositives[j] : 0;
            long fp = j < m ? r.falsePositives[j] : 0;
            double t = j == m ? Math.nextUp(r.thresholds[0])
                    : j == m - 1 ? r.thresholds[j] : (r.thresholds[j] + r.thresholds[j + 1]) / 2;
            ConfusionMatrix c = new ConfusionMatrix(tp, fp, r.positives - tp, r.negatives - fp);
            boolean feasible = feasible(target, c);
            if (feasibleSeen && !feasible) {
                continue;
            }
            double[] key = key(target, c, feasible);
            if (bestKey == null || (feasible && !feasibleSeen) || better(key, t, bestKey, bestThreshold)) {
                feasibleSeen |= feasible;
                bestKey = key;
                bestThreshold = t;
                bestTp = tp;
                bestFp = fp;
            }
        }
        ConfusionMatrix c = new ConfusionMatrix(bestTp, bestFp, r.positives - bestTp, r.negatives - bestFp);
        String at = String.format(Locale.ROOT, "F1 %.3f (precision %.3f, recall %.3f) at %.4f on %d validation "
                + "samples, %d positive", c.f1(), c.precision(), c.recall(), bestThreshold, scores.length, r.positives);
        return feasibleSeen
                ? new LearnedThreshold(bestThreshold, c, LearnedThreshold.Outcome.LEARNED, target + ": " + at)
                : new LearnedThreshold(bestThreshold, c, LearnedThreshold.Outcome.FLOOR_UNREACHABLE,
                        target + " is not reached on validation; the highest precision is used: " + at);
    }

    /**
     * Learns one threshold per class of an N x K multi-label problem.
     *
     * @param scores N rows of K finite validation scores
     * @param truth N rows of K labels
     * @param target what to optimise, the same for every class
     * @return K learned thresholds, in class order
     * @throws IllegalArgumentException if the shapes differ, rows are ragged, or a score is not finite
     */
    public static List<LearnedThreshold> learnPerClass(float[][] scores, boolean[][] truth, ThresholdTarget target) {
        return perClass(scores, truth, target, ThresholdSearch::learn);
    }

    /** One class's threshold from its scores, labels and target: {@link #learn} or {@link #learnToKeep}. */
    private interface OneClass {
        LearnedThreshold of(float[] scores, boolean[] positives, ThresholdTarget target);
    }

    private static List<LearnedThreshold> perClass(float[][] scores, boolean[][] truth, ThresholdTarget target, OneClass learner) {
        int k = Checks.matrix(scores, truth);
        List<LearnedThreshold> out = new ArrayList<>(k);
        for (int c = 0; c < k; c++) {
            out.add(learner.of(Checks.column(scores, c), Checks.column(truth, c), target));
        }
        return out;
    }

    /**
     * The fewest validation positives a deployed threshold is learned from (hone's rule): with fewer, the threshold that
     * maximises the target on validation sits wherever those few scores happen to fall.
     */
    public static final int MIN_POSITIVES = 5;

    /**
     * {@link #learn}, for a threshold the model keeps: with fewer than {@link #MIN_POSITIVES} validation positives, the
     * default {@value #DEFAULT_THRESHOLD} and the reason.
     *
     * @throws IllegalArgumentException as {@link #learn}
     */
    public static LearnedThreshold learnToKeep(float[] scores, boolean[] positives, ThresholdTarget target) {
        LearnedThreshold learned = learn(scores, positives, target);
        long count = 0;
        for (boolean p : positives) {
            count += p ? 1 : 0;
        }
        if (count == 0 || count >= MIN_POSITIVES) {
            return learned;
        }
        return new LearnedThreshold(DEFAULT_THRESHOLD, ConfusionMatrix.at(scores, positives, DEFAULT_THRESHOLD),
                LearnedThreshold.Outcome.TOO_FEW_POSITIVES, String.format(Locale.ROOT, "only %d positive%s among %d validation"
                        + " samples, fewer than the %d a threshold is learned from: kept the default %.1f (the search would have"
                        + " put it at %.4g)", count, count == 1 ? "" : "s", scores.length, MIN_POSITIVES, DEFAULT_THRESHOLD,
                        learned.threshold()));
    }

    /** {@link #learnToKeep} per class of an N x K multi-label problem, as {@link #learnPerClass}. */
    public static List<LearnedThreshold> learnPerClassToKeep(float[][] scores, boolean[][] truth, ThresholdTarget target) {
        return perClass(scores, truth, target, ThresholdSearch::learnToKeep);
    }

    /** The threshold values of {@link #learnPerClass}, ready for {@link MultiLabelMetrics#evaluate}. */
    public static double[] values(List<LearnedThreshold> learned) {
        return learned.stream().mapToDouble(LearnedThreshold::threshold).toArray();
    }

    private static boolean feasible(ThresholdTarget target, ConfusionMatrix c) {
        return switch (target.kind()) {
            case MAX_F1 -> true;
            case PRECISION_AT_LEAST -> c.truePositives() + c.falsePositives() > 0
                    && c.precision() >= target.floor() - TIE;
            case RECALL_AT_LEAST -> c.recall() >= target.floor() - TIE;
        };
    }

    /** Keys compared in order, larger is better. An unreachable precision floor ranks by precision. */
    private static double[] key(ThresholdTarget target, ConfusionMatrix c, boolean feasible) {
        return switch (target.kind()) {
            case MAX_F1 -> new double[] {c.f1()};
            case PRECISION_AT_LEAST -> feasible ? new double[] {c.recall(), c.precision()}
                    : new double[] {c.precision(), c.recall()};
            case RECALL_AT_LEAST -> new double[] {c.precision(), c.recall()};
        };
    }

    private static boolean better(double[] key, double t, double[] bestKey, double bestT) {
        for (int i = 0; i < key.length; i++) {
            if (key[i] > bestKey[i] + TIE) {
                return true;
            }
            if (key[i] < bestKey[i] - TIE) {
                return false;
            }
        }
        double d = Math.abs(t - DEFAULT_THRESHOLD);
        double bestD = Math.abs(bestT - DEFAULT_THRESHOLD);
        return d < bestD || (d == bestD && t < bestT);
    }
}
