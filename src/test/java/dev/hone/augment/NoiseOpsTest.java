package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Noise, blur and erasing against their definitions. */
class NoiseOpsTest {
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void noiseHasEachImagesStandardDeviationZeroMeanAndNoNeighbourCorrelation() {
        int n = 3, size = 3 * 32 * 32;
        float[] grey = new float[n * size];
        Arrays.fill(grey, 0.5f); // 0.5 +- 5 sigma of 0.1 never clamps
        float[] sigma = {0.02f, 0.05f, 0.1f};
        float[] y = NoiseOps.gaussian(manager.create(grey, new Shape(n, 3, 32, 32)), sigma, 42).toFloatArray();
        for (int i = 0; i < n; i++) {
            double sum = 0, sq = 0, lag = 0;
            for (int k = 0; k < size; k++) {
                double e = y[i * size + k] - 0.5;
                sum += e;
                sq += e * e;
                if (k > 0) {
                    lag += e * (y[i * size + k - 1] - 0.5);
                }
            }
            double std = Math.sqrt(sq / size);
            assertThat(std).isCloseTo(sigma[i], within(0.04 * sigma[i]));
            assertThat(sum / size).isCloseTo(0, within(4 * sigma[i] / Math.sqrt(size)));
            assertThat(lag / size / (std * std)).isCloseTo(0, within(0.08));
        }
    }

    @Test
    void noiseIsReproducibleFromItsSeed() {
        float[] p = Images.pixels(2, 1, 6, 6, 4);
        float[] sigma = {0.1f, 0.1f};
        float[] a = NoiseOps.gaussian(manager.create(p, new Shape(2, 1, 6, 6)), sigma, 7).toFloatArray();
        float[] b = NoiseOps.gaussian(manager.create(p, new Shape(2, 1, 6, 6)), sigma, 7).toFloatArray();
        float[] c = NoiseOps.gaussian(manager.create(p, new Shape(2, 1, 6, 6)), sigma, 8).toFloatArray();
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(Arrays.copyOfRange(a, 0, 36)).isNotEqualTo(Arrays.copyOfRange(a, 36, 72));
    }

    @Test
    void standardNormalTablesHaveExactlyUnitVariance() {
        float[] t = NoiseOps.standardNormals(new SplittableRandom(1), NoiseOps.TABLE_1);
        double sum = 0, sq = 0;
        for (float v : t) {
            sum += v;
            sq += v * v;
        }
        assertThat(sum / t.length).isCloseTo(0, within(1e-6));
        assertThat(sq / t.length).isCloseTo(1, within(1e-5));
    }

    @Test
    void blurKeepsAConstantImageConstantUpToTheBorder() {
        for (int side : new int[] {7, 70}) {
            float[] p = new float[2 * 2 * side * side];
            Arrays.fill(p, 0.37f);
            float[] y = NoiseOps.blur(manager.create(p, new Shape(2, 2, side, side)), new float[] {1f, 0.5f}).toFloatArray();
            for (float v : y) {
                assertThat(v).isCloseTo(0.37f, within(1e-6f));
            }
        }
    }

    @Test
    void kernelMassIsTheShareOfTheKernelInsideTheImage() {
        float[] three = NoiseOps.kernelMass(new float[] {1, 2, 1}, 4, 4, 5);
        assertThat(three[0]).isCloseTo(0.75f * 0.75f, within(1e-7f)); // corner: a quarter lost on each axis
        assertThat(three[2]).isCloseTo(0.75f, within(1e-7f)); // top edge, away from the sides
        assertThat(three[5 + 1]).isCloseTo(1f, within(1e-7f)); // inside
        assertThat(three[3 * 5 + 4]).isCloseTo(0.5625f, within(1e-7f)); // the opposite corner of a 4 x 5 image
        float[] five = NoiseOps.kernelMass(new float[] {1, 4, 6, 4, 1}, 16, 3, 70);
        assertThat(five[0]).isCloseTo(11f / 16 * 11f / 16, within(1e-7f));
        assertThat(five[70 + 1]).isCloseTo(14f / 16 * 15f / 16, within(1e-7f)); // middle row of 3 loses 1 + 1
        assertThat(five[70 + 5]).isCloseTo(14f / 16, within(1e-7f)); // and nothing across, away from the sides
    }

    @Test
    void blurOfAnImpulseIsTheBinomialKernelBlendedByItsWeight() {
        int s = 7;
        float[] p = new float[2 * s * s];
        p[3 * s + 3] = 1; // image 0: impulse at the centre
        p[s * s + 3 * s + 3] = 1; // image 1: the same
        float[] y = NoiseOps.blur(manager.create(p, new Shape(2, 1, s, s)), new float[] {1f, 0.25f}).toFloatArray();
        int[] b = {1, 2, 1};
        for (int r = 0; r < s; r++) {
            for (int c = 0; c < s; c++) {
                double kernel = Math.abs(r - 3) <= 1 && Math.abs(c - 3) <= 1 ? b[r - 2] * b[c - 2] / 16.0 : 0;
                double impulse = r == 3 && c == 3 ? 1 : 0;
                assertThat(y[r * s + c]).isCloseTo((float) kernel, within(1e-6f));
                assertThat(y[s * s + r * s + c]).isCloseTo((float) (0.75 * impulse + 0.25 * kernel), within(1e-6f));
            }
        }
    }

    @Test
    void eraseSetsTheRectangleToTheFillAndLeavesTheRestAlone() {
        int n = 2, c = 2, h = 4, w = 5;
        float[] p = Images.pixels(n, c, h, w, 6);
        float[] rows = {0, 1, 1, 0, /* image 1 */ 0, 0, 0, 0};
        float[] cols = {0, 0, 1, 1, 1, /* image 1 */ 1, 1, 1, 1, 1};
        float[] fill = {0.25f, 0.75f};
        float[] y = NoiseOps.erase(manager.create(p, new Shape(n, c, h, w)), rows, cols, fill).toFloatArray();
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < h; r++) {
                    for (int col = 0; col < w; col++) {
                        boolean erased = rows[i * h + r] * cols[i * w + col] == 1;
                        assertThat(Images.at(y, c, h, w, i, ch, r, col)).isEqualTo(erased ? fill[ch] : Images.at(p, c, h, w, i, ch, r, col));
                    }
                }
            }
        }
    }

    @Test
    void eraseBoxesFitTheImageAndCoverUniformAreaFractions() {
        int n = 4000, h = 32, w = 24;
        EraseBoxes boxes = EraseBoxes.draw(new SplittableRandom(3), n, h, w, 0.4);
        double mean = 0, largest = 0;
        for (int i = 0; i < n; i++) {
            assertThat(boxes.top()[i]).isBetween(0, h - boxes.rows()[i]);
            assertThat(boxes.left()[i]).isBetween(0, w - boxes.cols()[i]);
            double fraction = boxes.area(i) / (double) (h * w);
            mean += fraction / n;
            largest = Math.max(largest, fraction);
        }
        assertThat(mean).isCloseTo(0.2, within(0.01)); // uniform on [0, 0.4], a little lost to cut sides
        assertThat(largest).isBetween(0.37, 0.45); // rounding the sides may pass 0.4 by a few pixels
    }
}
