package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The affine resampling against pixel-by-pixel references, and the drawn matrices against their ranges. */
class GeometricOpsTest {
    private static final float[] FILL = {-7f, 9f};
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private NDArray image(int n, int c, int h, int w) {
        return manager.create(Images.pixels(n, c, h, w, 11), new Shape(n, c, h, w));
    }

    private static float[] repeat(float[] matrix, int n) {
        float[] all = new float[6 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(matrix, 0, all, 6 * i, 6);
        }
        return all;
    }

    @Test
    void theIdentityMapCopiesEveryPixelExactly() {
        NDArray x = image(3, 2, 5, 7);
        NDArray y = GeometricOps.resample(x, repeat(new float[] {1, 0, 0, 0, 1, 0}, 3), FILL);
        assertThat(y.getShape()).isEqualTo(x.getShape());
        assertThat(y.toFloatArray()).containsExactly(x.toFloatArray());
    }

    @Test
    void aWholePixelShiftMovesTheImageAndFillsTheUncoveredBorderPerChannel() {
        int c = 2, h = 5, w = 6;
        NDArray x = image(1, c, h, w);
        // output (x, y) reads source (x - 2, y - 1): the image moves 2 right and 1 down
        float[] y = GeometricOps.resample(x, new float[] {1, 0, -2, 0, 1, -1}, FILL).toFloatArray();
        float[] in = x.toFloatArray();
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    float expected = r >= 1 && col >= 2 ? Images.at(in, c, h, w, 0, ch, r - 1, col - 2) : FILL[ch];
                    assertThat(Images.at(y, c, h, w, 0, ch, r, col)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aQuarterTurnOfASquareImageIsATransposeAndAFlip() {
        int c = 2, s = 5;
        NDArray x = image(2, c, s, s);
        // numpy's rot90: out[y][x] = in[x][s-1-y], i.e. source point (s-1-y, x)
        float[] y = GeometricOps.resample(x, repeat(new float[] {0, -1, s - 1, 1, 0, 0}, 2), FILL).toFloatArray();
        float[] in = x.toFloatArray();
        for (int n = 0; n < 2; n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int r = 0; r < s; r++) {
                    for (int col = 0; col < s; col++) {
                        assertThat(Images.at(y, c, s, s, n, ch, r, col)).isEqualTo(Images.at(in, c, s, s, n, ch, col, s - 1 - r));
                    }
                }
            }
        }
    }

    @Test
    void aHalfPixelShiftAveragesNeighboursAndBlendsIntoTheFillAtTheEdge() {
        int c = 2, h = 3, w = 4;
        NDArray x = image(1, c, h, w);
        float[] y = GeometricOps.resample(x, new float[] {1, 0, 0.5f, 0, 1, 0}, FILL).toFloatArray();
        float[] in = x.toFloatArray();
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < h; r++) {
                for (int col = 0; col < w; col++) {
                    float right = col + 1 < w ? Images.at(in, c, h, w, 0, ch, r, col + 1) : FILL[ch];
                    assertThat(Images.at(y, c, h, w, 0, ch, r, col))
                            .isCloseTo((Images.at(in, c, h, w, 0, ch, r, col) + right) / 2, within(1e-5f));
                }
            }
        }
    }

    @Test
    void eachImageIsResampledThroughItsOwnMatrix() {
        int h = 4, w = 5;
        NDArray x = image(2, 1, h, w);
        float[] matrices = {1, 0, 0, 0, 1, 0, -1, 0, w - 1, 0, 1, 0}; // image 0 as is, image 1 mirrored
        float[] y = GeometricOps.resample(x, matrices, FILL).toFloatArray();
        float[] in = x.toFloatArray();
        for (int r = 0; r < h; r++) {
            for (int col = 0; col < w; col++) {
                assertThat(Images.at(y, 1, h, w, 0, 0, r, col)).isEqualTo(Images.at(in, 1, h, w, 0, 0, r, col));
                assertThat(Images.at(y, 1, h, w, 1, 0, r, col)).isEqualTo(Images.at(in, 1, h, w, 1, 0, r, w - 1 - col));
            }
        }
    }

    @Test
    void translationMatricesShiftByTheDrawnAmountWithinAQuarterOfTheSide() {
        int n = 50, h = 20, w = 28;
        long seed = 3;
        float[] mats = GeometricOps.samplingMatrices(Map.of(Transform.TRANSLATE, 0.8), n, h, w, seed);
        SplittableRandom r = Augmenter.stream(seed, Transform.TRANSLATE);
        for (int i = 0; i < n; i++) {
            double tx = (2 * r.nextDouble() - 1) * 0.25 * 0.8 * w;
            double ty = (2 * r.nextDouble() - 1) * 0.25 * 0.8 * h;
            assertThat(mats[6 * i + 2]).isCloseTo((float) -tx, within(1e-5f));
            assertThat(mats[6 * i + 5]).isCloseTo((float) -ty, within(1e-5f));
            assertThat(Math.abs(tx)).isLessThanOrEqualTo(0.2 * w);
            assertThat(new float[] {mats[6 * i], mats[6 * i + 1] + 0f, mats[6 * i + 3] + 0f, mats[6 * i + 4]}).containsExactly(1, 0, 0, 1);
        }
    }

    @Test
    void cropWithPaddingShiftsByWholePixelsWithinAnEighthOfTheSide() {
        int n = 64, h = 32, w = 32;
        float[] mats = GeometricOps.samplingMatrices(Map.of(Transform.CROP, 1.0), n, h, w, 5);
        java.util.Set<Float> shifts = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            for (int k : new int[] {2, 5}) {
                assertThat(mats[6 * i + k]).isEqualTo((float) Math.rint(mats[6 * i + k]));
                assertThat(Math.abs(mats[6 * i + k])).isLessThanOrEqualTo(4f);
                shifts.add(mats[6 * i + k]);
            }
            assertThat(new float[] {mats[6 * i], mats[6 * i + 1] + 0f, mats[6 * i + 3] + 0f, mats[6 * i + 4]}).containsExactly(1, 0, 0, 1);
        }
        assertThat(shifts).hasSizeGreaterThan(5);
    }

    @Test
    void rotationMatricesAreRotationsAboutTheCentreWithinTheRangeAndDifferPerImage() {
        int n = 40, s = 9;
        float[] mats = GeometricOps.samplingMatrices(Map.of(Transform.ROTATE, 0.5), n, s, s, 5);
        double centre = (s - 1) / 2.0;
        double smallest = 90, largest = -90;
        for (int i = 0; i < n; i++) {
            float a = mats[6 * i], b = mats[6 * i + 1], c = mats[6 * i + 2], d = mats[6 * i + 3], e = mats[6 * i + 4], f = mats[6 * i + 5];
            assertThat(a).isCloseTo(e, within(1e-6f));
            assertThat(b).isCloseTo(-d, within(1e-6f));
            assertThat(a * a + d * d).isCloseTo(1f, within(1e-5f));
            assertThat(a * centre + b * centre + c).isCloseTo(centre, within(1e-4));
            assertThat(d * centre + e * centre + f).isCloseTo(centre, within(1e-4));
            double degrees = Math.toDegrees(Math.atan2(d, a));
            assertThat(Math.abs(degrees)).isLessThanOrEqualTo(15.0001);
            smallest = Math.min(smallest, degrees);
            largest = Math.max(largest, degrees);
        }
        assertThat(largest - smallest).isGreaterThan(15); // spread over most of ±15°, not one angle for all
    }

    @Test
    void flipsComposeWithOtherStepsIntoOneMatrixWhoseFlippedImagesMirrorX() {
        int n = 30, s = 8;
        Map<Transform, Double> steps = new EnumMap<>(Transform.class);
        steps.put(Transform.FLIP_HORIZONTAL, 1.0);
        steps.put(Transform.ZOOM, 0.5);
        float[] mats = GeometricOps.samplingMatrices(steps, n, s, s, 9);
        SplittableRandom flips = Augmenter.stream(9, Transform.FLIP_HORIZONTAL);
        SplittableRandom zooms = Augmenter.stream(9, Transform.ZOOM);
        for (int i = 0; i < n; i++) {
            boolean flipped = flips.nextBoolean();
            double scale = 1 + (2 * zooms.nextDouble() - 1) * 0.2;
            assertThat(mats[6 * i]).isCloseTo((float) ((flipped ? -1 : 1) / scale), within(1e-6f));
            assertThat(mats[6 * i + 4]).isCloseTo((float) (1 / scale), within(1e-6f));
        }
    }
}
