package dev.hone.metalearn.regularization;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.core.EventEngine;
import dev.hone.core.TrainingState;
import dev.hone.data.Normalization;
import dev.hone.loop.Cancellation;
import dev.hone.loop.Checkpoints;
import dev.hone.loop.Evaluator;
import dev.hone.loop.FitLoop;
import dev.hone.loop.PhaseHooks;
import dev.hone.loop.PhaseProgressLog;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.batchnorm.BatchNormMomentum;
import dev.hone.models.InPlace;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.tasks.Task;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.optimize.Optimizers;
import dev.hone.optimize.Schedule;
import dev.hone.record.EpochMetrics;
import dev.hone.tasks.Predictions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one candidate policy of the search: a short training on the search subset, from a fresh
 * initialization or from the warm-up's weights ({@link #continueFrom}), with the optimization learners' optimizer, batch and learning rate and a
 * warmup-cosine schedule over the trial, scored by the task's metric on the scoring images (validation
 * images, or training images outside the subset).
 *
 * <p>Every trial starts from the same seed, so candidates see the same initial weights and the
 * same batch order: comparing them on common random numbers removes most of the run-to-run noise
 * that would otherwise swamp differences of a point or less.
 *
 * <p>A trial polls its setup's {@link PhaseHooks}: once the caller cancels, it stops after the batch and throws
 * {@link dev.hone.loop.PhaseCancelledException}.
 */
public final class TrialRunner implements PolicySearch.Trial {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    /**
     * What a trial trains with besides the policy.
     *
     * @param classes K, the number of classes (the head is {@code task.outputs(K)} wide)
     * @param task the task: targets, loss and the validation score trials are compared on
     * @param hooks the caller's cancellation, polled after every batch, and its listener for phases that report progress
     */
    public record Setup(ModelSpec spec, Shape input, int classes, Task task, String optimizer, double learningRate,
            double weightDecay, int batchSize, int epochs, long seed, Normalization norm, Device device, Path scratch,
            PhaseHooks hooks) {
        public Setup {
            java.util.Objects.requireNonNull(hooks, "hooks");
        }

        /**
         * Without hooks ({@link PhaseHooks#NONE}): nothing cancels the trials, nothing hears them. For tests; a run's
         * planning passes its caller's hooks, or its cancel would not reach these trials.
         */
        public Setup(ModelSpec spec, Shape input, int classes, Task task, String optimizer, double learningRate,
                double weightDecay, int batchSize, int epochs, long seed, Normalization norm, Device device, Path scratch) {
            this(spec, input, classes, task, optimizer, learningRate, weightDecay, batchSize, epochs, seed, norm, device, scratch,
                    PhaseHooks.NONE);
        }

        /** The task's training loss. */
        public Loss loss() {
            return task.loss();
        }

        /** This setup with another head: K outputs for {@code task}. */
        public Setup withHead(int classes, Task task) {
            return new Setup(spec, input, classes, task, optimizer, learningRate, weightDecay, batchSize, epochs, seed, norm, device,
                    scratch, hooks);
        }

        /** This setup with another batch size, in images. */
        public Setup withBatchSize(int batchSize) {
            return new Setup(spec, input, classes, task, optimizer, learningRate, weightDecay, batchSize, epochs, seed, norm, device,
                    scratch, hooks);
        }

        /** This setup with another trial length, in epochs. */
        public Setup withEpochs(int epochs) {
            return new Setup(spec, input, classes, task, optimizer, learningRate, weightDecay, batchSize, epochs, seed, norm, device,
                    scratch, hooks);
        }

        /** This setup with the caller's hooks. */
        public Setup withHooks(PhaseHooks hooks) {
            return new Setup(spec, input, classes, task, optimizer, learningRate, weightDecay, batchSize, epochs, seed, norm, device,
                    scratch, hooks);
        }
    }

    private final Setup setup;
    private final ResidentDataset train;
    private final ResidentDataset validation;
    private final ResidentDataset monitor;
    private float[][] start;
    private int epochs;
    private double learningRate;
    private final List<Double> imagesPerSecond = new ArrayList<>();
    private final List<java.util.function.Function<ai.djl.nn.Block, dev.hone.core.Technique>> extra = new ArrayList<>();
    private String phase = "meta-learning";
    private boolean logsProgress;
    private boolean resumable;

    /** The setup this runner trains with. */
    public Setup setup() {
        return setup;
    }

    /**
     * @param validation the images each trial is scored on
     * @param monitor a few validation images for the loop's per-epoch check (cheap; not the score)
     */
    public TrialRunner(Setup setup, ResidentDataset train, ResidentDataset validation, ResidentDataset monitor) {
        this.setup = setup;
        this.train = train;
        this.validation = validation;
        this.monitor = monitor;
        this.epochs = setup.epochs();
        this.learningRate = setup.learningRate();
    }

    /**
     * Continues every later trial from these weights (the warm-up's), for {@code epochs} epochs, at
     * {@code learningRateFactor} times the peak learning rate.
     */
    public void continueFrom(float[][] weights, int epochs, double learningRateFactor) {
        this.start = weights;
        this.epochs = epochs;
        this.learningRate = setup.learningRate() * learningRateFactor;
    }

    /**
     * Adds a technique, built for each trial's network, after the policy's own and those added before (e.g. FixMatch's
     * unlabeled loss, which predicts with the network it trains, or a budget pacer).
     */
    public TrialRunner withTechnique(java.util.function.Function<ai.djl.nn.Block, dev.hone.core.Technique> technique) {
        extra.add(technique);
        return this;
    }

    /**
     * Logs a {@link PhaseProgressLog} line, with an ETA, every {@link PhaseProgressLog#INTERVAL} of each later run: for runs long
     * enough to need one (a semi-supervised teacher, a round's student, pretraining), not the search's short trials.
     *
     * @param phase what trains, as the line's first words, e.g. {@code "ssl teacher"}
     */
    public TrialRunner withProgress(String phase) {
        this.phase = phase;
        this.logsProgress = true;
        return this;
    }

    /**
     * Names what the trials are for, without progress lines: the {@link dev.hone.loop.PhaseCancelledException#phase()}
     * of a cancelled trial, e.g. {@code "the regularization search"} (default {@code "meta-learning"}).
     */
    public TrialRunner withPhase(String phase) {
        this.phase = phase;
        return this;
    }

    /**
     * Keeps each later run's end-of-epoch checkpoint in the setup's scratch folder until the run ends, with the run's
     * identity beside it ({@link TrialCheckpoint}), so that the same run started again after a kill or a cancel (a
     * resume) continues from its last finished epoch instead of from its start, to the same weights. For runs long
     * enough to matter (a semi-supervised teacher); the search's short trials start over.
     */
    public TrialRunner resumable() {
        this.resumable = true;
        return this;
    }

    /** Runs a candidate for {@code length} of the trial's epochs (at least one epoch). */
    @Override
    public PolicySearch.Outcome run(String label, RegularizationPolicy candidate, double length) {
        return run(candidate, (model, scored) -> {}, Long.MAX_VALUE, epochsFor(length));
    }

    @Override
    public double actualLength(double length) {
        return (double) epochsFor(length) / epochs;
    }

    private int epochsFor(double length) {
        return Math.max(1, (int) Math.round(length * epochs));
    }

    /** A copy of the model's parameters, in block order (BatchNorm statistics included). */
    public static float[][] capture(Model model) {
        var params = model.getBlock().getParameters();
        float[][] w = new float[params.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = params.valueAt(i).getArray().toFloatArray();
        }
        return w;
    }

    /**
     * Writes captured values into a model's parameters by position: a dropout layer has no
     * parameters, so a network with one takes the weights of the same network without it.
     *
     * @throws IllegalStateException when the model has another number of parameters
     */
    public static void restore(Model model, float[][] w) {
        var params = model.getBlock().getParameters();
        if (params.size() != w.length) {
            throw new IllegalStateException("the trial model has " + params.size() + " parameters, the warm-up " + w.length);
        }
        for (int i = 0; i < w.length; i++) {
            NDArray live = params.valueAt(i).getArray();
            try (NDArray values = live.getManager().create(w[i], live.getShape())) {
                InPlace.copy(values, live);
            }
        }
    }

    /** Training speed (images/s, augmentation included) of each trial so far, in order. */
    public List<Double> imagesPerSecond() {
        return imagesPerSecond;
    }

    /** Runs a trial and hands its trained model to {@code after} before closing it. */
    public PolicySearch.Outcome run(RegularizationPolicy candidate, Consumer<Model> after) {
        return run(candidate, after, Long.MAX_VALUE);
    }

    /**
     * As {@link #run(RegularizationPolicy, Consumer)}, stopping after {@code maxSteps} optimizer steps when
     * that comes before the trial's last epoch; the warmup-cosine schedule anneals at the last step taken.
     */
    public PolicySearch.Outcome run(RegularizationPolicy candidate, Consumer<Model> after, long maxSteps) {
        return run(candidate, (model, scored) -> after.accept(model), maxSteps, epochs);
    }

    /**
     * As {@link #run(RegularizationPolicy, Consumer, long)}, handing {@code after} the trained model with its validation
     * predictions, so that it can decide from the score what else the model should do before it closes.
     */
    public PolicySearch.Outcome run(RegularizationPolicy candidate, java.util.function.BiConsumer<Model, Predictions> after,
            long maxSteps) {
        return run(candidate, after, maxSteps, epochs);
    }

    private PolicySearch.Outcome run(RegularizationPolicy candidate, java.util.function.BiConsumer<Model, Predictions> after,
            long maxSteps, int epochs) {
        long begun = System.nanoTime();
        // BatchNorm's running statistics must settle within the trial's few steps, not the final run's long epochs
        int batch = Math.min(setup.batchSize(), train.size());
        ModelSpec spec = setup.spec().withBatchNormMomentum((float) BatchNormMomentum.forEpoch(train.size(), batch).momentum());
        spec = candidate.onto(spec);
        Engine.getInstance().setRandomSeed((int) setup.seed());
        double wd = candidate.weightDecay() != null ? candidate.weightDecay() : setup.weightDecay();
        try (Model model = ModelFactory.create(spec, setup.input(), setup.task().outputs(setup.classes()))) {
            HoneOptimizer optimizer = Optimizers.create(setup.optimizer(), learningRate, wd);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(setup.loss()).optOptimizer(optimizer)
                    .optDevices(new Device[] {setup.device()}))) {
                if (!model.getBlock().isInitialized()) {
                    trainer.initialize(new Shape(1, setup.input().get(0), setup.input().get(1), setup.input().get(2)));
                }
                if (start != null) {
                    restore(model, start);
                }
                optimizer.bind(model.getBlock());
                int batches = FitLoop.batchesPerEpoch(train.size(), batch);
                TrainingState state = new TrainingState(epochs, batches, Math.min(maxSteps, (long) epochs * batches), learningRate);
                // the loop's per-epoch validation only needs to exist; the trial is scored once, at its end, on the whole subset
                List<dev.hone.core.Technique> techniques = new ArrayList<>(PolicyTechniques.training(candidate,
                        Schedule.warmupCosine(learningRate, 0.1), setup.norm(), setup.seed(), setup.task()));
                extra.forEach(e -> techniques.add(e.apply(model.getBlock())));
                techniques.add(new Cancellation(setup.hooks().cancelled()));
                List<dev.hone.core.Observer> observers = !logsProgress ? List.of()
                        : List.of(new PhaseProgressLog(phase, System::nanoTime, PhaseProgressLog.INTERVAL, LOG::info,
                                setup.hooks().progress()));
                Checkpoints checkpoints = new Checkpoints(setup.scratch());
                TrialCheckpoint resume = resumable ? TrialCheckpoint.of(setup.scratch(), identity(candidate, maxSteps, epochs))
                        : null;
                List<EpochMetrics> history = resume == null ? List.of() : resume.restore(checkpoints, model, optimizer, state, phase);
                FitLoop loop = new FitLoop(model, trainer, optimizer, setup.loss(), new EventEngine(techniques, observers),
                        train, monitor, batch, setup.seed(), checkpoints, m -> {});
                FitLoop.Result result = loop.run(state, history);
                if (result.cancelled()) {
                    if (resume == null) {
                        checkpoints.deleteAll();
                    }
                    throw new dev.hone.loop.PhaseCancelledException(phase);
                }
                checkpoints.deleteAll();
                if (resume != null) {
                    resume.finished();
                }
                if (result.history().isEmpty()) {
                    return new PolicySearch.Outcome(0, Double.POSITIVE_INFINITY, seconds(begun));
                }
                imagesPerSecond.add(result.history().stream().mapToDouble(EpochMetrics::imagesPerSecond).average().orElse(0));
                Predictions scored = Evaluator.predict(model.getBlock(), validation, 256);
                after.accept(model, scored);
                return new PolicySearch.Outcome(scored.score(), scored.meanLoss(), seconds(begun), scored);
            }
        }
    }

    /** What makes a run the same run: everything that decides its weights, the start's weights included. */
    private String identity(RegularizationPolicy candidate, long maxSteps, int epochs) {
        return String.join("\n", phase, String.valueOf(candidate), "steps " + Math.min(maxSteps, (long) epochs
                * FitLoop.batchesPerEpoch(train.size(), Math.min(setup.batchSize(), train.size()))), "epochs " + epochs,
                "learning rate " + learningRate, "model " + setup.spec() + " " + setup.input() + " " + setup.classes() + " "
                + setup.task(), "optimizer " + setup.optimizer() + " weight decay " + setup.weightDecay() + " batch "
                + setup.batchSize() + " seed " + setup.seed() + " " + setup.norm() + " " + setup.device(), "images " + train.size()
                + " validation " + validation.size(), "techniques " + extra.size(),
                "start " + (start == null ? "none" : Integer.toHexString(java.util.Arrays.deepHashCode(start))));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
