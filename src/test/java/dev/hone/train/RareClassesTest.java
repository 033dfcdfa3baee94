package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A multi-label class on fewer images than the splits need is named with its files; one on enough images is not. */
class RareClassesTest {
    /** 40 images that all show 'Bag'; 'Unicorn' on the first {@code unicorns}, 'Shirt' on the first {@code shirts}. */
    private static ImageSet set(int unicorns, int shirts) {
        int n = 40;
        byte[] hot = new byte[n * 3];
        for (int i = 0; i < n; i++) {
            hot[i * 3] = 1;
            hot[i * 3 + 1] = (byte) (i < shirts ? 1 : 0);
            hot[i * 3 + 2] = (byte) (i < unicorns ? 1 : 0);
        }
        return new ImageSet(new byte[n * 4], new int[n], 1, 2, 2, List.of("Bag", "Shirt", "Unicorn"), i -> "img" + i + ".png")
                .withMultiHot(hot);
    }

    @Test
    void aClassOnOneImageIsNamedWithItsFile() {
        assertThat(RareClasses.warnings(set(1, 3), "once.csv", false)).containsExactly(
                "class 'Unicorn' labels only 1 image (img0.png in once.csv): it cannot be"
                + " validated or tested, since training, validation and test need one image each, so its threshold and"
                + " average precision mean nothing; add images or drop the label");
    }

    @Test
    void twoImagesAreEnoughOnlyWithAGivenTestSet() {
        assertThat(RareClasses.warnings(set(2, 3), "d.csv", false)).singleElement().asString()
                .startsWith("class 'Unicorn' labels only 2 images (img0.png, img1.png in d.csv): it cannot be both validated"
                        + " and tested");
        assertThat(RareClasses.warnings(set(2, 3), "d.csv", true)).isEmpty();
        assertThat(RareClasses.warnings(set(1, 3), "d.csv", true)).singleElement().asString()
                .contains("it cannot be validated, since training and validation need one image each");
    }

    @Test
    void threeImagesReachTrainingValidationAndTest() {
        ImageSet pool = set(0, 3);
        assertThat(RareClasses.warnings(pool, "d.csv", false)).isEmpty();
        // the threshold's premise: the split gives a class of 3 images one in each part
        Splits.Split test = Splits.stratified(pool, 0.1, 42, "test");
        ImageSet rest = pool.subset(test.kept());
        Splits.Split validation = Splits.stratified(rest, 0.1, 42, "validation");
        assertThat(pool.subset(test.held()).classCounts()[1]).isEqualTo(1);
        assertThat(rest.subset(validation.held()).classCounts()[1]).isEqualTo(1);
        assertThat(rest.subset(validation.kept()).classCounts()[1]).isEqualTo(1);
    }

    @Test
    void singleLabelSetsAreLeftToTheirOwnChecks() {
        ImageSet single = new ImageSet(new byte[3 * 4], new int[] {0, 0, 1}, 1, 2, 2, List.of("a", "b"), i -> "x.png");
        assertThat(RareClasses.warnings(single, "d", false)).isEmpty();
    }

    @Test
    void aClassWithNoTrainingImageIsNamedForTheRecord() {
        assertThat(RareClasses.absentFromTraining(set(0, 3))).containsExactly("the training split has no positive example of"
                + " [Unicorn]: the model cannot learn it; add images showing it");
        assertThat(RareClasses.absentFromTraining(set(1, 3))).isEmpty();
    }
}
