package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When {@code --ssl auto} pretrains the teacher's encoder, and for how long. */
class SslPretrainedTeacherTest {
    @Test
    void pretrainingNeedsTenUnlabeledImagesPerLabeledOneAndATeacherThatTookATenthOfTheTimeLeft() {
        // Fashion-MNIST at 1% of the labels: 540 labeled, 59,400 unlabeled, a 111 s teacher with 1,540 s left
        assertThat(SslPretrainedTeacher.worthIt(111, 1540, 59_400, 540)).isTrue();
        // at 10%: 5,400 labeled and a 458 s teacher
        assertThat(SslPretrainedTeacher.worthIt(458, 1200, 54_000, 5_400)).isFalse();
        assertThat(SslPretrainedTeacher.worthIt(1, 1540, 5_399, 540)).as("fewer than 10 per labeled image").isFalse();
        assertThat(SslPretrainedTeacher.worthIt(1e9, Double.NaN, 5_400, 540)).as("no budget: the ratio alone").isTrue();
        assertThat(SslPretrainedTeacher.skipped(458, 1200, 54_000, 5_400).rationale()).contains("the teacher took 458 s",
                "more than 10% of the 1200 s left");
        assertThat(SslPretrainedTeacher.skipped(1, 1540, 5_399, 540).rationale()).contains("5399 unlabeled images for 540");
    }

    @Test
    void pretrainingTakesHalfOfWhatIsLeftOnceTheFineTunedTeacherHasItsTime() {
        assertThat(SslPretrainedTeacher.seconds(1540, 111)).isEqualTo(714.5);
        assertThat(SslPretrainedTeacher.seconds(100, 111)).isZero();
    }
}
