package dev.hone.metalearn.probe;

import ai.djl.ndarray.NDManager;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import dev.hone.metalearn.batchsize.GradientNoiseScale;

/**
 * Measures the gradient noise scale on the real model and data during a short training probe.
 *
 * <p>Each probe step accumulates the gradients of {@code accumulate} micro-batches of
 * {@code smallBatch} images: the first micro-batch's gradient gives |G|² at B_small, the mean of
 * all gives |G|² at B_big = accumulate × B_small, for the cost of one B_big step (McCandlish et
 * al. 2018, appendix A.1: the same trick as their data-parallel estimate). The probe then steps
 * along that mean gradient so the estimate follows training rather than the untrained network,
 * and is restored afterwards.
 */
public final class NoiseScaleProbe {
    /** Weight of the past in the EMA of |G|² and S: about a 20-step window. */
    static final double NOISE_EMA_DECAY = 0.95;

    private NoiseScaleProbe() {}

    public static GradientNoiseScale measure(ProbeContext ctx, int smallBatch, int accumulate, int steps, double learningRate) {
        return measure(ctx, smallBatch, accumulate, steps, steps, learningRate, Long.MAX_VALUE);
    }

    /**
     * The probe, stopped after {@code minSteps} when meta-learning's time is up ({@link ProbeContext#timeUp}); stopped
     * before them once that time has been up for more than {@code overrunNanos} (a machine far slower than planned), with
     * fewer observations than {@code minSteps} for the caller to discard.
     */
    public static GradientNoiseScale measure(ProbeContext ctx, int smallBatch, int accumulate, int steps, int minSteps,
            double learningRate, long overrunNanos) {
        int big = smallBatch * accumulate;
        return ctx.probe(() -> {
            GradientNoiseScale gns = new GradientNoiseScale(smallBatch, big, NOISE_EMA_DECAY);
            int n = ctx.train().size();
            int[] order = EpochOrder.permutation(Seeds.mix(ctx.seed(), "noise-scale-probe", 0), 0, n);
            int position = 0;
            for (int s = 0; s < steps && !(s >= minSteps && ctx.timeUp()) && !ctx.pastDeadlineBy(overrunNanos); s++) {
                if (position + big > n) {
                    order = EpochOrder.permutation(Seeds.mix(ctx.seed(), "noise-scale-probe", s), 0, n);
                    position = 0;
                }
                double small = 0;
                boolean finite = true;
                for (int k = 0; k < accumulate; k++) {
                    try (NDManager m = ctx.train().manager().newSubManager()) {
                        ResidentDataset.Batch batch = ctx.train().batch(order, position, position + smallBatch, m);
                        finite &= Float.isFinite(ctx.backward(batch));
                    }
                    position += smallBatch;
                    if (k == 0) {
                        small = ctx.gradientSquaredNorm();
                    }
                }
                if (!finite) {
                    ctx.zeroGradients();
                    continue;
                }
                // the accumulated gradient is the sum of `accumulate` micro-batch means
                double large = ctx.gradientSquaredNorm() / ((double) accumulate * accumulate);
                if (!Double.isFinite(small) || !Double.isFinite(large)) {
                    ctx.zeroGradients(); // a native fault's NaN gradient (SkippedSteps) is no reading
                    continue;
                }
                gns.observe(small, large);
                ctx.optimizer().setLearningRate(learningRate / accumulate);
                ctx.trainer().step();
            }
            return gns;
        });
    }
}
