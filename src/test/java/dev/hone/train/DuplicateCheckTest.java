package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.record.Origin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DuplicateCheckTest {

    /** 1x1 grey images: image i has pixel value {@code values[i]} and label {@code labels[i]}. */
    private static ImageSet set(String split, int[] values, int[] labels) {
        byte[] px = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            px[i] = (byte) values[i];
        }
        return new ImageSet(px, labels, 1, 1, 1, List.of("a", "b"), i -> split + "/" + i + ".png");
    }

    // train 10 20 30 40 20; validation 20 50; test 30 60 50 10 (test 0 and 3 copy train, test 2 copies validation)
    private final ImageSet train = set("train", new int[] {10, 20, 30, 40, 20}, new int[] {0, 0, 1, 1, 0});
    private final ImageSet validation = set("val", new int[] {20, 50}, new int[] {0, 1});
    private final ImageSet test = set("test", new int[] {30, 60, 50, 10}, new int[] {1, 0, 1, 1});

    @Test
    void copiesOfTrainingOrValidationImagesLeaveValidationAndTest() {
        DuplicateCheck.Outcome o = DuplicateCheck.apply(train, validation, test, "test/", false);
        DuplicateCheck c = o.check();

        assertThat(c.validationInTrain().count()).isEqualTo(1);
        assertThat(c.testInTrain().count()).isEqualTo(2);
        assertThat(c.testInTrain().differentLabel()).isEqualTo(1); // test/3.png is b, train/0.png is a
        assertThat(c.testInValidation().count()).isEqualTo(1);
        assertThat(c.withinTrain().count()).isEqualTo(1);
        assertThat(c.testInTrain().examples()).containsExactly(Map.of("train", "train/2.png", "test", "test/0.png"),
                Map.of("train", "train/0.png", "test", "test/3.png"));
        assertThat(c.withinTrain().examples()).containsExactly(Map.of("original", "train/1.png", "copy", "train/4.png"));

        assertThat(o.validation().size()).isEqualTo(1);
        assertThat(o.validation().source(0)).isEqualTo("val/1.png");
        assertThat(o.test().size()).isEqualTo(1);
        assertThat(o.test().source(0)).isEqualTo("test/1.png");
        assertThat(c.droppedFromValidation()).isEqualTo(1);
        assertThat(c.droppedFromTest()).isEqualTo(3);

        assertThat(c.warnings()).hasSize(5);
        assertThat(c.warnings().get(1)).startsWith("2 test images are exact copies of training images (e.g. "
                + "train/2.png = test/0.png), 1 of them under another label; dropped from test");
        assertThat(c.warnings().get(3)).contains("1 training image repeats another").contains("kept");
        assertThat(c.warnings().get(4)).isEqualTo("1 test image is identical to a training image but carries a "
                + "contradictory label: the same picture is in two classes, e.g. train/0.png (class 'a') = test/3.png "
                + "(class 'b'), so the model is taught two answers for one picture. Fix: remove the mislabelled copy from "
                + "the data (keep the one in its right class folder or manifest row)");
        assertThat(c.decision()).get().satisfies(d -> {
            assertThat(d.origin()).isEqualTo(Origin.DERIVED);
            assertThat(d.value()).isEqualTo("dropped 1 from validation, 3 from test");
        });
        Map<String, Object> data = c.describe();
        assertThat(data).containsEntry("droppedFromTest", 3).containsEntry("kept", false);
        assertThat(data.get("trainTest")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("copies", 2);
        assertThat(data.get("withinTrain")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("copies", 1);
    }

    @Test
    void keepDuplicatesKeepsThemAndStillWarns() {
        DuplicateCheck.Outcome o = DuplicateCheck.apply(train, validation, test, "test/", true);

        assertThat(o.validation()).isSameAs(validation);
        assertThat(o.test()).isSameAs(test);
        assertThat(o.check().droppedFromTest()).isZero();
        assertThat(o.check().testInTrain().count()).isEqualTo(2);
        assertThat(o.check().warnings().get(1)).contains("kept because of --keep-duplicates");
        assertThat(o.check().decision()).get().extracting(d -> d.origin()).isEqualTo(Origin.USER);
    }

    @Test
    void noCopiesNoDecisionAndNothingDropped() {
        ImageSet other = set("test", new int[] {1, 2}, new int[] {0, 1});
        DuplicateCheck.Outcome o = DuplicateCheck.apply(train, set("val", new int[] {3}, new int[] {0}), other, "t", false);
        assertThat(o.check().leaks()).isFalse();
        assertThat(o.check().decision()).isEmpty();
        assertThat(o.test().size()).isEqualTo(2);
    }

    @Test
    void aTestSetOfOnlyCopiesIsRefusedWithTheFix() {
        ImageSet copies = set("test", new int[] {10, 40}, new int[] {0, 1});
        assertThatThrownBy(() -> DuplicateCheck.apply(train, validation, copies, "data/test", false))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("all 2 test images of data/test are exact copies")
                .hasMessageContaining("train/0.png = test/0.png")
                .hasMessageContaining("Fix:").hasMessageContaining("--keep-duplicates");
        assertThatThrownBy(() -> DuplicateCheck.apply(train, set("val", new int[] {30}, new int[] {1}), test, "t", false))
                .isInstanceOf(HoneException.class).hasMessageContaining("all 1 validation images")
                .hasMessageContaining("--keep-duplicates");
    }

    /** Six images leave validation empty before any copy is found: that is not this check's error. */
    @Test
    void anEmptyValidationSetIsNotAnError() {
        ImageSet empty = set("val", new int[0], new int[0]);
        assertThat(DuplicateCheck.apply(train, empty, test, "t", false).validation().size()).isZero();
    }

    @Test
    void identicalTrainingImagesInTwoClassesAreCalledContradictoryWithAPairAndBothClasses() {
        // train: 10 (a), 20 (a), 10 (b), 20 (b), 30 (a), 30 (a): two contradictory pairs, one plain repeat
        ImageSet mixed = set("train", new int[] {10, 20, 10, 20, 30, 30}, new int[] {0, 0, 1, 1, 0, 0});
        DuplicateCheck c = DuplicateCheck.apply(mixed, set("val", new int[] {1}, new int[] {0}),
                set("test", new int[] {2}, new int[] {1}), "t", false).check();

        assertThat(c.withinTrain().count()).isEqualTo(3);
        assertThat(c.withinTrain().differentLabel()).isEqualTo(2);
        assertThat(c.warnings()).containsExactly(
                "1 training image repeats another training image under the same label (e.g. train/4.png = train/5.png);"
                        + " kept, they weigh more in training",
                "2 pairs of identical training images carry contradictory labels: the same picture is in two classes,"
                        + " e.g. train/0.png (class 'a') = train/2.png (class 'b'), so the model is taught two answers for"
                        + " one picture. Fix: remove the mislabelled copy from the data (keep the one in its right class"
                        + " folder or manifest row)");
        assertThat(c.describe().get("withinTrain")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("differentLabel", 2)
                .containsEntry("contradictoryExample", "train/0.png (class 'a') = train/2.png (class 'b')");
    }

    @Test
    void identicalMultiLabelImagesWithAnotherLabelSetAreContradictory() {
        // train: 10 {a, b}, 10 {a}, 20 {b}, 20 {b}: one contradictory pair, one plain repeat
        ImageSet sets = set("train", new int[] {10, 10, 20, 20}, new int[] {0, 0, 1, 1})
                .withMultiHot(new byte[] {1, 1, 1, 0, 0, 1, 0, 1});
        DuplicateCheck c = DuplicateCheck.apply(sets, set("val", new int[] {1}, new int[] {0}),
                set("test", new int[] {2}, new int[] {1}), "t", false).check();

        assertThat(c.withinTrain().count()).isEqualTo(2);
        assertThat(c.withinTrain().differentLabel()).isEqualTo(1);
        assertThat(c.warnings()).hasSize(2).element(1).asString()
                .contains("train/0.png (labels 'a;b') = train/1.png (labels 'a')");
    }
}
