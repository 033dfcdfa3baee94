package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The work after a budgeted training shrinks to the time left (issue 14), and only when it would overrun. */
class EvaluationBudgetTest {
    private static final long END = 100_000_000_000L; // 100 s on the fake clock

    /** 200 images/s, 5 s for the outputs, 3 s of grace; the clock stands {@code secondsBeforeEnd} before the end. */
    private static EvaluationBudget at(double secondsBeforeEnd) {
        AtomicLong now = new AtomicLong(END - (long) (secondsBeforeEnd * 1e9));
        return new EvaluationBudget(now::get, END, 200, 5, 3);
    }

    @Test
    void secondsLeftCountTheGraceAndHoldTheOutputsBack() {
        assertThat(at(10).secondsLeft()).isCloseTo(8.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(at(0).secondsLeft()).isCloseTo(-2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(at(10).affords(1000, 600)).as("8 s at 200 images/s").isTrue();
        assertThat(at(10).affords(1000, 601)).isFalse();
        assertThat(EvaluationBudget.UNLIMITED.affords(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2)).isTrue();
    }

    @Test
    void aTestPassThatFitsScoresEveryImageInOrder() {
        int[] rows = at(60).testRows(10_000, 1, 7);
        assertThat(rows).hasSize(10_000);
        assertThat(rows[0]).isZero();
        assertThat(rows[9_999]).isEqualTo(9_999);
        assertThat(EvaluationBudget.UNLIMITED.testRows(10_000, 2, 7)).hasSize(10_000);
        assertThat(at(-30).testRows(900, 1, 7)).as("no more than the minimum: all of them").hasSize(900);
    }

    @Test
    void aTestPassThatDoesNotFitScoresASeededSampleOfWhatFitsAndNoFewerThanTheMinimum() {
        // 30 s before the end, less 5 for the outputs, plus 3 of grace: 28 s x 200 images/s = 5,600 images, 2,800 with flips
        int[] rows = at(30).testRows(10_000, 1, 7);
        assertThat(rows).hasSize(5_600);
        assertThat(at(30).testRows(10_000, 2, 7)).hasSize(2_800);
        assertThat(rows).isSorted().doesNotHaveDuplicates();
        assertThat(rows[rows.length - 1]).isLessThan(10_000);
        assertThat(rows[rows.length - 1]).as("a sample of the whole set, not its first rows").isGreaterThan(9_000);
        assertThat(at(30).testRows(10_000, 1, 7)).as("the same seed, the same sample").isEqualTo(rows);
        assertThat(at(30).testRows(10_000, 1, 8)).isNotEqualTo(rows);
        assertThat(at(-60).testRows(10_000, 1, 7)).as("overrun already").hasSize(EvaluationBudget.MIN_TESTED);
    }

    @Test
    void theRecordSaysHowManyTestImagesWereScoredAndWhy() {
        var d = at(10).shrunkTest(1_600, 10_000, 1, "the test set of fashion-mnist", true);
        assertThat(d.name()).isEqualTo("test-evaluation");
        assertThat(d.value()).isEqualTo(1_600);
        assertThat(d.rationale()).contains("1600 of them", "all 10000 images", "50 s", "200 images/s", "hone evaluate");
        assertThat(d.evidence()).containsEntry("testImages", 10_000).containsEntry("scoredImages", 1_600);
        assertThat(at(10).shrunkTest(1_600, 10_000, 1, Splitting.HELD_OUT + "x", false).rationale())
                .as("a held-out split cannot be scored later apart from the training images").doesNotContain("hone evaluate");
        assertThat(Arrays.stream(at(30).testRows(10_000, 1, 7)).distinct().count()).isEqualTo(5_600);
    }
}
