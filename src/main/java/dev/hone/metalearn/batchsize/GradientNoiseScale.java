package dev.hone.metalearn.batchsize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Estimates the simple gradient noise scale {@code B_simple = tr(Σ) / |G|²} from gradient norms measured at
 * two batch sizes.
 *
 * <p>McCandlish et al. 2018, "An Empirical Model of Large-Batch Training" (arXiv:1812.06162), appendix A.1;
 * the Masterful report, section 8.2.3. {@code B_simple} is where a step's gradient noise is about as large
 * as the gradient itself: below it, doubling the batch nearly halves the steps needed; far above it, extra
 * examples per step buy almost nothing. It is the paper's estimate of the compute-efficient batch size.
 *
 * <p>The expected squared norm of a mean-of-B gradient is {@code |G|² + tr(Σ)/B}, so two measurements at
 * {@code B_small} and {@code B_big} give unbiased per-step estimates of both terms:
 * <pre>
 *   |G|² ≈ (B_big·|G_big|² − B_small·|G_small|²) / (B_big − B_small)
 *   S    ≈ (|G_small|² − |G_big|²) / (1/B_small − 1/B_big)
 * </pre>
 * One step's estimates are very noisy (the small-batch norm is dominated by noise, and {@code |G|²} often
 * comes out negative), and their ratio is biased, so the two are each smoothed with an exponential moving
 * average before dividing. In a data-parallel run the two norms come for free: the per-worker gradient is
 * the small batch and the all-reduced one the big batch; on one device, a probe accumulates the big batch
 * from small ones.
 *
 * <p>When the smoothed {@code |G|²} is not positive, noise swamps the signal at every batch tried: the
 * estimate is reported as {@code +∞} ("above any batch tried"), never as a negative number.
 */
public final class GradientNoiseScale {

    private final double bSmall;
    private final double bBig;
    private final double emaDecay;

    private double emaG2;
    private double emaS;
    private double debias = 1.0; // emaDecay^t, to undo the EMA's pull towards its zero start
    private int count;
    private final List<Double> history = new ArrayList<>();
    private final List<Double> rawGradientSquare = new ArrayList<>();
    private final List<Double> rawTrace = new ArrayList<>();

    /**
     * @param bSmall the smaller batch size the first norm is measured at
     * @param bBig the larger batch size (often a multiple of {@code bSmall}, accumulated from small ones)
     * @param emaDecay weight of the past in the moving averages, in [0, 1): 0 keeps only the last step, 0.9
     *     averages over about ten probe steps (the Masterful report's α is {@code 1 − emaDecay})
     */
    public GradientNoiseScale(double bSmall, double bBig, double emaDecay) {
        if (!(bSmall > 0) || !(bBig > bSmall)) {
            throw new IllegalArgumentException("batch sizes must satisfy 0 < bSmall < bBig, got bSmall=" + bSmall
                    + ", bBig=" + bBig + "; measure the second norm at a larger batch (e.g. 4 × bSmall)");
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("emaDecay must be in [0, 1), got " + emaDecay
                    + "; 0.9 to 0.99 suits probes of 20 to 200 steps");
        }
        this.bSmall = bSmall;
        this.bBig = bBig;
        this.emaDecay = emaDecay;
    }

    /**
     * Adds one probe step.
     *
     * @param sqNormSmall {@code |G_small|²}, squared L2 norm of the mean gradient over {@code bSmall} examples
     * @param sqNormBig {@code |G_big|²}, the same over {@code bBig} examples, at the same weights
     */
    public void observe(double sqNormSmall, double sqNormBig) {
        if (!Double.isFinite(sqNormSmall) || !Double.isFinite(sqNormBig) || sqNormSmall < 0 || sqNormBig < 0) {
            throw new IllegalArgumentException("squared gradient norms must be finite and non-negative, got |G_small|²="
                    + sqNormSmall + ", |G_big|²=" + sqNormBig + " at observation " + (observations() + 1)
                    + "; a non-finite norm means the probe diverged: lower its learning rate");
        }
        double g2 = gradientSquareOnce(sqNormSmall, sqNormBig, bSmall, bBig);
        double s = traceCovarianceOnce(sqNormSmall, sqNormBig, bSmall, bBig);
        rawGradientSquare.add(g2);
        rawTrace.add(s);
        emaG2 = emaDecay * emaG2 + (1 - emaDecay) * g2;
        emaS = emaDecay * emaS + (1 - emaDecay) * s;
        debias *= emaDecay;
        count++;
        history.add(bSimple());
    }

    /** One step's unbiased estimate of {@code |G|²}; may be negative when noise dominates. */
    public static double gradientSquareOnce(double sqNormSmall, double sqNormBig, double bSmall, double bBig) {
        return (bBig * sqNormBig - bSmall * sqNormSmall) / (bBig - bSmall);
    }

    /** One step's unbiased estimate of {@code tr(Σ)}, the summed per-example gradient variance. */
    public static double traceCovarianceOnce(double sqNormSmall, double sqNormBig, double bSmall, double bBig) {
        return (sqNormSmall - sqNormBig) / (1 / bSmall - 1 / bBig);
    }

    /** Smoothed {@code |G|²}, bias-corrected for the moving average's zero start; NaN before any observation. */
    public double gradientSquare() {
        return observations() == 0 ? Double.NaN : emaG2 / (1 - debias);
    }

    /** Smoothed {@code tr(Σ)}, bias-corrected like {@link #gradientSquare()}; NaN before any observation. */
    public double traceCovariance() {
        return observations() == 0 ? Double.NaN : emaS / (1 - debias);
    }

    /**
     * {@code B_simple = S / |G|²} from the smoothed estimates: {@code +∞} when the smoothed {@code |G|²} is not
     * positive (noise dominates), 0 when the smoothed {@code S} is not positive (no measurable noise), NaN before
     * any observation.
     */
    public double bSimple() {
        return ratio(traceCovariance(), gradientSquare());
    }

    /** True when noise swamped the gradient at every batch tried, so {@link #bSimple()} is {@code +∞}. */
    public boolean noiseDominated() {
        return bSimple() == Double.POSITIVE_INFINITY;
    }

    public int observations() {
        return count;
    }

    public double bSmall() {
        return bSmall;
    }

    public double bBig() {
        return bBig;
    }

    public double emaDecay() {
        return emaDecay;
    }

    /** {@link #bSimple()} after each observation, oldest first, for the report's picture of it settling. */
    public List<Double> history() {
        return Collections.unmodifiableList(history);
    }

    /**
     * How settled the estimate is: the 10th, 50th and 90th percentiles of {@code B_simple} over the last half
     * of the probe.
     *
     * <p>Per step, the ratio {@code S_t / |G_t|²} of the raw estimates is useless as a spread (its denominator
     * crosses zero, so it is heavy-tailed and often negative). The band therefore takes the smoothed values
     * reported after each of the last half of the steps: had the probe stopped at any of them, the answer
     * would have been inside it. A wide band says "probe longer" or "raise emaDecay".
     */
    public Band band() {
        int n = observations();
        if (n == 0) {
            return new Band(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        int from = n / 2;
        double[] tail = history.subList(from, n).stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(tail);
        return new Band(percentile(tail, 0.10), percentile(tail, 0.50), percentile(tail, 0.90), tail.length);
    }

    /** Per-step raw estimates of {@code |G|²}, for diagnosis; the EMA smooths these. */
    public List<Double> rawGradientSquares() {
        return Collections.unmodifiableList(rawGradientSquare);
    }

    /** Per-step raw estimates of {@code tr(Σ)}, for diagnosis; the EMA smooths these. */
    public List<Double> rawTraces() {
        return Collections.unmodifiableList(rawTrace);
    }

    /**
     * A spread of {@code B_simple} estimates.
     *
     * @param low 10th percentile
     * @param median 50th percentile
     * @param high 90th percentile ({@code +∞} when noise dominated some of the steps)
     * @param steps how many estimates it summarises
     */
    public record Band(double low, double median, double high, int steps) {
        /** Half the 10–90 spread, the {@code ±} a person reads. */
        public double halfWidth() {
            return (high - low) / 2;
        }
    }

    static double ratio(double s, double g2) {
        if (Double.isNaN(s) || Double.isNaN(g2)) {
            return Double.NaN;
        }
        if (g2 <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return s <= 0 ? 0.0 : s / g2;
    }

    /** Linear interpolation between order statistics of an ascending array; infinities are kept. */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = (int) Math.ceil(pos);
        if (lo == hi || sorted[lo] == sorted[hi]) {
            return sorted[lo];
        }
        if (Double.isInfinite(sorted[hi])) {
            return sorted[hi];
        }
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
