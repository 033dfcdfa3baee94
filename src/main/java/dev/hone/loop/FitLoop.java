package dev.hone.loop;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.core.Event;
import dev.hone.core.EventEngine;
import dev.hone.core.HoneException;
import dev.hone.core.TrainingState;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.report.EpochMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The training loop, drawn once: it sequences events and DJL calls, and policy lives in techniques.
 *
 * <p>Each batch is sliced from the resident dataset into its own sub-manager, closed at the end of
 * the batch, so no step leaks tensors. The optimizer steps after the gradient collector closes,
 * with autograd off. A non-finite loss stops the run before the step that would spread it into the
 * weights; the last checkpoint stays as it was.
 */
public final class FitLoop {
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

    /** Batches per epoch: the remainder is dropped (it changes every epoch, so no image is lost). */
    public static int batchesPerEpoch(int trainSize, int batchSize) {
        return Math.max(1, trainSize / batchSize);
    }

    /** What the loop produced: the epochs' metrics (resumed ones included) and why it stopped. */
    public record Result(List<EpochMetrics> history, String stopReason) {}

    /**
     * Trains epochs {@code history.size()+1 .. state.totalEpochs()}, checkpointing after each.
     *
     * @param history metrics of epochs already completed (non-empty when resuming)
     */
    public Result run(TrainingState state, List<EpochMetrics> history) {
        List<EpochMetrics> done = new ArrayList<>(history);
        int batches = state.batchesPerEpoch();
        int perBatch = Math.min(batchSize, train.size());
        engine.fire(Event.FIT_START, state);
        for (int epoch = done.size() + 1; epoch <= state.totalEpochs() && state.stopReason().isEmpty(); epoch++) {
            state.startEpoch(epoch);
            Engine.getInstance().setRandomSeed((int) Seeds.mix(seed, "engine", epoch));
            engine.fire(Event.EPOCH_START, state);
            int[] order = EpochOrder.permutation(seed, epoch, train.size());
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            long start = System.nanoTime();
            for (int b = 0; b < batches && state.stopReason().isEmpty(); b++) {
                try (NDManager batchManager = train.manager().newSubManager()) {
                    ResidentDataset.Batch batch = train.batch(order, b * perBatch, (b + 1) * perBatch, batchManager);
                    state.beginBatch(batch.images(), batch.denseTargets(train.numClasses()));
                    engine.fire(Event.BATCH_START, state);
                    float batchLoss = trainStep(state);
                    if (!Float.isFinite(batchLoss)) {
                        state.requestStop(String.format("diverged: loss %s at epoch %d batch %d with learning rate %.4g",
                                batchLoss, epoch, b + 1, state.learningRate()));
                        break;
                    }
                    correct += countCorrect(state.outputs(), batch.labels());
                    seen += perBatch;
                    lossSum += batchLoss * perBatch;
                    optimizer.setLearningRate(state.learningRate());
                    engine.fire(Event.BEFORE_STEP, state);
                    trainer.step();
                    engine.fire(Event.AFTER_STEP, state);
                    state.endBatch(batchLoss);
                    engine.fire(Event.BATCH_END, state);
                }
            }
            if (state.stopReason().isPresent() && state.stopReason().get().startsWith("diverged")) {
                break;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            engine.fire(Event.VALIDATION_START, state);
            Predictions val = Evaluator.predict(model.getBlock(), validation, Math.max(batchSize, 256));
            engine.fire(Event.VALIDATION_END, state);
            EpochMetrics metrics = new EpochMetrics(epoch, lossSum / Math.max(1, seen), (double) correct / Math.max(1, seen),
                    val.meanLoss(), val.accuracy(), state.learningRate(), seconds, seen / seconds);
            done.add(metrics);
            checkpoints.save(model, optimizer, new Checkpoints.Progress(epoch, done));
            engine.fire(Event.EPOCH_END, state);
            epochSink.accept(metrics);
        }
        engine.fire(Event.FIT_END, state);
        String reason = state.stopReason().orElse("completed " + state.totalEpochs() + " epochs");
        return new Result(done, reason);
    }

    /** Forward, loss and backward for the state's batch; returns the batch's mean loss. */
    private float trainStep(TrainingState state) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
            engine.fire(Event.BEFORE_FORWARD, state);
            state.setOutputs(trainer.forward(new NDList(state.inputs())).singletonOrThrow());
            engine.fire(Event.BEFORE_LOSS, state);
            state.setLoss(loss.evaluate(new NDList(state.targets()), new NDList(state.outputs())));
            engine.fire(Event.AFTER_LOSS, state);
            float value = state.loss().getFloat();
            if (!Float.isFinite(value)) {
                return value;
            }
            collector.backward(state.loss());
            engine.fire(Event.AFTER_BACKWARD, state);
            return value;
        }
    }

    private static long countCorrect(NDArray outputs, NDArray labels) {
        try (NDArray hits = outputs.argMax(1).eq(labels); NDArray sum = hits.sum()) {
            return sum.getLong();
        }
    }

    /** Raised when training diverged; the message names the checkpoint that was kept. */
    public static HoneException diverged(String reason, Checkpoints checkpoints, int lastGoodEpoch) {
        String kept = lastGoodEpoch > 0 ? "the checkpoint of epoch " + lastGoodEpoch + " is kept in " + checkpoints.dir()
                : "no epoch completed, so there is no checkpoint";
        return new HoneException("training " + reason + "; " + kept
                + ". Fix: run again with a lower learning rate (e.g. --lr at half the recorded value)");
    }
}
