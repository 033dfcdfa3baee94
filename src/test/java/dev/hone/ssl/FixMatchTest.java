package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** FixMatch's unlabeled loss against equation 4 of arXiv:2001.07685 written out in loops. */
class FixMatchTest {
    // 3 images, 3 classes: image 0 confident (p ~ 0.97), image 1 unsure, image 2 confident (p ~ 0.99)
    private static final float[] WEAK = {5, 1, 0.5f, 0.2f, 0.4f, 0.3f, -1, 0, 5};
    private static final float[] STRONG = {1, 0.5f, -0.5f, 0, 2, 1, 0.3f, 0.1f, 0.2f};

    private static double[] softmax(float[] logits, int row, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, logits[row * k + c]);
        }
        double[] p = new double[k];
        double sum = 0;
        for (int c = 0; c < k; c++) {
            p[c] = Math.exp(logits[row * k + c] - max);
            sum += p[c];
        }
        for (int c = 0; c < k; c++) {
            p[c] /= sum;
        }
        return p;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int c = 1; c < p.length; c++) {
            best = p[c] > p[best] ? c : best;
        }
        return best;
    }

    /** Equation 4: the cross-entropy of confident images, summed, over all N. */
    static double reference(float[] weak, float[] strong, int k, double tau) {
        int n = weak.length / k;
        double total = 0;
        for (int b = 0; b < n; b++) {
            double[] q = softmax(weak, b, k);
            int label = argmax(q);
            if (q[label] >= tau) {
                total += -Math.log(softmax(strong, b, k)[label]);
            }
        }
        return total / n;
    }

    @Test
    void onlyConfidentImagesCountButAllImagesDivide() {
        try (NDManager m = NDManager.newBaseManager()) {
            FixMatch.Consistency u = FixMatch.loss(m.create(WEAK, new Shape(3, 3)), m.create(STRONG, new Shape(3, 3)), 0.95f);
            assertThat((double) u.loss().getFloat()).isCloseTo(reference(WEAK, STRONG, 3, 0.95), within(1e-6));
            assertThat(u.mask().toFloatArray()).containsExactly(1, 0, 1);
            assertThat(u.pseudoLabels().toLongArray()).containsExactly(0, 1, 2);
            assertThat(u.maskRate()).isCloseTo(2.0 / 3, within(1e-6));
        }
    }

    @Test
    void nothingConfidentGivesZeroAndEverythingConfidentTheMeanCrossEntropy() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weak = m.create(WEAK, new Shape(3, 3));
            NDArray strong = m.create(STRONG, new Shape(3, 3));
            FixMatch.Consistency none = FixMatch.loss(weak, strong, 1f);
            assertThat(none.loss().getFloat()).isEqualTo(0f);
            assertThat(none.maskRate()).isZero();

            FixMatch.Consistency all = FixMatch.loss(weak, strong, 0.3f);
            double meanCe = (-Math.log(softmax(STRONG, 0, 3)[0]) - Math.log(softmax(STRONG, 1, 3)[1])
                    - Math.log(softmax(STRONG, 2, 3)[2])) / 3;
            assertThat((double) all.loss().getFloat()).isCloseTo(meanCe, within(1e-6));
            assertThat(all.maskRate()).isEqualTo(1.0);
        }
    }

    @Test
    void gradientsReachTheModelOnlyThroughTheStrongView() {
        // both views come from one parameter x: weak = 2x, strong = 3x. If the weak view leaked
        // gradient, dL/dx would differ from 3 * dL/dstrong = 3 * mask * (softmax(strong) - onehot) / N.
        float[] x0 = {2.5f, 0.5f, 0.25f, 0.1f, 0.2f, 0.15f, -0.5f, 0, 2.5f};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(x0, new Shape(3, 3));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(FixMatch.loss(x.mul(2), x.mul(3), 0.95f).loss());
            }
            float[] grad = x.getGradient().toFloatArray();
            float[] weak = new float[9];
            float[] strong = new float[9];
            for (int i = 0; i < 9; i++) {
                weak[i] = 2 * x0[i];
                strong[i] = 3 * x0[i];
            }
            for (int b = 0; b < 3; b++) {
                double[] q = softmax(weak, b, 3);
                int label = argmax(q);
                double mask = q[label] >= 0.95 ? 1 : 0;
                double[] p = softmax(strong, b, 3);
                for (int c = 0; c < 3; c++) {
                    double expected = 3 * mask * (p[c] - (c == label ? 1 : 0)) / 3;
                    assertThat((double) grad[b * 3 + c]).as("image %d class %d", b, c).isCloseTo(expected, within(1e-6));
                }
            }
        }
    }

    @Test
    void multiLabelMasksEachPairAndAveragesOverAllPairs() {
        // weak probabilities: sigmoid(4) = 0.982, sigmoid(-4) = 0.018, sigmoid(0.5) = 0.62 (unsure)
        float[] weak = {4, -4, 0.5f, -0.2f, 5, -6};
        float[] strong = {1, 0.5f, -2, 0, -1, 3};
        double tau = 0.95;
        double total = 0;
        float[] expectedMask = new float[6];
        for (int i = 0; i < 6; i++) {
            double p = 1 / (1 + Math.exp(-weak[i]));
            if (p >= tau || p <= 1 - tau) {
                expectedMask[i] = 1;
                double y = p >= 0.5 ? 1 : 0;
                double s = 1 / (1 + Math.exp(-strong[i]));
                total += -(y * Math.log(s) + (1 - y) * Math.log(1 - s));
            }
        }
        try (NDManager m = NDManager.newBaseManager()) {
            FixMatch.Consistency u = FixMatch.multiLabelLoss(m.create(weak, new Shape(2, 3)), m.create(strong, new Shape(2, 3)), (float) tau);
            assertThat((double) u.loss().getFloat()).isCloseTo(total / 6, within(1e-6));
            assertThat(u.mask().toFloatArray()).containsExactly(expectedMask);
            assertThat(expectedMask).containsExactly(1, 1, 0, 0, 1, 1);
            assertThat(u.pseudoLabels().toFloatArray()).containsExactly(1, 0, 1, 0, 1, 0);
            assertThat(u.maskRate()).isCloseTo(4.0 / 6, within(1e-6));
        }
    }

    @Test
    void refusesBadThresholdsAndShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.zeros(new Shape(2, 3));
            assertThatThrownBy(() -> FixMatch.loss(a, a, 0f)).hasMessageContaining("(0, 1]");
            assertThatThrownBy(() -> FixMatch.loss(a, a, 1.5f)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> FixMatch.multiLabelLoss(a, a, 0.5f)).hasMessageContaining("(0.5, 1]");
            assertThatThrownBy(() -> FixMatch.loss(a, m.zeros(new Shape(3, 3)), 0.9f)).hasMessageContaining("(2, 3)");
            assertThatThrownBy(() -> FixMatch.loss(m.zeros(new Shape(2, 1)), m.zeros(new Shape(2, 1)), 0.9f))
                    .hasMessageContaining("2 outputs");
        }
    }
}
