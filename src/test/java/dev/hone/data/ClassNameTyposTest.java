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
                .startsWith("classes 'Cat' (2 images) and 'cat' (50) differ only in case, so they train as two classes");
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
    void namesThatDifferOnlyInCaseAreReportedWhateverTheirCountsTheRarerNamed() {
        // a review's multi-label data: 'Green' on 6 images beside 'green' on 244, too many for the edit rule's 3
        assertThat(ClassNameTypos.lines(set(List.of("Green", "blue", "green"), 6, 200, 244), "d")).singleElement().asString()
                .startsWith("classes 'Green' (6 images) and 'green' (244) differ only in case");
        assertThat(ClassNameTypos.lines(set(List.of("Dog", "dog"), 30, 30), "d")).as("a tie names one of them, once")
                .singleElement().asString().startsWith("classes 'dog' (30 images) and 'Dog' (30)");
    }

    @Test
    void multiLabelClassesCountTheirPositives() {
        // 'gren' shows on one image, 'green' on 40: the label-set typo of a review
        int n = 41;
        byte[] hot = new byte[n * 3];
        for (int i = 0; i < 40; i++) {
            hot[i * 3 + 1] = 1; // green
            hot[i * 3] = (byte) (i % 2); // blue on half
        }
        hot[40 * 3 + 2] = 1; // gren
        ImageSet set = new ImageSet(new byte[n * 4], new int[n], 1, 2, 2, List.of("blue", "green", "gren"), j -> "img" + j + ".png")
                .withMultiHot(hot);
        assertThat(ClassNameTypos.lines(set, "m.csv")).singleElement().asString()
                .startsWith("class 'gren' has 1 image, and its name is 1 edit from 'green' (40 images): a mistyped label? e.g."
                        + " img40.png in m.csv");
    }

    @Test
    void theClosestKnownClassWithinTwoEdits() {
        assertThat(ClassNameTypos.closest("gren", List.of("blue", "green", "red"))).isEqualTo("green");
        assertThat(ClassNameTypos.closest("okapi", List.of("blue", "green", "red"))).isNull();
        assertThat(ClassNameTypos.closest("class 7", List.of("class 0", "class 1"))).as("numbered classes").isNull();
    }

    @Test
    void editDistanceCountsAnAdjacentSwapAsOne() {
        assertThat(ClassNameTypos.editDistance("tshirt", "tshrit")).isEqualTo(1);
        assertThat(ClassNameTypos.editDistance("kitten", "sitting")).isEqualTo(3);
        assertThat(ClassNameTypos.editDistance("", "abc")).isEqualTo(3);
        assertThat(ClassNameTypos.editDistance("Bag", "bag")).isZero();
    }
}
