package dev.hone.data.detection;

import static dev.hone.data.detection.DetectionFiles.png;
import static dev.hone.data.detection.DetectionFiles.text;
import static dev.hone.data.detection.DetectionFiles.vocObject;
import static dev.hone.data.detection.DetectionFiles.vocXml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.DataBundle;
import dev.hone.data.DatasetResolver;
import dev.hone.data.ImageFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DatasetResolver} finds detection data in every format, for --data and --test, and refuses mixed tasks. */
class DetectionResolveTest {
    @TempDir Path dir;

    private Path yolo(Path root, int n, int side) {
        for (int i = 0; i < n; i++) {
            png(root.resolve("images/" + i + ".png"), side, side);
            text(root.resolve("labels/" + i + ".txt"), (i % 2) + " 0.5 0.5 0.5 0.5\n");
        }
        return root;
    }

    private Path coco(Path folder, String categories) {
        png(folder.resolve("a.png"), 20, 20);
        return text(folder.resolve("_annotations.coco.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\"}],"
                + "\"annotations\": [{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 10, 10]}], \"categories\": " + categories + "}");
    }

    private Path classification(Path root) {
        png(root.resolve("cat/a.png"), 8, 8);
        png(root.resolve("dog/b.png"), 8, 8);
        return root;
    }

    private DataBundle resolve(Path data, Path test) {
        return DatasetResolver.resolve(data.toString(), test == null ? null : test.toString(), null);
    }

    @Test
    void aJsonFileIsCoco() {
        Path json = coco(dir.resolve("train"), "[{\"id\": 1, \"name\": \"cat\"}]");
        DataBundle bundle = resolve(json, null);
        assertThat(bundle.train().detection()).isTrue();
        assertThat(bundle.test()).isNull();
        assertThat(bundle.train().boxes()[0]).containsExactly(0, 0, 0, 10, 10, 0);
    }

    @Test
    void aJsonFileThatIsNotCocoSaysWhatItLacks() {
        Path json = text(dir.resolve("data.json"), "{}");
        assertThatThrownBy(() -> resolve(json, null)).isInstanceOf(HoneException.class)
                .hasMessageContaining("the COCO file has no \"images\" array: " + json)
                .hasMessageContaining("Fix: pass a COCO object-detection file");
    }

    @Test
    void imagesOptionAppliesToACocoFileOnly() {
        png(dir.resolve("pictures/a.png"), 20, 20);
        Path json = text(dir.resolve("annotations/train.json"), "{\"images\": [{\"id\": 1, \"file_name\": \"a.png\"}],"
                + "\"annotations\": [{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 4, 4]}],"
                + " \"categories\": [{\"id\": 1, \"name\": \"cat\"}]}");
        DataBundle bundle = DatasetResolver.resolve(json.toString(), null, null, null, false, 255, dir.resolve("pictures"));
        assertThat(bundle.train().size()).isEqualTo(1);
        Path folder = yolo(dir.resolve("y"), 2, 8);
        assertThatThrownBy(() -> DatasetResolver.resolve(folder.toString(), null, null, null, false, 255, dir.resolve("pictures")))
                .isInstanceOf(HoneException.class).hasMessageContaining("--data is not a .json file")
                .hasMessageContaining("drop --images");
    }

    @Test
    void aFolderWithAnnotationsIsVocAndItsTestListTheTestSet() {
        Path voc = dir.resolve("VOC2007");
        for (String id : new String[] {"a", "b", "c"}) {
            png(voc.resolve("JPEGImages/" + id + ".png"), 16, 12);
            text(voc.resolve("Annotations/" + id + ".xml"), vocXml(id + ".png", 16, 12, vocObject("cat", false, 1, 1, 8, 6)));
        }
        text(voc.resolve("ImageSets/Main/trainval.txt"), "a\nb\n");
        text(voc.resolve("ImageSets/Main/test.txt"), "c\n");
        DataBundle bundle = resolve(voc, null);
        assertThat(bundle.train().size()).isEqualTo(2);
        assertThat(bundle.test().size()).isEqualTo(1);
        assertThat(bundle.test().detection()).isTrue();

        Path json = coco(dir.resolve("coco"), "[{\"id\": 1, \"name\": \"cat\"}]");
        DataBundle withTest = resolve(voc, json);
        assertThat(withTest.train().size()).isEqualTo(2);
        assertThat(withTest.test().size()).isEqualTo(1);
        assertThat(withTest.testSource()).isEqualTo(json.toString());
        assertThat(ImageFormat.of(withTest.test())).isEqualTo(new ImageFormat(1, 12, 16));
        assertThat(withTest.test().boxes()[0]).containsExactly(0, 0, 0, 8, 6, 0); // 20x20 stretched to 16x12
    }

    @Test
    void yoloSplitFoldersShareTheirDataYaml() {
        yolo(dir.resolve("train"), 4, 8);
        yolo(dir.resolve("valid"), 2, 16);
        text(dir.resolve("data.yaml"), "names: [cat, dog]\n");
        DataBundle bundle = resolve(dir, null);
        assertThat(bundle.train().classNames()).containsExactly("cat", "dog");
        assertThat(bundle.test().size()).isEqualTo(2);
        assertThat(ImageFormat.of(bundle.test())).isEqualTo(new ImageFormat(1, 8, 8));
        assertThat(bundle.test().boxes()[1]).containsExactly(1, 2, 2, 6, 6, 0);
        assertThat(bundle.trainSkipped().total()).isZero(); // data.yaml is read, not skipped
    }

    @Test
    void ultralyticsLayoutSplitsImagesAndLabelsByTheirSubfolders() {
        for (String split : new String[] {"train2017", "val2017"}) {
            for (int i = 0; i < 3; i++) {
                png(dir.resolve("images/" + split + "/" + i + ".png"), 8, 8);
                text(dir.resolve("labels/" + split + "/" + i + ".txt"), "1 0.5 0.5 0.5 0.5\n");
            }
        }
        png(dir.resolve("images/val2017/negative.png"), 8, 8);
        text(dir.resolve("data.yaml"), "names: [cat, dog]\n");
        Path train = dir.resolve("images/train");
        assertThat(resolve(dir, null).test()).isNull(); // train2017/ and val2017/ are no split names: one training set
        dir.resolve("images/train2017").toFile().renameTo(train.toFile());
        dir.resolve("labels/train2017").toFile().renameTo(dir.resolve("labels/train").toFile());
        dir.resolve("images/val2017").toFile().renameTo(dir.resolve("images/val").toFile());
        dir.resolve("labels/val2017").toFile().renameTo(dir.resolve("labels/val").toFile());
        DataBundle bundle = resolve(dir, null);
        assertThat(bundle.train().size()).isEqualTo(3);
        assertThat(bundle.test().size()).isEqualTo(4);
        assertThat(bundle.test().boxes()[3]).isEmpty();
        assertThat(bundle.train().classNames()).containsExactly("cat", "dog");
        assertThat(bundle.train().boxes()[0]).containsExactly(1, 2, 2, 6, 6, 0);
    }

    @Test
    void aYoloTestFolderAndACocoTestFileMapClassesByName() {
        yolo(dir.resolve("train"), 4, 8);
        text(dir.resolve("train/classes.txt"), "cat\ndog\n");
        Path json = coco(dir.resolve("test"), "[{\"id\": 1, \"name\": \"dog\"}]");
        DataBundle bundle = resolve(dir.resolve("train"), json);
        assertThat(bundle.test().classNames()).containsExactly("cat", "dog");
        assertThat(bundle.test().boxes()[0][0]).isEqualTo(1f);
    }

    @Test
    void aClassificationTestSetForDetectionDataIsRefused() {
        Path json = coco(dir.resolve("train"), "[{\"id\": 1, \"name\": \"cat\"}]");
        Path images = classification(dir.resolve("cls"));
        assertThatThrownBy(() -> resolve(json, images)).isInstanceOf(HoneException.class)
                .hasMessageContaining("--data is detection data (images with boxes) but --test is neither a COCO .json file")
                .hasMessageContaining("Fix: point --test at detection data");
    }

    @Test
    void aDetectionTestSetForClassificationDataIsRefused() {
        Path images = classification(dir.resolve("cls"));
        Path json = coco(dir.resolve("train"), "[{\"id\": 1, \"name\": \"cat\"}]");
        assertThatThrownBy(() -> resolve(images, json)).isInstanceOf(HoneException.class)
                .hasMessageContaining("--test holds detection data (images with boxes) but --data is classification data");
        Path folder = yolo(dir.resolve("y"), 2, 8);
        assertThatThrownBy(() -> resolve(images, folder)).isInstanceOf(HoneException.class)
                .hasMessageContaining("--test holds detection data");
    }

    @Test
    void labelsOfPngMasksAreSegmentationDataNotYolo() {
        png(dir.resolve("images/a.png"), 8, 8);
        png(dir.resolve("labels/a.png"), 8, 8);
        assertThatThrownBy(() -> resolve(dir, null)).isInstanceOf(HoneException.class)
                .hasMessageContaining("this looks like segmentation data").hasMessageContaining("rename labels/ to masks/");
    }

    @Test
    void segmentationAndDetectionDoNotMix() {
        Path seg = dir.resolve("seg");
        png(seg.resolve("images/a.png"), 8, 8);
        png(seg.resolve("masks/a.png"), 8, 8);
        Path folder = yolo(dir.resolve("y"), 2, 8);
        assertThatThrownBy(() -> resolve(seg, folder)).isInstanceOf(HoneException.class)
                .hasMessageContaining("--data is segmentation data (images with masks) but --test holds detection data");
        assertThatThrownBy(() -> resolve(folder, seg)).isInstanceOf(HoneException.class)
                .hasMessageContaining("--data is detection data (images with boxes) but --test is segmentation data");
    }
}
