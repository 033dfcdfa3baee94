package dev.hone.tasks.metrics;

/**
 * Temperature scaling: one scalar T > 0 that divides a classifier's logits, fitted to minimise the negative
 * log-likelihood (NLL) on validation images. {@link #fit(float[], boolean[])} calibrates a binary classifier's logits;
 * {@link #fit(dev.hone.tasks.Predictions, boolean)} and {@link #losses} fit any classifier from its kept probabilities,
 * to compare models on their calibrated losses.
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
    /**
     * The smallest probability read: a float softmax keeps probabilities down to about 1e-38, and a floor above that
     * would raise the recovered logits of a confident model's losing classes.
     */
    private static final double SOFTMAX_FLOOR = Float.MIN_NORMAL;
    /** A sigmoid output near 1 is resolved only to float precision: its logit is read within [1e-7, 1 - 1e-7]. */
    private static final double SIGMOID_FLOOR = 1e-7;

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
        double t = minimize(x -> nll(logits, positives, x));
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

    /**
     * The T in [{@link #MIN_TEMPERATURE}, {@link #MAX_TEMPERATURE}] that minimises {@code loss}, by golden-section search
     * on log T; {@code loss} must be unimodal in log T, as a mean NLL is.
     */
    static double minimize(java.util.function.DoubleUnaryOperator loss) {
        double lo = Math.log(MIN_TEMPERATURE);
        double hi = Math.log(MAX_TEMPERATURE);
        double a = hi - PHI * (hi - lo);
        double b = lo + PHI * (hi - lo);
        double fa = loss.applyAsDouble(Math.exp(a));
        double fb = loss.applyAsDouble(Math.exp(b));
        while (hi - lo > TOLERANCE) {
            if (fa <= fb) {
                hi = b;
                b = a;
                fb = fa;
                a = hi - PHI * (hi - lo);
                fa = loss.applyAsDouble(Math.exp(a));
            } else {
                lo = a;
                a = b;
                fa = fb;
                b = lo + PHI * (hi - lo);
                fb = loss.applyAsDouble(Math.exp(b));
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    /**
     * The temperature that minimises the mean of {@link #losses} over {@code p}'s images: any task's classifier, from
     * the probabilities it kept; 1 for an empty set. Comparing two models' losses each at its own fitted temperature is
     * the calibrated log-likelihood of Ashukha et al. 2020 ("Pitfalls of In-Domain Uncertainty Estimation and Ensembling
     * in Deep Learning", arXiv:2002.06470): a raw loss favours the model that is less over-confident, such as one trained
     * with noise against one that fitted its few labels, even where the two rank the classes alike.
     *
     * @param independentOutputs the task's {@code independentOutputs()}
     */
    public static double fit(dev.hone.tasks.Predictions p, boolean independentOutputs) {
        if (p.probabilities().length == 0) {
            return 1;
        }
        boolean sigmoid = independent(p, independentOutputs);
        return minimize(t -> mean(lossesAt(p, sigmoid, t)));
    }

    /**
     * Each image's loss at temperature {@code t}, in nats, with the logits recovered from the kept probabilities: the
     * cross-entropy of its label under the softmax of log p / t (single-label; binary's (1 - p, p) rows, where it is the
     * sigmoid of the logit over t), or for independent outputs (multi-label: one probability and one target per class)
     * the binary cross-entropy of each output's logit log(p / (1 - p)) over t, averaged over the classes.
     *
     * @param p predictions with a class index per image ({@code labels}) or a target row as wide as its probabilities
     * @param independentOutputs the task's {@code independentOutputs()}
     */
    public static double[] losses(dev.hone.tasks.Predictions p, boolean independentOutputs, double t) {
        return lossesAt(p, independent(p, independentOutputs), t);
    }

    /** Whether {@code p}'s rows are independent sigmoids with a target each (multi-label), not a softmax (or binary's pair). */
    private static boolean independent(dev.hone.tasks.Predictions p, boolean independentOutputs) {
        return independentOutputs && p.probabilities().length > 0 && p.targets()[0].length == p.probabilities()[0].length;
    }

    private static double[] lossesAt(dev.hone.tasks.Predictions p, boolean sigmoid, double t) {
        float[][] probs = p.probabilities();
        double[] out = new double[probs.length];
        for (int i = 0; i < probs.length; i++) {
            out[i] = sigmoid ? sigmoidLoss(probs[i], p.targets()[i], t) : softmaxLoss(probs[i], p.labels()[i], t);
        }
        return out;
    }

    private static double softmaxLoss(float[] row, int label, double t) {
        double max = Double.NEGATIVE_INFINITY;
        double[] z = new double[row.length];
        for (int k = 0; k < row.length; k++) {
            z[k] = Math.log(Math.max(SOFTMAX_FLOOR, row[k])) / t;
            max = Math.max(max, z[k]);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum) - z[label];
    }

    private static double sigmoidLoss(float[] row, float[] target, double t) {
        double total = 0;
        for (int k = 0; k < row.length; k++) {
            double q = Math.min(1 - SIGMOID_FLOOR, Math.max(SIGMOID_FLOOR, row[k]));
            double z = Math.log(q / (1 - q)) / t;
            total += softplus(z) - target[k] * z; // -[y log s(z) + (1 - y) log(1 - s(z))]
        }
        return total / row.length;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
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
