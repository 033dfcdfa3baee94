package dev.hone.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.loop.FitLoop;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.Decision;
import dev.hone.metalearn.Origin;
import dev.hone.metalearn.batchnorm.BatchNormMomentum;
import dev.hone.metalearn.batchsize.BatchSizeRule;
import dev.hone.metalearn.batchsize.GradientNoiseScale;
import dev.hone.metalearn.budget.Budget;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.learningrate.RangeTestRule;
import dev.hone.metalearn.probe.NoiseScaleProbe;
import dev.hone.metalearn.probe.ProbeContext;
import dev.hone.metalearn.probe.RangeTestProbe;
import dev.hone.metalearn.probe.ThroughputProbe;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.optimize.Optimizers;
import dev.hone.optimize.SgdNesterov;
import dev.hone.report.ChartSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimization meta-learners, run in dependency order on a probe copy of the model:
 * throughput against batch size, then the gradient noise scale and the batch size, the optimizer,
 * a learning-rate range test with that optimizer at that batch, the BatchNorm momentum, and the
 * epochs (from the budget and the measured throughput, or a rule plus early stopping).
 *
 * <p>Each learner yields to a value the user fixed, and each returns a {@link Decision} with its
 * evidence and cost. The probe model is thrown away; the real run starts from a fresh
 * initialization with the same seed, so the probes leave no mark on it.
 */
final class OptimizationLearners {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private OptimizationLearners() {}

    static TrainingPlan plan(TrainOptions o, ModelSpec spec, Shape input, int classes, Loss loss, ResidentDataset train,
            Splitting split, long seed, List<Decision<?>> earlier, long runStartNanos) {
        List<Decision<?>> d = new ArrayList<>(earlier);
        try (Model model = ModelFactory.create(spec, input, classes)) {
            Engine.getInstance().setRandomSeed((int) seed);
            SgdNesterov probeOptimizer = new SgdNesterov(0.01f, 0.9f, 0f);
            Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(probeOptimizer));
            try {
                trainer.initialize(new Shape(1, input.get(0), input.get(1), input.get(2)));
                probeOptimizer.bind(model.getBlock());
                ProbeContext ctx = new ProbeContext(model, trainer, probeOptimizer, loss, train, seed);

                long t = System.nanoTime();
                // throughput feeds the batch-size rule and the budget plan; without either it is not needed
                List<ThroughputProbe.Point> throughput = o.batchSize() != null && o.budget() == null ? List.of()
                        : ThroughputProbe.measure(ctx, o.batchSize() != null ? o.batchSize() : Defaults.MAX_PROBED_BATCH);
                Duration throughputCost = since(t);
                LOG.info("learner: throughput {}", throughput);

                Decision<Integer> batch = batchSize(o, ctx, throughput, throughputCost);
                d.add(log(batch));
                int batchSize = Math.min(batch.value(), train.size());

                Decision<String> optimizer;
                Decision<Double> lr;
                List<String> candidates = o.optimizer() != null ? List.of(o.optimizer())
                        : Planner.optimizerCandidates(batchSize);
                if (o.learningRate() != null || candidates.size() == 1) {
                    optimizer = Planner.optimizer(o, batchSize);
                    lr = o.learningRate() != null ? Decision.user("lr", o.learningRate())
                            : rangeTest(ctx, model, loss, optimizer.value(), batchSize).decision();
                } else {
                    List<RangeTest> tests = new ArrayList<>();
                    for (String candidate : candidates) {
                        tests.add(rangeTest(ctx, model, loss, candidate, batchSize));
                    }
                    RangeTest best = tests.stream().min(java.util.Comparator.comparingDouble(RangeTest::valleyLoss)).orElseThrow();
                    optimizer = compare(tests, best, batchSize);
                    lr = best.decision();
                }
                d.add(log(optimizer));
                d.add(log(lr));
                Decision<Double> wd = Planner.weightDecay(o, optimizer.value());
                d.add(log(wd));
                Decision<String> schedule = Planner.schedule(o);
                d.add(log(schedule));

                Decision<Double> momentum = log(BatchNormMomentum.decide(train.size(), batchSize));
                d.add(momentum);

                int batches = FitLoop.batchesPerEpoch(train.size(), batchSize);
                double imagesPerSecond = speedAt(throughput, batchSize);
                int epochs;
                long steps;
                int patience;
                double budgetSeconds = 0;
                if (o.budget() != null) {
                    Duration budget = Budget.parse(o.budget());
                    budgetSeconds = budget.toMillis() / 1000.0;
                    imagesPerSecond = ThroughputProbe.measureAt(ctx, batchSize, Defaults.PLAN_TIMED_STEPS);
                    double spent = (System.nanoTime() - runStartNanos) / 1e9;
                    BudgetPlanner.Plan p = BudgetPlanner.plan(budgetSeconds, spent, imagesPerSecond, batchSize, train.size(),
                            split.validation().size(), split.test().size());
                    epochs = p.epochs();
                    steps = p.totalSteps();
                    patience = 0;
                    d.add(log(new Decision<>("epochs", epochs, Origin.LEARNED, "budget plan", String.format(
                            "%d steps (%.2f epochs) fit the %s budget at the measured %.0f images/s, after %.0f s already spent, "
                                    + "keeping time for validation, the test evaluation and a %.0f%% margin; the schedule anneals at the last step",
                            steps, (double) steps / batches, o.budget(), imagesPerSecond, spent, 100 * BudgetPlanner.MARGIN),
                            Map.of("totalSteps", steps, "stepsPerEpoch", batches, "budgetSeconds", budgetSeconds,
                                    "spentSeconds", spent, "plannedTrainSeconds", p.trainSeconds(), "imagesPerSecond", imagesPerSecond),
                            Duration.ZERO)));
                } else {
                    Decision<Integer> e = log(Planner.epochs(o, train.size()));
                    d.add(e);
                    epochs = e.value();
                    steps = (long) epochs * batches;
                    patience = Defaults.PATIENCE;
                    d.add(log(Decision.byDefault("early-stopping", "patience " + patience, "without a budget, training stops when "
                            + "validation accuracy has not improved for " + patience + " epochs, and the best epoch's weights are kept")));
                }
                return new TrainingPlan(seed, epochs, steps, batchSize, optimizer.value(), lr.value(), wd.value(),
                        schedule.value(), Defaults.WARMUP, momentum.value().floatValue(), patience, budgetSeconds, d, 1, null);
            } finally {
                trainer.close();
            }
        }
    }

    private static <T> Decision<T> log(Decision<T> decision) {
        LOG.info("decision: {}", decision.describe());
        return decision;
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static Decision<Integer> batchSize(TrainOptions o, ProbeContext ctx, List<ThroughputProbe.Point> throughput, Duration cost) {
        if (o.batchSize() != null) {
            return Decision.user("batch-size", o.batchSize());
        }
        long t = System.nanoTime();
        GradientNoiseScale gns = NoiseScaleProbe.measure(ctx, Defaults.NOISE_SMALL_BATCH, Defaults.NOISE_ACCUMULATE,
                Defaults.NOISE_STEPS, 0.02 * Defaults.NOISE_SMALL_BATCH * Defaults.NOISE_ACCUMULATE / 128);
        List<BatchSizeRule.ThroughputPoint> points = throughput.stream().filter(ThroughputProbe.Point::fits)
                .map(p -> new BatchSizeRule.ThroughputPoint(p.batchSize(), p.imagesPerSecond())).toList();
        // The loop does not accumulate gradients yet, so the rule is not told of a memory ceiling (it would
        // answer with accumulation steps); it chooses among the batches that were measured to fit.
        Decision<Integer> learned = BatchSizeRule.decide(gns, points, OptionalInt.empty(), cost.plus(since(t)));
        Map<String, Object> evidence = new LinkedHashMap<>(learned.evidence());
        throughput.stream().filter(p -> !p.fits()).findFirst()
                .ifPresent(p -> evidence.put("outOfMemoryAt", p.batchSize()));
        double[] steps = IntStream.rangeClosed(1, gns.history().size()).asDoubleStream().toArray();
        double[] history = gns.history().stream().mapToDouble(Double::doubleValue).toArray();
        GradientNoiseScale.Band band = gns.band();
        Map<String, double[][]> noise = new LinkedHashMap<>();
        noise.put("B_simple (EMA)", new double[][] {steps, history});
        noise.put("band: 10th percentile", new double[][] {steps, java.util.Arrays.stream(steps).map(x -> band.low()).toArray()});
        noise.put("band: 90th percentile", new double[][] {steps, java.util.Arrays.stream(steps).map(x -> band.high()).toArray()});
        evidence.put(ChartSpec.EVIDENCE_KEY, List.of(
                new ChartSpec("gradient noise scale B_simple over the probe", "probe step", "B_simple", false, null, noise),
                ChartSpec.of("training throughput against batch size", "batch size", "images/s", true, (double) learned.value(),
                        "images/s", points.stream().mapToDouble(BatchSizeRule.ThroughputPoint::batchSize).toArray(),
                        points.stream().mapToDouble(BatchSizeRule.ThroughputPoint::imagesPerSecond).toArray())));
        return new Decision<>(learned.name(), learned.value(), learned.origin(), learned.method(), learned.rationale(),
                evidence, learned.cost());
    }

    /** One optimizer's range test: the sweep, its reading, and the resulting {@code lr} decision. */
    private record RangeTest(String optimizer, RangeTestProbe.Sweep sweep, RangeTestRule.Result result, Decision<Double> decision) {
        /** The lowest smoothed loss the sweep reached: how far this optimizer got in the same steps. */
        double valleyLoss() {
            return result.smoothed().stream().limit(Math.max(1, result.usedPoints())).mapToDouble(Double::doubleValue)
                    .filter(Double::isFinite).min().orElse(Double.POSITIVE_INFINITY);
        }
    }

    /** A range test with {@code optimizerName} at the chosen batch, on the probe model (restored afterwards). */
    private static RangeTest rangeTest(ProbeContext probe, Model model, Loss loss, String optimizerName, int batchSize) {
        long t = System.nanoTime();
        double fallback = Defaults.learningRatePer128(optimizerName) * batchSize / 128.0;
        HoneOptimizer optimizer = Optimizers.create(optimizerName, fallback, 0);
        try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer))) {
            optimizer.bind(model.getBlock());
            ProbeContext ctx = new ProbeContext(model, trainer, optimizer, loss, probe.train(), probe.seed());
            double[] bounds = Defaults.rangeTestBounds(optimizerName);
            RangeTestProbe.Sweep sweep = RangeTestProbe.sweep(ctx, batchSize, bounds[0], bounds[1], Defaults.RANGE_TEST_STEPS);
            boolean sgdFamily = optimizerName.equals("sgd-nesterov") || optimizerName.equals("lars");
            RangeTestRule.Result result = RangeTestRule.suggest(boxed(sweep.learningRates()), boxed(sweep.losses()), fallback,
                    sgdFamily ? RangeTestRule.SGD_VALLEY_DIVISOR : RangeTestRule.VALLEY_DIVISOR);
            Decision<Double> learned = RangeTestRule.decide(result, since(t));
            Map<String, Object> evidence = new LinkedHashMap<>(learned.evidence());
            evidence.put("optimizer", optimizerName);
            evidence.put(ChartSpec.EVIDENCE_KEY, List.of(new ChartSpec("learning-rate range test (" + optimizerName + ", batch "
                    + batchSize + ")", "learning rate", "loss", true, learned.value(), Map.of(
                            "loss", new double[][] {sweep.learningRates(), sweep.losses()},
                            "smoothed", new double[][] {unboxed(result.lrs()), unboxed(result.smoothed())}))));
            LOG.info("learner: range test of {}: {}", optimizerName, result.reason());
            return new RangeTest(optimizerName, sweep, result, new Decision<>(learned.name(), learned.value(), learned.origin(),
                    learned.method(), learned.rationale(), evidence, learned.cost()));
        }
    }

    /**
     * The optimizer whose range test went lowest: a pretext comparison in the paper's sense, each
     * candidate given the same steps on the same batches with its own learning-rate sweep.
     */
    private static Decision<String> compare(List<RangeTest> tests, RangeTest best, int batchSize) {
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
        return new Decision<>("optimizer", best.optimizer(), dev.hone.metalearn.Origin.LEARNED, "range-test comparison",
                String.format("%s reached the lowest smoothed loss in its range test, %.3f (vs%s) over the same %d steps",
                        best.optimizer(), best.valleyLoss(), others.toString().replaceFirst("^,", ""), Defaults.RANGE_TEST_STEPS),
                evidence, cost);
    }

    /** Throughput at {@code batch}: the measured point, or the nearest below it. */
    static double speedAt(List<ThroughputProbe.Point> points, int batch) {
        double best = 0;
        double fallback = 0;
        for (ThroughputProbe.Point p : points) {
            if (p.fits() && p.batchSize() <= batch) {
                best = p.imagesPerSecond();
            }
            if (p.fits()) {
                fallback = Math.max(fallback, p.imagesPerSecond());
            }
        }
        return best > 0 ? best : fallback;
    }

    private static List<Double> boxed(double[] xs) {
        return java.util.Arrays.stream(xs).boxed().toList();
    }

    private static double[] unboxed(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
