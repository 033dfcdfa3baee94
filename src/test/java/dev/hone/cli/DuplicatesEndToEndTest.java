package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import dev.hone.train.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak: copies of training images placed in {@code test/} must not count towards the test
 * accuracy. They are named on the console and in the record, and dropped from the test set.
 */
class DuplicatesEndToEndTest {
    @TempDir
    Path tmp;

    /** 8 training and 3 test images per class, 8x8, plus copies of 3 training images in test/. */
    private Path data() throws IOException {
        Path root = tmp.resolve("data");
        SyntheticData.folder(root.resolve("train"), 8, 8, 1);
        SyntheticData.folder(root.resolve("test"), 3, 8, 2);
        Files.copy(root.resolve("train/left/0.png"), root.resolve("test/left/copy-a.png"));
        Files.copy(root.resolve("train/top/1.png"), root.resolve("test/top/copy-b.png"));
        Files.copy(root.resolve("train/diagonal/2.png"), root.resolve("test/diagonal/copy-c.png"));
        return root;
    }

    private static Cli.Outcome train(Path data, Path out) {
        return Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "1",
                "--batch-size", "8", "--lr", "0.01", "--optimizer", "adamw", "--weight-decay", "0", "--schedule",
                "warmup-cosine", "--regularization", "none", "--seed", "3", "--out", out.toString());
    }

    @Test
    void testCopiesOfTrainingImagesAreReportedAndDropped() throws Exception {
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(data(), out);

        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.err()).contains("duplicates:").contains("exact cop").contains("dropped from test");
        assertThat(o.out()).contains("duplicates:").contains("test accuracy:").contains("on 9 images");

        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode dup = record.get("data").get("duplicates");
        assertThat(dup.get("droppedFromTest").asInt()).isEqualTo(3);
        assertThat(dup.get("trainTest").get("copies").asInt() + dup.get("validationTest").get("copies").asInt()).isEqualTo(3);
        assertThat(dup.get("kept").asBoolean()).isFalse();
        assertThat(dup.toString()).contains("copy-");
        assertThat(record.get("data").get("test").get("count").asInt()).isEqualTo(9);
        assertThat(record.get("decisions").findValuesAsText("name")).contains("duplicates");
        JsonNode eval = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(eval.get("count").asInt()).isEqualTo(9);
        assertThat(eval.has("betterThanChance")).isTrue();
    }

    @Test
    void aTestSetOfOnlyCopiesIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path root = tmp.resolve("copies");
        SyntheticData.folder(root.resolve("train"), 4, 8, 1);
        for (String c : SyntheticData.CLASSES) {
            Files.createDirectories(root.resolve("test").resolve(c));
            Files.copy(root.resolve("train").resolve(c).resolve("0.png"), root.resolve("test").resolve(c).resolve("0.png"));
        }
        Path out = tmp.resolve("refused");
        Cli.Outcome o = train(root, out);

        assertThat(o.status()).as(o.out() + o.err()).isEqualTo(2);
        assertThat(o.err()).contains("hone: error: all 3 test images").contains("exact copies").contains("Fix:")
                .contains("--keep-duplicates");
        assertThat(out).doesNotExist();
    }
}
