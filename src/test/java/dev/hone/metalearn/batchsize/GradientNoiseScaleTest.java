package dev.hone.metalearn.batchsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two-batch estimator recovers a noise scale known in closed form.
 *
 * <p>The reference problem is linear least squares, {@code loss(θ) = E ½(xᵀθ − y)²} with
 * {@code y = xᵀθ* + ε}, {@code x ~ N(0, I_d)}, {@code ε ~ N(0, σ²)} independent of {@code x}. With
 * {@code δ = θ − θ*} the residual is {@code r = xᵀδ − ε} and one example's gradient is {@code g = x·r}.
 * <ul>
 *   <li>{@code G = E[g] = E[x xᵀ]δ − E[x]E[ε] = δ}.</li>
 *   <li>{@code E[g gᵀ] = E[r² x xᵀ] = E[(xᵀδ)² x xᵀ] + σ² E[x xᵀ]} (the cross term has {@code E[ε] = 0}).
 *       By Isserlis' theorem, {@code E[x_a x_b x_c x_d] = δ_ab δ_cd + δ_ac δ_bd + δ_ad δ_bc}, so
 *       {@code E[(xᵀδ)² x xᵀ] = |δ|² I + 2 δδᵀ}.</li>
 *   <li>{@code Σ = E[g gᵀ] − G Gᵀ = (|δ|² + σ²) I + δδᵀ}, hence {@code tr Σ = d(|δ|² + σ²) + |δ|²}.</li>
 *   <li>{@code B_true = tr Σ / |G|² = d + 1 + d σ² / |δ|²}.</li>
 * </ul>
 * {@link #closedFormMatchesALargeSample()} checks this derivation numerically, so the main test does not
 * rest on algebra alone.
 */
class GradientNoiseScaleTest {

    private static final int D = 20;
    private static final double SIGMA2 = 9.0;

    /** A least-squares problem at a fixed point θ, sampled with a fixed seed. */
    private static final class LeastSquares {
        final double[] delta = new double[D];
        final Random rng;

        LeastSquares(long seed, double deltaNorm2) {
            rng = new Random(seed);
            double n2 = 0;
            for (int j = 0; j < D; j++) {
                delta[j] = rng.nextGaussian();
                n2 += delta[j] * delta[j];
            }
            double scale = Math.sqrt(deltaNorm2 / n2);
            for (int j = 0; j < D; j++) {
                delta[j] *= scale;
            }
        }

        double norm2() {
            double n2 = 0;
            for (double v : delta) {
                n2 += v * v;
            }
            return n2;
        }

        double trueBSimple() {
            double n2 = norm2();
            return (D * (n2 + SIGMA2) + n2) / n2;
        }

        /** One example's gradient, added into {@code sum}. */
        void addExampleGradient(double[] sum, double[] x) {
            double r = 0;
            for (int j = 0; j < D; j++) {
                x[j] = rng.nextGaussian();
                r += x[j] * delta[j];
            }
            r -= Math.sqrt(SIGMA2) * rng.nextGaussian();
            for (int j = 0; j < D; j++) {
                sum[j] += x[j] * r;
            }
        }

        /** Squared norm of a fresh minibatch's mean gradient. */
        double minibatchSqNorm(int batch) {
            double[] sum = new double[D];
            double[] x = new double[D];
            for (int i = 0; i < batch; i++) {
                addExampleGradient(sum, x);
            }
            double n2 = 0;
            for (double v : sum) {
                n2 += (v / batch) * (v / batch);
            }
            return n2;
        }
    }

    /**
     * 400 probe steps with a 100-step averaging window: over 40 seeds this lands within 13% of the truth
     * (worst 0.87×, 1.15×); with a 50-step window (decay 0.98) and 300 steps a few seeds drift past 20%.
     */
    @Test
    void recoversTheClosedFormNoiseScaleWithin20Percent() {
        LeastSquares problem = new LeastSquares(42, 1.0);
        double bTrue = problem.trueBSimple(); // 21 + 180 = 201
        GradientNoiseScale gns = new GradientNoiseScale(32, 512, 0.99);
        for (int step = 0; step < 400; step++) {
            gns.observe(problem.minibatchSqNorm(32), problem.minibatchSqNorm(512));
        }
        assertThat(bTrue).isCloseTo(201.0, within(1e-9));
        assertThat(gns.bSimple()).isCloseTo(bTrue, within(0.20 * bTrue));
        assertThat(gns.gradientSquare()).isCloseTo(problem.norm2(), within(0.25 * problem.norm2()));
        assertThat(gns.observations()).isEqualTo(400);
        assertThat(gns.history()).hasSize(400);
        GradientNoiseScale.Band band = gns.band();
        assertThat(band.steps()).isEqualTo(200);
        assertThat(band.low()).isLessThanOrEqualTo(band.median()).isGreaterThan(0);
        assertThat(band.high()).isGreaterThanOrEqualTo(band.median()).isFinite();
        assertThat(bTrue).isBetween(band.low() * 0.8, band.high() * 1.2);
    }

    @Test
    void closedFormMatchesALargeSample() {
        LeastSquares problem = new LeastSquares(7, 2.0);
        int n = 200_000;
        double[] mean = new double[D];
        double[] sumSq = new double[D];
        double[] g = new double[D];
        double[] x = new double[D];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(g, 0);
            problem.addExampleGradient(g, x);
            for (int j = 0; j < D; j++) {
                mean[j] += g[j] / n;
                sumSq[j] += g[j] * g[j] / n;
            }
        }
        double g2 = 0;
        double trace = 0;
        for (int j = 0; j < D; j++) {
            g2 += mean[j] * mean[j];
            trace += sumSq[j] - mean[j] * mean[j];
        }
        double expectedTrace = D * (2.0 + SIGMA2) + 2.0;
        assertThat(g2).isCloseTo(2.0, within(0.05 * 2.0));
        assertThat(trace).isCloseTo(expectedTrace, within(0.02 * expectedTrace));
    }

    @Test
    void oneStepFollowsTheFormulas() {
        // |G_small|² = |G|² + S/B_small and |G_big|² = |G|² + S/B_big with |G|² = 2, S = 100
        GradientNoiseScale gns = new GradientNoiseScale(10, 100, 0.0);
        gns.observe(2 + 100 / 10.0, 2 + 100 / 100.0);
        assertThat(gns.gradientSquare()).isCloseTo(2.0, within(1e-12));
        assertThat(gns.traceCovariance()).isCloseTo(100.0, within(1e-9));
        assertThat(gns.bSimple()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void debiasedAverageDoesNotStartAtZero() {
        GradientNoiseScale gns = new GradientNoiseScale(10, 100, 0.9);
        gns.observe(12, 3);
        assertThat(gns.gradientSquare()).isCloseTo(2.0, within(1e-12));
        assertThat(gns.bSimple()).isCloseTo(50.0, within(1e-9));
    }

    @Test
    void noiseDominatedIsInfiniteNotNegative() {
        GradientNoiseScale gns = new GradientNoiseScale(10, 100, 0.5);
        // B_big·|G_big|² < B_small·|G_small|², so the |G|² estimate is negative
        gns.observe(1.0, 0.05);
        assertThat(GradientNoiseScale.gradientSquareOnce(1.0, 0.05, 10, 100)).isNegative();
        assertThat(gns.bSimple()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(gns.noiseDominated()).isTrue();
        assertThat(gns.band().high()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void noNoiseGivesZero() {
        GradientNoiseScale gns = new GradientNoiseScale(10, 100, 0.5);
        gns.observe(2.0, 2.1); // big batch noisier than small: S < 0
        assertThat(gns.bSimple()).isZero();
    }

    @Test
    void beforeAnyObservationEverythingIsNaN() {
        GradientNoiseScale gns = new GradientNoiseScale(16, 64, 0.9);
        assertThat(gns.bSimple()).isNaN();
        assertThat(gns.band().steps()).isZero();
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new GradientNoiseScale(64, 64, 0.9)).hasMessageContaining("bSmall < bBig");
        assertThatThrownBy(() -> new GradientNoiseScale(16, 64, 1.0)).hasMessageContaining("emaDecay");
        GradientNoiseScale gns = new GradientNoiseScale(16, 64, 0.9);
        assertThatThrownBy(() -> gns.observe(Double.NaN, 1)).hasMessageContaining("diverged");
    }
}
