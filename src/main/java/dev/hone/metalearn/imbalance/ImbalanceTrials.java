package dev.hone.metalearn.imbalance;

import static dev.hone.metalearn.imbalance.ImbalanceLearner.NAMES;
import static dev.hone.metalearn.imbalance.ImbalanceLearner.NONE;

import dev.hone.data.ImageSet;
import dev.hone.loop.Evaluator;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import dev.hone.metalearn.imbalance.ImbalanceLearner.TrialSize;
import dev.hone.metalearn.regularization.RegularizationPolicy;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imbalance trials and the decision from them: each candidate loss trains the run's network with
 * {@link TrialRunner} (fresh weights from the run's seed, the same batch order, no regularization,
 * warmup-cosine over the trial), and the trained network's validation predictions are scored.
 *
 * <p>Every trial is judged with the task under plain BCE, so its recorded validation loss would be
 * comparable; the score itself (ROC-AUC, mAP) does not depend on the loss.
 */
final class ImbalanceTrials {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    private static final int MONITOR_IMAGES = 32;

    private ImbalanceTrials() {}

    /**
     * One candidate's trial.
     *
     * @param predictions validation predictions after training, or null when the trial diverged
     * @param cost its wall time
     */
    record Trial(Predictions predictions, Duration cost) {
        boolean usable() {
            if (predictions == null) {
                return false;
            }
            for (float[] row : predictions.probabilities()) {
                for (float p : row) {
                    if (!Float.isFinite(p)) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    /** Trains each of {@link ImbalanceLearner#NAMES} in turn; see {@link ImbalanceLearner#learn}. */
    static Map<String, Trial> run(TrialRunner.Setup setup, ImageSet train, ImageSet validation, PositiveCounts counts) {
        Task plain = ImbalanceLearner.withLoss(setup.task(), SigmoidLoss.plain());
        ImageSet monitorSet = validation.subset(IntStream.range(0, Math.min(MONITOR_IMAGES, validation.size())).toArray());
        Map<String, Trial> trials = new LinkedHashMap<>();
        try (ResidentDataset t = new ResidentDataset(train, setup.norm(), setup.device(), plain);
                ResidentDataset v = new ResidentDataset(validation, setup.norm(), setup.device(), plain);
                ResidentDataset monitor = new ResidentDataset(monitorSet, setup.norm(), setup.device(), plain)) {
            for (String name : NAMES) {
                long begun = System.nanoTime();
                Task candidate = ImbalanceLearner.withLoss(plain, ImbalanceLearner.loss(name, counts));
                TrialRunner runner = new TrialRunner(new TrialRunner.Setup(setup.spec(), setup.input(), setup.classes(), candidate,
                        setup.optimizer(), setup.learningRate(), setup.weightDecay(), setup.batchSize(), setup.epochs(), setup.seed(),
                        setup.norm(), setup.device(), setup.scratch()), t, v, monitor);
                Predictions[] out = new Predictions[1];
                runner.run(RegularizationPolicy.NONE, model -> out[0] = Evaluator.predict(model.getBlock(), v, 256));
                Trial trial = new Trial(out[0], Duration.ofNanos(System.nanoTime() - begun));
                trials.put(name, trial);
                LOG.info(String.format(Locale.ROOT, "learner: imbalance trial %-15s val %s %s (%.1f s)", name,
                        plain.validationMetric(), trial.usable() ? fmt(plain.score(out[0])) : "diverged",
                        trial.cost().toMillis() / 1000.0));
            }
        }
        return trials;
    }

    /**
     * The {@code imbalance} decision from finished trials.
     *
     * @param task the run's task (its loss does not matter: only its score is used)
     * @param seed the run's seed, from which the bootstrap's is split
     */
    static Decision<String> decide(Task task, Map<String, Trial> trials, PositiveCounts counts, TrialSize size, long seed,
            Duration cost) {
        Map<String, Double> scores = new LinkedHashMap<>();
        Map<String, Double> f1 = new LinkedHashMap<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        trials.forEach((name, t) -> {
            scores.put(name, t.usable() ? task.score(t.predictions()) : Double.NaN);
            f1.put(name, t.usable() ? bestThresholdF1(task, t.predictions()) : Double.NaN);
            seconds.put(name, t.cost().toMillis() / 1000.0);
        });
        Trial none = trials.get(NONE);
        Map<String, Double> winRates = new LinkedHashMap<>();
        trials.forEach((name, t) -> {
            if (!name.equals(NONE) && none != null && none.usable() && t.usable()) {
                Predictions base = none.predictions();
                winRates.put(name, PairedBootstrap.winRate(base.labels().length, ImbalanceLearner.RESAMPLES,
                        Seeds.mix(seed, "imbalance-bootstrap", 0), i -> task.score(rows(base, i)),
                        i -> task.score(rows(t.predictions(), i))));
            }
        });
        String chosen = ImbalanceLearner.choose(scores, winRates);
        if (chosen == null) {
            Decision<String> d = ImbalanceLearner.fallback("every imbalance trial diverged at the run's learning rate", counts);
            return new Decision<>(d.name(), d.value(), d.origin(), d.method(), d.rationale(), d.evidence(), cost);
        }
        String metric = task.validationMetric();
        int images = trials.values().stream().filter(Trial::usable).findFirst().map(t -> t.predictions().labels().length).orElse(0);
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
        evidence.put("validationPositives", trials.values().stream().filter(Trial::usable).findFirst()
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

    /** The rows {@code indices} of {@code p} (repeats allowed), unscored. */
    static Predictions rows(Predictions p, int[] indices) {
        float[][] probabilities = new float[indices.length][];
        float[][] targets = new float[indices.length][];
        int[] labels = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            probabilities[i] = p.probabilities()[indices[i]];
            targets[i] = p.targets()[indices[i]];
            labels[i] = p.labels()[indices[i]];
        }
        return new Predictions(probabilities, labels, targets, Double.NaN, Double.NaN);
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
