package dev.hone.metalearn.learningrate;

import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Suggests a learning rate from an LR range test: losses recorded while the learning rate grows
 * exponentially, one step per value.
 *
 * <p>Smith 2017, "Cyclical Learning Rates for Training Neural Networks" (arXiv:1506.01186). The raw rule,
 * "take the point of steepest descent", reads one difference between neighbouring losses, so one noisy
 * batch decides it; fastai and Lightning both warn that it is easily fooled. This rule reads the curve
 * instead:
 * <ol>
 *   <li>drop single-batch outliers with a running median of 5, then smooth with a debiased moving
 *       average ({@code β = 0.9}: fastai's 0.98 averages over ~50 points, which on a 100-step sweep lags the
 *       curve by a decade of learning rate and put the measured minimum past the divergence);</li>
 *   <li>cut the curve where it diverges: the smoothed loss above {@link #DIVERGENCE_FACTOR} × its minimum
 *       so far, or a non-finite loss;</li>
 *   <li>read a valley only where the curve turns up after its minimum: diverged, or risen {@link #MIN_DROP} above
 *       it before the sweep ended. A curve still falling at the sweep's last rate brackets none, and its fall may
 *       be training's progress rather than the rate's: a U-Net's 51-step sweep on 64x64 segmentation scenes fell all
 *       the way to its last rate, 1.0, and AdamW at valley/10 = 0.1 trained to 42.4% test mIoU in 10 minutes where
 *       `--lr 1.5e-3` (the rule's rate) reached 63.0% (docs/BENCHMARKS.md). The given fallback rate stands then;</li>
 *   <li>suggest "valley/d": the learning rate at the minimum smoothed loss divided by d. fastai's d = 10
 *       suits adaptive optimizers and fine-tuning; for SGD with warmup, d = 1: on resnet9 / Fashion-MNIST
 *       (4 epochs, warmup-cosine) peaks of 0.005, 0.01, 0.02 and 0.05 gave 85.7%, 86.8%, 87.6% and 80.4%
 *       test accuracy with the raw minimum at 0.011, so a tenth of it wastes accuracy. That holds only when the
 *       sweep was seen to diverge: a curve that rose without diverging keeps d = 10 (a tiny network's
 *       minimum at 1.6 trained to 48% there). The original reason for d = 10 was that at the
 *       minimum training is already at the edge of stability (and the moving average lags, which puts
 *       the minimum late);</li>
 *   <li>report the steepest descent of the smoothed curve over a window of points as a cross-check, but do
 *       not take it: on real networks the loss falls fastest at the very start of the sweep because training
 *       is leaving its initialization (resnet9 starts at loss 8.8 on Fashion-MNIST), whatever the learning
 *       rate; the steepest point was 1.2e-4 there, and training at it reached 64% where the valley rule's
 *       range reached 87%.</li>
 * </ol>
 * When the curve is too short or never falls, the rule falls back to a given learning rate and says why.
 */
public final class RangeTestRule {

    /** fastai's smoothing of the range-test loss. */
    public static final double BETA = 0.9;
    /** fastai stops the range test when the smoothed loss passes 4× its best. */
    public static final double DIVERGENCE_FACTOR = 4.0;
    /** fastai's divisor of the minimum-loss learning rate, for adaptive optimizers. */
    public static final double VALLEY_DIVISOR = 10.0;
    /** The divisor for SGD-family optimizers, measured (see the class comment). */
    public static final double SGD_VALLEY_DIVISOR = 1.0;
    /** Valley and steepest-descent suggestions further apart than this factor disagree. */
    public static final double DISAGREEMENT = 10.0;
    /** Fewer usable points than this cannot show a valley. */
    public static final int MIN_POINTS = 10;
    /** The smoothed loss must fall by at least this fraction of its earlier peak, or the curve is flat. */
    public static final double MIN_DROP = 0.05;

    private RangeTestRule() {
    }

    /** Which rule gave the suggestion. */
    public enum Rule {
        /** Minimum-loss learning rate / 10. */
        VALLEY,
        /** The curve could not be read; the given fallback stands. */
        FALLBACK
    }

    /**
     * What the range test says.
     *
     * @param suggestion the learning rate to train with
     * @param rule which rule produced it
     * @param reason one sentence for a person
     * @param minLossLr learning rate at the minimum smoothed loss (null when the curve was too short)
     * @param steepestLr centre of the window where the smoothed loss fell fastest (null when none fell)
     * @param divergedAt learning rate where the loss diverged (null when it never did)
     * @param lrs the swept learning rates up to the last finite loss
     * @param smoothed the loss at each of {@code lrs}, median-filtered then smoothed
     * @param usedPoints how many leading points were read (the rest lie past divergence)
     */
    public record Result(double suggestion, Rule rule, String reason, Double minLossLr, Double steepestLr,
            Double divergedAt, List<Double> lrs, List<Double> smoothed, int usedPoints) {
        public Result {
            lrs = List.copyOf(lrs);
            smoothed = List.copyOf(smoothed);
        }
    }

    /**
     * Reads a range test.
     *
     * @param lrs learning rates, positive and increasing (usually exponentially spaced)
     * @param losses the training loss at each, same length
     * @param fallbackLr the learning rate to use when the curve cannot be read
     */
    public static Result suggest(List<Double> lrs, List<Double> losses, double fallbackLr) {
        return suggest(lrs, losses, fallbackLr, VALLEY_DIVISOR);
    }

    /** @param divisor the minimum-loss learning rate is divided by this ({@link #SGD_VALLEY_DIVISOR} for SGD) */
    public static Result suggest(List<Double> lrs, List<Double> losses, double fallbackLr, double divisor) {
        return suggest(lrs, losses, fallbackLr, divisor, BETA);
    }

    /**
     * The smoothing for a sweep of {@code steps} points over the range a {@code calibratedSteps}-point
     * sweep covers: the moving average keeps its window in decades of learning rate (about 9 points of
     * 80 at {@link #BETA}), so a shortened sweep's valley lags by as much as the calibrated one's and
     * the divisors still apply.
     */
    public static double betaFor(int steps, int calibratedSteps) {
        return steps >= calibratedSteps ? BETA : 1 - (1 - BETA) * calibratedSteps / Math.max(1, steps);
    }

    /** @param beta the moving average's weight of the past ({@link #BETA}, or {@link #betaFor} a shortened sweep) */
    public static Result suggest(List<Double> lrs, List<Double> losses, double fallbackLr, double divisor, double beta) {
        validate(lrs, losses, fallbackLr);
        int finite = 0;
        while (finite < losses.size() && Double.isFinite(losses.get(finite))) {
            finite++;
        }
        List<Double> xs = lrs.subList(0, finite);
        List<Double> smoothed = smooth(medianOf5(losses.subList(0, finite)), Math.max(0, beta));

        int used = finite;
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < finite; i++) {
            double s = smoothed.get(i);
            if (best > 0 && s > DIVERGENCE_FACTOR * best) {
                used = i;
                break;
            }
            best = Math.min(best, s);
        }
        Double divergedAt = used < lrs.size() ? lrs.get(used) : null;

        if (used < MIN_POINTS) {
            return fallback(fallbackLr, "only " + used + " of " + lrs.size() + " points came before "
                    + (divergedAt != null ? "the loss diverged at lr " + fmt(divergedAt) : "the sweep ended")
                    + "; start the sweep lower or take more steps", null, null, divergedAt, xs, smoothed, used);
        }
        int minIdx = 0;
        for (int i = 1; i < used; i++) {
            if (smoothed.get(i) < smoothed.get(minIdx)) {
                minIdx = i;
            }
        }
        double minLossLr = xs.get(minIdx);
        double peak = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= minIdx; i++) {
            peak = Math.max(peak, smoothed.get(i));
        }
        double drop = (peak - smoothed.get(minIdx)) / Math.abs(peak);
        if (minIdx == 0 || !(drop >= MIN_DROP)) {
            return fallback(fallbackLr, String.format(Locale.ROOT, "the smoothed loss never fell by %.0f%% (only %.1f%%,"
                    + " minimum at lr %s); start the sweep lower if it rose from the start, or check the data and"
                    + " model if it stayed flat", 100 * MIN_DROP, 100 * Math.max(0, drop), fmt(minLossLr)),
                    minLossLr, null, divergedAt, xs,
                    smoothed, used);
        }

        double rise = (smoothed.get(used - 1) - smoothed.get(minIdx)) / Math.abs(smoothed.get(minIdx));
        if (divergedAt == null && !(rise >= MIN_DROP)) {
            return fallback(fallbackLr, String.format(Locale.ROOT, "the smoothed loss was still falling when the sweep ended at"
                    + " lr %s (it never diverged, nor rose %.0f%% above its minimum): no valley to read, as the fall may be"
                    + " training's progress rather than the rate's", fmt(xs.get(used - 1)), 100 * MIN_DROP),
                    minLossLr, null, null, xs, smoothed, used);
        }

        Double steepestLr = steepest(xs, smoothed, minIdx, window(used));
        // Only a curve seen to blow up brackets its valley tightly; one that only rose keeps the conservative divisor
        // whatever the optimizer.
        if (divergedAt == null) {
            divisor = Math.max(divisor, VALLEY_DIVISOR);
        }
        double valley = minLossLr / divisor;
        String valleyText = "valley/" + (divisor == Math.rint(divisor) ? String.valueOf((long) divisor) : fmt(divisor)) + " = " + fmt(valley) + " (minimum smoothed loss at lr " + fmt(minLossLr) + ")";
        String divergedText = divergedAt != null ? ", diverged at " + fmt(divergedAt) : "";
        if (steepestLr == null) {
            return new Result(valley, Rule.VALLEY, valleyText + divergedText, minLossLr, null, divergedAt, xs,
                    smoothed, used);
        }
        double ratio = Math.max(valley, steepestLr) / Math.min(valley, steepestLr);
        String steepText = "steepest smoothed descent at " + fmt(steepestLr);
        String agreement = ratio > DISAGREEMENT ? "; the " + steepText + " disagrees by more than " + (int) DISAGREEMENT
                + "× and is not used (an early fall is training leaving its initialization)"
                : String.format(java.util.Locale.ROOT, ", within %d× of the %s (%.1f× apart)", (int) DISAGREEMENT, steepText, ratio);
        return new Result(valley, Rule.VALLEY, valleyText + agreement + divergedText, minLossLr, steepestLr,
                divergedAt, xs, smoothed, used);
    }

    /**
     * Wraps a result into the {@code lr} decision: LEARNED when the curve was read, DEFAULT when it fell back.
     *
     * @param r the range test's reading
     * @param cost time the range test took
     */
    public static Decision<Double> decide(Result r, Duration cost) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("suggestion", r.suggestion());
        evidence.put("rule", r.rule().name().toLowerCase(Locale.ROOT));
        if (r.minLossLr() != null) {
            evidence.put("minLossLr", r.minLossLr());
        }
        if (r.steepestLr() != null) {
            evidence.put("steepestLr", r.steepestLr());
        }
        evidence.put("diverged", r.divergedAt() != null);
        if (r.divergedAt() != null) {
            evidence.put("divergedAt", r.divergedAt());
        }
        evidence.put("usedPoints", r.usedPoints());
        evidence.put("lrs", r.lrs());
        evidence.put("smoothedLoss", r.smoothed());
        boolean fellBack = r.rule() == Rule.FALLBACK;
        return new Decision<>("lr", r.suggestion(), fellBack ? Origin.DEFAULT : Origin.LEARNED, "range-test",
                r.reason(), evidence, cost);
    }

    /** fastai's debiased exponential moving average: {@code avg_i / (1 − β^(i+1))}. */
    public static List<Double> smooth(List<Double> losses, double beta) {
        List<Double> out = new ArrayList<>(losses.size());
        double avg = 0;
        double betaPow = 1;
        for (double loss : losses) {
            avg = beta * avg + (1 - beta) * loss;
            betaPow *= beta;
            out.add(avg / (1 - betaPow));
        }
        return out;
    }

    /**
     * Each point replaced by the median of itself and up to two neighbours each side (fewer at the ends), so
     * a lone outlier vanishes instead of being spread over the following points by the moving average.
     */
    public static List<Double> medianOf5(List<Double> xs) {
        List<Double> out = new ArrayList<>(xs.size());
        for (int i = 0; i < xs.size(); i++) {
            int lo = Math.max(0, i - 2);
            int hi = Math.min(xs.size(), i + 3);
            double[] w = new double[hi - lo];
            for (int j = lo; j < hi; j++) {
                w[j - lo] = xs.get(j);
            }
            Arrays.sort(w);
            out.add(w.length % 2 == 1 ? w[w.length / 2] : (w[w.length / 2 - 1] + w[w.length / 2]) / 2);
        }
        return out;
    }

    /** Points per slope window: a twentieth of the curve, at least 3, so no single step decides. */
    static int window(int points) {
        return Math.max(3, points / 20);
    }

    /**
     * The learning rate (geometric centre of the window) where the smoothed loss falls fastest per decade,
     * among windows ending at or before {@code lastIdx}; null when none falls.
     */
    static Double steepest(List<Double> lrs, List<Double> smoothed, int lastIdx, int w) {
        double bestSlope = 0;
        Double at = null;
        for (int i = 0; i + w <= lastIdx; i++) {
            double run = Math.log10(lrs.get(i + w)) - Math.log10(lrs.get(i));
            double slope = (smoothed.get(i + w) - smoothed.get(i)) / run;
            if (slope < bestSlope) {
                bestSlope = slope;
                at = Math.sqrt(lrs.get(i) * lrs.get(i + w));
            }
        }
        return at;
    }

    private static Result fallback(double fallbackLr, String why, Double minLossLr, Double steepestLr,
            Double divergedAt, List<Double> lrs, List<Double> smoothed, int used) {
        return new Result(fallbackLr, Rule.FALLBACK, "range test inconclusive, kept " + fmt(fallbackLr) + ": " + why,
                minLossLr, steepestLr, divergedAt, lrs, smoothed, used);
    }

    private static void validate(List<Double> lrs, List<Double> losses, double fallbackLr) {
        if (lrs.size() != losses.size()) {
            throw new IllegalArgumentException("range test has " + lrs.size() + " learning rates but " + losses.size()
                    + " losses; record one loss per step");
        }
        if (!(fallbackLr > 0) || !Double.isFinite(fallbackLr)) {
            throw new IllegalArgumentException("fallback learning rate must be positive and finite, got " + fallbackLr);
        }
        for (int i = 0; i < lrs.size(); i++) {
            double lr = lrs.get(i);
            if (!(lr > 0) || !Double.isFinite(lr) || i > 0 && !(lr > lrs.get(i - 1))) {
                throw new IllegalArgumentException("range-test learning rates must be positive, finite and increasing;"
                        + " point " + i + " is " + lr + (i > 0 ? " after " + lrs.get(i - 1) : ""));
            }
        }
    }

    static String fmt(double lr) {
        return String.format(Locale.ROOT, "%.3g", lr);
    }
}
