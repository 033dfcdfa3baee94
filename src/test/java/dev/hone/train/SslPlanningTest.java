package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.augment.AugmentationPolicy;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SSL learner's pure parts: the student's noise and the teacher's pseudo-label accuracy on validation. */
class SslPlanningTest {
    @Test
    void aStudentWithoutNoiseGetsTheRandAugmentAnalogueAndDropout() {
        RegularizationPolicy p = SslPlanning.studentPolicy(RegularizationPolicy.NONE, true);
        assertThat(p.augmentation().steps()).extracting(AugmentationPolicy.Step::transform)
                .containsExactly("translate", "zoom", "rotate", "erase");
        assertThat(p.augmentation().steps()).allSatisfy(s -> assertThat(s.magnitude()).isEqualTo(0.5));
        assertThat(p.augmentationsPerBatch()).isEqualTo(2);
        assertThat(p.dropout()).isEqualTo(SslPlanning.STUDENT_DROPOUT);
        assertThat(SslPlanning.studentPolicy(RegularizationPolicy.NONE, false).dropout()).isZero();
    }

    @Test
    void aStudentKeepsThePlansOwnAugmentation() {
        RegularizationPolicy augmented = RegularizationPolicy.NONE.withAugmentation(
                new AugmentationPolicy(List.of(new AugmentationPolicy.Step("flip-horizontal", 1))), 0);
        assertThat(SslPlanning.studentPolicy(augmented, true)).isEqualTo(augmented);
    }

    @Test
    void pseudoLabelAccuracyCountsOnlyImagesAboveTheThreshold() {
        float[][] p = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.55f, 0.45f}, {0.6f, 0.4f}};
        int[] labels = {0, 0, 1, 0};
        // above 0.58: rows 0, 1 and 3; rows 0 and 3 are right
        assertThat(SslPlanning.pseudoLabelAccuracy(p, labels, 0.58)).isEqualTo(2.0 / 3);
        assertThat(SslPlanning.pseudoLabelAccuracy(p, labels, 0.95)).isNaN();
    }
}
