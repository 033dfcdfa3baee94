package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.SingleLabel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The task inferred from the data, or fixed by --task and --positive, with the errors of issue 9. */
class TaskChoiceTest {

    private static ImageSet set(List<String> classes, int... labels) {
        return new ImageSet(new byte[labels.length], labels, 1, 1, 1, classes, i -> "img" + i);
    }

    @Test
    void twoClassesAreBinaryWithTheRarerClassPositive() {
        TaskChoice c = TaskChoice.of(null, null, set(List.of("other", "shirt"), 0, 0, 0, 1), "data");
        assertThat(c.task()).isInstanceOf(Binary.class);
        assertThat(((Binary) c.task()).positive()).isEqualTo(1);
        assertThat(c.decision().origin()).isEqualTo(Origin.DERIVED);
        assertThat(c.decision().rationale()).contains("'shirt'").contains("rarer");
        assertThat(c.decision().evidence()).containsEntry("positive", "shirt");
    }

    @Test
    void positiveNamesTheClass() {
        TaskChoice c = TaskChoice.of(null, "other", set(List.of("other", "shirt"), 0, 0, 0, 1), "data");
        assertThat(((Binary) c.task()).positive()).isEqualTo(0);
        assertThat(c.decision().rationale()).contains("--positive");
    }

    @Test
    void threeClassesAreSingleLabel() {
        TaskChoice c = TaskChoice.of(null, null, set(List.of("a", "b", "c"), 0, 1, 2), "data");
        assertThat(c.task()).isSameAs(SingleLabel.INSTANCE);
    }

    @Test
    void labelSetsAreMultiLabel() {
        ImageSet sets = set(List.of("a", "b"), 0, 0).withMultiHot(new byte[] {1, 1, 0, 0});
        TaskChoice c = TaskChoice.of(null, null, sets, "data");
        assertThat(c.task()).isInstanceOf(MultiLabel.class);
        assertThat(c.decision().value()).isEqualTo("multi-label");
    }

    @Test
    void singleLabelDataCanTrainAsMultiLabel() {
        TaskChoice c = TaskChoice.of("multi-label", null, set(List.of("a", "b", "c"), 2, 0), "data");
        assertThat(c.data().multiLabel()).isTrue();
        assertThat(c.data().multiHot()).containsExactly(0, 0, 1, 1, 0, 0);
        assertThat(c.decision().origin()).isEqualTo(Origin.USER);
    }

    @Test
    void twoClassesCanStaySingleLabel() {
        assertThat(TaskChoice.of("single-label", null, set(List.of("a", "b"), 0, 1), "data").task()).isSameAs(SingleLabel.INSTANCE);
    }

    @Test
    void binaryOnThreeClassesIsRefusedNamingTheData() {
        assertThatThrownBy(() -> TaskChoice.of("binary", null, set(List.of("a", "b", "c"), 0, 1, 2), "/data/three"))
                .isInstanceOf(HoneException.class).hasMessageContaining("/data/three").hasMessageContaining("3")
                .hasMessageContaining("Fix:");
    }

    @Test
    void anUnknownPositiveClassIsRefusedWithTheClasses() {
        assertThatThrownBy(() -> TaskChoice.of(null, "dog", set(List.of("other", "shirt"), 0, 1), "/data/two"))
                .isInstanceOf(HoneException.class).hasMessageContaining("'dog'").hasMessageContaining("[other, shirt]");
    }

    @Test
    void positiveWithoutABinaryTaskIsRefused() {
        assertThatThrownBy(() -> TaskChoice.of(null, "a", set(List.of("a", "b", "c"), 0, 1, 2), "data"))
                .isInstanceOf(HoneException.class).hasMessageContaining("binary");
    }

    @Test
    void anUnknownTaskIsRefused() {
        assertThatThrownBy(() -> TaskChoice.of("keypoints", null, set(List.of("a", "b"), 0, 1), "data"))
                .isInstanceOf(HoneException.class).hasMessageContaining("single-label").hasMessageContaining("detection");
    }

    @Test
    void detectionNeedsBoxes() {
        assertThatThrownBy(() -> TaskChoice.of("detection", null, set(List.of("a", "b"), 0, 1), "data"))
                .isInstanceOf(HoneException.class).hasMessageContaining("needs boxes").hasMessageContaining("COCO");
    }

    @Test
    void labelSetsCannotTrainAsSingleLabelUnlessEachIsOneClass() {
        ImageSet sets = set(List.of("a", "b"), 0, 0).withMultiHot(new byte[] {1, 1, 0, 0});
        assertThatThrownBy(() -> TaskChoice.of("single-label", null, sets, "m.csv"))
                .isInstanceOf(HoneException.class).hasMessageContaining("m.csv")
                .hasMessageContaining("2 of the 2 images have no label or several, but --task single-label has one class per image");
        // sets of one class each, from a path,labels file: one label per image
        ImageSet ones = set(List.of("a", "b"), 0, 0, 0).withMultiHot(new byte[] {0, 1, 1, 0, 0, 1});
        TaskChoice binary = TaskChoice.of("binary", null, ones, "m.csv");
        assertThat(binary.task()).isInstanceOf(dev.hone.tasks.Binary.class);
        assertThat(binary.data().multiLabel()).isFalse();
        assertThat(binary.data().labels()).containsExactly(1, 0, 1);
        assertThat(binary.conform(ones).multiLabel()).as("a test set of such sets too").isFalse();
        assertThat(((dev.hone.tasks.Binary) TaskChoice.of("binary", "a", ones, "m.csv").task()).positive()).isZero();
        assertThatThrownBy(() -> TaskChoice.of("binary", null, sets, "m.csv")).hasMessageContaining("or drop --task binary");
    }
}
