package dev.hone.metalearn.imbalance;

import dev.hone.data.ImageSet;
import dev.hone.loop.Evaluator;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Short trials of candidate losses, shared by the learners that choose one (class imbalance of sigmoid
 * tasks, the segmentation loss): each candidate trains the run's network with {@link TrialRunner}
 * (fresh weights from the run's seed, the same batch order, no regularization, warmup-cosine over the
 * trial), and the trained network's validation predictions are kept, judged by one task so that their
 * losses compare.
 */
public final class LossTrials {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    private static final int MONITOR_IMAGES = 32;

    private LossTrials() {}

    /**
     * One candidate's trial.
     *
     * @param predictions validation predictions after training, or null when the trial diverged
     * @param cost its wall time
     */
    public record Trial(Predictions predictions, Duration cost) {
        /** Whether the trial finished with finite predictions. */
        public boolean usable() {
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

    /**
     * Trains each candidate in turn, in the map's order.
     *
     * @param setup the run's model, optimizer, learning rate, batch, seed and trial epochs (its task is replaced by each candidate)
     * @param candidates name to the task with that candidate's loss
     * @param judge the task whose targets, probabilities and metric every trial is scored with
     * @param learner names the trials in the log, e.g. {@code imbalance}
     */
    public static Map<String, Trial> run(TrialRunner.Setup setup, ImageSet train, ImageSet validation, Map<String, Task> candidates,
            Task judge, String learner) {
        ImageSet monitorSet = validation.subset(IntStream.range(0, Math.min(MONITOR_IMAGES, validation.size())).toArray());
        Map<String, Trial> trials = new LinkedHashMap<>();
        try (ResidentDataset t = new ResidentDataset(train, setup.norm(), setup.device(), judge);
                ResidentDataset v = new ResidentDataset(validation, setup.norm(), setup.device(), judge);
                ResidentDataset monitor = new ResidentDataset(monitorSet, setup.norm(), setup.device(), judge)) {
            for (Map.Entry<String, Task> c : candidates.entrySet()) {
                long begun = System.nanoTime();
                TrialRunner runner = new TrialRunner(setup.withHead(setup.classes(), c.getValue()), t, v, monitor)
                        .withPhase("the imbalance learner");
                Predictions[] out = new Predictions[1];
                runner.run(RegularizationPolicy.NONE, model -> out[0] = Evaluator.predict(model.getBlock(), v, 256));
                Trial trial = new Trial(out[0], Duration.ofNanos(System.nanoTime() - begun));
                trials.put(c.getKey(), trial);
                LOG.info(String.format(Locale.ROOT, "learner: %s trial %-15s val %s %s (%.1f s)", learner, c.getKey(),
                        judge.validationMetric(), trial.usable() ? String.format(Locale.ROOT, "%.4f", judge.score(out[0])) : "diverged",
                        trial.cost().toMillis() / 1000.0));
            }
        }
        return trials;
    }

    /**
     * For each usable challenger, the share of paired bootstrap resamples of the validation images on
     * which it scores above the baseline ({@link PairedBootstrap}).
     *
     * @param baseline the candidate that changes nothing, which challengers must beat
     */
    public static Map<String, Double> winRates(Task judge, Map<String, Trial> trials, String baseline, int resamples, long seed,
            String stream) {
        Map<String, Double> winRates = new LinkedHashMap<>();
        Trial base = trials.get(baseline);
        trials.forEach((name, t) -> {
            if (!name.equals(baseline) && base != null && base.usable() && t.usable()) {
                Predictions b = base.predictions();
                winRates.put(name, PairedBootstrap.winRate(b.labels().length, resamples, Seeds.mix(seed, stream, 0),
                        i -> judge.score(rows(b, i)), i -> judge.score(rows(t.predictions(), i))));
            }
        });
        return winRates;
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

    /**
     * The winner among {@code order}: the highest finite score (ties to the earlier); a challenger only
     * when it beat the first, the baseline, on at least {@code winRate} of the resamples (or the baseline
     * has no score); null when no candidate has a finite score.
     */
    public static String choose(java.util.List<String> order, Map<String, Double> scores, Map<String, Double> winRates, double winRate) {
        String best = null;
        for (String name : order) {
            Double s = scores.get(name);
            if (s != null && Double.isFinite(s) && (best == null || s > scores.get(best))) {
                best = name;
            }
        }
        String baseline = order.get(0);
        if (best == null || best.equals(baseline)) {
            return best;
        }
        Double none = scores.get(baseline);
        if (none == null || !Double.isFinite(none)) {
            return best;
        }
        return winRates.getOrDefault(best, 0.0) >= winRate ? best : baseline;
    }
}
