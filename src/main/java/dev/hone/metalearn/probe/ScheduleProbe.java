package dev.hone.metalearn.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import dev.hone.optimize.MomentumSchedule;
import dev.hone.optimize.Schedule;

/**
 * One short training run under a learning-rate schedule, compressed into {@code steps} optimizer
 * steps, then a validation pass: a pretext trial for choosing the schedule.
 *
 * <p>Every trial of a comparison starts from the same weights (the context's snapshot, restored
 * afterwards) and sees the same batches in the same order, so the schedules differ only in their
 * learning rates (and, for one-cycle, momentum).
 *
 * <p>The held-out loss is taken with BatchNorm on batch statistics, as in training: after a few dozen
 * steps the running statistics still carry much of their initial values (a 10-step window from mean 0,
 * variance 1), and on the demo sample they put every trial's inference-mode loss above a fresh
 * network's, so they would judge the statistics, not the schedule.
 */
public final class ScheduleProbe {
    private ScheduleProbe() {}

    /**
     * @param trainLosses each step's mean training loss, up to a divergence
     * @param learningRates the rate each step used
     * @param validationLoss mean loss on the validation images after the last step (batch
     *     statistics); +∞ when the trial diverged, NaN when there were no validation images
     */
    public record Trial(double[] trainLosses, double[] learningRates, double validationLoss) {}

    /**
     * @param momentum the momentum schedule that goes with {@code schedule}, or null for none
     * @param validation images the trial is judged on (may be empty)
     */
    public static Trial run(ProbeContext ctx, ResidentDataset validation, Schedule schedule, MomentumSchedule momentum,
            int batch, int accumulation, int steps) {
        return ctx.probe(() -> {
            double[] losses = new double[steps];
            double[] lrs = new double[steps];
            int n = ctx.train().size();
            int[] order = EpochOrder.permutation(Seeds.mix(ctx.seed(), "schedule-probe", 0), 0, n);
            for (int s = 0; s < steps; s++) {
                double lr = schedule.at(s, steps);
                float loss = 0;
                for (int j = 0; j < accumulation; j++) {
                    int start = ((s * accumulation + j) * batch) % Math.max(1, n - batch + 1);
                    try (NDManager m = ctx.train().manager().newSubManager()) {
                        loss += ctx.backward(ctx.train().batch(order, start, start + batch, m), accumulation) / accumulation;
                    }
                }
                if (!Float.isFinite(loss)) {
                    ctx.zeroGradients();
                    return new Trial(java.util.Arrays.copyOf(losses, s), java.util.Arrays.copyOf(lrs, s),
                            Double.POSITIVE_INFINITY);
                }
                losses[s] = loss;
                lrs[s] = lr;
                ctx.optimizer().setLearningRate(lr);
                if (momentum != null) {
                    ctx.optimizer().setMomentum(momentum.at(s, steps));
                }
                ctx.step();
            }
            double validationLoss = heldOutLoss(ctx, validation, batch);
            return new Trial(losses, lrs, Double.isFinite(validationLoss) || Double.isNaN(validationLoss) ? validationLoss
                    : Double.POSITIVE_INFINITY);
        });
    }

    /**
     * Mean loss over {@code held} in batches of {@code batch} (the last partial one dropped), forward
     * only, BatchNorm on batch statistics; NaN when it holds no full batch. The running statistics it
     * moves are put back with the rest by the probe's snapshot.
     */
    static double heldOutLoss(ProbeContext ctx, ResidentDataset held, int batch) {
        int b = Math.min(batch, held.size());
        if (b == 0) {
            return Double.NaN;
        }
        Engine.getInstance().setRandomSeed((int) Seeds.mix(ctx.seed(), "schedule-probe-held-out", 0)); // same dropout for every trial
        double sum = 0;
        int n = 0;
        for (int from = 0; from + b <= held.size(); from += b) {
            try (NDManager m = held.manager().newSubManager()) {
                ResidentDataset.Batch x = held.range(from, from + b, m);
                NDArray out = ctx.model().getBlock().forward(new ParameterStore(m, false), new NDList(x.images()), true)
                        .singletonOrThrow();
                NDArray l = ctx.loss().evaluate(new NDList(held.targets(x)), new NDList(out));
                sum += l.getFloat() * b;
                n += b;
            }
        }
        return sum / n;
    }
}
