package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX labels that skip values (only 0 and 9) make one class per label present, in both splits. */
class IdxLabelsPresentTest {
    @TempDir Path dir;

    private Path idx(int[] train, int[] test) {
        TestImages.writeIdxImages(dir.resolve("train-images-idx3-ubyte"), train.length, 4, 4, false);
        TestImages.writeIdxLabels(dir.resolve("train-labels-idx1-ubyte"), train, false);
        if (test != null) {
            TestImages.writeIdxImages(dir.resolve("t10k-images-idx3-ubyte"), test.length, 4, 4, false);
            TestImages.writeIdxLabels(dir.resolve("t10k-labels-idx1-ubyte"), test, false);
        }
        return dir;
    }

    @Test
    void labelsZeroAndNineBecomeTwoClassesNamedByTheirValues() {
        DataBundle bundle = DatasetResolver.resolve(idx(new int[] {0, 9, 9, 0, 9}, new int[] {9, 0}).toString(), null, null);
        assertThat(bundle.train().classNames()).containsExactly("0", "9");
        assertThat(bundle.train().labels()).containsExactly(0, 1, 1, 0, 1);
        assertThat(bundle.train().classCounts()).containsExactly(2, 3);
        assertThat(bundle.test().classNames()).containsExactly("0", "9");
        assertThat(bundle.test().labels()).containsExactly(1, 0);
    }

    @Test
    void classesTxtNamesThePresentLabelsByTheirLine() {
        idx(new int[] {3, 1, 3}, new int[] {1});
        TestImages.write(dir.resolve("classes.txt"), "a\nb\nc\nd\ne\n".getBytes(), false);
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.train().classNames()).containsExactly("b", "d");
        assertThat(bundle.train().labels()).containsExactly(1, 0, 1);
        assertThat(bundle.test().labels()).containsExactly(0);
    }

    @Test
    void contiguousLabelsKeepTheirNumbers() {
        ImageSet set = IdxFolder.load(idx(new int[] {2, 0, 1}, null), "train", null);
        assertThat(set.classNames()).containsExactly("0", "1", "2");
        assertThat(set.labels()).containsExactly(2, 0, 1);
    }

    @Test
    void aTestLabelTheTrainingSplitLacksIsNamed() {
        idx(new int[] {0, 9}, new int[] {0, 3});
        assertThatThrownBy(() -> DatasetResolver.resolve(dir.toString(), null, null))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("label 3 (\"3\")").hasMessageContaining("[0, 9]")
                .hasMessageContaining("t10k-labels-idx1-ubyte").hasMessageContaining("Fix");
    }

    @Test
    void classesTxtShorterThanTheLargestLabelIsRefused() {
        idx(new int[] {0, 9}, null);
        TestImages.write(dir.resolve("classes.txt"), "a\nb\n".getBytes(), false);
        assertThatThrownBy(() -> DatasetResolver.resolve(dir.toString(), null, null))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("names 2 classes but the labels").hasMessageContaining("go up to 9");
    }

    @Test
    void givenNamesThatAreNotLabelNamesMapByValue() {
        // a named data set: its class list is passed in, the folder has no classes.txt
        ImageSet set = IdxFolder.load(idx(new int[] {0, 9}, null), "train",
                List.of("t", "u", "v", "w", "x", "y", "z", "s", "r", "q"));
        assertThat(set.labels()).containsExactly(0, 9);
        assertThat(set.classNames()).hasSize(10);
    }

    @Test
    void theShippedSampleKeepsItsTenNamedClassesInBothSplits() {
        DataBundle bundle = DatasetResolver.resolve("data/fashion-mnist-sample", null, null);
        assertThat(bundle.train().classNames()).hasSize(10).startsWith("T-shirt/top", "Trouser");
        assertThat(bundle.test().classNames()).isEqualTo(bundle.train().classNames());
        assertThat(java.util.Arrays.stream(bundle.test().classCounts()).min().orElse(0)).isPositive();
    }
}
