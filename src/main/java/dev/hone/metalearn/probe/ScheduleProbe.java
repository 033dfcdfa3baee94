package dev.hone.metalearn.probe;

import ai.djl.ndarray.NDManager;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.Evaluator;
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
 */
public final class ScheduleProbe {
    private ScheduleProbe() {}

    /**
     * @param trainLosses each step's mean training loss, up to a divergence
     * @param learningRates the rate each step used
     * @param validationLoss mean loss on the validation images after the last step; +∞ when the
     *     trial diverged, NaN when there were no validation images
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
                ctx.trainer().step();
            }
            double validationLoss = validation.size() == 0 ? Double.NaN
                    : Evaluator.predict(ctx.model().getBlock(), validation, 256).meanLoss();
            return new Trial(losses, lrs, Double.isFinite(validationLoss) || validation.size() == 0 ? validationLoss
                    : Double.POSITIVE_INFINITY);
        });
    }
}
