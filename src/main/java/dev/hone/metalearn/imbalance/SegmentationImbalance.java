package dev.hone.metalearn.imbalance;

import dev.hone.data.ImageSet;
import dev.hone.metalearn.imbalance.ImbalanceLearner.TrialSize;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.PixelCrossEntropy;
import dev.hone.tasks.Segmentation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses how semantic segmentation's loss handles class imbalance: plain per-pixel cross-entropy
 * ({@code none}), cross-entropy with median-frequency class weights ({@code class-weight},
 * {@link PixelCounts}), or cross-entropy plus the soft Dice loss ({@code dice}, Milletari et al. 2016,
 * arXiv:1606.04797), by the same short trials as {@link ImbalanceLearner}: the three train from the
 * same initialization and batches for the same steps, are scored on the same validation images by mIoU,
 * and a challenger replaces {@code none} only when it has the highest mIoU and beats {@code none} on
 * at least {@link ImbalanceLearner#WIN_RATE} of the paired bootstrap resamples of those images.
 *
 * <p>Without data or time for trials, the rule is {@code none}: plain cross-entropy is PyTorch's and
 * mmsegmentation's default, and the weights and the Dice term are known to help some data sets and
 * hurt others (weights trade background precision for rare-class recall), so only a trial should
 * switch to them. The rule is a convention, so its decision says DEFAULT.
 */
public final class SegmentationImbalance {
    public static final String CLASS_WEIGHT = "class-weight";
    public static final String DICE = "dice";
    /** The candidates, in the order they are tried and ties are broken (toward the first). */
    public static final List<String> NAMES = List.of(ImbalanceLearner.NONE, CLASS_WEIGHT, DICE);

    private SegmentationImbalance() {}

    /**
     * The loss of one candidate.
     *
     * @throws IllegalArgumentException for another name
     */
    public static PixelCrossEntropy loss(String handling, PixelCounts counts) {
        return switch (handling) {
            case ImbalanceLearner.NONE -> PixelCrossEntropy.plain();
            case CLASS_WEIGHT -> new PixelCrossEntropy(counts.weights(), 0);
            case DICE -> new PixelCrossEntropy(null, 1);
            default -> throw new IllegalArgumentException("unknown segmentation imbalance handling '" + handling + "'; use one of "
                    + NAMES);
        };
    }

    /** What a candidate does, in words, for rationales. */
    public static String describe(String handling) {
        return switch (handling) {
            case ImbalanceLearner.NONE -> "plain per-pixel cross-entropy";
            case CLASS_WEIGHT -> "cross-entropy with median-frequency class weights (Eigen and Fergus 2015), clipped to [0.1, 10]";
            case DICE -> "cross-entropy plus the soft Dice loss (Milletari et al. 2016), weight 1";
            default -> throw new IllegalArgumentException("unknown segmentation imbalance handling '" + handling + "'");
        };
    }

    /** Runs the three trials and decides; see the class comment. */
    public static Decision<String> learn(TrialRunner.Setup setup, ImageSet train, ImageSet validation, PixelCounts counts) {
        long start = System.nanoTime();
        Segmentation plain = Segmentation.plain();
        Map<String, dev.hone.tasks.Task> candidates = new LinkedHashMap<>();
        for (String name : NAMES) {
            candidates.put(name, new Segmentation(loss(name, counts)));
        }
        Map<String, LossTrials.Trial> trials = LossTrials.run(setup, train, validation, candidates, plain, "imbalance");
        TrialSize size = TrialSize.of(train.size(), setup.batchSize(), setup.epochs());
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        trials.forEach((name, t) -> {
            scores.put(name, t.usable() ? plain.score(t.predictions()) : Double.NaN);
            seconds.put(name, t.cost().toMillis() / 1000.0);
        });
        Map<String, Double> winRates = LossTrials.winRates(plain, trials, ImbalanceLearner.NONE, ImbalanceLearner.RESAMPLES,
                setup.seed(), "imbalance-bootstrap");
        String chosen = LossTrials.choose(NAMES, scores, winRates, ImbalanceLearner.WIN_RATE);
        Duration cost = Duration.ofNanos(System.nanoTime() - start);
        if (chosen == null) {
            Decision<String> d = fallback("every segmentation loss trial diverged at the run's learning rate", counts);
            return new Decision<>(d.name(), d.value(), d.origin(), d.method(), d.rationale(), d.evidence(), cost);
        }
        StringBuilder all = new StringBuilder();
        scores.forEach((name, s) -> all.append(all.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(Double.isFinite(s) ? String.format(Locale.ROOT, "%.4f", s) : "diverged"));
        String best = scores.entrySet().stream().filter(e -> Double.isFinite(e.getValue()))
                .max((a, b) -> Double.compare(a.getValue(), b.getValue())).map(Map.Entry::getKey).orElseThrow();
        String why = chosen.equals(best) ? chosen + " had the highest validation mIoU"
                + (winRates.containsKey(chosen) ? String.format(Locale.ROOT, " and beat none on %.0f%% of %d paired bootstrap "
                        + "resamples (%.0f%% needed)", 100 * winRates.get(chosen), ImbalanceLearner.RESAMPLES,
                        100 * ImbalanceLearner.WIN_RATE) : "")
                : String.format(Locale.ROOT, "none kept: %s had the highest validation mIoU but beat none on only %.0f%% of %d paired "
                        + "bootstrap resamples (%.0f%% needed), within their noise", best, 100 * winRates.getOrDefault(best, 0.0),
                        ImbalanceLearner.RESAMPLES, 100 * ImbalanceLearner.WIN_RATE);
        Map<String, Object> evidence = counts.evidence();
        evidence.put("metric", "mIoU");
        Map<String, Object> reported = new LinkedHashMap<>();
        scores.forEach((k, v) -> reported.put(k, Double.isFinite(v) ? (Object) v : "n/a"));
        evidence.put("validationScore", reported);
        evidence.put("winRateOverNone", new LinkedHashMap<>(winRates));
        evidence.put("requiredWinRate", ImbalanceLearner.WIN_RATE);
        evidence.put("validationImages", validation.size());
        evidence.put("trialImages", size.images());
        evidence.put("trialSteps", size.steps());
        evidence.put("trialSeconds", seconds);
        return new Decision<>(ImbalanceLearner.NAME, chosen, Origin.LEARNED, "imbalance trials", String.format(Locale.ROOT,
                "%s; mIoU %s; each trained %d steps (%d epochs of %d training images) from the same initialization and batches; "
                + "chosen: %s", why, all, size.steps(), size.epochs(), size.images(), describe(chosen)), evidence, cost);
    }

    /** The rule's decision when the trials cannot run; {@code why} says why. */
    public static Decision<String> fallback(String why, PixelCounts counts) {
        int rarest = counts.rarest();
        String rare = rarest < 0 ? "no class has a counted pixel" : String.format(Locale.ROOT, "the rarest class, '%s', covers "
                + "%.2f%% of the training pixels", counts.names().get(rarest), 100 * counts.share(rarest));
        return new Decision<>(ImbalanceLearner.NAME, ImbalanceLearner.NONE, Origin.DEFAULT, "rule", why + "; so by rule: "
                + describe(ImbalanceLearner.NONE) + " (PyTorch's and mmsegmentation's default; only a trial switches to class "
                + "weights or Dice, which help some data and hurt others); " + rare, counts.evidence(), Duration.ZERO);
    }

    /** The decision for a value fixed with {@code --imbalance}. */
    public static Decision<String> user(String value, PixelCounts counts) {
        loss(value, counts);
        return new Decision<>(ImbalanceLearner.NAME, value, Origin.USER, "flag", "fixed by the user with --imbalance: "
                + describe(value), counts.evidence(), Duration.ZERO);
    }
}
