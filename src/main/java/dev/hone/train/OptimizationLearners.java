package dev.hone.train;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.loop.PhaseHooks;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.FitLoop;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import dev.hone.metalearn.batchnorm.BatchNormMomentum;
import dev.hone.metalearn.batchsize.BatchSizeRule;
import dev.hone.metalearn.budget.Budget;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.budget.ProbeBudget.Allocation;
import dev.hone.metalearn.budget.ProbeBudget;
import dev.hone.metalearn.probe.ProbeContext;
import dev.hone.metalearn.probe.ThroughputCache;
import dev.hone.metalearn.probe.ThroughputProbe;
import dev.hone.metalearn.schedule.ScheduleLearner;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.SgdNesterov;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimization meta-learners, run in dependency order on a probe copy of the model:
 * throughput against batch size, then the gradient noise scale and the batch size (with gradient
 * accumulation when the device's memory stops short of it), the optimizer and its learning rate
 * from range tests at that batch, the schedule from short trials, the BatchNorm momentum, and the
 * epochs (from the budget and the measured throughput, or a rule plus early stopping).
 *
 * <p>Each learner yields to a value the user fixed, and each returns a {@link Decision} with its
 * evidence and cost. With a budget, the probes share a fixed part of it ({@link ProbeLengths}). The caller's
 * cancellation is checked after each learner (its probes run seconds), and throws
 * {@link dev.hone.loop.PhaseCancelledException}.
 * The probe model is thrown away; the real run starts from a fresh initialization with the same
 * seed, so the probes leave no mark on it.
 */
final class OptimizationLearners {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private OptimizationLearners() {}

    static TrainingPlan plan(TrainOptions o, ModelSpec spec, Shape input, int outputs, Loss loss, ResidentDataset train,
            Splitting split, long seed, List<Decision<?>> earlier, long runStartNanos, PhaseHooks hooks) {
        List<Decision<?>> d = new ArrayList<>(earlier);
        DataSufficiency enough = DataSufficiency.of(split);
        double budgetSeconds = o.budget() == null ? 0 : Budget.parse(o.budget()).toMillis() / 1000.0;
        ProbeLengths lengths = new ProbeLengths(o.budget() == null ? ProbeBudget.unlimited()
                : ProbeBudget.of(Defaults.metaLearningSeconds(budgetSeconds), System.nanoTime()), o.budget(), budgetSeconds);
        try (Model model = ModelFactory.create(spec, input, outputs)) {
            Engine.getInstance().setRandomSeed((int) seed);
            SgdNesterov probeOptimizer = new SgdNesterov(0.01f, 0.9f, 0f);
            Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(probeOptimizer));
            try {
                trainer.initialize(new Shape(1, input.get(0), input.get(1), input.get(2)));
                probeOptimizer.bind(model.getBlock());
                ProbeContext ctx = new ProbeContext(model, trainer, probeOptimizer, loss, train, seed, lengths.time().deadlineNanos(),
                        hooks.cancelled());

                long t = System.nanoTime();
                // throughput feeds the batch-size rule and the budget plan; without either it is not needed
                ThroughputProbe.Curve curve = (o.batchSize() != null && o.budget() == null) || !enough.probes() ? null
                        : throughputCurve(ctx, spec, input, loss, o.batchSize() != null ? o.batchSize() : Defaults.MAX_PROBED_BATCH,
                                lengths.time().leftSeconds() * Defaults.THROUGHPUT_SHARE);
                List<ThroughputProbe.Point> throughput = curve == null ? List.of() : curve.points();
                Duration throughputCost = since(t);
                if (!throughput.isEmpty()) {
                    LOG.info("learner: throughput (images/s at each batch size): {}", throughput.stream().map(pt -> String.format(
                            Locale.ROOT, "%d: %.0f%s", pt.batchSize(), pt.imagesPerSecond(), pt.fits() ? "" : " (out of memory)"))
                            .collect(java.util.stream.Collectors.joining(", ")));
                }

                int validationImages = Math.min(split.validation().size(), Defaults.SCHEDULE_VALIDATION_IMAGES);
                String rulesBecause = !enough.probes() ? enough.reason() : probesDoNotFit(o, throughput, lengths, validationImages);
                Decision<Integer> batch = rulesBecause != null && enough.probes() && o.batchSize() == null ? null
                        : BatchSizeLearner.decide(o, ctx, curve, throughputCost, lengths, validationImages);
                if (batch == null) { // the probes do not fit, or the noise-scale probe was stopped before its minimum: the rule
                    rulesBecause = rulesBecause != null ? rulesBecause : lengths.cutShort(ProbeLengths.NOISE);
                    batch = BatchSizeLearner.withThroughput(ruleBatch(rulesBecause, affordableImages(throughput, budgetSeconds,
                            lengths, split, runStartNanos), train.size()), throughput);
                }
                d.add(log(batch));
                hooks.check("the batch-size learner");
                int batchSize = Math.min(batch.value(), train.size());
                int accumulation = Math.max(1, Math.min(BatchSizeRule.accumulationOf(batch), train.size() / batchSize));
                int effective = batchSize * accumulation;
                lengths.estimate(throughput, batchSize, accumulation);

                OptimizerAndRate chosen = rulesBecause == null
                        ? optimizerAndRate(o, ctx, model, loss, batchSize, accumulation, lengths, validationImages)
                        : enough.probes() && rangeTestFits(o, lengths, validationImages)
                        ? rangeTestOnly(o, ctx, model, loss, batchSize, accumulation, lengths, validationImages, rulesBecause)
                        : rules(o, effective, rulesBecause);
                d.add(log(chosen.optimizer()));
                d.add(log(chosen.lr()));
                hooks.check("the optimizer and learning-rate learners");
                Decision<Double> wd = Planner.weightDecay(o, chosen.optimizer().value());
                d.add(log(wd));
                Decision<String> schedule = o.schedule() == null && (rulesBecause != null || !enough.judging())
                        ? ScheduleLearner.fallback((rulesBecause != null ? rulesBecause : enough.reason()) + "; so the rule: "
                                + ScheduleLearner.ruleText())
                        : schedule(o, ctx, split, train, seed, new ScheduleLearner.Setting(chosen.optimizer().value(),
                        chosen.lr().value(), wd.value(), Defaults.WARMUP, batchSize, accumulation, 0), lengths, validationImages);
                d.add(log(schedule));
                hooks.check("the schedule learner");

                int batches = FitLoop.stepsPerEpoch(train.size(), batchSize, accumulation);
                int epochs;
                long steps;
                int patience;
                if (o.budget() != null) {
                    // the curve's point at this batch when it has one: the budget pacer corrects the plan as training goes
                    double measured = accumulation == 1 ? pointAt(throughput, batchSize) : 0;
                    // timing this batch when meta-learning has no time left for it (a slow network: a U-Net's step can take
                    // seconds on 2 cores) would overrun its share; the curve's nearest batch below stands in
                    boolean estimated = measured <= 0 && !lengths.timingFits() && speedAt(throughput, batchSize) > 0;
                    ThroughputProbe.Timing timing = measured > 0 || estimated ? null
                            : ThroughputProbe.timedAt(ctx, batchSize, Defaults.PLAN_TIMED_STEPS);
                    double imagesPerSecond = measured > 0 ? measured : estimated ? speedAt(throughput, batchSize)
                            : timing.imagesPerSecond();
                    // the steps it ran, its warm-up included: fewer than its length when meta-learning's time ran out
                    lengths.ran(ProbeLengths.TIMING, timing == null ? 0 : timing.steps() + ThroughputProbe.WARM_UP_STEPS,
                            Defaults.PLAN_TIMED_STEPS + ThroughputProbe.WARM_UP_STEPS);
                    double metaSeconds = lengths.time().spentSeconds();
                    double spent = (System.nanoTime() - runStartNanos) / 1e9;
                    // the regularization policy is not chosen yet: time is kept for every candidate after training
                    BudgetPlanner.Plan p = BudgetPlanner.plan(budgetSeconds, spent, imagesPerSecond, effective, train.size(),
                            split.validation().size(), AfterTrainingWork.of(
                                    dev.hone.metalearn.regularization.RegularizationPolicy.searchStart(), d, train.task(),
                                    AfterTrainingWork.batchNorm(o), train.size(), batchSize, split.validation().size(),
                                    split.test().size(), budgetSeconds, imagesPerSecond, o.unlabeled() != null)
                                    .plannedImages(split.validation().size(), split.test().size()));
                    epochs = p.epochs();
                    steps = p.totalSteps();
                    patience = 0;
                    d.add(log(new Decision<>("epochs", epochs, Origin.LEARNED, "budget plan", String.format(
                            "%d steps (%.2f epochs) fit the %s budget at the %s %.0f images/s, after %.0f s already spent "
                                    + "(%.0f s of it meta-learning), keeping time for validation, the work after training (the final choices, the test pass) and a %.0f%% "
                                    + "margin; the schedule anneals at the last step",
                            steps, (double) steps / batches, o.budget(),
                            estimated ? "throughput curve's (its nearest batch below; no time left to time this one)"
                                    : measured > 0 && curve != null && curve.reused() != null ? "cached" : "measured",
                            imagesPerSecond, spent, metaSeconds, 100 * BudgetPlanner.MARGIN),
                            Map.of("totalSteps", steps, "stepsPerEpoch", batches, "budgetSeconds", budgetSeconds,
                                    "spentSeconds", spent, "metaLearningSeconds", metaSeconds, "plannedTrainSeconds", p.trainSeconds(),
                                    "imagesPerSecond", imagesPerSecond),
                            Duration.ZERO)));
                } else {
                    Decision<Integer> e = log(Planner.epochs(o, train.size()));
                    d.add(e);
                    epochs = e.value();
                    steps = (long) epochs * batches;
                    Decision<String> stopping = log(earlyStopping(epochs, enough, train.task().validationMetric()));
                    d.add(stopping);
                    patience = stopping.value().equals("off") ? 0 : Defaults.PATIENCE;
                }
                // BatchNorm updates its statistics once per forward pass: per micro-batch
                Decision<Double> momentum = log(spec.fixedLayers()
                        ? Decision.byDefault("batchnorm-momentum", (double) spec.batchNormMomentum(), "not applied: the layers of "
                                + spec.displayName() + " are the user's, with the BatchNorm momentum they were built with")
                        : BatchNormMomentum.decide(train.size(), batchSize, steps * accumulation));
                d.add(momentum);
                d.add(log(lengths.decision()));
                return new TrainingPlan(seed, epochs, steps, batchSize, chosen.optimizer().value(), chosen.lr().value(), wd.value(),
                        schedule.value(), Defaults.WARMUP, momentum.value().floatValue(), patience, budgetSeconds, d, accumulation, null);
            } finally {
                trainer.close();
            }
        }
    }

    /**
     * Early stopping for a run of {@code epochs} without a budget, on the validation {@code metric} (the task's, e.g.
     * {@code ROC-AUC}): patience {@link Defaults#PATIENCE}, keeping the best epoch's weights; off for one epoch, or when
     * validation is too small to tell epochs apart.
     */
    static Decision<String> earlyStopping(int epochs, DataSufficiency enough, String metric) {
        if (!enough.judging()) {
            return Decision.byDefault("early-stopping", "off", enough.reason() + ": validation cannot tell one epoch from the "
                    + "next, so every planned epoch runs");
        }
        if (epochs <= 1) {
            return Decision.byDefault("early-stopping", "off", "one epoch: no later epoch to stop before, and no earlier one to keep");
        }
        return Decision.byDefault("early-stopping", "patience " + Defaults.PATIENCE, "without a budget, training stops when "
                + "validation " + metric + " has not improved for " + Defaults.PATIENCE + " epochs" + (epochs <= Defaults.PATIENCE + 1
                ? " (the " + epochs + " planned are too few for it to end this run early)" : "")
                + ", and the best epoch's weights are kept");
    }

    /** The throughput curve, reused from this machine's cache for the same model when it has one ({@link ThroughputCache}). */
    private static ThroughputProbe.Curve throughputCurve(ProbeContext ctx, ModelSpec spec, Shape input, Loss loss, int maxBatch,
            double maxSeconds) {
        long parameters = ctx.model().getBlock().getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        Map<String, String> model = new TreeMap<>(Map.of("model", spec.toString(), "parameters", Long.toString(parameters),
                "input", input.toString(), "loss", loss.getName()));
        if (spec.torchScript() != null) { // the file's content: another network may keep the path and the parameter count
            File file = new File(spec.torchScript());
            model.put("torchscript", file.getAbsolutePath() + ", " + file.length() + " bytes, modified " + file.lastModified());
        }
        ThroughputProbe.Curve curve = ThroughputProbe.measureOrReuse(ctx, maxBatch, maxSeconds, ThroughputCache.fromEnvironment(),
                model);
        if (curve.reused() != null) {
            LOG.info("learner: throughput curve reused from {} (measured {})", curve.reused().file(), curve.reused().measured());
        } else if (curve.retimed() != null) {
            LOG.info("learner: {}", curve.retimed());
        }
        return curve;
    }

    private record OptimizerAndRate(Decision<String> optimizer, Decision<Double> lr) {}

    /**
     * Why the probes cannot run inside meta-learning's share of the budget even at their minimum
     * lengths (costed from the throughput curve), or null when they can or there is no budget.
     */
    private static String probesDoNotFit(TrainOptions o, List<ThroughputProbe.Point> throughput, ProbeLengths lengths,
            int validationImages) {
        if (o.budget() == null || throughput.isEmpty()) {
            return null;
        }
        lengths.estimate(throughput, Defaults.BATCH_SIZE, 1);
        Allocation minimal = lengths.plan(o.batchSize() == null, o.learningRate() == null, false, false, validationImages);
        double left = lengths.time().leftSeconds();
        if (minimal.seconds() <= left) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "the probes would take %.0f s even at their minimum lengths, and meta-learning"
                + " has %.0f s left of the %.0f s it may take of the %s budget", minimal.seconds(), Math.max(0, left),
                lengths.time().capSeconds(), o.budget());
    }

    /**
     * The optimizer and learning rate by rule, for data too small to probe or a budget too short: AdamW
     * (per-parameter steps make it the safer choice without a range test) at its per-128-images rate,
     * scaled to the batch ({@link Defaults#learningRateAt}).
     */
    private static OptimizerAndRate rules(TrainOptions o, int effective, String reason) {
        Decision<String> optimizer = o.optimizer() != null ? Decision.user("optimizer", o.optimizer())
                : Decision.byDefault("optimizer", "adamw", reason + ", so no range tests; AdamW by rule: its "
                        + "per-parameter step sizes make it the safer choice without one");
        if (o.learningRate() != null) {
            return new OptimizerAndRate(optimizer, Decision.user("lr", o.learningRate()));
        }
        double per128 = Defaults.learningRatePer128(optimizer.value());
        double lr = Defaults.learningRateAt(optimizer.value(), effective);
        return new OptimizerAndRate(optimizer, Decision.byDefault("lr", lr, String.format(Locale.ROOT, "%s, so no range test; "
                + "%.3g per 128 images of batch for %s, scaled %s to the batch of %d",
                reason, per128, optimizer.value(), Defaults.scalingRule(optimizer.value()), effective)));
    }

    /**
     * The optimizer and its learning rate: fixed by the user, a range test of one optimizer, or range
     * tests of the candidates compared; the comparison gives way to AdamW when time is short.
     */
    private static OptimizerAndRate optimizerAndRate(TrainOptions o, ProbeContext ctx, Model model, Loss loss, int batchSize,
            int accumulation, ProbeLengths lengths, int validationImages) {
        int effective = batchSize * accumulation;
        List<String> candidates = o.optimizer() != null ? List.of(o.optimizer()) : Planner.optimizerCandidates(effective);
        if (o.learningRate() != null) {
            return new OptimizerAndRate(Planner.optimizer(o, effective), Decision.user("lr", o.learningRate()));
        }
        String spent = lengths.spentAll("the range test", Defaults.RANGE_TEST_MIN_STEPS);
        if (spent != null) {
            lengths.ran(ProbeLengths.RANGE, 0, Defaults.RANGE_TEST_STEPS);
            return rules(o, effective, spent);
        }
        boolean compare = candidates.size() > 1;
        Allocation a = lengths.plan(false, true, compare, o.schedule() == null, validationImages);
        int steps = a.steps(ProbeLengths.RANGE);
        if (compare && a.steps(ProbeLengths.COMPARE) > 0) {
            List<RangeTests.RangeTest> tests = new ArrayList<>();
            long t = System.nanoTime();
            String cut = null;
            for (String candidate : candidates) {
                // a machine far slower than its curve: once the tests so far took meta-learning past its share, the next
                // one, whose minimum would take it past twice its share, gives way (a review's 2-minute run spent 147 s of
                // its 20 s on two range tests and trained 1 step)
                cut = tests.isEmpty() ? null : lengths.spentAll("the range test of " + candidate, Defaults.RANGE_TEST_MIN_STEPS);
                if (cut != null) {
                    break;
                }
                tests.add(RangeTests.run(ctx, model, loss, candidate, batchSize, accumulation, steps));
                // the next test's minimum is priced at the speed the tests so far measured
                lengths.measuredTrainStep(since(t).toNanos() / 1e9, tests.stream().mapToInt(r -> r.sweep().losses().length).sum());
            }
            if (cut != null) {
                RangeTests.RangeTest only = tests.get(0);
                lengths.ran(ProbeLengths.RANGE, only.sweep().losses().length, Defaults.RANGE_TEST_STEPS);
                lengths.ran(ProbeLengths.COMPARE, 0, Defaults.RANGE_TEST_STEPS);
                return new OptimizerAndRate(Decision.byDefault("optimizer", only.optimizer(), "the comparison was cut: " + cut
                        + "; so the optimizer whose range test ran"), only.decision());
            }
            lengths.ran(ProbeLengths.RANGE, steps, Defaults.RANGE_TEST_STEPS);
            lengths.ran(ProbeLengths.COMPARE, steps, Defaults.RANGE_TEST_STEPS);
            Decision<String> optimizer = RangeTests.compare(tests, effective);
            return new OptimizerAndRate(optimizer, RangeTests.of(tests, optimizer.value()).decision());
        }
        Decision<String> optimizer = compare ? fallbackOptimizer(candidates, lengths) : Planner.optimizer(o, effective);
        if (compare) {
            lengths.ran(ProbeLengths.COMPARE, 0, Defaults.RANGE_TEST_STEPS);
        }
        return oneRangeTest(ctx, model, loss, optimizer, batchSize, accumulation, lengths, steps);
    }

    private static OptimizerAndRate oneRangeTest(ProbeContext ctx, Model model, Loss loss, Decision<String> optimizer, int batchSize,
            int accumulation, ProbeLengths lengths, int steps) {
        long t = System.nanoTime();
        RangeTests.RangeTest test = RangeTests.run(ctx, model, loss, optimizer.value(), batchSize, accumulation, steps);
        lengths.measuredTrainStep(since(t).toNanos() / 1e9, test.sweep().losses().length);
        lengths.ran(ProbeLengths.RANGE, steps, Defaults.RANGE_TEST_STEPS);
        return new OptimizerAndRate(optimizer, test.decision());
    }

    /**
     * Whether one range test at its minimum length, and the budget timing after it, still fit the
     * time meta-learning has left once the batch is set by rule: then the learning rate, the
     * hyperparameter that matters most, is still measured rather than taken from a rule.
     */
    private static boolean rangeTestFits(TrainOptions o, ProbeLengths lengths, int validationImages) {
        if (o.learningRate() != null || o.budget() == null) {
            return false;
        }
        return lengths.plan(false, true, false, false, validationImages).seconds() <= lengths.time().leftSeconds();
    }

    /** The probes as a whole did not fit, but one range test does: the optimizer by rule, its rate from the test. */
    private static OptimizerAndRate rangeTestOnly(TrainOptions o, ProbeContext ctx, Model model, Loss loss, int batchSize,
            int accumulation, ProbeLengths lengths, int validationImages, String reason) {
        Decision<String> optimizer = o.optimizer() != null ? Decision.user("optimizer", o.optimizer())
                : Decision.byDefault("optimizer", "adamw", reason + "; there is time for one range test only, so AdamW by rule:"
                        + " its per-parameter step sizes make it the safer choice without a comparison");
        lengths.ran(ProbeLengths.COMPARE, 0, Defaults.RANGE_TEST_STEPS);
        int steps = lengths.plan(false, true, false, false, validationImages).steps(ProbeLengths.RANGE);
        return oneRangeTest(ctx, model, loss, optimizer, batchSize, accumulation, lengths, steps);
    }

    /**
     * Training images the budget affords when the probes do not fit: the throughput at the usual
     * batch (or the largest measured below it) times the seconds left once meta-learning's share,
     * the time already spent and a validation and test pass are taken off.
     */
    private static double affordableImages(List<ThroughputProbe.Point> throughput, double budgetSeconds, ProbeLengths lengths,
            Splitting split, long runStartNanos) {
        double speed = speedAt(throughput, Defaults.BATCH_SIZE);
        double spent = (System.nanoTime() - runStartNanos) / 1e9;
        double inference = speed * BudgetPlanner.INFERENCE_SPEEDUP;
        // the test pass's share is capped as the plan caps it (AfterTrainingWork.MAX_TEST_SHARE)
        double evaluation = split.validation().size() / inference
                + Math.min(split.test().size() / inference, AfterTrainingWork.MAX_TEST_SHARE * budgetSeconds);
        return speed * Math.max(0, budgetSeconds - spent - lengths.time().leftSeconds() - evaluation);
    }

    /**
     * The batch by rule when the probes do not fit a budget: {@link Defaults#BATCH_SIZE} (at most half
     * the training split), halved down to {@link Defaults#RULE_MIN_BATCH} until the images the budget
     * affords make {@link Defaults#RULE_MIN_STEPS} steps.
     */
    static Decision<Integer> ruleBatch(String reason, double affordableImages, int trainSize) {
        int batch = Math.max(1, Math.min(Defaults.BATCH_SIZE, trainSize / 2));
        while (batch / 2 >= Defaults.RULE_MIN_BATCH && affordableImages / batch < Defaults.RULE_MIN_STEPS) {
            batch /= 2;
        }
        long steps = Math.round(affordableImages / batch);
        String rule = batch < Math.min(Defaults.BATCH_SIZE, trainSize / 2)
                ? String.format(Locale.ROOT, "the budget affords about %.0f training images, too few for %d steps of the usual "
                        + "%d: a short run trains where the gradient noise scale is small, so the batch is halved to %d (about %d "
                        + "steps, at least %d images per batch)", affordableImages, Defaults.RULE_MIN_STEPS,
                        Math.min(Defaults.BATCH_SIZE, trainSize / 2), batch, steps, Defaults.RULE_MIN_BATCH)
                : String.format(Locale.ROOT, "the usual batch by rule (at most half the training split); the budget affords "
                        + "about %.0f training images, %d steps of it", affordableImages, steps);
        return new Decision<>("batch-size", batch, Origin.DEFAULT, "rule", reason + "; " + rule,
                Map.of("affordableImages", affordableImages, "minSteps", Defaults.RULE_MIN_STEPS, "minBatch",
                        Defaults.RULE_MIN_BATCH), Duration.ZERO);
    }

    /** AdamW when there is no time to compare range tests: it adapts each parameter's step to one learning rate. */
    private static Decision<String> fallbackOptimizer(List<String> candidates, ProbeLengths lengths) {
        String name = candidates.contains("adamw") ? "adamw" : candidates.get(0);
        return Decision.byDefault("optimizer", name, lengths.noTimeFor("a second range test to compare " + candidates)
                + "; so " + name + " by rule: its per-parameter step sizes make it the safer choice at a learning rate "
                + "found by one range test");
    }

    /** The schedule: the user's, the trials' choice, or the rule when there is no time for the trials. */
    private static Decision<String> schedule(TrainOptions o, ProbeContext ctx, Splitting split, ResidentDataset train, long seed,
            ScheduleLearner.Setting setting, ProbeLengths lengths, int validationImages) {
        if (o.schedule() != null) {
            return Decision.user("schedule", o.schedule());
        }
        int steps = lengths.plan(false, false, false, true, validationImages).steps(ProbeLengths.SCHEDULE);
        lengths.ran(ProbeLengths.SCHEDULE, steps, Defaults.SCHEDULE_STEPS);
        if (steps == 0) {
            return ScheduleLearner.fallback(lengths.noTimeFor("the schedule trials") + "; so the rule: " + ScheduleLearner.ruleText());
        }
        int[] order = EpochOrder.permutation(Seeds.mix(seed, "schedule-validation", 0), 0, split.validation().size());
        try (ResidentDataset validation = new ResidentDataset(split.validation().subset(Arrays.copyOf(order, validationImages)),
                train.normalization(), train.manager().getDevice(), train.task())) {
            return ScheduleLearner.learn(ctx, validation, setting.withSteps(steps));
        }
    }

    private static <T> Decision<T> log(Decision<T> decision) {
        LOG.info("decision: {}", decision.describe());
        return decision;
    }

    static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** The throughput curve's point at exactly {@code batch}, or 0 when it has none. */
    static double pointAt(List<ThroughputProbe.Point> points, int batch) {
        return points.stream().filter(p -> p.fits() && p.batchSize() == batch).mapToDouble(ThroughputProbe.Point::imagesPerSecond)
                .findFirst().orElse(0);
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
}
