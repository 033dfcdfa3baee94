package dev.hone.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import org.junit.jupiter.api.Test;

/** Composer's schedule of sides, the cost model, and the area downscaling of a batch at the loop's BATCH_START. */
class ProgressiveResizingTest {

    @Test
    void theScaleHoldsThenGrowsLinearlyThenStaysFull() {
        assertThat(ProgressiveResizing.scale(0)).isEqualTo(0.5);
        assertThat(ProgressiveResizing.scale(0.5)).isEqualTo(0.5);
        assertThat(ProgressiveResizing.scale(0.65)).isCloseTo(0.75, within(1e-9));
        assertThat(ProgressiveResizing.scale(0.8)).isEqualTo(1);
        assertThat(ProgressiveResizing.scale(1)).isEqualTo(1);
    }

    @Test
    void sidesAreMultiplesOfFourWithinTheImage() {
        assertThat(ProgressiveResizing.side(28, 0.5)).isEqualTo(16); // 14 rounds to the nearest multiple of 4, half up
        assertThat(ProgressiveResizing.side(32, 0.5)).isEqualTo(16);
        assertThat(ProgressiveResizing.side(224, 0.5)).isEqualTo(112);
        assertThat(ProgressiveResizing.side(28, 0.9)).isEqualTo(24);
        assertThat(ProgressiveResizing.side(28, 1)).isEqualTo(28);
        assertThat(ProgressiveResizing.side(6, 0.1)).isEqualTo(4);
        assertThat(ProgressiveResizing.side(4, 0.5)).isEqualTo(4);
    }

    @Test
    void stepsCostTheirPixelShare() {
        ProgressiveResizing r = new ProgressiveResizing(28, 28);
        double pixels = 16.0 * 16 / (28 * 28);
        assertThat(r.cost(0.1)).isCloseTo(pixels, within(1e-12));
        assertThat(r.cost(0.9)).isEqualTo(1);
        // half the run at 16x16, the ramp through 20 and 24, the last fifth full: a bit over half a full run's time
        assertThat(r.meanCost()).isBetween(0.5, 0.65);
        assertThat(r.resizes()).isTrue();
        assertThat(new ProgressiveResizing(4, 4).resizes()).isFalse();
        assertThat(new ProgressiveResizing(4, 4).meanCost()).isEqualTo(1);
    }

    @Test
    void theBatchIsAreaAveragedUntilTheFinetuneAndLeftFullAfter() {
        ProgressiveResizing r = new ProgressiveResizing(8, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            // 8x8 images whose 2x2 blocks hold 0, 1, 2, 3 in turn: a 4x4 area average keeps each block's value
            float[] pixels = new float[2 * 8 * 8];
            for (int i = 0; i < pixels.length; i++) {
                int y = (i / 8) % 8;
                int x = i % 8;
                pixels[i] = (y / 2 * 4 + x / 2) % 4 + (i >= 64 ? 10 : 0);
            }
            NDArray images = m.create(pixels, new Shape(2, 1, 8, 8));
            TrainingState state = new TrainingState(1, 10, 10, 0.1);
            state.startEpoch(1);
            state.beginBatch(images, m.zeros(new Shape(2, 3)));
            assertThat(r.matches(Event.BATCH_START, state.view())).isTrue();
            r.apply(Event.BATCH_START, state);
            assertThat(state.inputs().getShape()).isEqualTo(new Shape(2, 1, 4, 4));
            float[] out = state.inputs().toFloatArray();
            assertThat(out[0]).isEqualTo(0f);
            assertThat(out[1]).isEqualTo(1f);
            assertThat(out[5]).isEqualTo(1f); // row 1, column 1: the block at y 2-3, x 2-3 holds (1*4 + 1) % 4
            assertThat(out[16]).isEqualTo(10f);

            for (int i = 0; i < 8; i++) {
                state.endBatch(0);
            }
            // step 8 of 10: the fine-tuning share, at full size
            assertThat(r.matches(Event.BATCH_START, state.view())).isFalse();
        }
    }

    /**
     * Segmentation's one-hot maps shrink with the image: a downscaled pixel holds each class's share of the pixels it
     * covers, and the masks tallied against read back its most likely class, ignored where less than half of it counts.
     */
    @Test
    void perPixelTargetsAreAreaAveragedWithTheImagesAndTalliedAtThatSize() {
        dev.hone.tasks.Segmentation task = dev.hone.tasks.Segmentation.plain();
        try (NDManager m = NDManager.newBaseManager()) {
            // one 4x4 mask: its left half class 1, its right half class 0 but for one ignored pixel in the top right block,
            // and three ignored pixels in the bottom right block
            byte[] mask = {1, 1, 0, 0, 1, 1, 0, (byte) 255, 1, 1, (byte) 255, (byte) 255, 1, 1, (byte) 255, 0};
            NDArray labels = m.create(mask, new Shape(1, 4, 4)).toType(ai.djl.ndarray.types.DataType.UINT8, false);
            NDArray targets = task.targets(labels, 2);
            // a 4x4 image is never resized (sides move 4 pixels at a time): downscale its targets directly
            NDArray small = ProgressiveResizing.downscale(targets, 2, 2);
            assertThat(small.getShape()).isEqualTo(new Shape(1, 2, 2, 2));
            float[] v = small.toFloatArray(); // (K=2, 2, 2): class 0's map, then class 1's
            assertThat(v).containsExactly(0f, 0.75f, 0f, 0.25f, 1f, 0f, 1f, 0f);
            NDArray tallied = task.trainingLabels(labels, small);
            assertThat(tallied.getShape()).isEqualTo(new Shape(1, 2, 2));
            assertThat(tallied.toLongArray()).containsExactly(1L, 0L, 1L, 255L);
            assertThat(new ProgressiveResizing(4, 4).resizes()).isFalse();
        }

        ProgressiveResizing eight = new ProgressiveResizing(8, 8);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.zeros(new Shape(2, 8, 8), ai.djl.ndarray.types.DataType.UINT8);
            TrainingState state = new TrainingState(1, 10, 10, 0.1);
            state.startEpoch(1);
            state.beginBatch(m.zeros(new Shape(2, 1, 8, 8)), task.targets(labels, 3));
            eight.apply(Event.BATCH_START, state);
            assertThat(state.inputs().getShape()).isEqualTo(new Shape(2, 1, 4, 4));
            assertThat(state.targets().getShape()).isEqualTo(new Shape(2, 3, 4, 4));
            assertThat(state.targets().get(":, 0").toFloatArray()).containsOnly(1f);

            // detection's boxes (N, B, 6) are scaled with the image: corners only, not the class or the ignore flag
            NDArray boxes = m.create(new float[] {2, 1, 2, 5, 7, 0, -1, 0, 0, 0, 0, 1}, new Shape(1, 2, 6));
            state.beginBatch(m.zeros(new Shape(1, 1, 8, 8)), boxes);
            eight.apply(Event.BATCH_START, state);
            assertThat(state.inputs().getShape()).isEqualTo(new Shape(1, 1, 4, 4));
            assertThat(state.targets().toFloatArray()).containsExactly(2, 0.5f, 1, 2.5f, 3.5f, 0, -1, 0, 0, 0, 0, 1);

            // classification targets (N, K) are left as they are
            state.beginBatch(m.zeros(new Shape(2, 1, 8, 8)), m.ones(new Shape(2, 3)));
            eight.apply(Event.BATCH_START, state);
            assertThat(state.targets().getShape()).isEqualTo(new Shape(2, 3));
        }
    }
}
