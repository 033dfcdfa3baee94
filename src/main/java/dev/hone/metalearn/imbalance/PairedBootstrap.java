package dev.hone.metalearn.imbalance;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * How often a challenger's score beats a baseline's when the images they are scored on are drawn
 * again: the paired bootstrap (Efron and Tibshirani 1993, "An Introduction to the Bootstrap", ch. 16).
 *
 * <p>Both models are scored on the same resampled images each time, so the variation that is common
 * to them (hard images, easy images) cancels and only their difference is tested. This is what a
 * ranking metric like ROC-AUC or mAP needs: neither has a simple standard error for a paired
 * difference, and the bootstrap works for any score a task defines.
 */
public final class PairedBootstrap {
    private PairedBootstrap() {}

    /**
     * The share of {@code resamples} draws of {@code n} indices (with replacement) on which {@code
     * challenger} scores strictly higher than {@code baseline}; a NaN score never wins.
     *
     * @param n the images scored, at least 1
     * @param resamples how many draws, at least 1
     * @param seed the draws' seed: the same seed gives the same share
     * @param baseline score of the baseline on the images with the given indices (repeats allowed)
     * @param challenger score of the challenger on the same indices
     * @return a share in [0, 1]
     * @throws IllegalArgumentException if {@code n} or {@code resamples} is below 1
     */
    public static double winRate(int n, int resamples, long seed, ToDoubleFunction<int[]> baseline,
            ToDoubleFunction<int[]> challenger) {
        if (n < 1 || resamples < 1) {
            throw new IllegalArgumentException("the bootstrap needs at least one image and one resample, got " + n + " and "
                    + resamples);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int wins = 0;
        int[] drawn = new int[n];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < n; i++) {
                drawn[i] = random.nextInt(n);
            }
            if (challenger.applyAsDouble(drawn) > baseline.applyAsDouble(drawn)) {
                wins++;
            }
        }
        return (double) wins / resamples;
    }
}
