package dev.hone.loop;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.core.Event;
import dev.hone.core.EventEngine;
import dev.hone.core.HoneException;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Tally;
import dev.hone.tasks.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training loop, drawn once: it sequences events and DJL calls, and policy lives in techniques.
 *
 * <p>Each batch is sliced from the resident dataset into its own sub-manager, closed at the end of
 * the batch, so no step leaks tensors. The optimizer steps after the gradient collector closes,
 * with autograd off. A diverging loss ({@link DivergenceGuard}: judged against the loss measured
 * before the first step, never against a figure derived from the class count) is never stepped
 * on: the loop puts back the weights of the epoch's start, halves the learning rate and runs the
 * epoch again, up to {@link #MAX_BACKOFFS} times, recording each back-off; so does a validation loss that is not
 * finite, whose weights must not become the checkpoint. A loss that is not finite before any step is no learning
 * rate's fault: it ends the run with an error at once. A step whose gradient is not finite while its loss is
 * ({@link SkippedSteps}) is skipped, the weights left as they were; {@code AFTER_STEP} still fires, with
 * {@link TrainingView#stepSkipped} set.
 *
 * <p>With gradient accumulation ({@link #optAccumulation}, k &gt; 1) one optimizer step sums the
 * gradients of k consecutive micro-batches, each in its own sub-manager and each loss scaled by
 * 1/k, so the step equals one step on the mean loss of a batch k times larger (without BatchNorm;
 * with it, statistics are still per micro-batch). It works because PyTorch adds each backward pass
 * to the stored gradient and only the optimizer zeroes it ({@link HoneOptimizer#update}). Every
 * micro-batch fires {@code BATCH_START} to {@code BATCH_END}, so per-batch techniques (augmentation,
 * mixing) see each one; {@code BEFORE_STEP}/{@code AFTER_STEP} fire once per optimizer step, and the
 * state's steps (what schedules read) count optimizer steps.
 */
public final class FitLoop {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    /** Back-offs before the loop gives up and reports divergence. */
    public static final int MAX_BACKOFFS = 3;

    private final Model model;
    private final Trainer trainer;
    private final HoneOptimizer optimizer;
    private final Loss loss;
    private final EventEngine engine;
    private final ResidentDataset train;
    private final ResidentDataset validation;
    private final int batchSize;
    private final long seed;
    private final Checkpoints checkpoints;
    private final Consumer<EpochMetrics> epochSink;
    private int accumulation = 1;
    private DivergenceGuard guard;
    private final SkippedSteps skipped = new SkippedSteps();
    private long firstStep;

    /** @param epochSink receives each epoch's metrics once its checkpoint is written */
    public FitLoop(Model model, Trainer trainer, HoneOptimizer optimizer, Loss loss, EventEngine engine,
            ResidentDataset train, ResidentDataset validation, int batchSize, long seed, Checkpoints checkpoints,
            Consumer<EpochMetrics> epochSink) {
        this.model = model;
        this.trainer = trainer;
        this.optimizer = optimizer;
        this.loss = loss;
        this.engine = engine;
        this.train = train;
        this.validation = validation;
        this.batchSize = batchSize;
        this.seed = seed;
        this.checkpoints = checkpoints;
        this.epochSink = epochSink;
    }

    /**
     * Accumulates the gradients of {@code k} micro-batches of {@code batchSize} into each optimizer
     * step (1, the default: none). Lowered to what the training set holds.
     */
    public FitLoop optAccumulation(int k) {
        this.accumulation = Math.max(1, k);
        return this;
    }

    /** Batches per epoch: the remainder is dropped (it changes every epoch, so no image is lost). */
    public static int batchesPerEpoch(int trainSize, int batchSize) {
        return Math.max(1, trainSize / batchSize);
    }

    /**
     * Optimizer steps per epoch with {@code accumulation} micro-batches of {@code batchSize} per step,
     * the figure a {@link TrainingState} must be built with.
     */
    public static int stepsPerEpoch(int trainSize, int batchSize, int accumulation) {
        int perBatch = Math.min(batchSize, trainSize);
        return batchesPerEpoch(trainSize, perBatch * usableAccumulation(trainSize, perBatch, accumulation));
    }

    /** {@code accumulation}, lowered so that one step's micro-batches fit in the training set. */
    static int usableAccumulation(int trainSize, int perBatch, int accumulation) {
        return Math.max(1, Math.min(accumulation, trainSize / Math.max(1, perBatch)));
    }

    /**
     * What the loop produced: the epochs' metrics (resumed ones included), why it stopped, the
     * back-offs it made, and the last validation pass's predictions (null when this process ran none),
     * so that the final choices need not predict the same weights again.
     */
    public record Result(List<EpochMetrics> history, String stopReason, List<Decision<?>> backoffs, Predictions lastValidation) {
        public boolean diverged() {
            return stopReason.startsWith("diverged");
        }

        /** Whether the caller cancelled the run ({@link TrainingState#requestCancel}). */
        public boolean cancelled() {
            return stopReason.equals(TrainingState.CANCELLED);
        }
    }

    /**
     * Trains epochs {@code history.size()+1 ..} until {@code state.totalSteps()}, checkpointing after each.
     *
     * @param history metrics of epochs already completed (non-empty when resuming)
     */
    public Result run(TrainingState state, List<EpochMetrics> history) {
        int expected = stepsPerEpoch(train.size(), batchSize, accumulation);
        if (state.batchesPerEpoch() != expected) {
            throw new IllegalArgumentException("the training state counts " + state.batchesPerEpoch() + " steps per epoch but "
                    + train.size() + " images in batches of " + batchSize + " accumulated " + accumulation
                    + " at a time make " + expected + "; build it with FitLoop.stepsPerEpoch");
        }
        List<EpochMetrics> done = new ArrayList<>(history);
        List<Decision<?>> backoffs = new ArrayList<>();
        Predictions lastValidation = null;
        engine.fire(Event.FIT_START, state);
        int epoch = done.size() + 1;
        guard = new DivergenceGuard(train.numClasses());
        firstStep = (long) (epoch - 1) * state.batchesPerEpoch();
        while (epoch <= state.totalEpochs() && state.stopReason().isEmpty()
                && (long) (epoch - 1) * state.batchesPerEpoch() < state.totalSteps()) {
            Snapshot start = Snapshot.take(model, optimizer);
            Epoch e = trainEpoch(state, epoch);
            if (state.cancelled() && e.batches < state.batchesPerEpoch()) {
                break; // an unfinished epoch is left out: the last checkpoint stays the point to resume from
            }
            if (e.divergence != null) {
                if (!backOff(e.divergence + String.format(" at epoch %d batch %d", epoch, e.batches + 1), e.batches + 1, start,
                        state, backoffs)) {
                    break;
                }
                continue;
            }
            engine.fire(Event.VALIDATION_START, state);
            Predictions val = Evaluator.predict(model.getBlock(), validation, Math.max(batchSize, 256));
            if (validation.size() > 0 && !Double.isFinite(val.meanLoss())) {
                // weights that give a non-finite loss on held-out images must not become the checkpoint (an empty split's
                // mean is NaN too, and says nothing)
                engine.fire(Event.VALIDATION_ABORTED, state);
                if (!backOff(String.format("validation loss %s after epoch %d", val.meanLoss(), epoch), e.batches, start, state,
                        backoffs)) {
                    break;
                }
                continue;
            }
            state.setValidation(val.meanLoss(), val.score());
            lastValidation = val;
            engine.fire(Event.VALIDATION_END, state);
            EpochMetrics metrics = new EpochMetrics(epoch, e.lossSum / Math.max(1, e.seen), e.tally.fraction(),
                    val.meanLoss(), val.score(), state.learningRate(), e.seconds, e.seen / e.seconds, e.trainedAt());
            done.add(metrics);
            checkpoints.save(model, optimizer, new Checkpoints.Progress(epoch, done, state.learningRateScale(), state.scheduleFrame()));
            engine.fire(Event.EPOCH_END, state);
            epochSink.accept(metrics);
            epoch++;
        }
        engine.fire(Event.FIT_END, state);
        Decision<Integer> skips = skipped.decision();
        if (skips != null) {
            LOG.warn("non-finite gradients: {}", skips.rationale());
            backoffs.add(skips);
        }
        String reason = state.stopReason().orElse(state.totalSteps() < (long) state.totalEpochs() * state.batchesPerEpoch()
                ? "completed the planned " + state.totalSteps() + " steps" : "completed " + state.totalEpochs()
                + (state.totalEpochs() == 1 ? " epoch" : " epochs"));
        return new Result(done, reason, backoffs, lastValidation);
    }

    /**
     * Puts back the weights of the epoch's start and halves the learning rate, recording the back-off; once
     * {@link #MAX_BACKOFFS} are spent, requests the stop instead and returns false.
     *
     * @param divergence what went wrong, and where
     */
    private boolean backOff(String divergence, int batch, Snapshot start, TrainingState state, List<Decision<?>> backoffs) {
        // the weights that diverged never stay: a caller scoring the model after a stop reads the epoch's start
        start.restore(model, optimizer);
        if (backoffs.stream().filter(d -> d.name().equals("lr-backoff")).count() == MAX_BACKOFFS) {
            state.requestStop(String.format("diverged: %s with learning rate %.4g, after %d back-offs", divergence,
                    state.learningRate(), MAX_BACKOFFS));
            return false;
        }
        guard.restart();
        skipped.restart();
        state.setLearningRateScale(state.learningRateScale() / 2);
        Decision<Double> backoff = Decision.derived("lr-backoff", state.learningRateScale(), "divergence back-off",
                divergence + ": restored the weights of the epoch's start and halved the learning rate",
                Map.of("epoch", state.epoch(), "batch", batch, "learningRate", state.learningRate()));
        LOG.warn("divergence back-off: {}", backoff.rationale());
        backoffs.add(backoff);
        return true;
    }

    /**
     * One epoch's training counters; {@code divergence} is set when it had to be abandoned. {@code tally} sums
     * the batches' {@link Task#tally}, so the training metric is pooled over the epoch's units (images, pixels
     * or object centres), not averaged over batches.
     */
    private static final class Epoch {
        double lossSum;
        Tally tally = Tally.NONE;
        long seen;
        int batches;
        double seconds;
        String divergence;
        /** The smallest and largest (height, width) the epoch's steps trained at, and the images' own size. */
        long[] smallest;
        long[] largest;
        long[] full;

        /** What {@link EpochMetrics#trainedAt} says: null when every step saw full-size images. */
        String trainedAt() {
            if (smallest == null || (java.util.Arrays.equals(smallest, full) && java.util.Arrays.equals(largest, full))) {
                return null;
            }
            // width x height, as the data lines and the resizing decision write sizes
            String from = smallest[1] + "x" + smallest[0];
            return java.util.Arrays.equals(smallest, largest) ? from : from + " to " + largest[1] + "x" + largest[0];
        }

        /** Counts a step whose images are {@code image} before the techniques and {@code trained} after, both (N, C, H, W). */
        void sawSize(Shape image, Shape trained) {
            if (image.dimension() != 4 || trained.dimension() != 4) {
                return;
            }
            long[] size = {trained.get(2), trained.get(3)};
            if (smallest == null) {
                full = new long[] {image.get(2), image.get(3)};
                smallest = size;
                largest = size;
            } else if (size[0] * size[1] < smallest[0] * smallest[1]) {
                smallest = size;
            } else if (size[0] * size[1] > largest[0] * largest[1]) {
                largest = size;
            }
        }
    }

    private Epoch trainEpoch(TrainingState state, int epoch) {
        state.startEpoch(epoch);
        Engine.getInstance().setRandomSeed((int) Seeds.mix(seed, "engine", epoch));
        engine.fire(Event.EPOCH_START, state);
        int[] order = EpochOrder.permutation(seed, epoch, train.size());
        int perBatch = Math.min(batchSize, train.size());
        int k = usableAccumulation(train.size(), perBatch, accumulation);
        Epoch e = new Epoch();
        long start = System.nanoTime();
        for (int b = 0; b < state.batchesPerEpoch() && state.globalStep() < state.totalSteps() && state.stopReason().isEmpty(); b++) {
            for (int j = 0; j < k; j++) {
                int from = (b * k + j) * perBatch;
                try (NDManager batchManager = train.manager().newSubManager()) {
                    ResidentDataset.Batch batch = train.batch(order, from, from + perBatch, batchManager);
                    state.beginBatch(batch.images(), train.targets(batch));
                    engine.fire(Event.BATCH_START, state);
                    e.sawSize(batch.images().getShape(), state.inputs().getShape());
                    Step step = trainStep(state, k);
                    float batchLoss = step.loss();
                    e.divergence = step.divergence();
                    if (e.divergence != null) {
                        // earlier micro-batches of this step left gradients that no step will consume
                        HoneOptimizer.zeroGradients(model.getBlock());
                        return e;
                    }
                    e.tally = e.tally.plus(train.task().tally(state.outputs(), train.task().trainingLabels(batch.labels(),
                            state.targets())));
                    e.seen += perBatch;
                    e.lossSum += batchLoss * perBatch;
                    if (j == k - 1) {
                        optimizer.setLearningRate(state.learningRate());
                        engine.fire(Event.BEFORE_STEP, state);
                        boolean finite = HoneOptimizer.gradientsFinite(model.getBlock());
                        if (finite) {
                            step(epoch, b);
                        } else {
                            HoneOptimizer.zeroGradients(model.getBlock());
                        }
                        state.setStepSkipped(!finite);
                        e.divergence = skipped.record(finite, epoch, b + 1);
                        if (e.divergence != null) {
                            return e;
                        }
                        engine.fire(Event.AFTER_STEP, state);
                        state.endBatch(batchLoss);
                    } else {
                        state.endMicroBatch(batchLoss);
                    }
                    engine.fire(Event.BATCH_END, state);
                }
            }
            e.batches++;
        }
        e.seconds = (System.nanoTime() - start) / 1e9;
        return e;
    }

    /**
     * Forward, loss and backward for the state's batch; returns the batch's mean loss, and why it
     * cannot be stepped on (then no backward pass was made). With
     * {@code k} micro-batches per step the gradient is that of loss / k, so that the k summed
     * gradients are the mean over all of the step's images.
     */
    private Step trainStep(TrainingState state, int k) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
            engine.fire(Event.BEFORE_FORWARD, state);
            state.setOutputs(trainer.forward(new NDList(state.inputs())).singletonOrThrow());
            engine.fire(Event.BEFORE_LOSS, state);
            state.setLoss(loss.evaluate(new NDList(state.targets()), new NDList(state.outputs())));
            engine.fire(Event.AFTER_LOSS, state);
            float value = state.loss().getFloat();
            String divergence = judge(value, state);
            if (divergence != null) {
                return new Step(value, divergence);
            }
            if (k == 1) {
                collector.backward(state.loss());
            } else {
                try (NDArray scaled = state.loss().div(k)) {
                    collector.backward(scaled);
                }
            }
            engine.fire(Event.AFTER_BACKWARD, state);
            return new Step(value, null);
        }
    }

    /**
     * The optimizer step. DJL refuses to step when every gradient is exactly zero, which no learning
     * rate causes: the loss does not depend on the weights (constant images, or every class alike).
     */
    private void step(int epoch, int batch) {
        try {
            trainer.step();
        } catch (IllegalStateException e) {
            if (String.valueOf(e.getMessage()).contains("all zeros")) {
                throw new HoneException(String.format("training cannot proceed: every gradient is zero at epoch %d batch %d, so"
                        + " the loss does not depend on the weights. Fix: check the data: the images may be blank or constant, or"
                        + " identical across classes", epoch, batch + 1), e);
            }
            throw e;
        }
    }

    /** One micro-batch's mean loss, and why it cannot be stepped on (null when it can). */
    private record Step(float loss, String divergence) {}

    /** The guard's verdict; a loss that is not finite before any step ends the run with an error. */
    private String judge(float loss, TrainingState state) {
        try {
            return guard.judge(loss, state.globalStep() - firstStep);
        } catch (DivergenceGuard.NotTrainable e) {
            throw new HoneException("training cannot start: " + e.getMessage());
        }
    }

    /**
     * Raised when training diverged; the message names the checkpoint that was kept, and the fix: a lower learning rate, or
     * where the network has convolutions whose gradients PyTorch computes unreliably ({@code note}), those first when
     * non-finite gradients stopped the run, else after the learning rate.
     *
     * @param note what is known of the network's misaligned convolutions and their fix, or null when it has none
     */
    public static HoneException diverged(String reason, Checkpoints checkpoints, int lastGoodEpoch, String note) {
        String kept = lastGoodEpoch > 0 ? "the checkpoint of epoch " + lastGoodEpoch + " is kept in " + checkpoints.dir()
                : "no epoch completed, so there is no checkpoint";
        String lower = "run again with a lower learning rate (e.g. --lr at a tenth of the recorded value)";
        String fix = note == null ? lower : reason.contains(SkippedSteps.NOT_FINITE) ? note
                : lower + "; if it diverges again: " + note;
        return new HoneException("training " + reason + "; " + kept + ". Fix: " + fix);
    }
}
