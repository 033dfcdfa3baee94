package dev.hone.ssl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two FixMatch settings the paper fixes and hone's SSL learner chooses: mu, the unlabeled images per labeled image
 * in a batch, and tau, the confidence a weak view's prediction needs to become a pseudo-label. Both are closed forms
 * from what is known before FixMatch trains: the data's sizes and the teacher's predictions on the validation images,
 * whose labels are known.
 *
 * <ul>
 *   <li><b>mu</b> = the unlabeled images per labeled one in the data, rounded down, between 1 and {@value #MAX_RATIO}.
 *       The paper's {@value FixMatchTraining#PAPER_RATIO} adds 448 unlabeled images to a batch of 64 labeled ones; hone's
 *       FixMatch step is the plan's batch split into labeled and mu times as many unlabeled images (the paper's batch
 *       of 512 trains 14 times slower than 64 on 2 cores), so a larger mu leaves fewer labeled images a step: 8 of 64 at
 *       mu 7. At most {@value #MAX_RATIO} keeps a quarter of each step labeled. Measured on Fashion-MNIST with 1% of
 *       the labels, 30 minutes on 2 cores (docs/BENCHMARKS.md): mu 3 gave 86.93% and 86.91% on two seeds, mu 7 from the
 *       same teachers 85.59-86.23% (three runs) and 86.09%. Below that, mu follows the data's ratio, so an unlabeled
 *       image is not seen more often than a labeled one.</li>
 *   <li><b>tau</b>: for each of {@link #THRESHOLDS}, the teacher's validation predictions at or above it, and how many of
 *       them are right. tau is the lowest threshold whose pseudo-labels are at least {@link #TARGET_PRECISION} right,
 *       among those with at least {@link #MIN_SUPPORT} predictions to measure it on. The paper's 0.95 on a calibrated
 *       model gives pseudo-labels 95% right; a network trained to fit its labels is overconfident (Guo et al. 2017,
 *       arXiv:1706.04599) and one trained on soft labels underconfident, so hone measures the threshold that gives that
 *       precision instead of assuming it. The paper's ablation (section 5.2, figure 3b) found pseudo-label quality matters
 *       more than their number. When no threshold reaches the target, the one with the most precise pseudo-labels; when
 *       none has the support, the paper's {@link FixMatch#PAPER_THRESHOLD}.</li>
 * </ul>
 * With independent outputs (binary, multi-label) each (image, class) pair is one prediction: its confidence is
 * {@code max(p, 1 - p)}, right when {@code p >= 0.5} matches the label.
 *
 * @param ratio mu, at least 1
 * @param threshold tau, one of {@link #THRESHOLDS} or the paper's 0.95
 * @param calibration one row per candidate threshold: threshold, predictions (count at or above it), share (of all
 *     validation predictions), precision (fraction right; null when none)
 * @param reason why tau is what it is, for the record
 */
public record FixMatchSettings(int ratio, float threshold, List<Map<String, Object>> calibration, String reason) {
    /** The candidate thresholds, lowest first; all above 0.5, so that a multi-label pair is positive or negative, not both. */
    public static final float[] THRESHOLDS = {0.6f, 0.7f, 0.8f, 0.9f, 0.95f, 0.98f, 0.99f};

    /** The fraction of pseudo-labels that must be right on the validation images: the paper's tau read as a precision. */
    public static final double TARGET_PRECISION = 0.95;

    /**
     * The most unlabeled images per labeled one in a FixMatch step: a quarter of the step's images stay labeled (the class
     * comment says why, and what was measured).
     */
    public static final int MAX_RATIO = 3;

    /** The fewest validation predictions at or above a threshold to measure its precision on. */
    public static final int MIN_SUPPORT = 10;

    /** The paper's settings, for a run with no teacher's predictions to choose from. */
    public static FixMatchSettings paper() {
        return new FixMatchSettings(FixMatchTraining.PAPER_RATIO, FixMatch.PAPER_THRESHOLD, List.of(), "the paper's");
    }

    /**
     * mu for {@code labeled} labeled training images and {@code unlabeled} unlabeled ones: their ratio rounded down,
     * between 1 and {@value #MAX_RATIO}.
     *
     * @throws IllegalArgumentException when either count is not positive
     */
    public static int ratio(int labeled, int unlabeled) {
        if (labeled < 1 || unlabeled < 1) {
            throw new IllegalArgumentException("FixMatch needs labeled and unlabeled images: " + labeled + " and " + unlabeled);
        }
        return (int) Math.max(1, Math.min(MAX_RATIO, unlabeled / labeled));
    }

    /**
     * Chooses mu and tau for a single-label task (one softmax).
     *
     * @param probabilities the teacher's softmax probabilities on the validation images, (N, K)
     * @param labels the validation images' classes, (N)
     * @param labeled the labeled training images
     * @param unlabeled the unlabeled images
     * @throws IllegalArgumentException when the shapes disagree, or a count is not positive
     */
    public static FixMatchSettings choose(float[][] probabilities, int[] labels, int labeled, int unlabeled) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException("probabilities for " + probabilities.length + " images, labels for " + labels.length);
        }
        List<double[]> scored = new ArrayList<>(); // (confidence, right)
        for (int i = 0; i < probabilities.length; i++) {
            float[] row = probabilities[i];
            int best = 0;
            for (int k = 1; k < row.length; k++) {
                if (row[k] > row[best]) {
                    best = k;
                }
            }
            scored.add(new double[] {row[best], best == labels[i] ? 1 : 0});
        }
        return choose(scored, labeled, unlabeled);
    }

    /**
     * Chooses mu and tau for independent sigmoid outputs (binary, multi-label): one prediction per (image, class) pair.
     *
     * @param probabilities the teacher's sigmoid probabilities on the validation images, (N, K)
     * @param targets the validation images' 0/1 labels, (N, K)
     * @param labeled the labeled training images
     * @param unlabeled the unlabeled images
     * @throws IllegalArgumentException when the shapes disagree, or a count is not positive
     */
    public static FixMatchSettings chooseIndependent(float[][] probabilities, float[][] targets, int labeled, int unlabeled) {
        if (probabilities.length != targets.length) {
            throw new IllegalArgumentException("probabilities for " + probabilities.length + " images, labels for " + targets.length);
        }
        List<double[]> scored = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i].length != targets[i].length) {
                throw new IllegalArgumentException("image " + i + " has " + probabilities[i].length + " outputs and "
                        + targets[i].length + " labels");
            }
            for (int k = 0; k < probabilities[i].length; k++) {
                float p = probabilities[i][k];
                scored.add(new double[] {Math.max(p, 1 - p), (p >= 0.5f) == (targets[i][k] >= 0.5f) ? 1 : 0});
            }
        }
        return choose(scored, labeled, unlabeled);
    }

    private static FixMatchSettings choose(List<double[]> scored, int labeled, int unlabeled) {
        int mu = ratio(labeled, unlabeled);
        List<Map<String, Object>> rows = new ArrayList<>();
        float lowest = Float.NaN;
        float mostPrecise = Float.NaN;
        double bestPrecision = -1;
        for (float t : THRESHOLDS) {
            int above = 0;
            int right = 0;
            for (double[] s : scored) {
                if (s[0] >= t) {
                    above++;
                    right += (int) s[1];
                }
            }
            Double precision = above == 0 ? null : (double) right / above;
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("threshold", rounded(t));
            row.put("predictions", above);
            row.put("share", scored.isEmpty() ? 0.0 : (double) above / scored.size());
            row.put("precision", precision);
            rows.add(row);
            if (above >= MIN_SUPPORT) {
                if (Float.isNaN(lowest) && precision >= TARGET_PRECISION) {
                    lowest = t;
                }
                if (precision > bestPrecision) {
                    bestPrecision = precision;
                    mostPrecise = t;
                }
            }
        }
        String ratioWhy = String.format(Locale.ROOT, "mu %d: %,d unlabeled images for %,d labeled (%s)", mu, unlabeled, labeled,
                unlabeled / labeled >= MAX_RATIO ? "at most " + MAX_RATIO + ", so that a quarter of each step's images are"
                        + " labeled: a step is the plan's batch, where the paper's 7 adds 448 unlabeled images to 64 labeled"
                        : unlabeled >= labeled ? "their ratio, below " + MAX_RATIO + ", so an unlabeled image is not seen more"
                        + " often than a labeled one"
                        : String.format(Locale.ROOT, "the least: with fewer unlabeled images than labeled ones, each unlabeled"
                        + " image is seen about %.1f times as often as a labeled one", (double) labeled / Math.max(1, unlabeled)));
        if (!Float.isNaN(lowest)) {
            return new FixMatchSettings(mu, lowest, rows, String.format(Locale.ROOT, "%s; tau %.2f, the lowest threshold whose"
                    + " pseudo-labels were at least %.0f%% right on the validation images", ratioWhy, lowest, 100 * TARGET_PRECISION));
        }
        if (!Float.isNaN(mostPrecise)) {
            return new FixMatchSettings(mu, mostPrecise, rows, String.format(Locale.ROOT, "%s; tau %.2f: no threshold's"
                    + " pseudo-labels were %.0f%% right on the validation images, and this one's were the most precise (%.1f%%)",
                    ratioWhy, mostPrecise, 100 * TARGET_PRECISION, 100 * bestPrecision));
        }
        return new FixMatchSettings(mu, FixMatch.PAPER_THRESHOLD, rows, String.format(Locale.ROOT, "%s; tau %.2f, the paper's:"
                + " fewer than %d validation predictions reached any threshold", ratioWhy, FixMatch.PAPER_THRESHOLD, MIN_SUPPORT));
    }

    private static double rounded(float threshold) {
        return Math.round(threshold * 1000) / 1000.0;
    }

    /** These settings for the record: ratio, threshold, the calibration table and the reason. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ratio", ratio);
        m.put("threshold", rounded(threshold));
        m.put("calibration", calibration);
        m.put("reason", reason);
        return m;
    }
}
