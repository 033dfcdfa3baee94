package dev.hone.optimize;

import static dev.hone.optimize.Params.norm;
import static dev.hone.optimize.Params.param;
import static dev.hone.optimize.Params.setGradient;
import static dev.hone.optimize.Params.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * LAMB, LARS and Lion checked against their papers' formulas computed by hand in Java doubles, on a
 * vector and on a matrix (so the trust ratio's norm must span the whole layer, not a row).
 */
class LargeBatchOptimizersTest {
    private static final float[] VECTOR = {1f, -2f, 0.5f};
    private static final float[] MATRIX = {1f, -2f, 0.5f, 3f};
    private static final float[][] VECTOR_GRADS = {{0.5f, -1f, 0f}, {-2f, 0.5f, 0.25f}};
    private static final float[][] MATRIX_GRADS = {{0.5f, -1f, 0f, 0.1f}, {-2f, 0.5f, 0.25f, 0.3f}};

    /** A reference update: changes {@code w} and its state, given gradient {@code g} at step t. */
    private interface Reference {
        void step(double[] w, double[][] state, float[] g, int t);
    }

    /**
     * Runs two updates of {@code opt} and of {@code ref} on a parameter of the given shape and
     * compares them; checks the gradient is zeroed after each update.
     */
    private static void matches(HoneOptimizer opt, Reference ref, Shape shape, float[] init, float[][] grads,
            double tolerance) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = param(m, shape, init);
            double[] expected = new double[init.length];
            for (int i = 0; i < init.length; i++) {
                expected[i] = init[i];
            }
            double[][] state = new double[2][init.length];
            for (int t = 1; t <= grads.length; t++) {
                setGradient(w, grads[t - 1]);
                opt.update("w", w, w.getGradient());
                ref.step(expected, state, grads[t - 1], t);
                assertThat(w.getGradient().toFloatArray()).containsOnly(0f);
            }
            float[] got = w.toFloatArray();
            for (int i = 0; i < got.length; i++) {
                assertThat((double) got[i]).as("element %d", i).isCloseTo(expected[i], within(tolerance));
            }
        }
    }

    private static Reference lamb(double lr, double b1, double b2, double eps, double decay) {
        return (w, s, g, t) -> {
            double[] r = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                s[0][i] = b1 * s[0][i] + (1 - b1) * g[i];
                s[1][i] = b2 * s[1][i] + (1 - b2) * g[i] * g[i];
                double mHat = s[0][i] / (1 - Math.pow(b1, t));
                double vHat = s[1][i] / (1 - Math.pow(b2, t));
                r[i] = mHat / (Math.sqrt(vHat) + eps) + decay * w[i];
            }
            double wn = norm(w);
            double rn = norm(r);
            double trust = wn > 0 && rn > 0 ? wn / rn : 1;
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * trust * r[i];
            }
        };
    }

    private static Reference lars(double lr, double momentum, double eta, double decay, boolean vector) {
        return (w, s, g, t) -> {
            double d = vector ? 0 : decay;
            double wn = norm(w);
            double gn = 0;
            for (float x : g) {
                gn += x * x;
            }
            gn = Math.sqrt(gn);
            double local = vector || wn == 0 || gn == 0 ? 1 : eta * wn / (gn + d * wn);
            for (int i = 0; i < w.length; i++) {
                s[0][i] = momentum * s[0][i] + lr * local * (g[i] + d * w[i]);
                w[i] -= s[0][i];
            }
        };
    }

    private static Reference lion(double lr, double b1, double b2, double decay) {
        return (w, s, g, t) -> {
            for (int i = 0; i < w.length; i++) {
                double c = b1 * s[0][i] + (1 - b1) * g[i];
                w[i] -= lr * (Math.signum(c) + decay * w[i]);
                s[0][i] = b2 * s[0][i] + (1 - b2) * g[i];
            }
        };
    }

    @Test
    void lambMatchesTheFormulaOverTwoSteps() {
        matches(new Lamb(0.01f, 0.9f, 0.999f, 1e-6f, 0.1f), lamb(0.01, 0.9, 0.999, 1e-6, 0.1),
                new Shape(3), VECTOR, VECTOR_GRADS, 1e-6);
        matches(new Lamb(0.01f, 0.9f, 0.999f, 1e-6f, 0.1f), lamb(0.01, 0.9, 0.999, 1e-6, 0.1),
                new Shape(2, 2), MATRIX, MATRIX_GRADS, 1e-6);
    }

    @Test
    void larsMatchesTheFormulaOverTwoSteps() {
        // eta large enough that the trust ratio visibly shapes the step
        matches(new Lars(1f, 0.9f, 0.01f, 0.01f), lars(1, 0.9, 0.01, 0.01, false),
                new Shape(2, 2), MATRIX, MATRIX_GRADS, 1e-6);
        // rank 1: plain momentum SGD, no trust ratio and no decay
        matches(new Lars(0.1f, 0.9f, 0.01f, 0.01f), lars(0.1, 0.9, 0.01, 0.01, true),
                new Shape(3), VECTOR, VECTOR_GRADS, 1e-6);
    }

    @Test
    void lionMatchesTheFormulaOverTwoSteps() {
        // the grads flip sign between steps, and the first has a zero where sign(c) = 0
        matches(new Lion(0.01f, 0.9f, 0.99f, 0.1f), lion(0.01, 0.9, 0.99, 0.1),
                new Shape(3), VECTOR, VECTOR_GRADS, 1e-6);
        matches(new Lion(0.01f, 0.9f, 0.99f, 0.1f), lion(0.01, 0.9, 0.99, 0.1),
                new Shape(2, 2), MATRIX, MATRIX_GRADS, 1e-6);
    }

    @Test
    void trustRatiosFallBackToOneWhenANormIsZero() {
        assertThat(Lamb.trustRatio(2, 4)).isEqualTo(0.5);
        assertThat(Lamb.trustRatio(0, 4)).isEqualTo(1.0);
        assertThat(Lamb.trustRatio(2, 0)).isEqualTo(1.0);
        assertThat(Lars.localLearningRate(2, 3, 0.001, 0.5)).isCloseTo(0.001 * 2 / (3 + 0.5 * 2), within(1e-15));
        assertThat(Lars.localLearningRate(0, 3, 0.001, 0.5)).isEqualTo(1.0);
        assertThat(Lars.localLearningRate(2, 0, 0.001, 0.5)).isEqualTo(1.0);
    }

    @Test
    void lambStateResumesTheSameTrajectory() throws Exception {
        resumesTheSameTrajectory(() -> new Lamb(0.01f, 0.1f));
    }

    @Test
    void larsStateResumesTheSameTrajectory() throws Exception {
        resumesTheSameTrajectory(() -> new Lars(0.5f, 0.9f, 0.01f, 0.01f));
    }

    @Test
    void lionStateResumesTheSameTrajectory() throws Exception {
        resumesTheSameTrajectory(() -> new Lion(0.001f, 0.3f));
    }

    private static void resumesTheSameTrajectory(Supplier<HoneOptimizer> make) throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = param(m, new Shape(2, 2), MATRIX);
            NDArray b = param(m, new Shape(2, 2), MATRIX);
            HoneOptimizer first = make.get();
            update(first, "p", a, 0.3f, -0.7f, 0.2f, 0.1f);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            first.saveState(new DataOutputStream(bytes));

            HoneOptimizer second = make.get();
            second.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), m);
            b.set(a.toFloatArray());
            float[][] grads = {{0.1f, 0.1f, -0.4f, 0.2f}, {-0.3f, 0.2f, 0.1f, 0.6f}};
            for (float[] g : grads) {
                update(first, "p", a, g);
                update(second, "p", b, g);
            }
            assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
        }
    }

    /** Every temporary in a step must be closed, or a long run leaks native memory each step. */
    @Test
    void manyUpdatesLeaveNoArraysBehind() {
        for (Supplier<HoneOptimizer> make : java.util.List.<Supplier<HoneOptimizer>>of(
                () -> new Lamb(0.001f, 0.1f), () -> new Lars(0.1f, 0.01f), () -> new Lion(0.0001f, 0.3f))) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray w = param(m, new Shape(2, 2), MATRIX);
                HoneOptimizer opt = make.get();
                update(opt, "w", w, MATRIX_GRADS[0]); // creates the optimizer's state, kept on purpose
                int before = m.getManagedArrays().size();
                for (int i = 0; i < 200; i++) {
                    update(opt, "w", w, MATRIX_GRADS[i % 2]);
                }
                assertThat(m.getManagedArrays()).as(opt.describe()).hasSize(before);
            }
        }
    }
}
