package dev.hone.metalearn.schedule;

import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.probe.ProbeContext;
import dev.hone.metalearn.probe.ScheduleProbe;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.optimize.Optimizers;
import dev.hone.optimize.Schedule;
import dev.hone.record.ChartSpec;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Chooses the learning-rate schedule by a pretext comparison: warmup-cosine, one-cycle and linear
 * decay each train the probe model for the same few steps from the same weights on the same batches,
 * with the chosen optimizer, batch and peak learning rate, each schedule compressed into those steps;
 * the one with the lowest validation loss afterwards wins.
 *
 * <p>Why a trial and not a rule: which schedule anneals best depends on the network, the optimizer
 * and how far the peak rate sits from the edge of stability, which the range test only brackets. A
 * short trial is a proxy (a whole schedule squeezed into a few dozen steps), so a challenger must beat
 * warmup-cosine, the rule it replaces, by {@link #MARGIN}: smaller differences are within what one
 * seed's batches move. When there is no time for the trials the rule stands, and the record says so.
 */
public final class ScheduleLearner {
    /** Relative validation-loss improvement a schedule needs over warmup-cosine to replace it. */
    public static final double MARGIN = 0.01;
    /** The rule's schedule, and the one kept on near-ties. */
    public static final String RULE = "warmup-cosine";

    private ScheduleLearner() {}

    /** What the trials train with. */
    public record Setting(String optimizer, double peakLearningRate, double weightDecay, double warmupFraction, int batchSize,
            int accumulation, int steps) {
        public Setting withSteps(int n) {
            return new Setting(optimizer, peakLearningRate, weightDecay, warmupFraction, batchSize, accumulation, n);
        }
    }

    /** Runs the three trials on the probe model (restored after each) and decides. */
    public static Decision<String> learn(ProbeContext probe, ResidentDataset validation, Setting setting) {
        long start = System.nanoTime();
        Map<String, ScheduleProbe.Trial> trials = new LinkedHashMap<>();
        for (String name : Schedule.NAMES) {
            HoneOptimizer optimizer = Optimizers.create(setting.optimizer(), setting.peakLearningRate(), setting.weightDecay());
            try (Trainer trainer = probe.model().newTrainer(new DefaultTrainingConfig(probe.loss()).optOptimizer(optimizer))) {
                optimizer.bind(probe.model().getBlock());
                ProbeContext ctx = new ProbeContext(probe.model(), trainer, optimizer, probe.loss(), probe.train(), probe.seed(),
                        Long.MAX_VALUE, probe.cancelled());
                trials.put(name, ScheduleProbe.run(ctx, validation, Schedule.of(name, setting.peakLearningRate(),
                        setting.warmupFraction()), Schedule.momentumFor(name), setting.batchSize(), setting.accumulation(),
                        setting.steps()));
            }
        }
        return decide(trials, setting, validation.size(), Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * A trial's score, lower is better: its validation loss, or without validation images the mean
     * training loss of its last quarter of steps; +∞ for a trial that diverged.
     */
    public static double score(ScheduleProbe.Trial t) {
        if (!Double.isNaN(t.validationLoss())) {
            return t.validationLoss();
        }
        double[] l = t.trainLosses();
        if (l.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        int from = l.length - Math.max(1, l.length / 4);
        return IntStream.range(from, l.length).mapToDouble(i -> l[i]).average().orElse(Double.POSITIVE_INFINITY);
    }

    /** The winner among {@code scores} (name to score): the lowest, unless it beats the rule's by less than {@link #MARGIN}. */
    public static String choose(Map<String, Double> scores) {
        String best = null;
        for (Map.Entry<String, Double> e : scores.entrySet()) {
            if (Double.isFinite(e.getValue()) && (best == null || e.getValue() < scores.get(best))) {
                best = e.getKey();
            }
        }
        if (best == null) {
            return RULE;
        }
        Double rule = scores.get(RULE);
        if (rule != null && Double.isFinite(rule) && scores.get(best) > rule * (1 - MARGIN)) {
            return RULE;
        }
        return best;
    }

    /** The {@code schedule} decision from finished trials, with their scores and curves. */
    public static Decision<String> decide(Map<String, ScheduleProbe.Trial> trials, Setting setting, int validationImages,
            Duration cost) {
        Map<String, Double> scores = new LinkedHashMap<>();
        trials.forEach((name, t) -> scores.put(name, score(t)));
        String chosen = choose(scores);
        boolean validated = validationImages > 0;
        String judged = validated ? "validation loss on " + validationImages + " images, BatchNorm on batch statistics"
                : "training loss of the last quarter of steps";
        if (scores.values().stream().noneMatch(Double::isFinite)) {
            return fallback("every schedule trial diverged at peak learning rate " + fmt(setting.peakLearningRate())
                    + ", so the rule stands: " + ruleText());
        }
        StringBuilder others = new StringBuilder();
        scores.forEach((name, s) -> {
            if (!name.equals(chosen)) {
                others.append(others.length() == 0 ? "" : ", ").append(name).append(' ').append(Double.isFinite(s) ? fmt(s) : "diverged");
            }
        });
        double best = scores.values().stream().filter(Double::isFinite).min(Double::compare).orElseThrow();
        String why = chosen.equals(RULE) && scores.get(RULE) > best
                ? String.format(Locale.ROOT, "%s kept: no schedule beat its %s by %.0f%% or more", RULE, fmt(scores.get(RULE)), 100 * MARGIN)
                : String.format(Locale.ROOT, "%s had the lowest %s, %s", chosen, validated ? "validation loss" : "late training loss",
                        fmt(scores.get(chosen)));
        String rationale = String.format(Locale.ROOT, "%s (vs %s) after the same %d steps from the same weights and batches, "
                + "each schedule compressed into them; %s at peak lr %s, batch %d%s; judged on %s",
                why, others, setting.steps(), setting.optimizer(), fmt(setting.peakLearningRate()), setting.batchSize(),
                setting.accumulation() > 1 ? " x " + setting.accumulation() + " accumulated" : "", judged);

        Map<String, Object> evidence = new LinkedHashMap<>();
        Map<String, Object> reported = new LinkedHashMap<>();
        scores.forEach((name, s) -> reported.put(name, Double.isFinite(s) ? (Object) s : "diverged"));
        evidence.put(validated ? "validationLoss" : "lateTrainingLoss", reported);
        evidence.put("steps", setting.steps());
        evidence.put("optimizer", setting.optimizer());
        evidence.put("peakLearningRate", setting.peakLearningRate());
        evidence.put("batchSize", setting.batchSize());
        evidence.put("accumulation", setting.accumulation());
        evidence.put("validationImages", validationImages);
        evidence.put("margin", MARGIN);
        Map<String, double[][]> loss = new LinkedHashMap<>();
        Map<String, double[][]> rates = new LinkedHashMap<>();
        trials.forEach((name, t) -> {
            double[] x = IntStream.rangeClosed(1, t.trainLosses().length).asDoubleStream().toArray();
            loss.put(name, new double[][] {x, t.trainLosses()});
            rates.put(name, new double[][] {x, t.learningRates()});
        });
        evidence.put(ChartSpec.EVIDENCE_KEY, List.of(
                new ChartSpec("schedule trials: training loss (same weights, same batches)", "step", "training loss", false, null, loss),
                new ChartSpec("schedule trials: learning rate", "step", "learning rate", false, null, rates)));
        return new Decision<>("schedule", chosen, Origin.LEARNED, "schedule trials", rationale, evidence, cost);
    }

    /** The rule's decision when the trials cannot run; {@code why} says why and is recorded. */
    public static Decision<String> fallback(String why) {
        return Decision.byDefault("schedule", RULE, why);
    }

    /** What the rule does, for fallback rationales. */
    public static String ruleText() {
        return "linear warmup, then cosine to zero so the run anneals exactly at its planned last step";
    }

    private static String fmt(double x) {
        return String.format(Locale.ROOT, "%.4g", x);
    }
}
