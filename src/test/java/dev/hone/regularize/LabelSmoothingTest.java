package dev.hone.regularize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.Event;
import dev.hone.core.EventEngine;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelSmoothingTest {

    @Test
    void smoothMatchesTheInceptionFormula() {
        float eps = 0.1f;
        float[] y = {0, 1, 0, 0, 0.3f, 0, 0.7f, 0};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray dense = manager.create(y, new Shape(2, 4));
            float[] smoothed = LabelSmoothing.smooth(dense, eps).toFloatArray();
            for (int i = 0; i < y.length; i++) {
                assertThat(smoothed[i]).isCloseTo((1 - eps) * y[i] + eps / 4, within(1e-7f));
            }
            assertThat(smoothed[1]).isCloseTo(0.925f, within(1e-7f));
            assertThat(smoothed[0]).isCloseTo(0.025f, within(1e-7f));
            assertThat(dense.toFloatArray()).containsExactly(y); // the input is left alone
        }
    }

    @Test
    void smoothedRowsStillSumToOne() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray dense = manager.create(new long[] {0, 4, 9}).oneHot(10);
            float[] sums = LabelSmoothing.smooth(dense, 0.2f).sum(new int[] {1}).toFloatArray();
            for (float s : sums) {
                assertThat(s).isCloseTo(1f, within(1e-6f));
            }
        }
    }

    @Test
    void theLossSeesSmoothedTargetsAndEverythingAfterItTheOriginalOnes() {
        LabelSmoothing smoothing = new LabelSmoothing(0.1);
        EventEngine engine = new EventEngine(List.of(smoothing), List.of());
        try (NDManager manager = NDManager.newBaseManager(); NDManager batch = manager.newSubManager()) {
            NDArray targets = batch.create(new long[] {1, 0}).oneHot(2);
            TrainingState state = new TrainingState(1, 1, 0.1);
            state.beginBatch(batch.zeros(new Shape(2, 1, 4, 4)), targets);

            engine.fire(Event.BEFORE_LOSS, state);
            assertThat(state.targets()).isNotSameAs(targets);
            assertThat(state.targets().getManager()).isSameAs(batch);
            assertThat(state.targets().toFloatArray()).usingComparatorWithPrecision(1e-7f).containsExactly(0.05f, 0.95f, 0.95f, 0.05f);

            engine.fire(Event.AFTER_LOSS, state);
            assertThat(state.targets()).isSameAs(targets);
            assertThat(targets.toFloatArray()).containsExactly(0f, 1f, 1f, 0f);
        }
    }

    @Test
    void declaresThatItSoftensTargetsAndChecksEpsilon() {
        assertThat(new LabelSmoothing(0.1).traits()).containsExactly(Technique.Trait.SOFTENS_TARGETS);
        assertThat(new LabelSmoothing(0.1).name()).isEqualTo("label-smoothing");
        assertThatThrownBy(() -> new LabelSmoothing(1.0)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> new LabelSmoothing(-0.1)).hasMessageContaining("epsilon");
    }
}
