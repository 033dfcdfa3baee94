package dev.hone.metalearn.imbalance;

import dev.hone.data.ImageSet;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.SigmoidLoss;
import dev.hone.tasks.Task;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * Chooses how a sigmoid task (binary, multi-label) handles class imbalance: plain binary
 * cross-entropy ({@code none}), positive weights from the class counts ({@code positive-weight}), or
 * the focal loss ({@code focal}), by short trials scored on validation.
 *
 * <p>The candidates. {@code positive-weight} multiplies each output's positive term by N/P from the
 * training split's counts ({@link PositiveCounts}, PyTorch's {@code BCEWithLogitsLoss(pos_weight)}
 * rule, clipped to 50). {@code focal} is Lin et al. 2017, "Focal Loss for Dense Object Detection"
 * (arXiv:1708.02002), with the paper's gamma = 2 and no alpha: the paper's alpha = 0.25 down-weights
 * the positives to offset what gamma does to easy negatives in dense detection, where anchors are
 * about 1:1000 positive, and is tuned jointly with gamma; weighting the classes is the other
 * candidate here, so focal is tried as the modulation alone.
 *
 * <p>The trials ({@link ImbalanceTrials}) train the three from the same initialization and seed, with
 * the same batches, for the same steps, and score each on the same validation images with the task's
 * metric (ROC-AUC, mAP). A challenger replaces {@code none} only when it has the highest score and
 * beats {@code none} on at least {@link #WIN_RATE} of {@link #RESAMPLES} paired bootstrap resamples
 * of those images ({@link PairedBootstrap}); otherwise the difference is within what the choice of
 * validation images moves, and the plain loss, which changes nothing, is kept.
 *
 * <p>Why the task's metric and not F1: the decision thresholds are learned on validation after
 * training, so F1 at a fixed 0.5 would reward the shift of the logits that positive weights mostly
 * cause, a shift the learned threshold undoes. ROC-AUC, mAP and F1 at the best threshold are all
 * blind to such a per-class monotone shift; they differ in noise, and F1 at the best threshold is
 * both fitted and scored on the same images and rests on the few positives near the threshold, so
 * it is recorded beside the score, not used to choose. The same metric is what every other learner
 * maximises.
 *
 * <p>When there is no data or time for trials, a rule stands ({@link #rule}): {@code none} when the
 * most imbalanced class has at least {@link #RULE_SHARE} positives and as many negatives, else {@code positive-weight}. 1:9 is the
 * usual line below which imbalance is called severe; weighting rather than focal, because its
 * factor follows from the counts alone, while focal's gain was shown for dense detection and needs
 * its alpha tuned with it. The rule is a convention, not a measurement, so its decision says
 * DEFAULT.
 */
public final class ImbalanceLearner {
    public static final String NAME = "imbalance";
    public static final String NONE = "none";
    public static final String POSITIVE_WEIGHT = "positive-weight";
    public static final String FOCAL = "focal";
    /** The candidates, in the order they are tried and ties are broken (toward the first). */
    public static final List<String> NAMES = List.of(NONE, POSITIVE_WEIGHT, FOCAL);
    /** Lin et al. 2017's focusing parameter: the value their experiments settled on (there with alpha 0.25). */
    public static final float FOCAL_GAMMA = 2f;
    /** The rule's line: below this share of positives (or negatives) in the most imbalanced class, weight the positives. */
    public static final double RULE_SHARE = 0.10;
    /** Share of bootstrap resamples on which a challenger must beat {@code none} to replace it. */
    public static final double WIN_RATE = 0.9;
    public static final int RESAMPLES = 200;
    /** Fewer validation positives than this and one image moves the score by several points: no trials. */
    public static final int MIN_VALIDATION_POSITIVES = 10;
    /** Validation images the trials are judged on, at most. */
    public static final int VALIDATION_IMAGES = 2000;
    /** Training images per trial, at most, and the steps a trial aims for and needs at least. */
    static final int MAX_TRIAL_IMAGES = 2048;
    static final int TRIAL_STEPS = 60;
    public static final int MIN_TRIAL_STEPS = 20;
    static final int MAX_TRIAL_EPOCHS = 10;
    /** With a budget, the trials may take this share of the time left for training. */
    public static final double BUDGET_SHARE = 0.10;
    /** The trials train on at most this share of the images the final training will see. */
    public static final double FINAL_SHARE = 0.25;

    private ImbalanceLearner() {}

    /**
     * The loss of one candidate.
     *
     * @param handling one of {@link #NAMES}
     * @throws IllegalArgumentException for another name
     */
    public static SigmoidLoss loss(String handling, PositiveCounts counts) {
        return switch (handling) {
            case NONE -> SigmoidLoss.plain();
            case POSITIVE_WEIGHT -> new SigmoidLoss(counts.weights(), 0);
            case FOCAL -> new SigmoidLoss(null, FOCAL_GAMMA);
            default -> throw new IllegalArgumentException("unknown imbalance handling '" + handling + "'; use one of " + NAMES);
        };
    }

    /**
     * {@code task} training with {@code loss} instead of its own.
     *
     * @throws IllegalArgumentException for a task that is not binary or multi-label
     */
    public static Task withLoss(Task task, SigmoidLoss loss) {
        if (task instanceof Binary b) {
            return new Binary(b.positive(), loss);
        }
        if (task instanceof MultiLabel) {
            return new MultiLabel(loss);
        }
        throw new IllegalArgumentException("class-imbalance handling applies to sigmoid tasks (binary, multi-label), not " + task);
    }

    /** How long each trial trains: images of the training split, epochs over them, optimizer steps in all. */
    public record TrialSize(int images, int epochs, int steps) {
        /** The size of {@code epochs} passes over {@code images} in batches of {@code batchSize} (the last partial one dropped). */
        public static TrialSize of(int images, int batchSize, int epochs) {
            return new TrialSize(images, epochs, epochs * Math.max(1, images / Math.max(1, Math.min(batchSize, images))));
        }
    }

    /**
     * The trials' size: about {@value #TRIAL_STEPS} steps each (fewer when {@code allowedImages} binds) over
     * at most {@value #MAX_TRIAL_IMAGES} training images, in whole epochs (at most {@value #MAX_TRIAL_EPOCHS}):
     * the subset is trimmed to whole batches so that its epochs add up to the steps; empty when fewer
     * than {@value #MIN_TRIAL_STEPS} steps per trial fit.
     *
     * @param batchSize images per step
     * @param allowedImages training images all three trials together may use (+∞ for no limit)
     */
    public static Optional<TrialSize> trialSize(int trainImages, int batchSize, double allowedImages) {
        int images = Math.min(trainImages, MAX_TRIAL_IMAGES);
        int batch = Math.max(1, Math.min(batchSize, images));
        int perEpoch = Math.max(1, images / batch);
        int wanted = (int) Math.min(TRIAL_STEPS, Math.floor(allowedImages / NAMES.size() / batch));
        int epochs = Math.min(MAX_TRIAL_EPOCHS, Math.max(1, (wanted + perEpoch - 1) / perEpoch));
        int used = Math.min(perEpoch, wanted / epochs);
        if (epochs * used < MIN_TRIAL_STEPS) {
            return Optional.empty();
        }
        return Optional.of(new TrialSize(used < perEpoch ? used * batch : images, epochs, epochs * used));
    }

    /**
     * Runs the three trials and decides.
     *
     * @param setup the run's model, optimizer, learning rate, batch and seed; its {@code epochs} are the trials'
     *     and its task (binary or multi-label) gets each candidate's loss in turn
     * @param train the images the trials train on (a subset of the training split)
     * @param validation the images they are judged on
     * @param counts the whole training split's positives, which the weights come from
     */
    public static Decision<String> learn(TrialRunner.Setup setup, ImageSet train, ImageSet validation, PositiveCounts counts) {
        long start = System.nanoTime();
        Map<String, LossTrials.Trial> trials = ImbalanceTrials.run(setup, train, validation, counts);
        return ImbalanceTrials.decide(withLoss(setup.task(), SigmoidLoss.plain()), trials, counts,
                TrialSize.of(train.size(), setup.batchSize(), setup.epochs()), setup.seed(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * The winner: the highest finite score (ties to the earlier in {@link #NAMES}); a challenger only
     * when it beat {@code none} on at least {@link #WIN_RATE} of the resamples (or {@code none} has
     * no score to compare with); null when no candidate has a finite score.
     *
     * @param scores candidate to validation score, higher is better (NaN or infinite for a trial that failed)
     * @param winRates challenger to the share of bootstrap resamples on which it beat {@code none}
     */
    public static String choose(Map<String, Double> scores, Map<String, Double> winRates) {
        return LossTrials.choose(NAMES, scores, winRates, WIN_RATE);
    }

    /**
     * The rule: {@code none} when the most imbalanced class's minority side, positives or negatives, is at least
     * {@link #RULE_SHARE} of the images (or no class has a positive), else weights (N/P, below 1 where positives abound).
     */
    public static String rule(PositiveCounts counts) {
        double share = counts.rarestShare();
        return Double.isNaN(share) || share >= RULE_SHARE ? NONE : POSITIVE_WEIGHT;
    }

    /** The rule's decision when the trials cannot run; {@code why} says why and is recorded. */
    public static Decision<String> fallback(String why, PositiveCounts counts) {
        String value = rule(counts);
        double share = counts.rarestShare();
        String reason = Double.isNaN(share) ? "no class has a positive in the training split, so nothing to weight"
                : String.format(java.util.Locale.ROOT, "%s '%s', has %.1f%% %s (%d of %d), %s %.0f%%",
                        counts.rarestIsNegative() ? "the most imbalanced class," : "the rarest class,", counts.rarestName(),
                        100 * share, counts.rarestIsNegative() ? "negatives" : "positives", (int) Math.round(share * counts.images()),
                        counts.images(), value.equals(NONE) ? "at least" : "under", 100 * RULE_SHARE);
        Map<String, Object> evidence = countsEvidence(counts);
        evidence.put("rarestShare", Double.isNaN(share) ? "none" : (Object) share);
        evidence.put("ruleShare", RULE_SHARE);
        return new Decision<>(NAME, value, Origin.DEFAULT, "rule", why + "; so by rule: " + reason + ": " + describe(value, counts),
                evidence, Duration.ZERO);
    }

    /** The decision for a value fixed with {@code --imbalance}, with what it means for these counts. */
    public static Decision<String> user(String value, PositiveCounts counts) {
        loss(value, counts); // refuses an unknown name
        return new Decision<>(NAME, value, Origin.USER, "flag", "fixed by the user with --imbalance: " + describe(value, counts),
                countsEvidence(counts), Duration.ZERO);
    }

    /** What a candidate does, in words, for rationales. */
    public static String describe(String handling, PositiveCounts counts) {
        return switch (handling) {
            case NONE -> "plain binary cross-entropy on logits";
            case POSITIVE_WEIGHT -> "positive terms weighted by N/P of the training split (PyTorch's BCEWithLogitsLoss pos_weight"
                    + " rule), clipped to " + (int) PositiveCounts.MAX_WEIGHT + ": " + weightRange(counts);
            case FOCAL -> String.format(java.util.Locale.ROOT, "focal loss, gamma %.0f, no alpha (Lin et al. 2017, arXiv:1708.02002)",
                    FOCAL_GAMMA);
            default -> throw new IllegalArgumentException("unknown imbalance handling '" + handling + "'; use one of " + NAMES);
        };
    }

    /** Training images, positives and weights by class, for evidence. */
    static Map<String, Object> countsEvidence(PositiveCounts counts) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("trainImages", counts.images());
        e.put("positives", counts.byName());
        e.put("positiveWeights", counts.weightsByName());
        e.put("maxWeight", (double) PositiveCounts.MAX_WEIGHT);
        e.put("focalGamma", (double) FOCAL_GAMMA);
        return e;
    }

    private static String weightRange(PositiveCounts counts) {
        float[] w = counts.weights();
        int lo = IntStream.range(0, w.length).reduce((a, b) -> w[b] < w[a] ? b : a).orElseThrow();
        int hi = IntStream.range(0, w.length).reduce((a, b) -> w[b] > w[a] ? b : a).orElseThrow();
        String name = counts.names().get(hi);
        return w.length == 1 || lo == hi ? weight(w[hi]) + " for '" + name + "'"
                : "from " + weight(w[lo]) + " ('" + counts.names().get(lo) + "') to " + weight(w[hi]) + " ('" + name + "')";
    }

    /** Three significant digits, no trailing zeros: 9.1, 0.667, 50. */
    private static String weight(float w) {
        return new java.math.BigDecimal(w).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
