package dev.hone.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.core.EventEngine;
import dev.hone.data.DataBundle;
import dev.hone.data.DatasetFingerprint;
import dev.hone.data.DatasetResolver;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.Checkpoints;
import dev.hone.loop.Evaluator;
import dev.hone.loop.FitLoop;
import dev.hone.loop.Predictions;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.Decision;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.AdamW;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.optimize.Schedule;
import dev.hone.optimize.ScheduleTechnique;
import dev.hone.optimize.SgdNesterov;
import dev.hone.report.EpochMetrics;
import dev.hone.report.Evaluation;
import dev.hone.report.EvaluationMetrics;
import dev.hone.report.Json;
import dev.hone.report.ReportWriter;
import dev.hone.report.TrainingRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code hone train}: data in, a trained and evaluated model directory out.
 *
 * <p>Order matters for honesty: the test set is split off (or given) first and touched only by
 * the final evaluation; normalisation is computed on the training split alone; every choice is a
 * logged {@link Decision}; the output appears only when complete.
 */
public final class TrainingRun {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    public static final String METRICS = "metrics.jsonl";

    private TrainingRun() {}

    /** What a finished run produced. */
    public record Result(Path out, Evaluation evaluation, TrainingRecord record) {}

    public static Result run(TrainOptions o) {
        String started = Instant.now().toString();
        Planner.validate(o);
        ModelSpec spec = modelSpec(o);
        DataBundle bundle = DatasetResolver.resolve(o.data(), o.test(), null);
        long seed = o.seed() != null ? o.seed() : Defaults.SEED;
        Splitting split = Splitting.of(bundle, o.validationFraction() != null ? o.validationFraction() : Defaults.HOLD_OUT, seed);
        Normalization norm = Normalization.of(split.train());
        List<Decision<?>> dataDecisions = new ArrayList<>(split.decisions());
        dataDecisions.add(Decision.derived("normalization", norm.toString(), "training-split statistics",
                "per-channel mean and std of the training split only, saved with the model", Map.of()));

        ImageFormat format = bundle.format();
        Shape input = new Shape(format.channels(), format.height(), format.width());
        int classes = split.train().numClasses();
        Engine.getInstance().setRandomSeed((int) seed);
        // the model is built (and a TorchScript file checked) before anything is written
        try (Model model = ModelFactory.create(spec, input, classes)) {
            Map<String, String> identity = new LinkedHashMap<>(o.identityFields());
            identity.put("data", DatasetFingerprint.of(bundle.train()));
            identity.put("test", bundle.test() == null ? "held-out" : DatasetFingerprint.of(bundle.test()));
            OutputDirectory dir = OutputDirectory.prepare(o.out(), new RunIdentity(identity), o.resume());
            Path checkpointDir = dir.work().resolve("checkpoint");
            try {
                return train(o, started, spec, bundle, split, norm, dataDecisions, model, dir, checkpointDir);
            } catch (RuntimeException | Error e) {
                dir.discardIfNothingToResume(checkpointDir);
                throw e;
            }
        }
    }

    private static Result train(TrainOptions o, String started, ModelSpec spec, DataBundle bundle, Splitting split,
            Normalization norm, List<Decision<?>> dataDecisions, Model model, OutputDirectory dir, Path checkpointDir) {
        TrainingPlan plan = Planner.plan(o, split.train().size(), dataDecisions);
        List<Decision<?>> decisions = new ArrayList<>(plan.decisions());
        Device device = Engine.getInstance().defaultDevice();
        decisions.add(Decision.derived("device", device.toString(), "fastest available",
                device.isGpu() ? "a GPU is visible to the engine" : "no GPU visible; CPU with "
                        + System.getProperty("ai.djl.pytorch.num_threads", "default") + " threads",
                Map.of("gpus", Engine.getInstance().getGpuCount())));
        decisions.forEach(d -> LOG.info("decision: {}", d.describe()));

        ImageFormat format = bundle.format();
        try (ResidentDataset train = new ResidentDataset(split.train(), norm, device);
                ResidentDataset validation = new ResidentDataset(split.validation(), norm, device)) {
            HoneOptimizer optimizer = plan.optimizer().equals("adamw")
                    ? new AdamW((float) plan.peakLearningRate(), (float) plan.weightDecay())
                    : new SgdNesterov((float) plan.peakLearningRate(), (float) plan.momentum(), (float) plan.weightDecay());
            Loss loss = new SoftmaxCrossEntropyLoss("cross-entropy", 1f, -1, false, true);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer).optDevices(new Device[] {device}))) {
                if (!model.getBlock().isInitialized()) {
                    trainer.initialize(new Shape(1, format.channels(), format.height(), format.width()));
                }
                optimizer.bind(model.getBlock());
                Checkpoints checkpoints = new Checkpoints(checkpointDir);
                List<EpochMetrics> history = resume(dir, checkpoints, model, optimizer);
                FitLoop.Result fit = fit(plan, model, trainer, optimizer, loss, train, validation, checkpoints, dir, history);
                if (fit.stopReason().startsWith("diverged")) {
                    throw FitLoop.diverged(fit.stopReason(), checkpoints, fit.history().size());
                }
                LOG.info("stopped: {}", fit.stopReason());
                return finish(o, started, dir, spec, format, norm, split, bundle, model, decisions, fit, checkpoints, plan.seed(), device);
            }
        }
    }

    private static ModelSpec modelSpec(TrainOptions o) {
        ModelSpec spec = ModelSpec.parse(o.model());
        if (o.width() != null) {
            spec = spec.withWidth(o.width());
        }
        if (o.smallStem() != null) {
            spec = spec.withSmallStem(o.smallStem());
        }
        return spec;
    }

    private static List<EpochMetrics> resume(OutputDirectory dir, Checkpoints checkpoints, Model model, HoneOptimizer optimizer) {
        List<EpochMetrics> history = List.of();
        if (dir.resuming() && checkpoints.latest().isPresent()) {
            Checkpoints.Progress progress = checkpoints.restore(checkpoints.latest().get(), model, optimizer);
            history = progress.history();
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
        history.forEach(m -> Json.appendLine(metrics, m));
        return history;
    }

    private static FitLoop.Result fit(TrainingPlan plan, Model model, Trainer trainer, HoneOptimizer optimizer, Loss loss,
            ResidentDataset train, ResidentDataset validation, Checkpoints checkpoints, OutputDirectory dir,
            List<EpochMetrics> history) {
        int batches = FitLoop.batchesPerEpoch(train.size(), plan.batchSize());
        var state = new dev.hone.core.TrainingState(plan.epochs(), batches, plan.peakLearningRate());
        EventEngine engine = new EventEngine(
                List.of(new ScheduleTechnique(Schedule.warmupCosine(plan.peakLearningRate(), plan.warmupFraction()))),
                List.of(new ProgressObserver()));
        Path metrics = dir.work().resolve(METRICS);
        FitLoop loop = new FitLoop(model, trainer, optimizer, loss, engine, train, validation, plan.batchSize(), plan.seed(),
                checkpoints, m -> {
                    Json.appendLine(metrics, m);
                    LOG.info(String.format("epoch %d/%d: train loss %.4f acc %.4f | val loss %.4f acc %.4f | lr %.3g | %.1f s, %.0f images/s",
                            m.epoch(), plan.epochs(), m.trainLoss(), m.trainAccuracy(), m.valLoss(), m.valAccuracy(),
                            m.learningRate(), m.seconds(), m.imagesPerSecond()));
                });
        return loop.run(state, history);
    }

    private static Result finish(TrainOptions o, String started, OutputDirectory dir, ModelSpec spec, ImageFormat format,
            Normalization norm, Splitting split, DataBundle bundle, Model model, List<Decision<?>> decisions,
            FitLoop.Result fit, Checkpoints checkpoints, long seed, Device device) {
        Evaluation evaluation;
        try (ResidentDataset test = new ResidentDataset(split.test(), norm, device)) {
            Predictions p = Evaluator.predict(model.getBlock(), test, 256);
            evaluation = EvaluationMetrics.compute(split.testName(), split.test(), p.probabilities(), p.meanLoss(), Defaults.WORST_SHOWN);
        }
        LOG.info(String.format("test accuracy %.4f on %d images (%s)", evaluation.accuracy(), evaluation.count(), split.testName()));
        Path work = dir.work();
        Path modelDir = work.resolve("model");
        ModelFactory.saveWeights(model, modelDir);
        new ModelDescriptor(ModelDescriptor.FORMAT_VERSION, spec, format, norm, split.train().classNames()).write(modelDir);
        Json.write(work.resolve("evaluation.json"), evaluation);
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("accuracy", evaluation.accuracy());
        test.put("loss", evaluation.loss());
        test.put("count", evaluation.count());
        TrainingRecord record = new TrainingRecord(TrainingRecord.FORMAT_VERSION, Environment.honeVersion(), started,
                Instant.now().toString(), seed, o.command(), Environment.describe(device), split.describe(bundle),
                decisions, fit.history(), fit.stopReason(), test);
        Json.write(work.resolve("training-record.json"), record);
        ReportWriter.write(work.resolve("report.html"), record, evaluation, split.test());
        checkpoints.deleteAll();
        dir.commit();
        return new Result(dir.out(), evaluation, record);
    }
}
