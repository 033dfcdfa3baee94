package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.Normalization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Boxes follow the images' geometric maps. */
class BoxAffineTest {
    private static final float[] BOX = {2, 8, 8, 36, 20, 0};

    /** The sampling matrix of a pure shift: output (x, y) reads source (x - dx, y - dy). */
    private static float[] shift(float dx, float dy) {
        return new float[] {1, 0, -dx, 0, 1, -dy};
    }

    @Test
    void aHorizontalFlipMirrorsTheBox() {
        // output x reads source 63 - x on a 64-wide image
        float[] out = BoxAffine.move(BOX, 1, 1, new float[] {-1, 0, 63, 0, 1, 0}, 64, 64);
        assertThat(out).containsExactly(new float[] {2, 28, 8, 56, 20, 0}, within(1e-4f));
    }

    @Test
    void aShiftMovesAndClipsTheBox() {
        float[] out = BoxAffine.move(BOX, 1, 1, shift(40, 0), 64, 64); // x 48..76 -> clipped at 64: 16 of 28 visible
        assertThat(out).containsExactly(new float[] {2, 48, 8, 64, 20, 0}, within(1e-4f));
    }

    @Test
    void aBoxMostlyOutsideIsDroppedAndPaddingStaysPadding() {
        float[] rows = {2, 8, 8, 36, 20, 0, -1, 0, 0, 0, 0, 0};
        float[] out = BoxAffine.move(rows, 1, 2, shift(50, 0), 64, 64); // 6 of 28 visible
        assertThat(out[0]).isEqualTo(-1f);
        assertThat(out[6]).isEqualTo(-1f);
    }

    @Test
    void theBoxFollowsTheImagePixels() {
        // a bright rectangle where the box is; after a random geometric policy the moved box holds it
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(4, 1, 64, 64)).sub(1f);
            x.set(new NDIndex(":, :, 8:20, 8:36"), 1f);
            float[] rows = new float[4 * 6];
            for (int i = 0; i < 4; i++) {
                System.arraycopy(BOX, 0, rows, i * 6, 6);
            }
            NDArray boxes = m.create(rows, new Shape(4, 1, 6));
            AugmentationPolicy policy = new AugmentationPolicy(List.of(
                    new AugmentationPolicy.Step(Transform.FLIP_HORIZONTAL.id(), 1.0),
                    new AugmentationPolicy.Step(Transform.TRANSLATE.id(), 0.5)));
            Augmenter augmenter = new Augmenter(new Normalization(new float[] {0}, new float[] {1}));
            NDArray y = augmenter.apply(x, policy, 7);
            float[] moved = augmenter.applyToBoxes(boxes, policy, 7, 64, 64).toFloatArray();
            float[] pixels = y.toFloatArray();
            for (int i = 0; i < 4; i++) {
                if (moved[i * 6] < 0) {
                    continue;
                }
                int x1 = Math.round(moved[i * 6 + 1]), y1 = Math.round(moved[i * 6 + 2]);
                int x2 = Math.round(moved[i * 6 + 3]), y2 = Math.round(moved[i * 6 + 4]);
                double inside = 0, total = 0;
                for (int p = 0; p < 64 * 64; p++) {
                    float v = pixels[i * 4096 + p];
                    if (v > 0) {
                        total += v;
                        int px = p % 64, py = p / 64;
                        inside += px >= x1 && px < x2 && py >= y1 && py < y2 ? v : 0;
                    }
                }
                assertThat(inside / total).as("image %d", i).isGreaterThan(0.97);
            }
        }
    }
}
