package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A one-image class named like a large one is reported as a likely mistyped label; balanced or distinct ones are not. */
class ClassNameTyposTest {
    private static ImageSet set(List<String> names, int... counts) {
        int n = java.util.Arrays.stream(counts).sum();
        int[] labels = new int[n];
        int i = 0;
        for (int k = 0; k < counts.length; k++) {
            for (int c = 0; c < counts[k]; c++) {
                labels[i++] = k;
            }
        }
        return new ImageSet(new byte[n * 4], labels, 1, 2, 2, names, j -> "img" + j + ".png");
    }

    @Test
    void aSwappedLetterInOneRowIsReported() {
        List<String> lines = ClassNameTypos.lines(set(List.of("sneaker", "trouser", "tshirt", "tshrit"), 40, 40, 40, 1),
                "data.csv");
        assertThat(lines).containsExactly("class 'tshrit' has 1 image, and its name is 1 edit from 'tshirt' (40 images): a"
                + " mistyped label? e.g. img120.png in data.csv. Fix: correct the label, or ignore this if 'tshrit' is a class of"
                + " its own");
    }

    @Test
    void caseAndAMissingLetterCountAsTypos() {
        assertThat(ClassNameTypos.lines(set(List.of("Cat", "dog", "cat"), 2, 50, 50), "d")).singleElement().asString()
                .startsWith("class 'Cat' has 2 images, and its name is 0 edits from 'cat'");
        assertThat(ClassNameTypos.lines(set(List.of("dg", "dog", "cat"), 1, 50, 50), "d")).singleElement().asString()
                .startsWith("class 'dg' has 1 image, and its name is 1 edit from 'dog'");
    }

    @Test
    void balancedSimilarNamesDistinctNamesAndSmallButNotTinyClassesAreNot() {
        // digits are one edit apart, but every class is large
        assertThat(ClassNameTypos.lines(set(List.of("0", "1", "2"), 30, 30, 30), "d")).isEmpty();
        // a rare class with a name of its own
        assertThat(ClassNameTypos.lines(set(List.of("okapi", "dog", "cat"), 1, 50, 50), "d")).isEmpty();
        // four images is more than a typo repeats
        assertThat(ClassNameTypos.lines(set(List.of("dogs", "dog", "cat"), 4, 50, 50), "d")).isEmpty();
        // numbered classes differ in their digits by design (a review's 60 classes 'class 00' to 'class 59')
        assertThat(ClassNameTypos.lines(set(List.of("class 00", "class 07", "class 17"), 40, 1, 2), "d")).isEmpty();
        assertThat(ClassNameTypos.lines(set(List.of("cat", "cat2"), 40, 1), "d")).isEmpty();
        // a similar class not ten times larger
        assertThat(ClassNameTypos.lines(set(List.of("dogs", "dog", "cat"), 2, 15, 50), "d")).isEmpty();
    }

    @Test
    void editDistanceCountsAnAdjacentSwapAsOne() {
        assertThat(ClassNameTypos.editDistance("tshirt", "tshrit")).isEqualTo(1);
        assertThat(ClassNameTypos.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(ClassNameTypos.editDistance("", "abc")).isEqualTo(3);
        assertThat(ClassNameTypos.editDistance("Bag", "bag")).isZero();
    }
}
