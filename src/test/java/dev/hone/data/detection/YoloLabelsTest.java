package dev.hone.data.detection;

import static dev.hone.data.detection.DetectionFiles.png;
import static dev.hone.data.detection.DetectionFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** YOLO folders read to boxes in stored pixels; images without a label file, or with an empty one, are negatives. */
class YoloLabelsTest {
    @TempDir Path dir;

    @Test
    void fractionsBecomePixelsOfTheStoredImage() {
        png(dir.resolve("images/a.png"), 40, 20);
        png(dir.resolve("images/b.png"), 40, 20);
        png(dir.resolve("images/sub/c.png"), 40, 20);
        text(dir.resolve("labels/a.txt"), "1 0.5 0.5 0.5 0.5\n\n0 0.125 0.25 0.25 0.5\n");
        text(dir.resolve("labels/sub/c.txt"), "");
        text(dir.resolve("data.yaml"), "train: images\nnc: 2\nnames: {0: cat, 1: dog}\n");

        ImageSet set = DetectionSource.readYolo(dir, null, null, null).images();

        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 20, 40));
        assertThat(set.classNames()).containsExactly("cat", "dog");
        assertThat(set.boxes()[0]).containsExactly(1, 10, 5, 30, 15, 0, 0, 0, 0, 10, 10, 0);
        assertThat(set.boxes()[1]).isEmpty(); // no label file
        assertThat(set.boxes()[2]).isEmpty(); // an empty one
    }

    @Test
    void namesComeFromAYamlListOrClassesTxtElseAreNumbered() {
        png(dir.resolve("images/a.png"), 10, 10);
        text(dir.resolve("labels/a.txt"), "2 0.5 0.5 1 1\n");
        assertThat(DetectionSource.readYolo(dir, null, null, null).images().classNames())
                .containsExactly("class 0", "class 1", "class 2");
        text(dir.resolve("labels/classes.txt"), "a\nb\nc\n");
        assertThat(DetectionSource.readYolo(dir, null, null, null).images().classNames()).containsExactly("a", "b", "c");
        text(dir.resolve("data.yaml"), "names:\n  - x\n  - 'y z'\n  - w\n");
        ImageSet set = DetectionSource.readYolo(dir, null, null, null).images();
        assertThat(set.classNames()).containsExactly("x", "y z", "w");
        assertThat(set.boxes()[0]).containsExactly(2, 0, 0, 10, 10, 0);
    }

    @Test
    void aTestFolderMapsItsNamesOntoTheTrainingClasses() {
        png(dir.resolve("images/a.png"), 10, 10);
        text(dir.resolve("labels/a.txt"), "0 0.5 0.5 0.2 0.2\n");
        text(dir.resolve("classes.txt"), "dog\n");
        ImageSet set = DetectionSource.readYolo(dir, null, new ImageFormat(1, 10, 10), List.of("cat", "dog")).images();
        assertThat(set.boxes()[0]).containsExactly(1, 4, 4, 6, 6, 0);
    }
}
