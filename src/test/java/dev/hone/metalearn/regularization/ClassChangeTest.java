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
        // every left and right image moved: the lower end of 40 of 40's interval, 0.94, far above the veto's 0.5
        assertThat(DistanceAnalysis.classChange(clean, augmented, labels)).isGreaterThan(0.9).isLessThan(1.0);
        // without labels the classes are the clean predictions: the same here
        assertThat(DistanceAnalysis.classChange(clean, augmented, null)).isEqualTo(DistanceAnalysis.classChange(clean, augmented, labels));
    }

    @Test
    void theLargestOfTenNoisySharesDoesNotVetoATransformThatKeepsLabels() {
        // ten classes of 30 images, each moving 30% to 60% of them at random: as a flip's half-flipped images read, whose
        // share is doubled before the veto's 0.5, a class at 33% would veto on its raw share; its Wilson bound does not
        int n = 300;
        int[] clean = new int[n];
        int[] augmented = new int[n];
        int[] labels = new int[n];
        java.util.Random r = new java.util.Random(3);
        for (int c = 0; c < 10; c++) {
            fill(clean, augmented, labels, 30 * c, 30, c, 0, c);
            for (int i = 30 * c; i < 30 * c + 30; i++) {
                augmented[i] = r.nextDouble() < 0.15 ? (c + 1) % 10 : c; // a flip moving 15% of all, 30% of those it flips
            }
        }
        double share = DistanceAnalysis.classChange(clean, augmented, labels);
        assertThat(share / 0.5).as("the flip's share as the veto reads it").isLessThan(0.5);
        assertThat(DistanceAnalysis.wilsonLower(30, 60)).isCloseTo(0.396, org.assertj.core.data.Offset.offset(0.01));
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
