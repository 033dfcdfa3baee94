package dev.hone.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

/** Each optimizer's update checked against the formula computed by hand in Java doubles. */
class OptimizersTest {

    private static NDArray param(NDManager m, float... values) {
        NDArray w = m.create(values);
        w.setRequiresGradient(true);
        return w;
    }

    /** Gives {@code w} the gradient {@code g} the way training does: backward of sum(w * g). */
    private static void setGradient(NDArray w, float... g) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDArray target = w.getManager().create(g);
                NDArray product = w.mul(target);
                NDArray loss = product.sum()) {
            collector.backward(loss);
        }
    }

    @Test
    void sgdNesterovMatchesTheFormulaOverTwoSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = param(m, 1f, -2f);
            SgdNesterov opt = new SgdNesterov(0.1f, 0.9f, 0.01f);
            double[] ref = {1, -2};
            double[] buf = {0, 0};
            float[][] grads = {{0.5f, -1f}, {0.25f, 2f}};
            for (float[] g : grads) {
                setGradient(w, g);
                opt.update("w", w, w.getGradient());
                for (int i = 0; i < 2; i++) {
                    ref[i] *= 1 - 0.1 * 0.01;
                    buf[i] = 0.9 * buf[i] + g[i];
                    ref[i] -= 0.1 * (g[i] + 0.9 * buf[i]);
                }
                assertThat(w.getGradient().toFloatArray()).containsOnly(0f);
            }
            float[] got = w.toFloatArray();
            assertThat((double) got[0]).isCloseTo(ref[0], within(1e-6));
            assertThat((double) got[1]).isCloseTo(ref[1], within(1e-6));
        }
    }

    @Test
    void adamWMatchesTheFormulaOverTwoSteps() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = param(m, 1f, -2f);
            AdamW opt = new AdamW(0.01f, 0.9f, 0.999f, 1e-8f, 0.1f);
            double[] ref = {1, -2};
            double[] mean = {0, 0};
            double[] var = {0, 0};
            float[][] grads = {{0.5f, -1f}, {0.25f, 2f}};
            for (int t = 1; t <= grads.length; t++) {
                float[] g = grads[t - 1];
                setGradient(w, g);
                opt.update("w", w, w.getGradient());
                double step = 0.01 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
                for (int i = 0; i < 2; i++) {
                    ref[i] -= 0.01 * 0.1 * ref[i];
                    mean[i] = 0.9 * mean[i] + 0.1 * g[i];
                    var[i] = 0.999 * var[i] + 0.001 * g[i] * g[i];
                    ref[i] -= step * mean[i] / (Math.sqrt(var[i]) + 1e-8);
                }
            }
            float[] got = w.toFloatArray();
            assertThat((double) got[0]).isCloseTo(ref[0], within(1e-5));
            assertThat((double) got[1]).isCloseTo(ref[1], within(1e-5));
            assertThat(w.getGradient().toFloatArray()).containsOnly(0f);
        }
    }

    @Test
    void savedStateResumesTheSameTrajectory() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = param(m, 1f, 2f);
            NDArray b = param(m, 1f, 2f);
            AdamW first = new AdamW(0.01f, 0.0f);
            setGradient(a, 0.3f, -0.7f);
            first.update("p", a, a.getGradient());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            first.saveState(new DataOutputStream(bytes));

            AdamW second = new AdamW(0.01f, 0.0f);
            second.loadState(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), m);
            b.set(a.toFloatArray());
            setGradient(a, 0.1f, 0.1f);
            first.update("p", a, a.getGradient());
            setGradient(b, 0.1f, 0.1f);
            second.update("p", b, b.getGradient());
            assertThat(b.toFloatArray()).containsExactly(a.toFloatArray());
        }
    }

    @Test
    void warmupCosineRisesLinearlyThenAnnealsToZero() {
        assertThat(Schedule.warmupCosine(0, 100, 1.0, 0.1)).isCloseTo(0.1, within(1e-12));
        assertThat(Schedule.warmupCosine(9, 100, 1.0, 0.1)).isCloseTo(1.0, within(1e-12));
        assertThat(Schedule.warmupCosine(10, 100, 1.0, 0.1)).isCloseTo(1.0, within(1e-12));
        assertThat(Schedule.warmupCosine(55, 100, 1.0, 0.1)).isCloseTo(0.5, within(1e-12));
        assertThat(Schedule.warmupCosine(100, 100, 1.0, 0.1)).isCloseTo(0.0, within(1e-12));
    }
}
