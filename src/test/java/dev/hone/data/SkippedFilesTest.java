package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.SkippedFiles.Reason;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SkippedFilesTest {

    @Test
    void countsEveryEntryButKeepsFewExamples() {
        SkippedFiles.Builder b = new SkippedFiles.Builder();
        for (int i = 0; i < 5; i++) {
            b.add(Path.of("d/cat/" + i + ".txt"), Reason.UNSUPPORTED_FORMAT);
        }
        b.add(Path.of("d/.DS_Store"), Reason.HIDDEN);
        SkippedFiles s = b.build();
        assertThat(s.count(Reason.UNSUPPORTED_FORMAT)).isEqualTo(5);
        assertThat(s.examples(Reason.UNSUPPORTED_FORMAT)).hasSize(SkippedFiles.EXAMPLES).first().isEqualTo("d/cat/0.txt");
        assertThat(s.total()).isEqualTo(6);
        assertThat(s.count(Reason.OUTSIDE_CLASS_FOLDER)).isZero();
    }

    @Test
    void oneConsoleLinePerReasonInReasonOrder() {
        SkippedFiles s = new SkippedFiles.Builder()
                .add(Path.of("d/a.txt"), Reason.UNSUPPORTED_FORMAT)
                .add(Path.of("d/b.txt"), Reason.UNSUPPORTED_FORMAT)
                .add(Path.of("d/._x.jpg"), Reason.HIDDEN)
                .build();
        assertThat(s.lines("training data")).containsExactly(
                "skipped 1 file of the training data, hidden (names starting with '.'), e.g. d/._x.jpg",
                "skipped 2 files of the training data, unsupported format (readable: png, jpg, jpeg, bmp, gif, tif, tiff,"
                        + " webp, jfif, jpe, jif; convert HEIC, AVIF and raw camera files to JPEG or PNG), e.g. d/a.txt; d/b.txt");
        assertThat(SkippedFiles.NONE.lines("training data")).isEmpty();
    }

    @Test
    void recordFormKeysReasonsInCamelCase() {
        SkippedFiles s = new SkippedFiles.Builder().add(Path.of("d/x"), Reason.NOT_A_REGULAR_FILE).build();
        assertThat(s.describe()).isEqualTo(Map.of("notARegularFile", Map.of("count", 1, "examples", List.of("d/x"))));
        assertThat(SkippedFiles.NONE.describe()).isEmpty();
    }

    @Test
    void plusAddsCountsAndKeepsTheFirstExamples() {
        SkippedFiles a = new SkippedFiles.Builder().add(Path.of("a1"), Reason.HIDDEN).add(Path.of("a2"), Reason.HIDDEN).build();
        SkippedFiles b = new SkippedFiles.Builder().add(Path.of("b1"), Reason.HIDDEN).add(Path.of("b2"), Reason.HIDDEN)
                .add(Path.of("v"), Reason.UNUSED_FOLDER).build();
        SkippedFiles sum = a.plus(b);
        assertThat(sum.count(Reason.HIDDEN)).isEqualTo(4);
        assertThat(sum.examples(Reason.HIDDEN)).containsExactly("a1", "a2", "b1");
        assertThat(sum.count(Reason.UNUSED_FOLDER)).isEqualTo(1);
        assertThat(sum.lines("training data").get(1)).startsWith("skipped 1 folder of the training data, unused folder");
    }

    @Test
    void anUnreadableImageKeepsTheDecodersReasonInItsExampleAndTheRecord() {
        SkippedFiles s = new SkippedFiles.Builder()
                .add(Path.of("d/bottom/broken.png"), Reason.UNREADABLE, "file is not a readable image")
                .add(Path.of("d/x.txt"), Reason.UNSUPPORTED_FORMAT)
                .build();
        assertThat(s.examples(Reason.UNREADABLE)).containsExactly("d/bottom/broken.png (file is not a readable image)");
        assertThat(s.lines("training data")).containsExactly(
                "skipped 1 file of the training data, unsupported format (readable: png, jpg, jpeg, bmp, gif, tif, tiff,"
                        + " webp, jfif, jpe, jif; convert HEIC, AVIF and raw camera files to JPEG or PNG), e.g. d/x.txt",
                "skipped 1 file of the training data, unreadable (damaged, truncated or not an image; the other images"
                        + " were read, re-export or remove each), e.g. d/bottom/broken.png (file is not a readable image)");
        assertThat(s.describe()).containsOnlyKeys("unsupportedFormat", "unreadable");
        assertThat(s.describe().get("unreadable")).isEqualTo(
                Map.of("count", 1, "examples", List.of("d/bottom/broken.png (file is not a readable image)")));
    }
}
