package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MultiLabelPseudoLabelsTest {
    private static final float[][] TEACHER = {
        {0.90f, 0.10f, 0.375f},
        {0.25f, 0.75f, 0.25f},
        {0.625f, 0.05f, 0.99f},
    };

    @Test
    void eachClassIsATargetAtOrAboveItsOwnThresholdAndEveryImageIsKeptOnce() {
        PseudoLabelSelection s = MultiLabelPseudoLabels.select(TEACHER, new double[] {0.5, 0.75, 0.25});
        assertThat(s.indices()).containsExactly(0, 1, 2);
        assertThat(s.targets()[0]).containsExactly(1f, 0f, 1f);
        assertThat(s.targets()[1]).containsExactly(0f, 1f, 1f); // 0.75 >= 0.75 and 0.25 >= 0.25: at the threshold counts
        assertThat(s.targets()[2]).containsExactly(1f, 0f, 1f);
        assertThat(s.classes()).containsOnly(-1);
        assertThat(s.predictedCounts()).containsExactly(2, 1, 3);
        assertThat(s.keptCounts()).containsExactly(2, 1, 3);
        assertThat(s.balancedCounts()).containsExactly(2, 1, 3);
        assertThat(s.filtered()).isZero();
        assertThat(s.perClass()).isEqualTo(-1);
        assertThat(s.soft()).isFalse();
        assertThat(MultiLabelPseudoLabels.multiHot(s)).containsExactly(1, 0, 1, 0, 1, 1, 1, 0, 1);
    }

    @Test
    void anImagesConfidenceIsItsLeastCertainDecision() {
        PseudoLabelSelection s = MultiLabelPseudoLabels.select(TEACHER, new double[] {0.5, 0.5, 0.5});
        // image 0: min(0.90, 0.90, 0.625) -> bin 12 of 20; image 1: min(0.75, 0.75, 0.75) -> bin 15;
        // image 2: min(0.625, 0.95, 0.99) -> bin 12
        int[] h = s.histogram();
        assertThat(h).hasSize(PseudoLabels.HISTOGRAM_BINS);
        assertThat(h[12]).isEqualTo(2);
        assertThat(h[15]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(h).sum()).isEqualTo(3);
    }

    @Test
    void logitsRaggedRowsAndBadThresholdsAreRefused() {
        assertThatThrownBy(() -> MultiLabelPseudoLabels.select(new float[][] {{1.5f, 0f}}, new double[] {0.5, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not logits");
        assertThatThrownBy(() -> MultiLabelPseudoLabels.select(new float[][] {{0.5f}}, new double[] {0.5, 0.5}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 0");
        assertThatThrownBy(() -> MultiLabelPseudoLabels.select(new float[][] {{0.5f}}, new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> MultiLabelPseudoLabels.select(new float[][] {{0.5f}}, new double[] {-0.1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> MultiLabelPseudoLabels.select(new float[0][], new double[] {0.5}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
