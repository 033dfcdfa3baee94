package dev.hone.train;

import ai.djl.Model;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.metalearn.learningrate.RangeTestRule;
import dev.hone.metalearn.probe.ProbeContext;
import dev.hone.metalearn.probe.RangeTestProbe;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.optimize.Optimizers;
import dev.hone.record.ChartSpec;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learning-rate range tests on the probe model, one per candidate optimizer, and the optimizer
 * comparison drawn from them.
 */
final class RangeTests {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private RangeTests() {}

    /** One optimizer's range test: the sweep, its reading, and the resulting {@code lr} decision. */
    record RangeTest(String optimizer, RangeTestProbe.Sweep sweep, RangeTestRule.Result result, Decision<Double> decision,
            int steps) {
        /** The lowest smoothed loss the sweep reached: how far this optimizer got in the same steps. */
        double valleyLoss() {
            return result.smoothed().stream().limit(Math.max(1, result.usedPoints())).mapToDouble(Double::doubleValue)
                    .filter(Double::isFinite).min().orElse(Double.POSITIVE_INFINITY);
        }
    }

    /**
     * A range test of {@code steps} steps with {@code optimizerName} at {@code batchSize} images times
     * {@code accumulation}, on the probe model (restored afterwards).
     */
    static RangeTest run(ProbeContext probe, Model model, Loss loss, String optimizerName, int batchSize, int accumulation,
            int steps) {
        long t = System.nanoTime();
        int effective = batchSize * accumulation;
        double fallback = Defaults.learningRateAt(optimizerName, effective);
        HoneOptimizer optimizer = Optimizers.create(optimizerName, fallback, 0);
        try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer))) {
            optimizer.bind(model.getBlock());
            ProbeContext ctx = new ProbeContext(model, trainer, optimizer, loss, probe.train(), probe.seed(), probe.deadlineNanos(),
                    probe.cancelled());
            double[] bounds = Defaults.rangeTestBounds(optimizerName);
            RangeTestProbe.Sweep sweep = RangeTestProbe.sweep(ctx, batchSize, accumulation, bounds[0], bounds[1], steps,
                    Math.min(steps, Defaults.RANGE_TEST_MIN_STEPS));
            boolean sgdFamily = optimizerName.equals("sgd-nesterov") || optimizerName.equals("lars");
            // a sweep shortened for a budget spans the same decades in fewer points: smooth over as many decades
            RangeTestRule.Result result = RangeTestRule.suggest(boxed(sweep.learningRates()), boxed(sweep.losses()), fallback,
                    sgdFamily ? RangeTestRule.SGD_VALLEY_DIVISOR : RangeTestRule.VALLEY_DIVISOR,
                    RangeTestRule.betaFor(steps, Defaults.RANGE_TEST_STEPS));
            Decision<Double> learned = RangeTestRule.decide(result, Duration.ofNanos(System.nanoTime() - t));
            Map<String, Object> evidence = new LinkedHashMap<>(learned.evidence());
            evidence.put("optimizer", optimizerName);
            evidence.put("steps", steps);
            evidence.put(ChartSpec.EVIDENCE_KEY, List.of(new ChartSpec("learning-rate range test (" + optimizerName + ", batch "
                    + effective + ")", "learning rate", "loss", true, learned.value(), Map.of(
                            "loss", new double[][] {sweep.learningRates(), sweep.losses()},
                            "smoothed", new double[][] {unboxed(result.lrs()), unboxed(result.smoothed())}))));
            LOG.info("learner: range test of {} ({} steps): {}", optimizerName, steps, result.reason());
            return new RangeTest(optimizerName, sweep, result, new Decision<>(learned.name(), learned.value(), learned.origin(),
                    learned.method(), learned.rationale(), evidence, learned.cost()), steps);
        }
    }

    /**
     * The optimizer whose range test went lowest: a pretext comparison in the paper's sense, each
     * candidate given the same steps on the same batches with its own learning-rate sweep.
     */
    static Decision<String> compare(List<RangeTest> tests, int batchSize) {
        RangeTest best = tests.stream().min(java.util.Comparator.comparingDouble(RangeTest::valleyLoss)).orElseThrow();
        Map<String, Object> evidence = new LinkedHashMap<>();
        Map<String, double[][]> curves = new LinkedHashMap<>();
        Duration cost = Duration.ZERO;
        StringBuilder others = new StringBuilder();
        for (RangeTest t : tests) {
            evidence.put(t.optimizer(), Map.of("valleyLoss", t.valleyLoss(), "suggestedLr", t.decision().value()));
            curves.put(t.optimizer(), new double[][] {unboxed(t.result().lrs()), unboxed(t.result().smoothed())});
            cost = cost.plus(t.decision().cost());
            if (t != best) {
                others.append(String.format(", %s %.3f", t.optimizer(), t.valleyLoss()));
            }
        }
        evidence.put(ChartSpec.EVIDENCE_KEY, List.of(new ChartSpec("range tests compared (smoothed loss, batch " + batchSize + ")",
                "learning rate", "smoothed loss", true, null, curves)));
        return new Decision<>("optimizer", best.optimizer(), Origin.LEARNED, "range-test comparison",
                String.format("%s reached the lowest smoothed loss in its range test, %.3f (vs%s) over the same %d steps",
                        best.optimizer(), best.valleyLoss(), others.toString().replaceFirst("^,", ""), best.steps()),
                evidence, cost);
    }

    /** The test among {@code tests} of the optimizer {@code compare} chose. */
    static RangeTest of(List<RangeTest> tests, String optimizer) {
        return tests.stream().filter(t -> t.optimizer().equals(optimizer)).findFirst().orElseThrow();
    }

    private static List<Double> boxed(double[] xs) {
        return Arrays.stream(xs).boxed().toList();
    }

    private static double[] unboxed(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
