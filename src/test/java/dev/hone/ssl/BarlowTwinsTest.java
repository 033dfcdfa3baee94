package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Barlow Twins against equation 1 of arXiv:2103.03230 written out in loops. */
class BarlowTwinsTest {

    /** Batch-standardised cross-correlation, biased variance plus eps, as the released code's BatchNorm. */
    static double[][] crossCorrelation(double[][] a, double[][] b) {
        double[][] x = standardize(a);
        double[][] y = standardize(b);
        int n = a.length;
        int d = a[0].length;
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int s = 0; s < n; s++) {
                    c[i][j] += x[s][i] * y[s][j] / n;
                }
            }
        }
        return c;
    }

    static double reference(double[][] a, double[][] b, double lambda) {
        double[][] c = crossCorrelation(a, b);
        double loss = 0;
        for (int i = 0; i < c.length; i++) {
            for (int j = 0; j < c.length; j++) {
                loss += i == j ? (1 - c[i][i]) * (1 - c[i][i]) : lambda * c[i][j] * c[i][j];
            }
        }
        return loss;
    }

    private static double[][] standardize(double[][] z) {
        int n = z.length;
        int d = z[0].length;
        double[][] out = new double[n][d];
        for (int j = 0; j < d; j++) {
            double mean = 0;
            for (double[] row : z) {
                mean += row[j] / n;
            }
            double variance = 0;
            for (double[] row : z) {
                variance += (row[j] - mean) * (row[j] - mean) / n;
            }
            for (int s = 0; s < n; s++) {
                out[s][j] = (z[s][j] - mean) / Math.sqrt(variance + BarlowTwins.EPS);
            }
        }
        return out;
    }

    private static NDArray array(NDManager m, double[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[0].length; j++) {
                flat[i * rows[0].length + j] = (float) rows[i][j];
            }
        }
        return m.create(flat, new Shape(rows.length, rows[0].length));
    }

    @Test
    void matchesTheFormulaOnATinyBatch() {
        double[][] a = {{1, 2, 0.5}, {0, -1, 2}, {3, 0.5, 1}, {-2, 1, 0}};
        double[][] b = {{1.2, 1.5, 0}, {0.3, -1, 2.5}, {2, 1, 1}, {-1, 0.2, -0.5}};
        try (NDManager m = NDManager.newBaseManager()) {
            for (double lambda : new double[] {BarlowTwins.PAPER_LAMBDA, 0, 1}) {
                float loss = BarlowTwins.loss(array(m, a), array(m, b), (float) lambda).getFloat();
                assertThat((double) loss).as("lambda %s", lambda).isCloseTo(reference(a, b, lambda), within(1e-5));
            }
            float[] c = BarlowTwins.crossCorrelation(array(m, a), array(m, b)).toFloatArray();
            double[][] expected = crossCorrelation(a, b);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertThat((double) c[i * 3 + j]).isCloseTo(expected[i][j], within(1e-5));
                }
            }
        }
    }

    @Test
    void identicalDecorrelatedViewsCostAlmostNothing() {
        // centred, orthogonal columns of different scales: standardised, C is the identity (up to eps)
        double[][] z = {{1, 2, 5}, {-1, 2, -5}, {1, -2, -5}, {-1, -2, 5}};
        try (NDManager m = NDManager.newBaseManager()) {
            float loss = BarlowTwins.loss(array(m, z), array(m, z), BarlowTwins.PAPER_LAMBDA).getFloat();
            assertThat(loss).isLessThan(1e-8f);
            float[] c = BarlowTwins.crossCorrelation(array(m, z), array(m, z).mul(3).add(1)).toFloatArray();
            assertThat(c).usingComparatorWithPrecision(1e-4f).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1);
        }
    }

    @Test
    void correlatedDimensionsArePenalisedByLambda() {
        // two identical columns: C is all ones, so the off-diagonal term is 2 and scales with lambda
        double[][] z = {{1, 1}, {2, 2}, {4, 4}};
        try (NDManager m = NDManager.newBaseManager()) {
            float none = BarlowTwins.loss(array(m, z), array(m, z), 0).getFloat();
            float some = BarlowTwins.loss(array(m, z), array(m, z), 0.5f).getFloat();
            assertThat(none).isLessThan(1e-8f);
            assertThat(some).isCloseTo(1f, within(1e-4f));
        }
    }

    @Test
    void refusesOneRowBadShapesAndNegativeLambda() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray one = m.ones(new Shape(1, 3));
            assertThatThrownBy(() -> BarlowTwins.loss(one, one, 0.005f)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at least 2 rows");
            NDArray a = m.ones(new Shape(4, 3));
            assertThatThrownBy(() -> BarlowTwins.loss(a, m.ones(new Shape(4, 2)), 0.005f)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> BarlowTwins.loss(a, a, -1f)).hasMessageContaining("lambda");
        }
    }
}
