package dev.hone.metalearn.probe;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Snapshot;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.loop.PhaseCancelledException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a probe trains with: the real model, its trainer and optimizer, the training split, and when
 * meta-learning's time runs out.
 *
 * <p>{@link #probe} wraps a measurement in a snapshot so that, whatever happens inside, the weights,
 * BatchNorm statistics and optimizer state come back exactly as they were.
 *
 * @param deadlineNanos on {@link System#nanoTime}, when meta-learning's share of a budget ends: a probe
 *     past its minimum length stops there ({@link #timeUp}), so a machine that slows down after the
 *     probes were planned cannot make them overrun by much; {@link Long#MAX_VALUE} without a budget
 * @param cancelled the caller's cancellation, polled before every batch's forward pass ({@link #backward})
 */
public record ProbeContext(Model model, Trainer trainer, HoneOptimizer optimizer, Loss loss, ResidentDataset train,
        long seed, long deadlineNanos, BooleanSupplier cancelled) {

    /** A context without a deadline that is never cancelled. */
    public ProbeContext(Model model, Trainer trainer, HoneOptimizer optimizer, Loss loss, ResidentDataset train, long seed) {
        this(model, trainer, optimizer, loss, train, seed, Long.MAX_VALUE);
    }

    /** A context that is never cancelled. */
    public ProbeContext(Model model, Trainer trainer, HoneOptimizer optimizer, Loss loss, ResidentDataset train, long seed,
            long deadlineNanos) {
        this(model, trainer, optimizer, loss, train, seed, deadlineNanos, () -> false);
    }

    /** Whether meta-learning's time is up: probes past their minimum length stop. */
    public boolean timeUp() {
        return deadlineNanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > 0;
    }

    /** Whether meta-learning's time has been up for more than {@code nanos}; never without a deadline. */
    public boolean pastDeadlineBy(long nanos) {
        return deadlineNanos != Long.MAX_VALUE && nanos != Long.MAX_VALUE && System.nanoTime() - deadlineNanos > nanos;
    }

    /** Runs {@code measurement} and restores the model and optimizer afterwards, even when it fails. */
    public <T> T probe(Supplier<T> measurement) {
        Snapshot snapshot = Snapshot.take(model, optimizer);
        try {
            return measurement.get();
        } finally {
            snapshot.restore(model, optimizer);
        }
    }

    /** Forward and backward of one batch (gradients accumulate); returns the mean loss. */
    public float backward(ResidentDataset.Batch batch) {
        return backward(batch, 1);
    }

    /**
     * Forward and backward of one of the {@code accumulation} micro-batches of a step: the gradient of
     * its loss / {@code accumulation} is added, so the step's summed gradient is the mean over all of
     * its images, as in the fit loop. Returns the micro-batch's mean loss.
     *
     * @throws PhaseCancelledException when {@link #cancelled} is true, before the forward pass
     */
    public float backward(ResidentDataset.Batch batch, int accumulation) {
        if (cancelled.getAsBoolean()) {
            // a probe runs tens of seconds without a budget: stop at its next batch, as the fit loop does
            throw new PhaseCancelledException("meta-learning's probes");
        }
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray out = trainer.forward(new NDList(batch.images())).singletonOrThrow();
            NDArray l = loss.evaluate(new NDList(train.targets(batch)), new NDList(out));
            float value = l.getFloat();
            if (Float.isFinite(value)) {
                collector.backward(accumulation > 1 ? l.div(accumulation) : l);
            }
            return value;
        }
    }

    /** The squared L2 norm of the accumulated gradient over all trainable parameters. */
    public double gradientSquaredNorm() {
        double sum = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray w = p.getValue().getArray();
            if (p.getValue().requiresGradient() && w.hasGradient()) {
                try (NDArray g = w.getGradient(); NDArray sq = g.square(); NDArray s = sq.sum()) {
                    sum += s.getFloat();
                }
            }
        }
        return sum;
    }

    /**
     * Steps the optimizer on the accumulated gradients, or, when one is not finite, zeroes them and leaves the weights
     * as they were, as the training loop does ({@code SkippedSteps}): a probe must not read a native fault as the
     * learning rate's.
     *
     * @return whether the step was taken
     */
    public boolean step() {
        if (!HoneOptimizer.gradientsFinite(model.getBlock())) {
            zeroGradients();
            return false;
        }
        trainer.step();
        return true;
    }

    /** Sets every accumulated gradient to zero without stepping. */
    public void zeroGradients() {
        HoneOptimizer.zeroGradients(model.getBlock());
    }
}
