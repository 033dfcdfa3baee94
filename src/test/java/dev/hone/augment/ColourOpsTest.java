package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Colour operations in pixel space against their formulas computed in Java. */
class ColourOpsTest {
    private static final int N = 3, H = 4, W = 5, PLANE = H * W;
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private static float clamp(double v) {
        return (float) Math.max(0, Math.min(1, v));
    }

    /** Grey level of pixel k of image i, in Java: BT.601 luma for RGB, the value itself for grey. */
    private static double grey(float[] p, int c, int i, int k) {
        if (c == 1) {
            return p[i * PLANE + k];
        }
        double g = 0;
        for (int ch = 0; ch < 3; ch++) {
            g += ColourOps.LUMA[ch] * p[(i * 3 + ch) * PLANE + k];
        }
        return g;
    }

    @Test
    void brightnessScalesEachImageByItsFactorAndClamps() {
        float[] p = Images.pixels(N, 3, H, W, 1);
        float[] f = {0.5f, 1f, 1.5f};
        float[] y = ColourOps.brightness(manager.create(p, new Shape(N, 3, H, W)), f).toFloatArray();
        for (int v = 0; v < p.length; v++) {
            assertThat(y[v]).isCloseTo(clamp(p[v] * f[v / (3 * PLANE)]), within(1e-6f));
        }
    }

    @Test
    void contrastBlendsWithTheImagesMeanGrey() {
        for (int c : new int[] {1, 3}) {
            float[] p = Images.pixels(N, c, H, W, 2);
            float[] f = {0.5f, 1.2f, 1.5f};
            float[] y = ColourOps.contrast(manager.create(p, new Shape(N, c, H, W)), f).toFloatArray();
            for (int i = 0; i < N; i++) {
                double mean = 0;
                for (int k = 0; k < PLANE; k++) {
                    mean += grey(p, c, i, k) / PLANE;
                }
                for (int v = i * c * PLANE; v < (i + 1) * c * PLANE; v++) {
                    assertThat(y[v]).isCloseTo(clamp(mean + f[i] * (p[v] - mean)), within(1e-5f));
                }
            }
        }
    }

    @Test
    void saturationBlendsWithEachPixelsGrey() {
        float[] p = Images.pixels(N, 3, H, W, 3);
        float[] f = {0f, 0.7f, 1.8f};
        float[] y = ColourOps.saturation(manager.create(p, new Shape(N, 3, H, W)), f).toFloatArray();
        for (int i = 0; i < N; i++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int k = 0; k < PLANE; k++) {
                    int v = (i * 3 + ch) * PLANE + k;
                    double g = grey(p, 3, i, k);
                    assertThat(y[v]).isCloseTo(clamp(g + f[i] * (p[v] - g)), within(1e-5f));
                }
            }
        }
    }

    @Test
    void hueRotationKeepsLumaChromaAndGreysAndUndoesItself() {
        float[] p = new float[N * 3 * PLANE];
        for (int v = 0; v < p.length; v++) {
            p[v] = 0.4f + 0.2f * (float) Math.sin(v * 1.7); // mid-range colours: no clamping
        }
        for (int k = 0; k < PLANE; k++) { // image 2 is grey
            p[(2 * 3 + 1) * PLANE + k] = p[(2 * 3) * PLANE + k];
            p[(2 * 3 + 2) * PLANE + k] = p[(2 * 3) * PLANE + k];
        }
        float[] angles = {0.4f, -1.2f, 2.5f};
        NDArray x = manager.create(p, new Shape(N, 3, H, W));
        NDArray turned = ColourOps.hue(x, angles);
        float[] y = turned.toFloatArray();
        float[] back = ColourOps.hue(turned, new float[] {-0.4f, 1.2f, -2.5f}).toFloatArray();
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < PLANE; k++) {
                assertThat(grey(y, 3, i, k)).isCloseTo(grey(p, 3, i, k), within(1e-5));
                assertThat(chroma(y, i, k)).isCloseTo(chroma(p, i, k), within(1e-5));
            }
        }
        assertThat(y[PLANE]).isNotCloseTo(p[PLANE], within(1e-3f)); // colour images really change
        for (int v = 0; v < p.length; v++) {
            assertThat(back[v]).isCloseTo(p[v], within(1e-5f));
            if (v >= 2 * 3 * PLANE) {
                assertThat(y[v]).isCloseTo(p[v], within(1e-5f));
            }
        }
    }

    /** Length of the (I, Q) vector of pixel k of image i. */
    private static double chroma(float[] p, int i, int k) {
        double r = p[(i * 3) * PLANE + k], g = p[(i * 3 + 1) * PLANE + k], b = p[(i * 3 + 2) * PLANE + k];
        double in = 0.595716 * r - 0.274453 * g - 0.321263 * b;
        double q = 0.211456 * r - 0.522591 * g + 0.311135 * b;
        return Math.hypot(in, q);
    }

    @Test
    void theYiqInverseIsAnInverse() {
        double[][] a = {{0.299, 0.587, 0.114}, {0.595716, -0.274453, -0.321263}, {0.211456, -0.522591, 0.311135}};
        double[][] inv = ColourOps.invert(a);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) {
                    s += a[i][k] * inv[k][j];
                }
                assertThat(s).isCloseTo(i == j ? 1 : 0, within(1e-12));
            }
        }
    }
}
