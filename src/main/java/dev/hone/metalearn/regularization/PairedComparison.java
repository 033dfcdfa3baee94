package dev.hone.metalearn.regularization;

import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import dev.hone.tasks.metrics.TemperatureScaling;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Two trials compared on the same validation images: the paired bootstrap of the difference in the
 * task's validation metric (Efron and Tibshirani, "An Introduction to the Bootstrap", 1993, ch. 16;
 * the test the NLP literature calls the paired bootstrap, Koehn 2004). Each resample draws images
 * with replacement and scores both trials on the same draw, so what the two trials have in common
 * (the images, their difficulty) cancels and only their disagreement counts. It works for any
 * task's metric (accuracy, mAP, F1, mIoU), unlike McNemar's test, which needs per-image correctness.
 *
 * <p>{@link #ofLoss} compares the two trials' per-image validation losses instead: the mean of a
 * per-image difference, resampled the same way. The loss is a proper scoring rule, continuous per
 * image, so it resolves a difference in a short trial that the 0/1 metric on 2,000 images cannot.
 *
 * @param gain the candidate's metric minus the incumbent's, on all images (a fraction: 0.01 is one point);
 *     for {@link #ofLoss}, the incumbent's mean loss minus the candidate's (positive: the candidate's is lower)
 * <p>The interval is the {@value #INTERVAL_PERCENT}% percentile interval: each end is a one-sided bound at {@link #LEVEL},
 * the level of the one-sided test, so a positive gain is {@link #significant} exactly when {@link #low} is above 0, and
 * the record never prints a significant gain beside an interval that holds 0 (a two-sided 95% interval did).
 *
 * @param low the lower end of the {@value #INTERVAL_PERCENT}% interval: the resampled gain that a share {@link #LEVEL}
 *     of the resamples do not exceed (the 5th percentile)
 * @param high the upper end: the 95th percentile of the resampled gains
 * @param pValue the one-sided p-value of "no gain": the share of resamples in which the candidate did not do better
 * @param resamples how many resamples the figures come from
 */
public record PairedComparison(double gain, double low, double high, double pValue, int resamples) {
    /** The stated level: a candidate replaces the incumbent only when {@link #pValue} is below it. */
    public static final double LEVEL = 0.05;
    /** The coverage of [{@link #low}, {@link #high}] in percent: two one-sided bounds at {@link #LEVEL}. */
    public static final int INTERVAL_PERCENT = 90;
    static final int MAX_RESAMPLES = 1000;
    static final int MIN_RESAMPLES = 200;
    /**
     * Rows times row length times resamples that one comparison aims at: it lowers the resamples for
     * segmentation's masks, down to {@link #MIN_RESAMPLES}, below which the interval would be too coarse.
     */
    private static final double WORK = 4e8;

    /**
     * The paired bootstrap of the mean per-image loss reduction, incumbent minus candidate.
     *
     * @param candidate and {@code incumbent}: predictions for the same images in the same order, with
     *     {@link Predictions#imageLosses}
     * @param seed the resampling seed, so one seed gives one decision
     * @throws IllegalArgumentException when either lacks per-image losses or they cover different numbers of images
     */
    public static PairedComparison ofLoss(Predictions candidate, Predictions incumbent, long seed) {
        double[] c = candidate.imageLosses();
        double[] r = incumbent.imageLosses();
        if (c == null || r == null) {
            throw new IllegalArgumentException("paired loss comparison needs per-image losses on both sides");
        }
        return ofLosses(c, r, seed);
    }

    /**
     * The paired bootstrap of the mean per-image reduction in calibrated loss, incumbent minus candidate: each model's
     * loss at the temperature that minimises its own mean loss on these images ({@link TemperatureScaling}; the
     * calibrated log-likelihood of Ashukha et al. 2020, arXiv:2002.06470). A raw loss rewards a model for being less
     * over-confident, such as one trained with noise against one that fitted few labels; this one counts only how each
     * ranks the true class.
     *
     * @param task whose {@code independentOutputs()} says how the probabilities were made (softmax or sigmoids)
     * @param candidate and {@code incumbent}: predictions for the same images in the same order
     * @param seed the resampling seed, so one seed gives one decision
     * @throws IllegalArgumentException when they cover different numbers of images, or for a task whose predictions are
     *     masks or boxes (segmentation, detection), which keep no per-image class probabilities
     */
    public static PairedComparison ofCalibratedLoss(Task task, Predictions candidate, Predictions incumbent, long seed) {
        if (task.spatialTargets() || task.boxTargets()) {
            throw new IllegalArgumentException("calibrated losses need class probabilities; " + task.name() + " keeps none");
        }
        boolean sigmoid = task.independentOutputs();
        return ofLosses(TemperatureScaling.losses(candidate, sigmoid, TemperatureScaling.fit(candidate, sigmoid)),
                TemperatureScaling.losses(incumbent, sigmoid, TemperatureScaling.fit(incumbent, sigmoid)), seed);
    }

    private static PairedComparison ofLosses(double[] c, double[] r, long seed) {
        if (c.length != r.length) {
            throw new IllegalArgumentException("paired losses cover " + c.length + " and " + r.length + " images");
        }
        int n = c.length;
        if (n == 0) {
            return new PairedComparison(0, 0, 0, 1, 0);
        }
        double[] d = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            d[i] = r[i] - c[i];
            sum += d[i];
        }
        return bootstrap(sum / n, n, MAX_RESAMPLES, seed, draw -> {
            double s = 0;
            for (int i : draw) {
                s += d[i];
            }
            return s / n;
        });
    }

    /** Whether the candidate beats the incumbent at {@link #LEVEL}, one-sided. */
    public boolean significant() {
        return gain > 0 && pValue < LEVEL;
    }

    /** For the record: "+0.0120 [+0.0035, +0.0205], p=0.004", the interval at {@value #INTERVAL_PERCENT}%. */
    public String describe() {
        return String.format("%+.4f [%+.4f, %+.4f], p=%.3f", gain, low, high, pValue);
    }

    /**
     * @param candidate and {@code incumbent}: predictions for the same images in the same order
     * @param seed the resampling seed, so one seed gives one decision
     * @throws IllegalArgumentException when the two cover different numbers of images
     */
    public static PairedComparison of(Task task, Predictions candidate, Predictions incumbent, long seed) {
        int n = candidate.probabilities().length;
        if (n != incumbent.probabilities().length) {
            throw new IllegalArgumentException("paired predictions cover " + n + " and " + incumbent.probabilities().length + " images");
        }
        double gain = task.score(candidate) - task.score(incumbent);
        if (n == 0) {
            return new PairedComparison(0, 0, 0, 1, 0);
        }
        int width = Math.max(1, candidate.probabilities()[0].length);
        int b = (int) Math.max(MIN_RESAMPLES, Math.min(MAX_RESAMPLES, WORK / ((double) n * width)));
        return bootstrap(gain, n, b, seed, draw -> task.score(candidate.rows(draw)) - task.score(incumbent.rows(draw)));
    }

    /** {@code resamples} draws of n images with replacement, each scored by {@code gainOn}; the observed gain is {@code gain}. */
    private static PairedComparison bootstrap(double gain, int n, int resamples, long seed,
            java.util.function.ToDoubleFunction<int[]> gainOn) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] gains = new double[resamples];
        int notBetter = 0;
        int[] draw = new int[n];
        for (int k = 0; k < resamples; k++) {
            for (int i = 0; i < n; i++) {
                draw[i] = r.nextInt(n);
            }
            gains[k] = gainOn.applyAsDouble(draw);
            if (!(gains[k] > 0)) {
                notBetter++;
            }
        }
        Arrays.sort(gains);
        // gains[k] > 0 exactly when at most k resamples are <= 0, i.e. when notBetter / resamples < LEVEL
        int k = Math.max(0, (int) Math.ceil(LEVEL * resamples) - 1);
        return new PairedComparison(gain, gains[k], gains[resamples - 1 - k], (double) notBetter / resamples, resamples);
    }
}
