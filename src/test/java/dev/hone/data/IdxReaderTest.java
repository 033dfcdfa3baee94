package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void roundTripsGzipAndPlain(boolean gzip) {
        byte[] pixels = TestImages.writeIdxImages(dir.resolve("img"), 5, 3, 4, gzip);
        TestImages.writeIdxLabels(dir.resolve("lbl"), new int[] {0, 2, 1, 2, 0}, gzip);

        ImageSet set = IdxReader.read(dir.resolve("img"), dir.resolve("lbl"), null);

        assertThat(set.size()).isEqualTo(5);
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 3, 4));
        assertThat(set.pixels()).isEqualTo(pixels);
        assertThat(set.labels()).containsExactly(0, 2, 1, 2, 0);
        assertThat(set.classNames()).containsExactly("0", "1", "2");
        assertThat(set.source(3)).endsWith("img#3");
    }

    @Test
    void detectsGzipByContentNotName() {
        TestImages.writeIdxImages(dir.resolve("plain.gz"), 2, 2, 2, false);
        TestImages.writeIdxImages(dir.resolve("packed-ubyte"), 2, 2, 2, true);
        assertThat(IdxReader.readImages(dir.resolve("plain.gz")).pixels())
                .isEqualTo(IdxReader.readImages(dir.resolve("packed-ubyte")).pixels());
    }

    @Test
    void labelsAbove127AreUnsigned() {
        TestImages.writeIdxLabels(dir.resolve("lbl"), new int[] {200, 255}, false);
        assertThat(IdxReader.readLabels(dir.resolve("lbl"))).containsExactly(200, 255);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void truncatedFileSaysExpectedAndActualBytes(boolean gzip) throws Exception {
        Path full = dir.resolve("full");
        TestImages.writeIdxImages(full, 10, 4, 4, false);
        byte[] cut = Arrays.copyOf(Files.readAllBytes(full), 16 + 100);
        Path file = dir.resolve("train-images-idx3-ubyte");
        TestImages.write(file, cut, gzip);

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("truncated")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("expected 176 bytes")
                .hasMessageContaining("found 116")
                .hasMessageContaining("Fix: re-download or reinstall");
    }

    @Test
    void truncatedGzipStreamIsReportedAsTruncated() throws Exception {
        Path full = dir.resolve("full.gz");
        TestImages.writeIdxImages(full, 100, 8, 8, true);
        byte[] bytes = Files.readAllBytes(full);
        Path file = dir.resolve("cut.gz");
        Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("Fix:");
    }

    @Test
    void wrongMagicSaysNotAnIdxFile() {
        Path file = dir.resolve("notes.txt");
        TestImages.write(file, "hello, this is not IDX".getBytes(), false);
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("not an IDX images file")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("Fix:");
        assertThatThrownBy(() -> IdxReader.readLabels(file))
                .hasMessageContaining("not an IDX labels file")
                .hasMessageContaining(file.toString());
    }

    @Test
    void labelsFilePassedAsImagesIsNamedAsSuch() {
        Path file = dir.resolve("train-labels-idx1-ubyte");
        TestImages.writeIdxLabels(file, new int[] {1, 2}, false);
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .hasMessageContaining("not an IDX images file (it is an IDX labels file)")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("Fix:");
    }

    @Test
    void countMismatchNamesBothFilesAndCounts() {
        Path images = dir.resolve("train-images-idx3-ubyte");
        Path labels = dir.resolve("train-labels-idx1-ubyte");
        TestImages.writeIdxImages(images, 5, 2, 2, false);
        TestImages.writeIdxLabels(labels, new int[] {0, 1, 0}, false);
        assertThatThrownBy(() -> IdxReader.read(images, labels, null))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("5 images in train-images-idx3-ubyte")
                .hasMessageContaining("3 labels in train-labels-idx1-ubyte")
                .hasMessageContaining(images.toString())
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("Fix:");
    }

    @Test
    void labelBeyondNamedClassesIsAnError() {
        Path images = dir.resolve("i");
        Path labels = dir.resolve("l");
        TestImages.writeIdxImages(images, 2, 2, 2, false);
        TestImages.writeIdxLabels(labels, new int[] {0, 3}, false);
        assertThatThrownBy(() -> IdxReader.read(images, labels, List.of("a", "b")))
                .hasMessageContaining("labels go up to 3 but only 2 classes")
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("Fix:");
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("absent");
        assertThatThrownBy(() -> IdxReader.readImages(file))
                .hasMessageContaining("does not exist")
                .hasMessageContaining(file.toString())
                .hasMessageContaining("Fix:");
    }
}
