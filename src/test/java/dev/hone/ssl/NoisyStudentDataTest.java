package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.unlabeled.UnlabeledImages;
import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.train.SyntheticData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoisyStudentDataTest {
    @TempDir
    Path tmp;

    private UnlabeledSet unlabeled(ImageSet labeled) {
        Path dir = SyntheticData.folder(tmp.resolve("u"), 2, labeled.height(), 9); // 6 images
        return UnlabeledImages.read(dir, ImageFormat.of(labeled), List.of());
    }

    @Test
    void labeledCopiesMakeAtLeastTheShare() {
        assertThat(NoisyStudentData.labeledCopies(10, 300, 0.25)).isEqualTo(10); // 100 labeled of 400
        assertThat(NoisyStudentData.labeledCopies(10, 5, 0.25)).isEqualTo(1);
        assertThatThrownBy(() -> NoisyStudentData.labeledCopies(0, 5, 0.25)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSingleLabelStudentSetIsTheLabeledCopiesThenThePseudoLabeledImages() {
        ImageSet labeled = SyntheticData.set(1, 4, 1); // 3 images, classes 0, 1, 2
        UnlabeledSet u = unlabeled(labeled);
        ImageSet s = NoisyStudentData.combine(labeled, 2, u, new int[] {5, 0, 5}, new int[] {2, 1, 2});
        assertThat(s.size()).isEqualTo(9);
        assertThat(s.labels()).containsExactly(0, 1, 2, 0, 1, 2, 2, 1, 2);
        int bytes = labeled.imageBytes();
        assertThat(Arrays.copyOfRange(s.pixels(), 3 * bytes, 6 * bytes)).isEqualTo(labeled.pixels());
        assertThat(Arrays.copyOfRange(s.pixels(), 6 * bytes, 7 * bytes)).isEqualTo(Arrays.copyOfRange(u.pixels(), 5 * bytes, 6 * bytes));
        assertThat(s.source(7)).endsWith("(pseudo-label)");
        assertThatThrownBy(() -> NoisyStudentData.combine(labeled.withMultiHot(new byte[9]), 1, u, new int[0], new int[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("combineMultiLabel");
    }

    @Test
    void aMultiLabelStudentSetCarriesTheLabelSetsOfBoth() {
        ImageSet labeled = SyntheticData.set(1, 4, 1).withMultiHot(new byte[] {1, 0, 1, 0, 1, 0, 1, 1, 1});
        UnlabeledSet u = unlabeled(labeled);
        ImageSet s = NoisyStudentData.combineMultiLabel(labeled, 2, u, new int[] {4, 1}, new byte[] {0, 0, 1, 1, 1, 0});
        assertThat(s.multiLabel()).isTrue();
        assertThat(s.size()).isEqualTo(8);
        assertThat(s.multiHot()).containsExactly(1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0);
        int bytes = labeled.imageBytes();
        assertThat(Arrays.copyOfRange(s.pixels(), 7 * bytes, 8 * bytes)).isEqualTo(Arrays.copyOfRange(u.pixels(), bytes, 2 * bytes));
        assertThatThrownBy(() -> NoisyStudentData.combineMultiLabel(labeled, 1, u, new int[] {4}, new byte[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1x3");
        assertThatThrownBy(() -> NoisyStudentData.combineMultiLabel(SyntheticData.set(1, 4, 1), 1, u, new int[0], new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multi-label");
    }
}
