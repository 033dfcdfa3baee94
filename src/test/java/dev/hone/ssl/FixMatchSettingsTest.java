package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** FixMatch's mu from the data's sizes and tau from the teacher's validation predictions. */
class FixMatchSettingsTest {
    @Test
    void muIsTheUnlabeledPerLabeledRatioUpTo3() {
        assertThat(FixMatchSettings.ratio(540, 59_400)).isEqualTo(3); // Fashion-MNIST 1%: 110 to 1
        assertThat(FixMatchSettings.ratio(5_400, 54_000)).isEqualTo(3);
        assertThat(FixMatchSettings.ratio(1_000, 3_999)).isEqualTo(3);
        assertThat(FixMatchSettings.ratio(1_000, 2_500)).isEqualTo(2);
        assertThat(FixMatchSettings.ratio(1_000, 300)).isEqualTo(1);
        assertThatThrownBy(() -> FixMatchSettings.ratio(0, 10)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOverconfidentTeacherGetsAHigherThresholdThanThePapers() {
        // 40 images at 0.995, all right; 40 at 0.96, 28 right; 20 at 0.65, 10 right
        Teacher t = new Teacher(100);
        t.add(40, 0.995f, 40).add(40, 0.96f, 28).add(20, 0.65f, 10);
        FixMatchSettings s = FixMatchSettings.choose(t.probabilities, t.labels, 540, 59_400);
        assertThat(s.threshold()).isEqualTo(0.98f);
        assertThat(s.ratio()).isEqualTo(3);
        assertThat(s.reason()).contains("mu 3", "a quarter of each step's images are labeled", "tau 0.98", "at least 95% right");
        assertThat(s.calibration()).hasSize(FixMatchSettings.THRESHOLDS.length);
        Map<String, Object> at95 = s.calibration().get(4);
        assertThat(at95).containsEntry("threshold", 0.95).containsEntry("predictions", 80).containsEntry("share", 0.8);
        assertThat((Double) at95.get("precision")).isEqualTo(68 / 80.0);
    }

    @Test
    void anUnderconfidentTeacherGetsALowerOne() {
        // trained on soft labels: never above 0.85, and 98 of 100 right
        Teacher t = new Teacher(100);
        t.add(100, 0.85f, 98);
        FixMatchSettings s = FixMatchSettings.choose(t.probabilities, t.labels, 100, 200);
        assertThat(s.threshold()).as("the paper's 0.95 would pass no image").isEqualTo(0.6f);
        assertThat(s.ratio()).isEqualTo(2);
        assertThat(s.reason()).contains("their ratio, below 3");
    }

    @Test
    void withoutATargetPrecisionTheMostPreciseThresholdAndWithoutSupportThePapers() {
        Teacher poor = new Teacher(100);
        poor.add(50, 0.99f, 45).add(50, 0.75f, 30); // 90% right at the top
        FixMatchSettings s = FixMatchSettings.choose(poor.probabilities, poor.labels, 10, 1_000);
        assertThat(s.threshold()).isEqualTo(0.8f); // 0.8 to 0.99 tie at 90%: the lowest of them
        assertThat(s.reason()).contains("most precise", "90.0%");
        Teacher few = new Teacher(5);
        few.add(5, 0.99f, 5);
        assertThat(FixMatchSettings.choose(few.probabilities, few.labels, 10, 1_000).threshold()).isEqualTo(FixMatch.PAPER_THRESHOLD);
    }

    @Test
    void independentOutputsCountEachImageClassPair() {
        // 10 images, 2 classes: class 0 confidently right (p 0.99 for a positive, 0.01 for a negative), class 1 at 0.7, half wrong
        float[][] p = new float[10][];
        float[][] y = new float[10][];
        for (int i = 0; i < 10; i++) {
            boolean positive = i % 2 == 0;
            p[i] = new float[] {positive ? 0.99f : 0.01f, 0.7f};
            y[i] = new float[] {positive ? 1 : 0, positive ? 1 : 0};
        }
        FixMatchSettings s = FixMatchSettings.chooseIndependent(p, y, 50, 500);
        assertThat(s.calibration().get(0)).containsEntry("predictions", 20).containsEntry("precision", 15 / 20.0);
        assertThat(s.threshold()).isEqualTo(0.8f); // from 0.8 only class 0's 10 pairs remain, all right
        assertThatThrownBy(() -> FixMatchSettings.chooseIndependent(p, new float[3][], 50, 500))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Validation predictions over 10 classes whose confidences and right answers are set group by group. */
    private static final class Teacher {
        final float[][] probabilities;
        final int[] labels;
        private int next;

        Teacher(int n) {
            probabilities = new float[n][];
            labels = new int[n];
        }

        /** {@code count} images predicted as class 0 at {@code confidence}, the first {@code right} of them labeled 0. */
        Teacher add(int count, float confidence, int right) {
            for (int i = 0; i < count; i++, next++) {
                float[] row = new float[10];
                java.util.Arrays.fill(row, (1 - confidence) / 9);
                row[0] = confidence;
                probabilities[next] = row;
                labels[next] = i < right ? 0 : 1 + i % 9;
            }
            return this;
        }
    }
}
