package dev.hone.data.segmentation;

import static dev.hone.data.segmentation.MaskFiles.box;
import static dev.hone.data.segmentation.MaskFiles.image;
import static dev.hone.data.segmentation.MaskFiles.save;
import static dev.hone.data.segmentation.MaskFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.DataBundle;
import dev.hone.data.DatasetResolver;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.SkippedFiles.Reason;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatasetResolver} finds segmentation data in every layout, for --data and --test. */
class SegmentationResolveTest {
    @TempDir Path dir;

    /** A segmentation folder of {@code n} images of {@code side x side}, masks of classes 0-2. */
    private Path folder(Path root, int n, int side) {
        for (int i = 0; i < n; i++) {
            save(image(side, side, 10 * i), "png", root.resolve("images/" + i + ".png"));
            save(MaskFiles.grey(box(side, side, 0, 0, side / 2, 0, side / 2, 1 + i % 2)), "png", root.resolve("masks/" + i + ".png"));
        }
        return root;
    }

    @Test
    void aFolderWithImagesAndMasksGivesASegmentationTrainingSet() {
        folder(dir, 4, 6);
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.train().segmentation()).isTrue();
        assertThat(bundle.train().size()).isEqualTo(4);
        assertThat(bundle.test()).isNull();
        assertThat(bundle.format()).isEqualTo(new ImageFormat(1, 6, 6));
        assertThat(bundle.train().classNames()).containsExactly("class 0", "class 1", "class 2");
    }

    @Test
    void trainAndValSplitsShareTheClassFileAndTheTrainingFormat() {
        folder(dir.resolve("train"), 4, 8);
        folder(dir.resolve("val"), 2, 16);
        text(dir.resolve("classes.txt"), "background\ncat\ndog\n");
        text(dir.resolve("README.md"), "r");

        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);

        assertThat(bundle.train().segmentation()).isTrue();
        assertThat(bundle.test().segmentation()).isTrue();
        assertThat(bundle.train().classNames()).containsExactly("background", "cat", "dog");
        assertThat(bundle.test().classNames()).isEqualTo(bundle.train().classNames());
        assertThat(ImageFormat.of(bundle.test())).isEqualTo(new ImageFormat(1, 8, 8));
        assertThat(bundle.test().masks()).hasSize(2 * 64);
        assertThat(bundle.testSource()).endsWith("val");
        assertThat(bundle.trainSkipped().total()).isEqualTo(1);
        assertThat(bundle.trainSkipped().examples(Reason.UNSUPPORTED_FORMAT).get(0)).endsWith("README.md");
    }

    @Test
    void aTrainSplitAloneIsHeldOutFrom() {
        folder(dir.resolve("train"), 3, 4);
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.train().segmentation()).isTrue();
        assertThat(bundle.test()).isNull();
    }

    @Test
    void aTestSplitWithoutMasksIsRefused() {
        folder(dir.resolve("train"), 3, 4);
        save(image(4, 4, 0), "png", dir.resolve("test/cat/1.png"));
        assertThatThrownBy(() -> DatasetResolver.resolve(dir.toString(), null, null))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("train/ holds images/ and masks/ but test/ does not")
                .hasMessageContaining(dir.resolve("test").toString());
    }

    @Test
    void aCsvManifestOfImagesAndMasks() {
        folder(dir, 2, 4);
        Path csv = text(dir.resolve("seg.csv"), "image,mask\nimages/0.png,masks/0.png\nimages/1.png,masks/1.png\n");
        DataBundle bundle = DatasetResolver.resolve(csv.toString(), null, null);
        assertThat(bundle.train().segmentation()).isTrue();
        assertThat(bundle.train().size()).isEqualTo(2);
    }

    @Test
    void aSeparateTestFolderOrManifestIsConformedToTheTrainingSet() {
        Path train = folder(dir.resolve("a"), 3, 8);
        Path test = folder(dir.resolve("b"), 2, 12);
        DataBundle bundle = DatasetResolver.resolve(train.toString(), test.toString(), null);
        assertThat(bundle.test().segmentation()).isTrue();
        assertThat(ImageFormat.of(bundle.test())).isEqualTo(new ImageFormat(1, 8, 8));
        assertThat(bundle.test().classNames()).isEqualTo(bundle.train().classNames());

        Path csv = text(dir.resolve("b/test.csv"), "image,mask\nimages/0.png,masks/0.png\n");
        DataBundle fromCsv = DatasetResolver.resolve(train.toString(), csv.toString(), null);
        assertThat(fromCsv.test().segmentation()).isTrue();
        assertThat(fromCsv.test().size()).isEqualTo(1);
    }

    @Test
    void theIgnoreIndexReachesTheReader() {
        save(image(4, 4, 0), "png", dir.resolve("images/a.png"));
        int[][] m = box(4, 4, 0, 0, 2, 0, 2, 1);
        m[3][3] = 7;
        save(MaskFiles.grey(m), "png", dir.resolve("masks/a.png"));
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null, null, false, 7);
        assertThat(bundle.train().numClasses()).isEqualTo(2);
        assertThat(bundle.train().masks()[15] & 0xFF).isEqualTo(ImageSet.IGNORE);
    }

    @Test
    void segmentationAndClassificationDataDoNotMix() {
        Path seg = folder(dir.resolve("seg"), 2, 4);
        Path cls = dir.resolve("cls");
        save(image(4, 4, 0), "png", cls.resolve("cat/1.png"));
        save(image(4, 4, 9), "png", cls.resolve("dog/1.png"));

        assertThatThrownBy(() -> DatasetResolver.resolve(seg.toString(), cls.toString(), null))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("--data is segmentation data (images with masks) but --test is a folder without");
        assertThatThrownBy(() -> DatasetResolver.resolve(cls.toString(), seg.toString(), null))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("--test holds segmentation data (images with masks) but --data is classification data");
    }

    @Test
    void theBundleCarriesTheWarningOfClassesWithoutPixels() {
        save(image(6, 8, 0), "png", dir.resolve("images/a.png"));
        int[][] mask = box(6, 8, 0, 1, 4, 2, 6, 1);
        mask[5][7] = 4;
        save(MaskFiles.grey(mask), "png", dir.resolve("masks/a.png"));
        DataBundle bundle = DatasetResolver.resolve(dir.toString(), null, null);
        assertThat(bundle.warnings()).singleElement().asString().contains("the values 2, 3,");
        assertThat(bundle.withSets(bundle.train(), null).warnings()).isEqualTo(bundle.warnings());
    }
}
