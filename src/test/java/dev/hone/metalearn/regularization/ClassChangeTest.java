package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The share of images a transform moves to another class, taken per class as well as over all of them. */
class ClassChangeTest {
    /** {@code n} images of class {@code c}, each predicted {@code c}, of which the first {@code moved} move to {@code to}. */
    private static void fill(int[] clean, int[] augmented, int[] labels, int from, int n, int c, int moved, int to) {
        Arrays.fill(clean, from, from + n, c);
        Arrays.fill(labels, from, from + n, c);
        Arrays.fill(augmented, from, from + n, c);
        Arrays.fill(augmented, from, from + moved, to);
    }

    @Test
    void aTransformThatMovesMostOfAMinorityClassCountsAsLabelChanging() {
        // left and right, 40 images each, swapped by a flip; up and down, 120 each, untouched: a quarter of all images
        int n = 320;
        int[] clean = new int[n];
        int[] augmented = new int[n];
        int[] labels = new int[n];
        fill(clean, augmented, labels, 0, 40, 0, 40, 1);
        fill(clean, augmented, labels, 40, 40, 1, 40, 0);
        fill(clean, augmented, labels, 80, 120, 2, 0, 2);
        fill(clean, augmented, labels, 200, 120, 3, 0, 3);
        assertThat(DistanceAnalysis.classChange(clean, augmented, labels)).isEqualTo(1.0);
        // without labels the classes are the clean predictions: the same here
        assertThat(DistanceAnalysis.classChange(clean, augmented, null)).isEqualTo(1.0);
    }

    @Test
    void aClassTooSmallToTellCountsOnlyInTheOverallShare() {
        int n = 220;
        int[] clean = new int[n];
        int[] augmented = new int[n];
        int[] labels = new int[n];
        fill(clean, augmented, labels, 0, DistanceAnalysis.MIN_CLASS_IMAGES - 1, 0, DistanceAnalysis.MIN_CLASS_IMAGES - 1, 1);
        int rest = n - (DistanceAnalysis.MIN_CLASS_IMAGES - 1);
        fill(clean, augmented, labels, DistanceAnalysis.MIN_CLASS_IMAGES - 1, rest, 1, rest / 10, 0);
        double overall = (double) (DistanceAnalysis.MIN_CLASS_IMAGES - 1 + rest / 10) / n;
        assertThat(DistanceAnalysis.classChange(clean, augmented, labels)).isCloseTo(overall, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void imagesTheModelGetsWrongDoNotCount() {
        int[] labels = new int[40];
        int[] clean = new int[40];
        int[] augmented = new int[40];
        Arrays.fill(labels, 0);
        Arrays.fill(clean, 1); // all wrong before the transform
        Arrays.fill(augmented, 0);
        assertThat(DistanceAnalysis.classChange(clean, augmented, labels)).isNaN();
    }
}
