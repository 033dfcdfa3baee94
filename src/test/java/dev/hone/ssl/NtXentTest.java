package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** NT-Xent against the SimCLR formula written out in loops. */
class NtXentTest {
    private static final float[][] Z1 = {{1, 0, 2, -1}, {0.5f, 1, 0, 0}, {-1, 2, 1, 3}};
    private static final float[][] Z2 = {{0.8f, 0.2f, 1.5f, -1}, {0, 1, 0.3f, 0.1f}, {2, -1, 0, 1}};

    /** Equation 1 of arXiv:2002.05709, averaged over the 2N anchors. */
    static double reference(float[][] z1, float[][] z2, double tau) {
        int n = z1.length;
        double[][] z = new double[2 * n][];
        for (int i = 0; i < 2 * n; i++) {
            float[] row = i < n ? z1[i] : z2[i - n];
            double norm = 0;
            for (float v : row) {
                norm += v * v;
            }
            z[i] = new double[row.length];
            for (int d = 0; d < row.length; d++) {
                z[i][d] = row[d] / Math.sqrt(norm);
            }
        }
        double total = 0;
        for (int i = 0; i < 2 * n; i++) {
            int positive = (i + n) % (2 * n);
            double denominator = 0;
            for (int k = 0; k < 2 * n; k++) {
                if (k != i) {
                    denominator += Math.exp(dot(z[i], z[k]) / tau);
                }
            }
            total += -Math.log(Math.exp(dot(z[i], z[positive]) / tau) / denominator);
        }
        return total / (2 * n);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += a[d] * b[d];
        }
        return s;
    }

    private static NDArray array(NDManager m, float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return m.create(flat, new Shape(rows.length, rows[0].length));
    }

    @Test
    void matchesTheFormulaOnAHandExample() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (float tau : new float[] {0.1f, 0.5f, 1f}) {
                float loss = NtXent.loss(array(m, Z1), array(m, Z2), tau).getFloat();
                assertThat((double) loss).as("tau %s", tau).isCloseTo(reference(Z1, Z2, tau), within(1e-4 * reference(Z1, Z2, tau)));
            }
        }
    }

    @Test
    void isUnchangedByScalingEitherView() {
        try (NDManager m = NDManager.newBaseManager()) {
            float plain = NtXent.loss(array(m, Z1), array(m, Z2), 0.5f).getFloat();
            float scaled = NtXent.loss(array(m, Z1).mul(7f), array(m, Z2).mul(0.01f), 0.5f).getFloat();
            assertThat(scaled).isCloseTo(plain, within(1e-5f));
        }
    }

    @Test
    void alignedViewsOfOrthogonalImagesScoreLowerThanSwappedOnes() {
        float[][] a = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        float[][] b = {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}};
        try (NDManager m = NDManager.newBaseManager()) {
            float aligned = NtXent.loss(array(m, a), array(m, a), 0.1f).getFloat();
            float swapped = NtXent.loss(array(m, a), array(m, b), 0.1f).getFloat();
            assertThat((double) aligned).isCloseTo(reference(a, a, 0.1), within(1e-4));
            assertThat(aligned).isLessThan(0.01f);
            assertThat(swapped).isGreaterThan(5f);
        }
    }

    @Test
    void refusesMismatchedShapesAndBadTemperatures() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.ones(new Shape(3, 4));
            assertThatThrownBy(() -> NtXent.loss(a, m.ones(new Shape(3, 5)), 0.5f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("(3, 4)");
            assertThatThrownBy(() -> NtXent.loss(m.ones(new Shape(3, 4, 1)), m.ones(new Shape(3, 4, 1)), 0.5f))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> NtXent.loss(a, a, 0f)).hasMessageContaining("temperature");
            assertThatThrownBy(() -> NtXent.loss(a, a, Float.NaN)).hasMessageContaining("temperature");
        }
    }
}
