package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageSet;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** The work after a budgeted training shrinks to the time left (issue 14), and only when it would overrun. */
class EvaluationBudgetTest {
    private static final long END = 100_000_000_000L; // 100 s on the fake clock
    private static final List<String> CLASSES = IntStream.range(0, 10).mapToObj(c -> "c" + c).toList();

    /** 200 images/s, 5 s for the outputs, 3 s of grace; the clock stands {@code secondsBeforeEnd} before the end. */
    private static EvaluationBudget at(double secondsBeforeEnd) {
        AtomicLong now = new AtomicLong(END - (long) (secondsBeforeEnd * 1e9));
        return new EvaluationBudget(now::get, END, 200, 5, 3);
    }

    /** {@code n} one-pixel images whose labels cycle through the first {@code classes} of ten classes. */
    private static ImageSet test(int n, int classes) {
        return new ImageSet(new byte[n], IntStream.range(0, n).map(i -> i % classes).toArray(), 1, 1, 1, CLASSES, i -> "t#" + i);
    }

    @Test
    void secondsLeftCountTheGraceAndHoldTheOutputsBack() {
        assertThat(at(10).secondsLeft()).isCloseTo(8.0, Offset.offset(1e-9));
        assertThat(at(0).secondsLeft()).isCloseTo(-2.0, Offset.offset(1e-9));
        assertThat(at(10).affords(1000, 600)).as("8 s at 200 images/s").isTrue();
        assertThat(at(10).affords(1000, 601)).isFalse();
        assertThat(EvaluationBudget.UNLIMITED.affords(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2)).isTrue();
    }

    @Test
    void aTestPassThatFitsScoresEveryImageInOrder() {
        int[] rows = at(60).testRows(test(10_000, 10), 1, 7);
        assertThat(rows).hasSize(10_000);
        assertThat(rows[0]).isZero();
        assertThat(rows[9_999]).isEqualTo(9_999);
        assertThat(EvaluationBudget.UNLIMITED.testRows(test(10_000, 10), 2, 7)).hasSize(10_000);
        assertThat(at(-30).testRows(test(500, 10), 1, 7)).as("no more than the floor: all of them").hasSize(500);
    }

    @Test
    void aTestPassThatDoesNotFitScoresAStratifiedSeededSampleOfWhatFits() {
        // 30 s before the end, less 5 for the outputs, plus 3 of grace: 28 s x 200 images/s = 5,600 images, 2,800 with flips
        int[] rows = at(30).testRows(test(10_000, 10), 1, 7);
        assertThat(rows).hasSize(5_600);
        assertThat(at(30).testRows(test(10_000, 10), 2, 7)).hasSize(2_800);
        assertThat(rows).isSorted().doesNotHaveDuplicates();
        assertThat(rows[rows.length - 1]).as("a sample of the whole set, not its first rows").isBetween(9_000, 9_999);
        long[] perClass = new long[10];
        Arrays.stream(rows).forEach(r -> perClass[r % 10]++);
        assertThat(perClass).as("every class keeps its share").containsOnly(560);
        assertThat(at(30).testRows(test(10_000, 10), 1, 7)).as("the same seed, the same sample").isEqualTo(rows);
        assertThat(at(30).testRows(test(10_000, 10), 1, 8)).isNotEqualTo(rows);
        // a class without test images: a plain seeded sample
        assertThat(at(30).testRows(test(10_000, 9), 1, 7)).hasSize(5_600).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aSampleIsExactlyTheSizeThatFitsWhateverTheClasses() {
        // 150 classes of one image each: none is held out class by class, so the sample is topped up
        int[] one = IntStream.range(0, 150).toArray();
        ImageSet single = new ImageSet(new byte[150], one, 1, 1, 1, IntStream.range(0, 150).mapToObj(c -> "k" + c).toList(),
                i -> "s#" + i);
        EvaluationBudget slow = new EvaluationBudget(() -> END + 60_000_000_000L, END, 10, 5, 3);
        assertThat(slow.testRows(single, 1, 7)).hasSize(EvaluationBudget.MIN_FLOOR).isSorted().doesNotHaveDuplicates();
        // 200 classes of 29 images and room for 100: one image of each class would be 200
        int[] labels = IntStream.range(0, 5800).map(i -> i % 200).toArray();
        ImageSet many = new ImageSet(new byte[5800], labels, 1, 1, 1, IntStream.range(0, 200).mapToObj(c -> "k" + c).toList(),
                i -> "m#" + i);
        assertThat(slow.testRows(many, 1, 7)).hasSize(EvaluationBudget.MIN_FLOOR).isSorted().doesNotHaveDuplicates();
        assertThat(EvaluationBudget.exactly(new int[] {5, 3, 9}, 2, 10, 1)).hasSize(2).containsAnyOf(5, 3, 9).doesNotContain(0, 1, 2, 4, 6, 7, 8);
    }

    @Test
    void anOverrunPassScoresTheFloorThatFitsTheGrace() {
        // overrun already: 1,000 images where a pass over them fits the 3 s of grace (600 at 200 images/s do)...
        assertThat(at(-60).floor(1)).isEqualTo(600);
        assertThat(at(-60).testRows(test(10_000, 10), 1, 7)).hasSize(600);
        // ...and at a detector's 10 images/s no fewer than 100
        EvaluationBudget slow = new EvaluationBudget(() -> END + 60_000_000_000L, END, 10, 5, 3);
        assertThat(slow.testRows(test(10_000, 10), 1, 7)).hasSize(EvaluationBudget.MIN_FLOOR);
        EvaluationBudget fast = new EvaluationBudget(() -> END + 60_000_000_000L, END, 2000, 5, 3);
        assertThat(fast.testRows(test(10_000, 10), 1, 7)).hasSize(EvaluationBudget.MIN_TESTED);
    }

    @Test
    void theRecordSaysHowManyTestImagesWereScoredAndWhy() {
        var d = at(10).shrunkTest(1_600, 10_000, 1, "the test set of fashion-mnist", true);
        assertThat(d.name()).isEqualTo("test-evaluation");
        assertThat(d.value()).isEqualTo(1_600);
        assertThat(d.rationale()).contains("8 s (the budget's 3% grace included)", "all 10000 images", "50 s", "200 images/s",
                "sample of 1600 of them, drawn class by class where the classes allow", "hone evaluate");
        assertThat(d.evidence()).containsEntry("testImages", 10_000).containsEntry("scoredImages", 1_600);
        assertThat(at(10).shrunkTest(1_600, 10_000, 1, Splitting.HELD_OUT + "x", false).rationale())
                .as("a held-out split cannot be scored later apart from the training images").doesNotContain("hone evaluate");
    }
}
