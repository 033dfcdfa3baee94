package dev.hone.regularize;

import java.util.random.RandomGenerator;

/**
 * Draws from the Beta distribution, the mixing weight of MixUp and CutMix.
 *
 * <p>Beta(a, b) is {@code X / (X + Y)} with X ~ Gamma(a), Y ~ Gamma(b); the gamma draws use Marsaglia
 * and Tsang's method (ACM TOMS 2000), boosted for shapes below 1 with {@code Gamma(a) = Gamma(a + 1) *
 * U^(1/a)}. The ratio is formed from logarithms because MixUp's usual alphas (0.1 to 0.4) make both
 * gamma draws small enough to underflow to 0 in plain arithmetic.
 */
final class Beta {
    private Beta() {}

    /** A draw from Beta(a, b), both shapes above 0. */
    static double sample(double a, double b, RandomGenerator rng) {
        if (!(a > 0 && b > 0)) {
            throw new IllegalArgumentException("Beta shapes must be > 0: " + a + ", " + b);
        }
        double logX = logGamma(a, rng);
        double logY = logGamma(b, rng);
        // x / (x + y) = 1 / (1 + exp(logY - logX))
        return 1 / (1 + Math.exp(logY - logX));
    }

    /** The logarithm of a draw from Gamma(shape, 1). */
    static double logGamma(double shape, RandomGenerator rng) {
        if (shape < 1) {
            double u = 1 - rng.nextDouble(); // in (0, 1], so its log is finite
            return logGamma(shape + 1, rng) + Math.log(u) / shape;
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = rng.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1 - rng.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return Math.log(d * v);
            }
        }
    }
}
