package dev.hone.metalearn.imbalance;

import static dev.hone.metalearn.imbalance.ImbalanceLearner.NAMES;
import static dev.hone.metalearn.imbalance.ImbalanceLearner.NONE;

import dev.hone.data.ImageSet;
import dev.hone.metalearn.imbalance.ImbalanceLearner.TrialSize;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.SigmoidLoss;
import dev.hone.tasks.Task;
import dev.hone.tasks.metrics.LearnedThreshold;
import dev.hone.tasks.metrics.ThresholdSearch;
import dev.hone.tasks.metrics.ThresholdTarget;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The imbalance trials and the decision from them: each candidate loss trains the run's network with
 * {@link TrialRunner} (fresh weights from the run's seed, the same batch order, no regularization,
 * warmup-cosine over the trial), and the trained network's validation predictions are scored.
 *
 * <p>Every trial is judged with the task under plain BCE, so its recorded validation loss would be
 * comparable; the score itself (ROC-AUC, mAP) does not depend on the loss.
 */
final class ImbalanceTrials {

    private ImbalanceTrials() {}

    /** Trains each of {@link ImbalanceLearner#NAMES} in turn; see {@link ImbalanceLearner#learn}. */
    static Map<String, LossTrials.Trial> run(TrialRunner.Setup setup, ImageSet train, ImageSet validation, PositiveCounts counts) {
        Task plain = ImbalanceLearner.withLoss(setup.task(), SigmoidLoss.plain());
        Map<String, Task> candidates = new LinkedHashMap<>();
        for (String name : NAMES) {
            candidates.put(name, ImbalanceLearner.withLoss(plain, ImbalanceLearner.loss(name, counts)));
        }
        return LossTrials.run(setup, train, validation, candidates, plain, "imbalance");
    }

    /**
     * The {@code imbalance} decision from finished trials.
     *
     * @param task the run's task (its loss does not matter: only its score is used)
     * @param seed the run's seed, from which the bootstrap's is split
     */
    static Decision<String> decide(Task task, Map<String, LossTrials.Trial> trials, PositiveCounts counts, TrialSize size, long seed,
            Duration cost) {
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, Double> f1 = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        trials.forEach((name, t) -> {
            scores.put(name, t.usable() ? task.score(t.predictions()) : Double.NaN);
            f1.put(name, t.usable() ? bestThresholdF1(task, t.predictions()) : Double.NaN);
            seconds.put(name, t.cost().toMillis() / 1000.0);
        });
        Map<String, Double> winRates = LossTrials.winRates(task, trials, NONE, ImbalanceLearner.RESAMPLES, seed,
                "imbalance-bootstrap");
        String chosen = ImbalanceLearner.choose(scores, winRates);
        if (chosen == null) {
            Decision<String> d = ImbalanceLearner.fallback("every imbalance trial diverged at the run's learning rate", counts);
            return new Decision<>(d.name(), d.value(), d.origin(), d.method(), d.rationale(), d.evidence(), cost);
        }
        String metric = task.validationMetric();
        int images = trials.values().stream().filter(LossTrials.Trial::usable).findFirst().map(t -> t.predictions().labels().length).orElse(0);
        String best = scores.entrySet().stream().filter(e -> Double.isFinite(e.getValue()))
                .max((a, b) -> Double.compare(a.getValue(), b.getValue())).map(Map.Entry::getKey).orElseThrow();
        String why;
        if (!chosen.equals(best)) {
            why = String.format(Locale.ROOT, "none kept: %s had the highest validation %s, %s against none's %s, but beat none on "
                    + "only %.0f%% of %d paired bootstrap resamples of the %d validation images (%.0f%% needed), within their noise",
                    best, metric, fmt(scores.get(best)), fmt(scores.get(NONE)), 100 * winRates.getOrDefault(best, 0.0),
                    ImbalanceLearner.RESAMPLES, images, 100 * ImbalanceLearner.WIN_RATE);
        } else if (!winRates.containsKey(chosen) && !chosen.equals(NONE)) {
            why = String.format(Locale.ROOT, "%s had the highest validation %s, %s; none's trial diverged, so nothing to weigh it "
                    + "against", chosen, metric, fmt(scores.get(chosen)));
        } else if (chosen.equals(NONE)) {
            why = String.format(Locale.ROOT, "none had the highest validation %s, %s", metric, fmt(scores.get(NONE)));
        } else {
            why = String.format(Locale.ROOT, "%s had the highest validation %s, %s against none's %s, and beat none on %.0f%% of %d "
                    + "paired bootstrap resamples of the %d validation images (%.0f%% needed)", chosen, metric, fmt(scores.get(chosen)),
                    fmt(scores.get(NONE)), 100 * winRates.get(chosen), ImbalanceLearner.RESAMPLES, images,
                    100 * ImbalanceLearner.WIN_RATE);
        }
        StringBuilder all = new StringBuilder();
        scores.forEach((name, s) -> all.append(all.length() == 0 ? "" : ", ").append(name).append(' ')
                .append(Double.isFinite(s) ? fmt(s) : "diverged"));
        String rationale = String.format(Locale.ROOT, "%s; scores %s; each trained %d steps (%d epochs of %d training images) "
                + "from the same initialization and batches; judged on %s, not F1, as the decision threshold is learned after "
                + "training (F1 at the best threshold is in the evidence); chosen: %s", why, all, size.steps(), size.epochs(),
                size.images(), metric, ImbalanceLearner.describe(chosen, counts));

        Map<String, Object> evidence = ImbalanceLearner.countsEvidence(counts);
        evidence.put("metric", metric);
        evidence.put("validationScore", reported(scores));
        evidence.put("bestThresholdF1", reported(f1));
        evidence.put("winRateOverNone", new LinkedHashMap<>(winRates));
        evidence.put("requiredWinRate", ImbalanceLearner.WIN_RATE);
        evidence.put("resamples", ImbalanceLearner.RESAMPLES);
        evidence.put("validationImages", images);
        evidence.put("validationPositives", trials.values().stream().filter(LossTrials.Trial::usable).findFirst()
                .map(t -> positives(t.predictions())).orElse(0L));
        evidence.put("trialImages", size.images());
        evidence.put("trialEpochs", size.epochs());
        evidence.put("trialSteps", size.steps());
        evidence.put("trialSeconds", seconds);
        return new Decision<>(ImbalanceLearner.NAME, chosen, Origin.LEARNED, "imbalance trials", rationale, evidence, cost);
    }

    /** The mean over outputs with a validation positive of F1 at the threshold that maximises it; NaN without one. */
    static double bestThresholdF1(Task task, Predictions p) {
        int n = p.labels().length;
        float[][] scores = task instanceof Binary b
                ? IntStream.range(0, n).mapToObj(i -> new float[] {p.probabilities()[i][b.positive()]}).toArray(float[][]::new)
                : p.probabilities();
        List<LearnedThreshold> learned = ThresholdSearch.learnPerClass(scores, truth(p), ThresholdTarget.maxF1());
        return learned.stream().filter(t -> t.outcome() != LearnedThreshold.Outcome.NO_POSITIVE)
                .mapToDouble(t -> t.counts().f1()).average().orElse(Double.NaN);
    }

    private static boolean[][] truth(Predictions p) {
        boolean[][] t = new boolean[p.targets().length][];
        for (int i = 0; i < t.length; i++) {
            t[i] = new boolean[p.targets()[i].length];
            for (int k = 0; k < t[i].length; k++) {
                t[i][k] = p.targets()[i][k] > 0.5f;
            }
        }
        return t;
    }

    private static long positives(Predictions p) {
        long n = 0;
        for (boolean[] row : truth(p)) {
            for (boolean b : row) {
                n += b ? 1 : 0;
            }
        }
        return n;
    }

    private static Map<String, Object> reported(Map<String, Double> values) {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k, Double.isFinite(v) ? (Object) v : "n/a"));
        return m;
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }
}
