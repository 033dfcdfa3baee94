package dev.hone.metalearn.probe;

import ai.djl.ndarray.NDManager;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;

/**
 * Smith's learning-rate range test: train with an exponentially growing learning rate and record
 * the loss at each step, stopping once it diverges. The weights and optimizer state are restored
 * afterwards, so the test leaves no mark.
 */
public final class RangeTestProbe {
    private RangeTestProbe() {}

    /** The sweep: {@code learningRates[i]} was used for the step whose loss is {@code losses[i]}. */
    public record Sweep(double[] learningRates, double[] losses) {}

    /**
     * @param from the first learning rate
     * @param to the last learning rate, reached at step {@code steps - 1}
     */
    public static Sweep sweep(ProbeContext ctx, int batch, double from, double to, int steps) {
        return sweep(ctx, batch, 1, from, to, steps);
    }

    /**
     * The sweep with each step accumulating {@code accumulation} micro-batches of {@code batch}, so the
     * learning rate is tested at the effective batch the run will train with.
     */
    public static Sweep sweep(ProbeContext ctx, int batch, int accumulation, double from, double to, int steps) {
        return sweep(ctx, batch, accumulation, from, to, steps, steps);
    }

    /**
     * The sweep, stopped after {@code minSteps} when meta-learning's time is up ({@link
     * ProbeContext#timeUp}): the sweep then ends at a lower learning rate than {@code to}, and its
     * reading can only be more cautious.
     */
    public static Sweep sweep(ProbeContext ctx, int batch, int accumulation, double from, double to, int steps, int minSteps) {
        return ctx.probe(() -> {
            double[] lrs = new double[steps];
            double[] losses = new double[steps];
            int n = ctx.train().size();
            int[] order = EpochOrder.permutation(Seeds.mix(ctx.seed(), "range-test", 0), 0, n);
            double min = Double.POSITIVE_INFINITY;
            int done = 0;
            for (int s = 0; s < steps; s++) {
                double lr = from * Math.pow(to / from, (double) s / Math.max(1, steps - 1));
                float loss = 0;
                for (int j = 0; j < accumulation; j++) {
                    int start = ((s * accumulation + j) * batch) % Math.max(1, n - batch + 1);
                    try (NDManager m = ctx.train().manager().newSubManager()) {
                        ResidentDataset.Batch x = ctx.train().batch(order, start, start + batch, m);
                        loss += ctx.backward(x, accumulation) / accumulation;
                    }
                }
                lrs[s] = lr;
                losses[s] = loss;
                done = s + 1;
                if (!Float.isFinite(loss) || loss > 4 * min) {
                    ctx.zeroGradients();
                    break;
                }
                min = Math.min(min, loss);
                if (done >= minSteps && ctx.timeUp()) {
                    ctx.zeroGradients();
                    break;
                }
                ctx.optimizer().setLearningRate(lr);
                ctx.step();
            }
            return new Sweep(java.util.Arrays.copyOf(lrs, done), java.util.Arrays.copyOf(losses, done));
        });
    }
}
