package dev.hone.data.detection;

import static dev.hone.data.detection.DetectionFiles.png;
import static dev.hone.data.detection.DetectionFiles.text;
import static dev.hone.data.detection.DetectionFiles.vocObject;
import static dev.hone.data.detection.DetectionFiles.vocXml;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pascal VOC folders read to boxes with 1-based corners converted, difficult objects ignored, splits from ImageSets/Main. */
class VocAnnotationsTest {
    @TempDir Path dir;

    private void image(String id, int w, int h, String... objects) {
        png(dir.resolve("JPEGImages/" + id + ".png"), w, h);
        text(dir.resolve("Annotations/" + id + ".xml"), vocXml(id + ".png", w, h, objects));
    }

    @Test
    void cornersAreConvertedFromOneBasedPixelNumbersAndDifficultObjectsIgnored() {
        image("a", 40, 30, vocObject("dog", false, 11, 6, 40, 30), vocObject("cat", true, 1, 1, 20, 10));
        image("b", 40, 30);
        DetectionSource.Sets sets = DetectionSource.readVoc(dir, null, true);
        ImageSet set = sets.train();
        assertThat(sets.test()).isNull();
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 30, 40));
        assertThat(set.classNames()).containsExactly("cat", "dog"); // the sorted names found
        assertThat(set.boxes()[0]).containsExactly(1, 10, 5, 40, 30, 0, 0, 0, 0, 20, 10, 1);
        assertThat(set.boxes()[1]).isEmpty();
        assertThat(set.labels()).containsExactly(0, 0);
    }

    /**
     * LabelImg writes no XML for an image without objects: without lists, such an image is a negative (a review found it
     * dropped without a word); with lists, only the listed images are read, and test.txt's images are never negatives of
     * the training set.
     */
    @Test
    void imagesWithoutAnXmlAreNegativesWithoutListsOnly() {
        image("a", 40, 30, vocObject("dog", false, 11, 6, 40, 30));
        image("c", 40, 30, vocObject("dog", false, 1, 1, 20, 20));
        png(dir.resolve("JPEGImages/b.png"), 40, 30);
        png(dir.resolve("JPEGImages/.hidden.png"), 40, 30);
        text(dir.resolve("JPEGImages/notes.txt"), "not an image");
        ImageSet set = DetectionSource.readVoc(dir, null, true).train();
        assertThat(set.size()).isEqualTo(3);
        assertThat(set.source(2)).endsWith("b.png");
        assertThat(set.boxes()[2]).isEmpty();

        // test.txt holds c: the training set is a and the unannotated b, never c
        text(dir.resolve("ImageSets/Main/test.txt"), "c\n");
        DetectionSource.Sets sets = DetectionSource.readVoc(dir, null, true);
        assertThat(sets.train().size()).isEqualTo(2);
        assertThat(sets.train().source(1)).endsWith("b.png");
        assertThat(sets.test().size()).isEqualTo(1);

        // a test annotation whose <filename> is not its stem still keeps its image out of the training negatives
        png(dir.resolve("JPEGImages/IMG_0042.png"), 40, 30);
        text(dir.resolve("Annotations/t1.xml"), vocXml("IMG_0042.png", 40, 30, vocObject("dog", false, 1, 1, 9, 9)));
        text(dir.resolve("ImageSets/Main/test.txt"), "c\nt1\n");
        DetectionSource.Sets both = DetectionSource.readVoc(dir, null, true);
        assertThat(both.train().size()).isEqualTo(2);
        assertThat(both.test().size()).isEqualTo(2);
        // and with a separate test set (test.txt's images are read by neither)
        assertThat(DetectionSource.readVoc(dir, null, false).train().size()).isEqualTo(2);

        // a training list names what trains: b is no image of the set
        text(dir.resolve("ImageSets/Main/trainval.txt"), "a\n");
        assertThat(DetectionSource.readVoc(dir, null, true).train().size()).isEqualTo(1);
    }

    @Test
    void aZeroBasedExportIsClippedAtTheEdge() {
        image("a", 40, 30, vocObject("dog", false, 0, 0, 10, 10)); // LabelImg-style 0: one pixel out after the -1
        ImageSet set = DetectionSource.readVoc(dir, null, true).train();
        assertThat(set.boxes()[0]).containsExactly(0, 0, 0, 10, 10, 0);
    }

    @Test
    void boxesAreScaledWithImagesOfDifferentSizesAndTheResizedImagesCounted() {
        image("a", 40, 20, vocObject("dog", false, 1, 1, 40, 20));
        image("b", 80, 40, vocObject("dog", false, 41, 21, 80, 40));
        image("c", 80, 40);
        DetectionSource.Sets sets = DetectionSource.readVoc(dir, null, true);
        ImageSet set = sets.train();
        // the median size, 80x40: a is doubled, b kept
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 40, 80));
        assertThat(sets.trainConformed().resized()).isEqualTo(1);
        assertThat(sets.trainConformed().examples()).containsExactly(dir.resolve("JPEGImages/a.png") + " (40x20 grey)");
        assertThat(set.boxes()[0]).containsExactly(0, 0, 0, 80, 40, 0);
        assertThat(set.boxes()[1]).containsExactly(0, 40, 20, 80, 40, 0);
    }

    @Test
    void imageSetListsGiveTheTrainingAndTestSets() {
        image("a", 40, 30, vocObject("dog", false, 1, 1, 10, 10));
        image("b", 40, 30, vocObject("cat", false, 1, 1, 10, 10));
        image("c", 40, 30, vocObject("cat", false, 1, 1, 10, 10));
        image("d", 40, 30, vocObject("bird", false, 1, 1, 10, 10)); // in no list: not read
        text(dir.resolve("ImageSets/Main/train.txt"), "a\n");
        text(dir.resolve("ImageSets/Main/val.txt"), "b\n");
        text(dir.resolve("ImageSets/Main/test.txt"), "c\n");
        text(dir.resolve("ImageSets/Main/cat_train.txt"), "a -1\n");

        DetectionSource.Sets sets = DetectionSource.readVoc(dir, null, true);
        assertThat(sets.train().size()).isEqualTo(2);
        assertThat(sets.train().classNames()).containsExactly("cat", "dog");
        assertThat(sets.test().size()).isEqualTo(1);
        assertThat(sets.test().classNames()).containsExactly("cat", "dog");
        assertThat(sets.test().boxes()[0]).containsExactly(0, 0, 0, 10, 10, 0);
        assertThat(sets.testSource()).endsWith("test.txt");

        DetectionSource.Sets withTestGiven = DetectionSource.readVoc(dir, null, false);
        assertThat(withTestGiven.train().size()).isEqualTo(2);
        assertThat(withTestGiven.test()).isNull();

        ImageSet asTest = DetectionSource.readVocTest(dir, new ImageFormat(1, 30, 40), List.of("cat", "dog")).images();
        assertThat(asTest.size()).isEqualTo(1);
    }
}
