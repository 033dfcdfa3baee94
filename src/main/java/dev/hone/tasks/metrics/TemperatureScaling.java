package dev.hone.tasks.metrics;

/**
 * Temperature scaling of a binary classifier: one scalar T > 0 that divides the logit before the sigmoid,
 * fitted to minimise the negative log-likelihood (NLL) on validation logits.
 *
 * <p>From Guo et al., "On Calibration of Modern Neural Networks" (2017, arXiv:1706.04599): the simplest
 * post-hoc calibration, and the one that does best there. It never changes the ranking, so AP and ROC-AUC
 * stay the same; a threshold on probabilities must be learned after it. The NLL of {@code sigmoid(z / T)}
 * is convex in {@code 1 / T}, hence unimodal in {@code log T}, so a golden-section search on {@code log T}
 * over [{@link #MIN_TEMPERATURE}, {@link #MAX_TEMPERATURE}] finds the minimum without derivatives or a
 * starting guess. A fit that ends on a bound ({@link Fit#atBound()}) means the validation data is
 * separable (T wants 0), one-class, or ranked backwards (T wants infinity); callers should not keep it.
 */
public final class TemperatureScaling {
    public static final double MIN_TEMPERATURE = 0.01;
    public static final double MAX_TEMPERATURE = 100;
    private static final double PHI = (Math.sqrt(5) - 1) / 2;
    private static final double TOLERANCE = 1e-10;

    private TemperatureScaling() {}

    /**
     * The outcome of a fit.
     *
     * @param temperature the fitted T, in [MIN_TEMPERATURE, MAX_TEMPERATURE]
     * @param nllBefore mean NLL in nats at T = 1
     * @param nllAfter mean NLL in nats at the fitted T, never above {@code nllBefore}
     * @param atBound whether T ended on a bound of the search (see the class comment)
     */
    public record Fit(double temperature, double nllBefore, double nllAfter, boolean atBound) {
        /** Whether to keep the temperature: it lowers validation NLL and did not run into a bound. */
        public boolean worthKeeping() {
            return nllAfter < nllBefore && !atBound;
        }
    }

    /**
     * Fits T on validation logits.
     *
     * @param logits one finite logit per validation sample (before the sigmoid)
     * @param positives whether each sample is positive, same length
     * @throws IllegalArgumentException if there is no sample, the lengths differ, or a logit is not finite
     */
    public static Fit fit(float[] logits, boolean[] positives) {
        Checks.scores(logits, positives);
        if (logits.length == 0) {
            throw new IllegalArgumentException("temperature scaling needs at least one validation logit; got none");
        }
        double before = nll(logits, positives, 1);
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        double a = hi - PHI * (hi - lo);
        double b = lo + PHI * (hi - lo);
        double fa = nll(logits, positives, Math.exp(a));
        double fb = nll(logits, positives, Math.exp(b));
        while (hi - lo > TOLERANCE) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - PHI * (hi - lo);
                fa = nll(logits, positives, Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + PHI * (hi - lo);
                fb = nll(logits, positives, Math.exp(b));
            }
        }
        double t = Math.exp((lo + hi) / 2);
        double after = nll(logits, positives, t);
        if (!(after < before)) {
            // a flat NLL (all logits 0) or T = 1 already optimal: no change is the honest answer
            return new Fit(1, before, before, false);
        }
        boolean atBound = t < MIN_TEMPERATURE * 1.001 || t > MAX_TEMPERATURE / 1.001;
        return new Fit(t, before, after, atBound);
    }

    /**
     * Mean binary cross-entropy of {@code sigmoid(logit / T)}, computed from the logit without overflow.
     *
     * @return the NLL in nats per sample; NaN with no sample
     * @throws IllegalArgumentException if T is not positive and finite, the lengths differ, or a logit is not
     *     finite
     */
    public static double nll(float[] logits, boolean[] positives, double temperature) {
        Checks.scores(logits, positives);
        if (!(temperature > 0 && temperature < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("temperature is " + temperature + "; it must be positive and finite");
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double x = logits[i] / temperature;
            // -log sigmoid(x) = softplus(-x); -log(1 - sigmoid(x)) = softplus(x)
            sum += softplus(positives[i] ? -x : x);
        }
        return sum / logits.length;
    }

    /** The calibrated probability {@code sigmoid(logit / T)}. */
    public static double probability(double logit, double temperature) {
        double x = logit / temperature;
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    private static double softplus(double x) {
        return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
    }
}
