package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** FlexMatch's curriculum thresholds against equations 7 and 11 of arXiv:2110.08263, worked by hand. */
class CurriculumThresholdsTest {
    @Test
    void theMappingIsConvexFromZeroToOne() {
        assertThat(CurriculumThresholds.mapping(0)).isZero();
        assertThat(CurriculumThresholds.mapping(1)).isEqualTo(1.0);
        assertThat(CurriculumThresholds.mapping(0.5)).isCloseTo(1 / 3.0, within(1e-12));
    }

    @Test
    void beforeAnyImageIsKeptEveryThresholdIsZero() {
        CurriculumThresholds t = new CurriculumThresholds(10, 3, 0.95f);
        assertThat(t.thresholds()).containsExactly(0f, 0f, 0f);
        t.update(new int[] {0, 1}, new int[] {0, 1}, new float[] {0.9f, 0.5f}); // below tau: nothing kept
        assertThat(t.thresholds()).containsExactly(0f, 0f, 0f);
    }

    @Test
    void theWarmupDividesByTheUnusedImagesWhileTheyAreTheMost() {
        CurriculumThresholds t = new CurriculumThresholds(10, 3, 0.9f);
        // images 0-2 kept as class 0, image 3 as class 1: sigma = (3, 1, 0), unused 6
        t.update(new int[] {0, 1, 2, 3, 4}, new int[] {0, 0, 0, 1, 2}, new float[] {0.95f, 0.91f, 0.9f, 0.99f, 0.5f});
        float[] warm = t.thresholds();
        assertThat((double) warm[0]).isCloseTo(CurriculumThresholds.mapping(3 / 6.0) * 0.9, within(1e-6));
        assertThat((double) warm[1]).isCloseTo(CurriculumThresholds.mapping(1 / 6.0) * 0.9, within(1e-6));
        assertThat(warm[2]).isZero();

        // images 4-9 kept: sigma = (3, 4, 3), unused 0, so beta divides by the largest class count
        t.update(new int[] {4, 5, 6, 7, 8, 9}, new int[] {1, 1, 1, 2, 2, 2}, new float[] {1, 1, 1, 1, 1, 1});
        float[] after = t.thresholds();
        assertThat((double) after[0]).isCloseTo(CurriculumThresholds.mapping(3 / 4.0) * 0.9, within(1e-6));
        assertThat((double) after[1]).isCloseTo(0.9, within(1e-6));
        assertThat(t.describe()).containsEntry("unused", 0);
        assertThat((int[]) t.describe().get("kept")).containsExactly(3, 4, 3);
    }

    @Test
    void aConfidentImageMovesToItsLatestClassAndAnUnsureOneKeepsItsOld() {
        CurriculumThresholds t = new CurriculumThresholds(4, 2, 0.8f);
        t.update(new int[] {0, 1}, new int[] {0, 0}, new float[] {0.9f, 0.9f});
        t.update(new int[] {0, 1}, new int[] {1, 1}, new float[] {0.85f, 0.6f}); // image 0 moves; image 1 is unsure, stays
        assertThat((int[]) t.describe().get("kept")).containsExactly(1, 1);
        assertThat(t.describe()).containsEntry("unused", 2);
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> new CurriculumThresholds(0, 3, 0.9f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CurriculumThresholds(5, 1, 0.9f)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CurriculumThresholds(5, 3, 1.5f)).isInstanceOf(IllegalArgumentException.class);
        CurriculumThresholds t = new CurriculumThresholds(5, 3, 0.9f);
        assertThatThrownBy(() -> t.update(new int[] {0}, new int[] {0, 1}, new float[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.update(new int[] {0}, new int[] {3}, new float[] {1}))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(t.describe()).containsEntry("unused", 5); // the bad class left the counts as they were
    }
}
