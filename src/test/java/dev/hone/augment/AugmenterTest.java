package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.HoneException;
import dev.hone.data.Normalization;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole pipeline on normalised batches: identity, formulas through the normalisation, seeds, ownership. */
class AugmenterTest {
    static final AugmentationPolicy HEAVY = heavy(Transform.values().length);
    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    /** Every transform (that applies to {@code channels}) at magnitude 0.6. */
    static AugmentationPolicy heavy(int channels) {
        AugmentationPolicy p = AugmentationPolicy.NONE;
        for (Transform t : Transform.forChannels(channels)) {
            p = p.with(t, 0.6);
        }
        return p;
    }

    private NDArray batch(Normalization norm, int n, int h, int w, long seed) {
        return Images.normalised(manager, Images.pixels(n, norm.mean().length, h, w, seed), norm, n, h, w);
    }

    @Test
    void anEmptyPolicyOrZeroMagnitudeIsTheIdentityInANewArray() {
        NDArray x = batch(Images.RGB, 4, 6, 6, 1);
        Augmenter a = new Augmenter(Images.RGB);
        for (AugmentationPolicy p : new AugmentationPolicy[] {AugmentationPolicy.NONE, AugmentationPolicy.of(Transform.ROTATE, 0)}) {
            NDArray y = a.apply(x, p, 5);
            assertThat(y).isNotSameAs(x);
            assertThat(y.getManager()).isSameAs(manager);
            assertThat(y.toFloatArray()).containsExactly(x.toFloatArray());
        }
    }

    @Test
    void flipsMirrorTheImagesTheirStreamPicksAndLeaveTheOthersExactly() {
        int n = 16, h = 5, w = 6;
        NDArray x = batch(Images.GREY, n, h, w, 2);
        float[] in = x.toFloatArray();
        for (Transform t : new Transform[] {Transform.FLIP_HORIZONTAL, Transform.FLIP_VERTICAL}) {
            float[] y = new Augmenter(Images.GREY).apply(x, AugmentationPolicy.of(t, 1), 77).toFloatArray();
            SplittableRandom picks = Augmenter.stream(77, t);
            int flipped = 0;
            for (int i = 0; i < n; i++) {
                boolean flip = picks.nextBoolean();
                flipped += flip ? 1 : 0;
                for (int r = 0; r < h; r++) {
                    for (int c = 0; c < w; c++) {
                        int sr = flip && t == Transform.FLIP_VERTICAL ? h - 1 - r : r;
                        int sc = flip && t == Transform.FLIP_HORIZONTAL ? w - 1 - c : c;
                        assertThat(Images.at(y, 1, h, w, i, 0, r, c)).isEqualTo(Images.at(in, 1, h, w, i, 0, sr, sc));
                    }
                }
            }
            assertThat(flipped).isBetween(1, n - 1);
        }
    }

    @Test
    void brightnessFollowsItsFormulaInPixelSpaceAndIsRenormalised() {
        int n = 8, h = 4, w = 4, size = 3 * h * w;
        float[] p = Images.pixels(n, 3, h, w, 3);
        NDArray x = Images.normalised(manager, p, Images.RGB, n, h, w);
        NDArray y = new Augmenter(Images.RGB).apply(x, AugmentationPolicy.of(Transform.BRIGHTNESS, 0.8), 9);
        float[] out = Images.pixelsOf(y, Images.RGB);
        SplittableRandom r = Augmenter.stream(9, Transform.BRIGHTNESS);
        for (int i = 0; i < n; i++) {
            double f = 1 + (2 * r.nextDouble() - 1) * 0.5 * 0.8;
            for (int k = i * size; k < (i + 1) * size; k++) {
                assertThat(out[k]).isCloseTo((float) Math.min(1, p[k] * f), within(2e-6f));
            }
        }
    }

    @Test
    void contrastFollowsItsFormulaInPixelSpaceAndIsRenormalised() {
        int n = 6, h = 4, w = 4, plane = h * w;
        float[] p = Images.pixels(n, 1, h, w, 4);
        NDArray x = Images.normalised(manager, p, Images.GREY, n, h, w);
        float[] out = Images.pixelsOf(new Augmenter(Images.GREY).apply(x, AugmentationPolicy.of(Transform.CONTRAST, 1), 10), Images.GREY);
        SplittableRandom r = Augmenter.stream(10, Transform.CONTRAST);
        for (int i = 0; i < n; i++) {
            double f = 1 + (2 * r.nextDouble() - 1) * 0.5;
            double mean = 0;
            for (int k = i * plane; k < (i + 1) * plane; k++) {
                mean += p[k] / plane;
            }
            for (int k = i * plane; k < (i + 1) * plane; k++) {
                assertThat(out[k]).isCloseTo((float) Math.max(0, Math.min(1, mean + f * (p[k] - mean))), within(2e-6f));
            }
        }
    }

    @Test
    void erasingZeroesTheDrawnRectanglesExactlyInNormalisedSpace() {
        int n = 12, h = 10, w = 8;
        NDArray x = batch(Images.RGB, n, h, w, 5);
        float[] y = new Augmenter(Images.RGB).apply(x, AugmentationPolicy.of(Transform.ERASE, 1), 12).toFloatArray();
        EraseBoxes boxes = EraseBoxes.draw(Augmenter.stream(12, Transform.ERASE), n, h, w, 0.4);
        int size = 3 * h * w, erased = 0;
        for (int i = 0; i < n; i++) {
            int zeros = 0;
            for (int k = i * size; k < (i + 1) * size; k++) {
                zeros += y[k] == 0f ? 1 : 0;
            }
            assertThat(zeros).isEqualTo(3 * boxes.area(i));
            assertThat(boxes.area(i)).isLessThanOrEqualTo((int) Math.ceil(0.45 * h * w));
            erased += boxes.area(i);
        }
        assertThat(erased).isPositive();
    }

    @Test
    void pixelsFromOutsideTheImageAreBlack() {
        int n = 8, s = 12;
        float[] white = new float[n * s * s];
        Arrays.fill(white, 1f);
        NDArray x = Images.normalised(manager, white, Images.GREY, n, s, s);
        float[] out = Images.pixelsOf(new Augmenter(Images.GREY).apply(x, AugmentationPolicy.of(Transform.TRANSLATE, 1), 3), Images.GREY);
        int black = 0;
        for (float v : out) {
            assertThat(v).isBetween(-1e-6f, 1 + 1e-6f);
            black += v < 1e-6f ? 1 : 0;
        }
        assertThat(black).isPositive();
    }

    @Test
    void theSameSeedGivesTheSameBitsAndAnotherSeedOtherBits() {
        for (Normalization norm : new Normalization[] {Images.GREY, Images.RGB}) {
            NDArray x = batch(norm, 6, 9, 9, 6);
            AugmentationPolicy p = heavy(norm.mean().length);
            Augmenter a = new Augmenter(norm);
            float[] first = a.apply(x, p, 1234).toFloatArray();
            assertThat(a.apply(x, p, 1234).toFloatArray()).containsExactly(first);
            assertThat(new Augmenter(norm).apply(x, p, 1234).toFloatArray()).containsExactly(first);
            assertThat(a.apply(x, p, 1235).toFloatArray()).isNotEqualTo(first);
        }
    }

    @Test
    void everyImageGetsItsOwnParameters() {
        int n = 8, h = 9, w = 9, size = 3 * h * w;
        float[] one = Images.pixels(1, 3, h, w, 7);
        float[] same = new float[n * size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(one, 0, same, i * size, size);
        }
        NDArray x = Images.normalised(manager, same, Images.RGB, n, h, w);
        Augmenter a = new Augmenter(Images.RGB);
        for (Transform t : Transform.values()) {
            if (!t.hasMagnitude() || t == Transform.CROP) {
                continue; // crop shifts by whole pixels: on 9-pixel images most draws are 0 (GeometricOpsTest covers it)
            }
            float[] y = a.apply(x, AugmentationPolicy.of(t, 0.7), 21).toFloatArray();
            for (int i = 1; i < n; i++) {
                assertThat(Images.sample(y, i, size)).as(t.id() + " image " + i).isNotEqualTo(Images.sample(y, 0, size));
            }
        }
    }

    @Test
    void shapeTypeAndRangeArePreservedForGreyAndColour() {
        for (Normalization norm : new Normalization[] {Images.GREY, Images.RGB}) {
            NDArray x = batch(norm, 5, 7, 11, 8);
            NDArray y = new Augmenter(norm).apply(x, heavy(norm.mean().length), 4);
            assertThat(y.getShape()).isEqualTo(x.getShape());
            assertThat(y.getDataType()).isEqualTo(DataType.FLOAT32);
            for (float v : Images.pixelsOf(y, norm)) {
                assertThat(v).isBetween(-1e-5f, 1 + 1e-5f);
            }
        }
    }

    @Test
    void theResultJoinsTheInputsManagerWhichKeepsNothingElseAndTheInputIsUnchanged() {
        try (NDManager batchManager = manager.newSubManager()) {
            NDArray x = batch(Images.RGB, 4, 8, 8, 9);
            x.attach(batchManager);
            float[] before = x.toFloatArray();
            int arrays = batchManager.getManagedArrays().size();
            NDArray y = new Augmenter(Images.RGB).apply(x, HEAVY, 13);
            assertThat(y.getManager()).isSameAs(batchManager);
            assertThat(x.getManager()).isSameAs(batchManager);
            assertThat(batchManager.getManagedArrays()).hasSize(arrays + 1).contains(x, y);
            assertThat(x.toFloatArray()).containsExactly(before);
        }
    }

    @Test
    void badInputsAreRefusedWithTheFix() {
        Augmenter grey = new Augmenter(Images.GREY);
        NDArray x = batch(Images.GREY, 2, 4, 4, 10);
        assertThatThrownBy(() -> grey.apply(x, AugmentationPolicy.of(Transform.HUE, 0.5), 1))
                .isInstanceOf(HoneException.class).hasMessageContaining("hue needs colour images").hasMessageContaining("forChannels");
        assertThatThrownBy(() -> grey.apply(manager.zeros(new Shape(2, 3, 4, 4)), HEAVY, 1))
                .isInstanceOf(HoneException.class).hasMessageContaining("(N, 1, H, W)");
        assertThatThrownBy(() -> grey.apply(x.toType(DataType.FLOAT64, false), AugmentationPolicy.of(Transform.ZOOM, 0.5), 1))
                .isInstanceOf(HoneException.class).hasMessageContaining("float32");
    }
}
