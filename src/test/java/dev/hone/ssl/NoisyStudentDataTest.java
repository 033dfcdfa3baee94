package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.tasks.Binary;
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
    void softPseudoLabelsAreTheTeachersDistributionsAndTheLabeledImagesOneHot() {
        ImageSet labeled = SyntheticData.set(1, 4, 1); // 3 images, classes 0, 1, 2
        UnlabeledSet u = unlabeled(labeled);
        float[][] teacher = {{0.1f, 0.2f, 0.7f}, {0.3f, 0.6f, 0.1f}};
        ImageSet s = NoisyStudentData.combineSoft(labeled, 2, u, new int[] {5, 0}, new int[] {2, 1}, teacher);
        assertThat(s.labels()).containsExactly(0, 1, 2, 0, 1, 2, 2, 1);
        assertThat(s.softTargets()).containsExactly(1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1,
                0.1f, 0.2f, 0.7f, 0.3f, 0.6f, 0.1f);
        // a subset keeps each image's row, so the batches' targets follow their images
        assertThat(s.subset(new int[] {7, 0}).softTargets()).containsExactly(0.3f, 0.6f, 0.1f, 1, 0, 0);
        assertThatThrownBy(() -> NoisyStudentData.combineSoft(labeled, 1, u, new int[] {5}, new int[] {2}, new float[][] {{0.5f, 0.6f, 0}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sum to");
        assertThatThrownBy(() -> NoisyStudentData.combineSoft(labeled, 1, u, new int[] {5}, new int[] {2}, new float[0][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target rows");
        assertThatThrownBy(() -> labeled.withMultiHot(new byte[9]).withSoftTargets(new float[9]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("single-label");
    }

    @Test
    void theLoopTrainsOnTheSoftRowsAndABinaryTaskOnThePositiveColumn() {
        ImageSet labeled = SyntheticData.set(1, 4, 1);
        UnlabeledSet u = unlabeled(labeled);
        ImageSet s = NoisyStudentData.combineSoft(labeled, 1, u, new int[] {3}, new int[] {2}, new float[][] {{0.1f, 0.2f, 0.7f}});
        try (ResidentDataset data = new ResidentDataset(s, Normalization.of(s), Device.cpu());
                NDManager batches = NDManager.newBaseManager(Device.cpu())) {
            ResidentDataset.Batch b = data.batch(new int[] {3, 1}, 0, 2, batches);
            assertThat(data.targets(b).toFloatArray()).containsExactly(0.1f, 0.2f, 0.7f, 0, 1, 0);
            assertThat(b.labels().toLongArray()).containsExactly(2, 1); // training accuracy reads the classes
            assertThat(data.targets(data.range(0, 1, batches)).toFloatArray()).containsExactly(1, 0, 0);
        }
        ImageSet first = labeled.subset(new int[] {0, 1}); // classes 0 and 1, as a binary set
        ImageSet pair = new ImageSet(first.pixels(), first.labels(), 1, 4, 4, List.of("no", "yes"), first::source);
        ImageSet two = NoisyStudentData.combineSoft(pair, 1, u, new int[] {3}, new int[] {1}, new float[][] {{0.25f, 0.75f}});
        try (ResidentDataset data = new ResidentDataset(two, Normalization.of(two), Device.cpu(), Binary.of(1));
                NDManager batches = NDManager.newBaseManager(Device.cpu())) {
            assertThat(data.targets(data.range(0, 3, batches)).toFloatArray()).containsExactly(0, 1, 0.75f);
        }
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
