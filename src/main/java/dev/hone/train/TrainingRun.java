package dev.hone.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.core.EventEngine;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.data.ClassNameTypos;
import dev.hone.data.DataBundle;
import dev.hone.data.DatasetFingerprint;
import dev.hone.data.DatasetResolver;
import dev.hone.core.HoneException;
import dev.hone.data.FormatInference;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.unlabeled.UnlabeledImages;
import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.data.Normalization;
import dev.hone.loop.Cancellation;
import dev.hone.loop.Checkpoints;
import dev.hone.loop.Evaluator;
import dev.hone.loop.FitLoop;
import dev.hone.loop.PhaseCancelledException;
import dev.hone.loop.PhaseHooks;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.PolicyTechniques;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.models.ConvolutionChannels;
import dev.hone.models.InputLimits;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.models.UserBlocks;
import dev.hone.optimize.BudgetPacer;
import dev.hone.optimize.EarlyStopping;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.optimize.MomentumSchedule;
import dev.hone.optimize.MomentumScheduleTechnique;
import dev.hone.optimize.Optimizers;
import dev.hone.optimize.ProgressiveResizing;
import dev.hone.optimize.Schedule;
import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import dev.hone.record.Json;
import dev.hone.record.Origin;
import dev.hone.regularize.TestTimeAugmentation;
import dev.hone.regularize.WeightAveraging;
import dev.hone.report.Evaluation;
import dev.hone.report.EvaluationMetrics;
import dev.hone.report.ReportWriter;
import dev.hone.report.TrainingRecord;
import dev.hone.tasks.Binary;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code hone train}: data in, a trained and evaluated model directory out.
 *
 * <p>Order matters for honesty: the test set is split off (or given) first and touched only by
 * the final evaluation; normalisation is computed on the training split alone; every choice is a
 * logged {@link Decision}; the plan is saved before training so a resume follows it exactly; the
 * output appears only when complete.
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    /** The work folder's plan of the learners before semi-supervised learning, kept until the run's outputs are written. */
    static final String PLAN_BEFORE_SSL = "plan-before-ssl.json";
    /** The work folder's checkpoint folder: the last finished epoch's weights, optimizer state and progress. */
    static final String CHECKPOINT_DIR = "checkpoint";
    public static final String METRICS = "metrics.jsonl";

    private TrainingRun() {}

    /** What a finished run produced. */
    public record Result(Path out, Evaluation evaluation, TrainingRecord record) {}

    /**
     * When the run began, for its record.
     *
     * @param started the first attempt's start (this attempt's for a run in one go)
     * @param resumed this attempt's start when it resumes an interrupted run, else null
     * @param earlierResumes the starts of the attempts that resumed the run before this one, oldest first
     */
    private record Times(String started, String resumed, List<String> earlierResumes) {}

    /**
     * How this run resumes a stopped one: the seconds the stopped run had kept as spent ({@link SpentTime}; empty for a
     * fresh run, or when it kept none), and whether its plan was saved, so that this run trains from it.
     */
    private record Resumption(OptionalDouble spentBefore, boolean planKept) {}

    /** Runs without hooks: the log reports it, nothing else hears it, nothing cancels it. */
    public static Result run(TrainOptions o) {
        return run(o, RunHooks.none());
    }

    /**
     * Runs with the caller's hooks: its observers, decision and epoch listeners, and cancellation.
     *
     * @throws RunCancelledException when {@code hooks} cancel the run; its work folder is kept for a resume
     */
    public static Result run(TrainOptions o, RunHooks hooks) {
        // the budget covers the whole run from here: data loading, meta-learning, training, evaluation, outputs
        long launched = LaunchTime.sinceLaunchMillis(); // the JVM's start-up, from ./hone
        long runStart = System.nanoTime() - launched * 1_000_000;
        long processStart = runStart;
        String started = Instant.now().minusMillis(launched).toString();
        Planner.validate(o);
        OutputDirectory.checkApart(o.out(), "--data", o.data());
        OutputDirectory.checkApart(o.out(), "--test", o.test());
        OutputDirectory.checkUsable(o.out(), o.resume());
        OutputDirectory.checkResumeFlags(o.out(), o.identityFields(), o.resume(),
                OutputDirectory.sources(o.data(), o.test(), o.unlabeled()));
        ModelSpec spec = modelSpec(o);
        ImageFormat fixed = o.block() == null ? null : new ImageFormat((int) o.block().inputChw().get(0),
                (int) o.block().inputChw().get(1), (int) o.block().inputChw().get(2)); // a user's network takes one size
        DataBundle resolved = DatasetResolver.resolve(o.data(), o.test(), fixed, o.labelDelimiter(), "multi-label".equals(o.task()),
                o.ignoreIndexOrDefault(), o.images());
        TaskChoice choice = TaskChoice.of(o.task(), o.positive(), resolved.train(), resolved.trainSource());
        DataBundle chosen = choice.data() == resolved.train() ? resolved : resolved.withSets(choice.data(), choice.conform(resolved.test()));
        // what hone notices in the data once read joins what its sources said: the console, the record's data.warnings
        List<String> noticed = new ArrayList<>(ClassNameTypos.lines(resolved.train(), resolved.trainSource()));
        noticed.addAll(RareClasses.warnings(chosen.train(), chosen.trainSource(), chosen.test() != null));
        DataBundle bundle = chosen.withWarnings(noticed);
        Task task = choice.task();
        if (task.boxTargets() && !spec.usesUserBlock() && !ModelFactory.detectionArchitectures().contains(spec.architecture())) {
            ModelSpec detector = ModelFactory.detectorFor(spec);
            LOG.info("model: --model {} detects as {} (CenterNet on its encoder)", spec.architecture(), detector.architecture());
            spec = detector;
        }
        ImbalancePlanning.validate(o, task);
        ResizingPlanning.validate(o.progressiveResizing());
        TaskFlags.validate(o, task, resolved.train());
        bundle.skippedLines().forEach(LOG::warn);
        bundle.warnings().forEach(w -> LOG.warn("data: {}", w));
        bundle.conformedLines(fixed != null ? "the network's input"
                : "the format inferred from them (their median size, the longer side at most " + FormatInference.MAX_SIDE
                        + "; colour if any is)")
                .forEach(l -> LOG.info("data: {}", l));
        long seed = o.seed() != null ? o.seed() : Defaults.SEED;
        Splitting split = Splitting.of(bundle, o.validationFraction() != null ? o.validationFraction() : Defaults.holdOut(bundle), seed,
                o.keepDuplicates(), o.validationFraction() != null);
        split.duplicates().warnings().forEach(w -> LOG.warn("duplicates: {}", w));
        List<String> absent = RareClasses.absentFromTraining(split.train()); // to the console and the record's data.warnings
        absent.forEach(w -> LOG.warn("data: {}", w));
        bundle = bundle.withWarnings(absent);
        DataSufficiency enough = DataSufficiency.of(split);
        enough.requireTest(bundle.trainSource());
        enough.warnings().forEach(w -> LOG.warn("data: {}", w));
        Normalization norm = Normalization.of(split.train());
        List<Decision<?>> dataDecisions = new ArrayList<>();
        dataDecisions.add(Planner.seed(o));
        dataDecisions.add(choice.decision());
        dataDecisions.addAll(split.decisions());
        if (!enough.warnings().isEmpty()) {
            dataDecisions.add(Decision.derived("data-sufficiency", enough.probes() && enough.judging() ? "small test split"
                    : "rules instead of probes", "minimum images per measurement", String.join("; ", enough.warnings()),
                    Map.of("trainImages", enough.trainImages(), "validationImages", enough.validationImages(),
                            "testImages", enough.testImages(), "minProbeImages", DataSufficiency.MIN_PROBE_IMAGES,
                            "minValidationImages", DataSufficiency.MIN_VALIDATION_IMAGES)));
        }
        norm.degenerate().forEach(w -> LOG.warn("normalization: {}", w));
        dataDecisions.add(Decision.derived("normalization", norm.toString(), "training-split statistics",
                "per-channel mean and std of the training split only, saved with the model"
                        + (norm.degenerate().isEmpty() ? "" : "; " + String.join("; ", norm.degenerate())),
                Map.of("degenerateChannels", norm.degenerate().size())));
        Device device = Engine.getInstance().defaultDevice();
        dataDecisions.add(Decision.derived("device", Environment.name(device), "fastest available",
                device.isGpu() ? "a GPU is visible to the engine" : "no GPU visible; CPU with "
                        + System.getProperty("ai.djl.pytorch.num_threads", "default") + " threads",
                Map.of("gpus", Engine.getInstance().getGpuCount())));
        dataDecisions.forEach(d -> LOG.info("decision: {}", d.describe()));
        dataDecisions.forEach(hooks.decisions());
        hooks.checkCancelled(o.out(), "data loading");

        ImageFormat format = bundle.format();
        Shape input = new Shape(format.channels(), format.height(), format.width());
        int classes = split.train().numClasses();
        ModelFactory.Head head = task.boxTargets() ? ModelFactory.Head.CENTRES
                : task.spatialTargets() ? ModelFactory.Head.PIXELS : ModelFactory.Head.IMAGE;
        ModelFactory.checkFitsTask(spec, head);
        InputLimits.check(spec, format.height(), format.width(), o.data());
        // the model is built (and a TorchScript file checked) before anything is written
        int sideMultiple;
        try (Model check = ModelFactory.create(spec, input, task.outputs(classes), head)) {
            LOG.debug("model {} builds for input {}", spec, input);
            ModelSpec built = spec;
            int outputs = task.outputs(classes);
            ConvolutionChannels.warning(check.getBlock(), () -> ConvolutionChannels.fix(built, outputs))
                    .ifPresent(w -> LOG.warn("model: {}", w));
            sideMultiple = check.getBlock() instanceof dev.hone.models.UNet u ? u.sideMultiple() : 1;
        }
        if (o.policy() != null) {
            PolicyFile.checkFits(PolicyFile.read(o.policy()), o.policy(), spec, format.channels());
        }
        UnlabeledSet unlabeled = readUnlabeled(o, task, format, split);
        Map<String, String> identity = new LinkedHashMap<>(o.identityFields());
        identity.put("data", DatasetFingerprint.of(bundle.train()));
        identity.put("test", bundle.test() == null ? "held-out" : DatasetFingerprint.of(bundle.test()));
        if (unlabeled != null) {
            identity.put("unlabeled", unlabeled.fingerprint());
        }
        OutputDirectory dir = OutputDirectory.prepare(o.out(), new RunIdentity(identity), o.resume(), started,
                OutputDirectory.sources(o.data(), o.test(), o.unlabeled()));
        // a resumed run's record starts where its first attempt did, and says when this one began
        Times times = new Times(dir.firstStart() != null ? dir.firstStart() : started, dir.resuming() ? started : null,
                dir.earlierResumes());
        Path checkpointDir = dir.work().resolve(CHECKPOINT_DIR);
        try (ResidentDataset train = new ResidentDataset(split.train(), norm, device, task);
                ResidentDataset validation = new ResidentDataset(split.validation(), norm, device, task)) {
            // the time the stopped run had spent, read before this run keeps its own in the same file
            Resumption resumption = new Resumption(dir.resuming() ? SpentTime.read(dir.work()) : OptionalDouble.empty(),
                    dir.resuming() && Files.exists(dir.work().resolve(TrainingPlan.FILE)));
            if (dir.resuming() && !resumption.planKept()) {
                // a run that resumes semi-supervised learning counts the time its first run had spent when it saved its
                // progress
                runStart = SslProgress.budgetStart(dir.work(), runStart);
            } else if (!dir.resuming()) {
                // a work folder kept from a run that cannot be resumed holds no progress and no time for this one
                SslProgress.clear(dir.work());
                SpentTime.clear(dir.work());
            }
            if (resumption.spentBefore().isPresent()) {
                // the budget counts the stopped run's time in every phase from here on: its start moves back by it (by the
                // larger of the two, when semi-supervised learning kept its own)
                runStart = Math.min(runStart, SpentTime.budgetStart(processStart, resumption.spentBefore().getAsDouble()));
            }
            SslPlanning.Result planned;
            // a run killed with kill -9 while it plans resumes counting the time it had spent, kept every 10 s
            try (SpentTime.Keeper keeping = o.budget() != null ? SpentTime.whilePlanning(dir.work(), runStart) : () -> {}) {
                planned = plan(o, dir, spec, input, sideMultiple, classes, task, train, validation, split, norm, seed, dataDecisions,
                        unlabeled, runStart, hooks.phaseHooks());
            } catch (PhaseCancelledException e) {
                // no plan is saved: a resume plans again, or with --unlabeled starts from the learners' plan before SSL
                throw new RunCancelledException(o.out(), 0, e.phase());
            }
            TrainingPlan plan = planned.plan();
            Loss loss = ImbalancePlanning.trainingTask(task, plan, split.train()).loss(); // validation and test keep plain BCE
            java.util.Set<String> heard = new java.util.HashSet<>();
            dataDecisions.forEach(d -> heard.add(d.name()));
            plan.decisions().stream().filter(d -> !heard.contains(d.name())).forEach(hooks.decisions());
            hooks.checkCancelled(o.out(), "meta-learning");
            ModelSpec trained = plan.policy().onto(spec.withBatchNormMomentum(plan.batchNormMomentum()));
            Result result;
            // with Noisy Student chosen, the student trains on the labeled and pseudo-labeled images
            try (ResidentDataset student = planned.studentSet() == null ? null : new ResidentDataset(planned.studentSet(), norm,
                    device, task)) {
                result = train(o, times, runStart, resumption, trained, bundle, split, norm, plan, loss, student == null ? train : student,
                        validation, dir, checkpointDir, device, hooks, planned, unlabeled);
            }
            // the choices made after training (final weights, thresholds, back-offs), in the record's order
            result.record().decisions().stream().skip(plan.decisions().size()).forEach(hooks.decisions());
            return result;
        } catch (RunCancelledException e) {
            // the work folder stays for the resume: the plan, the last finished epoch's checkpoint, and the time spent
            if (o.budget() != null) {
                SpentTime.keep(dir.work(), (System.nanoTime() - runStart) / 1e9);
            }
            throw e;
        } catch (RuntimeException | Error e) {
            dir.discardIfNothingToResume(checkpointDir);
            throw e;
        } finally {
            dir.release(); // an API caller may resume in this process
        }
    }

    /**
     * The saved plan (and pseudo-labels) when resuming, else a new one from the learners, saved before training; with the
     * student's training set when semi-supervised learning was chosen.
     *
     * With {@code --unlabeled}, the learners' plan is saved before semi-supervised learning ({@link #PLAN_BEFORE_SSL}),
     * and a resume without a saved plan starts there.
     *
     * @throws PhaseCancelledException when {@code hooks} cancel a learner's training, or between two learners
     */
    private static SslPlanning.Result plan(TrainOptions o, OutputDirectory dir, ModelSpec spec, Shape input, int sideMultiple,
            int classes, Task task, ResidentDataset train, ResidentDataset validation, Splitting split, Normalization norm, long seed,
            List<Decision<?>> dataDecisions, UnlabeledSet unlabeled, long runStart, PhaseHooks hooks) {
        Path file = dir.work().resolve(TrainingPlan.FILE);
        if (dir.resuming() && Files.exists(file)) {
            LOG.info("resuming with the plan saved in {}", file);
            SslProgress.clear(dir.work()); // planning had finished: a kill may have come before its progress was removed
            TrainingPlan saved = readSaved(file, dir.work());
            return SslResume.resume(saved, dir.work(), split, unlabeled);
        }
        // semi-supervised learning takes most of its run's budget: the learners' plan before it is saved, so that a run
        // cancelled (or killed) during it resumes there instead of running the learners again, and from there after the
        // last teacher it saved (SslProgress)
        Path beforeSsl = dir.work().resolve(PLAN_BEFORE_SSL);
        TrainingPlan plan;
        if (dir.resuming() && unlabeled != null && Files.exists(beforeSsl)) {
            LOG.info("resuming with the plan saved before semi-supervised learning in {}", beforeSsl);
            plan = readSaved(beforeSsl, dir.work());
        } else {
            plan = OptimizationLearners.plan(o, spec, input, task.outputs(classes), task.loss(), train, split, seed,
                    dataDecisions, runStart, hooks);
            plan = ImbalancePlanning.plan(o, plan, spec, input, classes, task, split, norm, train.manager().getDevice(),
                    dir.work().resolve("imbalance"), runStart, hooks);
            hooks.check("the imbalance learner");
            plan = RegularizationPlanning.plan(o, plan, spec, input, classes, ImbalancePlanning.trainingTask(task, plan,
                    split.train()), split, norm, train.manager().getDevice(), dir.work().resolve("search"), runStart, hooks);
            hooks.check("the regularization search");
            plan = ResizingPlanning.plan(o, plan, input, sideMultiple, task, split, runStart);
            if (unlabeled != null) {
                Json.writeAtomically(beforeSsl, plan);
                SslProgress.saveStart(dir.work(), (System.nanoTime() - runStart) / 1e9);
            }
        }
        SslPlanning.Result ssl = SslPlanning.plan(o, plan, spec, input, classes, ImbalancePlanning.trainingTask(task, plan, split.train()),
                split, norm, train, validation, unlabeled, dir.work(), runStart, hooks);
        if (unlabeled != null && ssl.keptNothing()) {
            // semi-supervised learning kept nothing to train from: the plain run may resize its images
            ssl = new SslPlanning.Result(ResizingPlanning.forPlainRun(o, ssl.plan(), input, sideMultiple, task, split, runStart));
        }
        Json.writeAtomically(file, ssl.plan()); // a resume reads this one first; the plan before SSL goes with the work files
        if (ssl.plan().budgetSeconds() > 0) {
            // the time spent so far, kept before the final training's first step keeps it, for a kill in between
            SpentTime.keep(dir.work(), (System.nanoTime() - runStart) / 1e9);
        }
        SslProgress.clear(dir.work());
        return ssl;
    }

    /**
     * The {@code --unlabeled} images, conformed to the labeled format, without copies of labeled or test images; null
     * without the flag.
     *
     * @throws HoneException for a task semi-supervised learning does not serve yet, or images that cannot be read
     */
    private static UnlabeledSet readUnlabeled(TrainOptions o, Task task, ImageFormat format, Splitting split) {
        SslFixMatch.method(o); // an unknown --ssl, or one without --unlabeled, fails before the images load
        if (o.unlabeled() == null) {
            return null;
        }
        if (task.spatialTargets() || task.boxTargets()) {
            throw new HoneException("--unlabeled: semi-supervised learning serves classification (single-label, binary and"
                    + " multi-label) for now, and this task is " + task.name() + " (it would need pseudo-"
                    + (task.boxTargets() ? "boxes" : "masks") + "). Fix: drop --unlabeled");
        }
        // the test split apart, held out of --data or given, so that unlabeled copies of test images are named as such
        UnlabeledSet set = UnlabeledImages.read(Path.of(o.unlabeled()), format, List.of(split.train(), split.validation()),
                split.test());
        set.lines().forEach(l -> LOG.info("data: {}", l));
        return set;
    }

    private static ModelSpec modelSpec(TrainOptions o) {
        ModelSpec spec = o.block() != null ? ModelSpec.ofUserBlock(UserBlocks.register(o.block().factory())) : ModelSpec.parse(o.model());
        if (o.width() != null && spec.fixedLayers()) {
            throw new HoneException("--width " + o.width() + " has no effect on the user's network " + spec.displayName()
                    + ": hone does not change its layers. Fix: drop --width, or build the width into the network");
        }
        if (o.width() != null) {
            spec = spec.withWidth(o.width());
        }
        if (o.smallStem() != null) {
            spec = ModelFactory.withSmallStemFlag(spec, o.smallStem());
        }
        return spec;
    }

    /** A plan an interrupted run saved; a damaged one is named with the fix. */
    private static TrainingPlan readSaved(Path file, Path work) {
        try {
            return Json.read(file, TrainingPlan.class);
        } catch (java.io.UncheckedIOException e) {
            throw new HoneException("the interrupted run's plan cannot be read: " + file + " is damaged or incomplete ("
                    + Json.problem(e) + "). Fix: delete " + work + " and train again without --resume", e);
        }
    }

    private static Result train(TrainOptions o, Times times, long runStart, Resumption resumption, ModelSpec spec, DataBundle bundle, Splitting split,
            Normalization norm, TrainingPlan plan, Loss loss, ResidentDataset train, ResidentDataset validation,
            OutputDirectory dir, Path checkpointDir, Device device, RunHooks hooks, SslPlanning.Result ssl, UnlabeledSet unlabeled) {
        // everything before the final training is planning (on a resume, with the stopped run's time)
        PhaseTimes phases = new PhaseTimes(System::nanoTime, runStart, plan.budgetSeconds());
        phases.end("planning");
        ImageFormat format = bundle.format();
        float[][] teacher = ssl.teacher(); // the weights the run starts from and the guard-rail compares with; null without SSL
        Engine.getInstance().setRandomSeed((int) plan.seed());
        // with FixMatch chosen, the unlabeled images its batches draw from
        try (ResidentDataset pool = ssl.unlabeledPool() == null ? null : new ResidentDataset(ssl.unlabeledPool(), norm, device, train.task());
                Model model = ModelFactory.create(spec, new Shape(format.channels(), format.height(), format.width()),
                train.task().outputs(split.train().numClasses()))) {
            HoneOptimizer optimizer = Optimizers.create(plan.optimizer(), plan.peakLearningRate(), plan.weightDecay());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer).optDevices(new Device[] {device}))) {
                if (!model.getBlock().isInitialized()) {
                    trainer.initialize(new Shape(1, format.channels(), format.height(), format.width()));
                }
                if (teacher != null) {
                    // a Noisy Student, FixMatch or the teacher's supervised continuation starts from its teacher, a fine-tuning
                    // from the pretrained encoder; a checkpoint overrides it
                    TrialRunner.restore(model, ssl.startWeights());
                }
                optimizer.bind(model.getBlock());
                Checkpoints checkpoints = new Checkpoints(checkpointDir);
                Checkpoints.Progress progress = resume(dir, checkpoints, model, optimizer);
                int batches = plan.stepsPerEpoch(train.size());
                TrainingState state = new TrainingState(plan.epochs(), batches, plan.totalSteps(), plan.peakLearningRate());
                state.setLearningRateScale(progress.learningRateScale() > 0 ? progress.learningRateScale() : 1);
                state.restoreScheduleFrame(progress.schedule()); // a budget's re-plans before the kill
                RegularizationPolicy policy = plan.policy();
                List<Technique> techniques = new ArrayList<>(PolicyTechniques.training(policy,
                        Schedule.of(plan.schedule(), plan.peakLearningRate(), plan.warmupFraction()), norm, plan.seed(), train.task()));
                dev.hone.ssl.FixMatchTraining fixMatch = null;
                int unlabeledPerLabeled = 0; // FixMatch's mu
                if (pool != null) {
                    // FixMatch chosen: after the policy's techniques, so the labeled images are augmented first
                    dev.hone.ssl.FixMatchSettings settings = SslFixMatch.of(plan.decisions());
                    unlabeledPerLabeled = settings.ratio();
                    fixMatch = SslFixMatch.technique(model.getBlock(), pool, train.task(), norm, plan.seed(), settings)
                            .withMicroBatches(plan.accumulation());
                    techniques.add(fixMatch);
                }
                ProgressiveResizing resizing = ResizingPlanning.technique(plan, format.height(), format.width());
                if (resizing != null) {
                    techniques.add(resizing); // after the policy's techniques: the augmentation and the mixing see full-size images
                }
                // the work after training, as the plan kept time for it (at a plain step's speed: a FixMatch plan records its
                // labeled images a second): on a short budget the learned candidates are not tried
                double afterSpeed = SslFixMatch.plainImagesPerSecond(plan.measuredImagesPerSecond(), unlabeledPerLabeled);
                AfterTrainingWork work = AfterTrainingWork.of(policy, plan.decisions(), train.task(), AfterTrainingWork.batchNorm(o),
                        train.size(), plan.batchSize(), split.validation().size(), split.test().size(), plan.budgetSeconds(),
                        afterSpeed, teacher != null);
                boolean fixedAverage = FinalChoices.fixedAveraging(policy) != null;
                Map<String, WeightAveraging> averages = work.candidates() || fixedAverage
                        ? FinalChoices.averages(policy, model, plan.totalSteps()) : Map.of();
                techniques.addAll(averages.values());
                // a fixed average's statistics are recomputed for its weights whatever the budget (SWA's procedure)
                FinalChoices.Recalibration recalibration = work.candidates() || fixedAverage
                        ? new FinalChoices.Recalibration(train, plan.batchSize(), plan.seed()) : null;
                boolean wholeSplit = FinalChoices.wholeSplit(split.validation().size(), plan.budgetSeconds(), afterSpeed,
                        train.task().spatialTargets());
                MomentumSchedule momentum = Schedule.momentumFor(plan.schedule());
                if (momentum != null) {
                    techniques.add(new MomentumScheduleTechnique(optimizer, momentum));
                }
                EarlyStopping earlyStopping = null;
                if (plan.patience() > 0) {
                    earlyStopping = new EarlyStopping(model, plan.patience(), dir.work().resolve("best.params"), progress.history(),
                            train.task().validationMetric());
                    techniques.add(earlyStopping);
                }
                BudgetPacer pacer = null;
                // a resumed run paces the rest of its training into what is left of the budget, counting the time the
                // stopped run had spent (kept from its first step and every few seconds in the work folder), also when it
                // was stopped in its first epoch and trains again from the plan
                OptionalDouble spentBefore = plan.budgetSeconds() <= 0 ? OptionalDouble.empty() : resumption.spentBefore();
                long budgetStart = runStart; // moved back by the stopped run's time already
                if (plan.budgetSeconds() > 0) {
                    techniques.add(SpentTime.keeper(dir.work(), budgetStart, System::nanoTime));
                }
                if (plan.budgetSeconds() > 0 && (progress.history().isEmpty() || spentBefore.isPresent())) {
                    // a FixMatch step trains on mu unlabeled images per labeled one too: counting only the labeled ones
                    // made the inference speed look 8 times slower until the first validation pass measured it
                    int imagesPerStep = plan.batchSize() * plan.accumulation() * (1 + unlabeledPerLabeled);
                    pacer = new BudgetPacer(System::nanoTime, budgetStart + (long) (plan.budgetSeconds() * 1e9),
                            Duration.ofMillis((long) (plan.budgetSeconds() * 1000)), new BudgetPacer.AfterTraining(
                            split.validation().size(), split.test().size() * work.testViews(), work.validationPasses(),
                            dev.hone.metalearn.budget.BudgetPlanner.OUTPUT_SECONDS, work.maxPassSeconds(), work.maxTestSeconds()),
                            imagesPerStep);
                    if (resizing != null) {
                        // its small steps are weighed by what they cost, and a full-size step is read no faster than
                        // the plan timed it until full-size steps are measured
                        pacer = pacer.withStepCost(resizing::cost)
                                .withFullStepSeconds(imagesPerStep / plan.measuredImagesPerSecond());
                    }
                    techniques.add(pacer);
                }
                techniques.add(new Cancellation(hooks.cancelled()));
                // the images the model sees, hashed before training rather than in the seconds left after it
                long[] seen = dev.hone.data.SeenImages.digests(split.train(), split.validation());
                long pacedFrom = state.totalSteps(); // the plan's, or on a resume the total set before the stop
                FitLoop.Result fit = fit(plan, model, trainer, optimizer, loss, train, validation, checkpoints, dir, state,
                        new EventEngine(techniques, hooks.observers()), progress.history(), hooks);
                if (fixMatch != null) {
                    LOG.info("fixmatch: {} of the unlabeled images passed the confidence threshold, on average over the run's batches",
                            String.format(java.util.Locale.ROOT, "%.1f%%", 100 * fixMatch.meanMaskRate()));
                }
                if (fit.cancelled()) {
                    throw new RunCancelledException(o.out(), fit.history().size(), "training");
                }
                phases.end("training");
                List<Decision<?>> decisions = new ArrayList<>(plan.decisions());
                decisions.addAll(fit.backoffs());
                if (pacer != null && !pacer.replans().isEmpty()) {
                    decisions.add(pacing(pacer, pacedFrom, state, fit, progress.history().isEmpty() ? -1 : plan.totalSteps()));
                }
                // semi-supervised learning resumed records its own (where it went on from)
                boolean sslResumed = plan.decisions().stream().anyMatch(d -> d.name().equals("resume"));
                if (!progress.history().isEmpty() || spentBefore.isPresent() && !sslResumed) {
                    // stopped after its last epoch (during the final choices or the test pass): no step was left to train
                    boolean trainingDone = !progress.history().isEmpty() && fit.history().size() == progress.history().size();
                    decisions.add(resumed(progress.completedEpochs(), plan, state.totalSteps(), spentBefore, resumption.planKept(),
                            trainingDone));
                }
                if (plan.budgetSeconds() > 0) {
                    // the total as the pacer last re-planned it
                    shortfall(o.budget(), state.totalSteps()).ifPresent(d -> {
                        LOG.warn("budget: {}", d.rationale());
                        decisions.add(d);
                    });
                }
                if (fit.diverged()) {
                    throw FitLoop.diverged(fit.stopReason(), checkpoints, fit.history().size(), ConvolutionChannels.divergenceNote(
                            model.getBlock(), () -> ConvolutionChannels.fix(spec, train.task().outputs(split.train().numClasses()))));
                }
                if (earlyStopping != null && earlyStopping.restoredEpoch() > 0) {
                    decisions.add(Decision.derived("final-weights", "epoch " + earlyStopping.restoredEpoch(), "early stopping",
                            "the weights of the epoch with the best validation " + train.task().validationMetric() + " were put back before the"
                                    + " final evaluation",
                            Map.of("epoch", earlyStopping.restoredEpoch())));
                }
                LOG.info("stopped: {}", fit.stopReason());
                boolean restored = earlyStopping != null && earlyStopping.restoredEpoch() > 0;
                Origin policyOrigin = plan.decisions().stream().filter(x -> x.name().equals("regularization-policy"))
                        .map(Decision::origin).findFirst().orElse(Origin.USER);
                int[] rows = FinalChoices.comparedRows(validation.size(), plan.seed(), wholeSplit);
                EvaluationBudget time = evaluationBudget(pacer, plan);
                FinalChoices.Chosen chosen;
                try (ResidentDataset compared = rows.length == validation.size() ? null : new ResidentDataset(
                        split.validation().subset(rows), norm, device, validation.task())) {
                    chosen = FinalChoices.choose(model, validation, compared == null ? validation : compared, rows, averages,
                            FinalChoices.fixedAveraging(policy), policy.testTimeAugmentation(), FinalChoices.vetoedFlip(plan.decisions()),
                            restored ? null : fit.lastValidation(), policyOrigin, time, split.test().size(), recalibration,
                            work.notTried());
                }
                List<Decision<?>> finalChoices = new ArrayList<>(chosen.decisions());
                if (!work.candidates() && policy.weightAveraging() == null) {
                    finalChoices.add(0, FinalChoices.averagesNotTried(work.notTried()));
                }
                finalChoices.forEach(x -> LOG.info("decision: {}", x.describe()));
                decisions.addAll(finalChoices);
                averages.values().forEach(WeightAveraging::close);
                // what the budget left untried stays left to validation in the written policy, so that replaying it on a
                // longer budget compares them
                boolean untried = !work.candidates();
                RegularizationPolicy used = policy.withEvaluation(untried && policy.weightAveraging() == null ? null
                        : chosen.weights().equals("last") ? "none" : chosen.weights(),
                        untried && policy.testTimeAugmentation() == null ? null : chosen.testTimeAugmentation());
                Predictions val = chosen.validation();
                if (teacher != null) {
                    SslGuardRail.GuardRail rail = SslGuardRail.judge(model, teacher, validation, val, validation.task(), plan.seed(),
                            finalRun(ssl), SslPlanning.finalTeacher(plan.decisions()), time.affords(2L * split.test().size(), 0)
                                    ? () -> new ResidentDataset(split.test(), norm, device, validation.task()) : null,
                            unlabeled != null && unlabeled.size() >= SslPlanning.MIN_UNLABELED_SHARE * split.train().size());
                    decisions.add(rail.decision());
                    if (!rail.studentKept()) {
                        val = rail.teacher();
                        used = policy.withEvaluation("none", false);
                    }
                }
                phases.end("final choices");
                return finish(o, times, dir, spec, format, norm, split, bundle, model, decisions, fit, checkpoints, plan.seed(), device,
                        used, validation.task(), val, unlabeled, time, seen, phases);
            }
        }
    }

    /**
     * The time a budgeted run has left after training and the speed to size its last passes by: the pacer's deadline and
     * its measured inference speed (before any validation pass measured it, the training speed times the planner's
     * inference speed-up); unlimited without a budget or a pacer (a resumed run of an earlier hone).
     */
    static EvaluationBudget evaluationBudget(BudgetPacer pacer, TrainingPlan plan) {
        if (pacer == null) {
            return EvaluationBudget.UNLIMITED;
        }
        double speed = pacer.inferenceImagesPerSecond();
        if (!(speed > 0) || Double.isInfinite(speed)) {
            speed = plan.measuredImagesPerSecond() * dev.hone.metalearn.budget.BudgetPlanner.INFERENCE_SPEEDUP;
        }
        return speed > 0 && Double.isFinite(speed)
                ? new EvaluationBudget(System::nanoTime, pacer.endNanos(), speed,
                dev.hone.metalearn.budget.BudgetPlanner.OUTPUT_SECONDS, EvaluationBudget.GRACE * plan.budgetSeconds()) : EvaluationBudget.UNLIMITED;
    }

    /**
     * The warning of a budget that trained fewer than {@link Defaults#MIN_BUDGET_STEPS} steps, or none.
     *
     * @param steps the run's total steps as the budget pacer last set them (the plan's when it never re-planned)
     */
    static java.util.Optional<Decision<?>> shortfall(String budget, long steps) {
        if (steps >= Defaults.MIN_BUDGET_STEPS) {
            return java.util.Optional.empty();
        }
        String why = String.format("the %s budget left time for only %d training steps (fewer than %d): too few to learn much;"
                + " give a larger --budget", budget, steps, Defaults.MIN_BUDGET_STEPS);
        return java.util.Optional.of(Decision.derived("budget-shortfall", steps + " steps", "budget plan", why,
                Map.of("totalSteps", steps, "minSteps", Defaults.MIN_BUDGET_STEPS)));
    }

    /** What a semi-supervised final run trained, for its guard-rail. */
    private static SslGuardRail.FinalRun finalRun(SslPlanning.Result ssl) {
        if (ssl.unlabeledPool() != null) {
            return SslGuardRail.FinalRun.FIXMATCH;
        }
        if (ssl.studentSet() != null) {
            return SslGuardRail.FinalRun.STUDENT;
        }
        return ssl.start() != null ? SslGuardRail.FinalRun.FINE_TUNED : SslGuardRail.FinalRun.CONTINUED;
    }

    /**
     * The record of a run resumed from the checkpoint of epoch {@code epoch}: it trained on to {@code totalSteps}. A run of
     * fixed epochs trains the steps of its plan, so its weights are those of the run never stopped. A budgeted run whose
     * stopped part kept its time ({@code spentBefore}) was paced into what was left of its budget from the total its
     * pacer had set before the stop; without that time (a checkpoint of an earlier hone) it trained on to that total
     * unpaced. A run stopped before its plan was saved ({@code planKept} false, epoch 0) planned again; one stopped after
     * its last epoch ({@code trainingDone}) trained nothing, and ran only what follows training again.
     */
    static Decision<String> resumed(int epoch, TrainingPlan plan, long totalSteps, OptionalDouble spentBefore, boolean planKept,
            boolean trainingDone) {
        String how;
        if (trainingDone) {
            how = String.format(java.util.Locale.ROOT, "its training had finished before the stop (%d steps), so only what"
                    + " follows training (the final choices and the test pass) ran again%s", totalSteps, spentBefore.isPresent()
                    ? String.format(java.util.Locale.ROOT, ", in what was left of the %.0f s budget after the %.0f s the stopped"
                    + " run had spent", plan.budgetSeconds(), spentBefore.getAsDouble()) : "");
        } else if (plan.budgetSeconds() <= 0) {
            how = String.format(java.util.Locale.ROOT, "it trained on to the %d steps of its plan, so that its weights are"
                    + " those of the run never stopped", totalSteps);
        } else if (spentBefore.isPresent()) {
            how = String.format(java.util.Locale.ROOT, "the stopped run had spent %.0f s of the %.0f s budget, and the pacer"
                    + " fitted the rest of the training into what was left, to %d steps in all (the plan's %d%s)",
                    spentBefore.getAsDouble(), plan.budgetSeconds(), totalSteps, plan.totalSteps(), epoch == 0 && !planKept ? ""
                            : "; the re-plans before the stop are not in this record");
        } else {
            how = String.format(java.util.Locale.ROOT, "the time the stopped run had spent was not kept (a checkpoint of an"
                    + " earlier hone), so it trained on to the %d steps its pacer had set before the stop, unpaced", totalSteps);
        }
        Map<String, Object> evidence = new java.util.LinkedHashMap<>(Map.of("epoch", epoch, "totalSteps", totalSteps,
                "plannedSteps", plan.totalSteps()));
        spentBefore.ifPresent(s -> evidence.put("secondsSpentBefore", s));
        if (epoch == 0 && !planKept) {
            return Decision.derived("resume", "before a plan", "planned again", String.format(java.util.Locale.ROOT, "the run"
                    + " was stopped before its plan was saved (during meta-learning or semi-supervised learning), and planned"
                    + " again from what it had kept; %s", how), evidence);
        }
        if (epoch == 0) {
            return Decision.derived("resume", "in epoch 1", "plan", String.format(java.util.Locale.ROOT, "the run was stopped in"
                    + " its first epoch, before any checkpoint, and trained again from its saved plan; %s", how), evidence);
        }
        return Decision.derived("resume", "after epoch " + epoch, "checkpoint", String.format(java.util.Locale.ROOT, "the run "
                + "was stopped after epoch %d and resumed from its checkpoint; %s", epoch, how), evidence);
    }

    /**
     * The record of a budgeted run's re-plans: the steps planned at the start, where the pacer moved them, and what ran:
     * the run may still have met the budget before the last total (steps slower again after the last re-plan).
     */
    static Decision<Long> pacing(BudgetPacer pacer, long planned, TrainingState state, FitLoop.Result fit, long resumedPlan) {
        List<BudgetPacer.Replan> r = pacer.replans();
        long last = pacer.lastTotal();
        boolean cut = state.globalStep() < state.totalSteps();
        String ran = String.format(java.util.Locale.ROOT, "it trained %d steps in %d epochs", state.globalStep(),
                fit.history().size());
        return Decision.derived("budget-pacing", last, "re-planned from the measured speed", String.format(java.util.Locale.ROOT,
                "%s; measured step times moved the total %d time(s), last to %d, so that the schedule "
                        + "would anneal at the step where the budget ran out; %s", resumedPlan < 0 ? "the run planned " + planned
                        + " steps" : resumedPlan == planned ? "resumed, the run went on from the plan's " + planned + " steps"
                        : "resumed, the run went on from the " + planned + " steps its pacer had set before the stop (the plan's "
                        + resumedPlan + ")", r.size() + pacer.dropped(), last,
                        cut ? ran + ": the budget ran out " + (state.totalSteps() - state.globalStep())
                                + (state.totalSteps() - state.globalStep() == 1 ? " step" : " steps") + " before that"
                                + " total, at learning rate " + String.format(java.util.Locale.ROOT, "%.3g", state.learningRate()) + " (" + fit.stopReason() + ")"
                                : ran),
                Map.of("plannedSteps", planned, "replans", r, "replansNotKept", pacer.dropped(), "stepsRun", state.globalStep()));
    }

    private static Checkpoints.Progress resume(OutputDirectory dir, Checkpoints checkpoints, Model model, HoneOptimizer optimizer) {
        Checkpoints.Progress progress = new Checkpoints.Progress(0, List.of(), 1, null);
        if (dir.resuming() && checkpoints.latest().isPresent()) {
            progress = checkpoints.restore(checkpoints.latest().get(), model, optimizer);
            LOG.info("resuming after epoch {} from {}", progress.completedEpochs(), checkpoints.dir());
        } else if (dir.resuming()) {
            LOG.info("no checkpoint in {}; starting from the first epoch", dir.work());
        }
        // metrics.jsonl is rewritten from the checkpoint: a kill may have left lines of an unfinished epoch
        Path metrics = dir.work().resolve(METRICS);
        try {
            Files.deleteIfExists(metrics);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        progress.history().forEach(m -> Json.appendLine(metrics, m));
        return progress;
    }

    private static FitLoop.Result fit(TrainingPlan plan, Model model, Trainer trainer, HoneOptimizer optimizer, Loss loss,
            ResidentDataset train, ResidentDataset validation, Checkpoints checkpoints, OutputDirectory dir, TrainingState state,
            EventEngine engine, List<EpochMetrics> history, RunHooks hooks) {
        Path metrics = dir.work().resolve(METRICS);
        // training counts exact matches (the whole label set for multi-label: subset accuracy); validation scores the task's metric
        String trainMetric = train.task() instanceof dev.hone.tasks.MultiLabel ? "subset acc"
                : train.task() instanceof dev.hone.tasks.Segmentation ? "pixel acc"
                : train.task() instanceof dev.hone.tasks.Detection ? "centre recall" : "acc";
        String valMetric = train.task().validationMetric();
        FitLoop loop = new FitLoop(model, trainer, optimizer, loss, engine, train, validation, plan.batchSize(), plan.seed(),
                checkpoints, m -> {
                    Json.appendLine(metrics, m);
                    // an epoch on downscaled images (progressive resizing) says so: its validation, at full size, scores low
                    String trainedAt = m.trainedAt() == null ? "" : " at " + m.trainedAt();
                    String validatedAt = m.trainedAt() == null ? "" : " at full size";
                    LOG.info(String.format("epoch %d/%d: train loss %.4f %s %.4f%s | val loss %.4f %s %.4f%s | lr %.3g | %.1f s, %.0f images/s",
                            m.epoch(), state.totalEpochs(), m.trainLoss(), trainMetric, m.trainAccuracy(), trainedAt, m.valLoss(),
                            valMetric, m.valAccuracy(), validatedAt, m.learningRate(), m.seconds(), m.imagesPerSecond()));
                    hooks.epochs().accept(m);
                }).optAccumulation(plan.accumulation());
        return loop.run(state, history);
    }

    private static Result finish(TrainOptions o, Times times, OutputDirectory dir, ModelSpec spec, ImageFormat format,
            Normalization norm, Splitting split, DataBundle bundle, Model model, List<Decision<?>> decisions,
            FitLoop.Result fit, Checkpoints checkpoints, long seed, Device device, RegularizationPolicy policy, Task task,
            Predictions validation, UnlabeledSet unlabeled, EvaluationBudget time, long[] seen, PhaseTimes phases) {
        boolean tta = Boolean.TRUE.equals(policy.testTimeAugmentation());
        TaskEvaluation scored;
        int[] testRows = time.testRows(split.test(), tta ? 2 : 1, seed);
        ImageSet tested = split.test();
        if (testRows.length < split.test().size()) {
            Decision<Integer> shrunk = time.shrunkTest(testRows.length, split.test().size(), tta ? 2 : 1, split.testName(),
                    bundle.test() != null);
            LOG.warn("budget: {}", shrunk.rationale());
            decisions.add(shrunk);
            tested = split.test().subset(testRows);
        }
        try (ResidentDataset test = new ResidentDataset(tested, norm, device, task)) {
            Predictions p = tta ? TestTimeAugmentation.predict(model.getBlock(), test, 256) : Evaluator.predict(model.getBlock(), test, 256);
            scored = TaskEvaluation.of(task, o.thresholdMetric(), validation, p, tested, split.testName());
        }
        phases.end("test pass");
        Decision<String> spent = phases.decision();
        decisions.addAll(scored.decisions());
        decisions.add(spent);
        scored.decisions().forEach(x -> LOG.info("decision: {}", x.describe()));
        LOG.info("decision: {}", spent.describe());
        Evaluation evaluation = scored.evaluation();
        if (task instanceof dev.hone.tasks.Detection) {
            LOG.info(String.format("test mAP %.4f, AP50 %.4f, AP75 %.4f on %d images (%s)",
                    ((Number) evaluation.taskMetrics().get("mAP")).doubleValue(), ((Number) evaluation.taskMetrics().get("AP50")).doubleValue(),
                    ((Number) evaluation.taskMetrics().get("AP75")).doubleValue(), evaluation.count(), split.testName()));
        } else if (task instanceof dev.hone.tasks.Segmentation) {
            LOG.info(String.format("test mIoU %.4f, pixel accuracy %.4f, mean Dice %.4f on %d images (%s)",
                    ((Number) evaluation.taskMetrics().get("mIoU")).doubleValue(), evaluation.accuracy(), evaluation.macroF1(),
                    evaluation.count(), split.testName()));
        } else {
            LOG.info(String.format("test %s %.4f on %d images (%s)", task instanceof dev.hone.tasks.MultiLabel ? "subset accuracy"
                    : "accuracy", evaluation.accuracy(), evaluation.count(), split.testName()));
        }
        Path work = dir.work();
        Path modelDir = work.resolve("model");
        ModelFactory.saveWeights(model, modelDir);
        // so that an evaluation can say how many of its images the model has seen, whatever folder they come from
        dev.hone.data.SeenImages.write(modelDir, seen);
        new ModelDescriptor(ModelDescriptor.FORMAT_VERSION, spec, format, norm, split.train().classNames(), tta, task.name(),
                task instanceof Binary b ? b.positive() : null, scored.thresholds(), scored.temperature(), o.ignoreIndex()).write(modelDir);
        Json.write(work.resolve("evaluation.json"), evaluation);
        Json.write(work.resolve(RegularizationPolicy.FILE), policy);
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("accuracy", evaluation.accuracy());
        test.put("loss", evaluation.loss());
        test.put("count", evaluation.count());
        if (tested != split.test()) {
            test.put("sampledFrom", split.test().size()); // the budget's test-evaluation decision says why
        }
        if (evaluation.taskMetrics() != null) {
            test.put("task", evaluation.task());
            for (String key : List.of("mAP", "AP50", "microF1", "macroF1", "rocAuc", "averagePrecision", "ece", "mIoU", "pixelAccuracy",
                    "meanDice")) {
                if (evaluation.taskMetrics().get(key) != null) {
                    test.put(key, evaluation.taskMetrics().get(key));
                }
            }
        }
        TrainingRecord record = new TrainingRecord(TrainingRecord.FORMAT_VERSION, Environment.honeVersion(), times.started(),
                Instant.now().toString(), times.resumed(), times.earlierResumes(), seed, o.command(), Environment.describe(device), split.describe(bundle, unlabeled),
                decisions, fit.history(), fit.stopReason(), test);
        Json.write(work.resolve("training-record.json"), record);
        byte[] samples;
        try (ResidentDataset shown = new ResidentDataset(split.validation().subset(
                java.util.stream.IntStream.range(0, Math.min(8, split.validation().size())).toArray()),
                norm, device)) {
            samples = PolicyPictures.grid(policy.augmentation(), shown, norm, seed);
        }
        ReportWriter.write(work.resolve("report.html"), record, evaluation, tested, samples, split.validation());
        checkpoints.deleteAll();
        try {
            Files.deleteIfExists(work.resolve("best.params"));
            Files.deleteIfExists(work.resolve(TrainingPlan.FILE));
            Files.deleteIfExists(work.resolve(PLAN_BEFORE_SSL));
            Files.deleteIfExists(work.resolve(SslPlanning.FILE));
            Files.deleteIfExists(work.resolve(SslPlanning.TEACHER));
            Files.deleteIfExists(work.resolve(SslPlanning.START));
            Files.deleteIfExists(work.resolve(SpentTime.FILE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dir.commit();
        return new Result(dir.out(), evaluation, record);
    }

}
