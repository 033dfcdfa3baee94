package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import dev.hone.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on {@code DATA/train/} alone, with stray files among the images: the classes are the
 * folders inside {@code train/}, a test split is held out, and every skipped file (unreadable images
 * included) reaches the console and the record, as does an image of another size, resized.
 */
class DataLayoutEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void trainFolderAloneTrainsWithAHeldOutTestAndReportsSkippedFiles() throws Exception {
        Path data = tmp.resolve("data");
        Path train = SyntheticData.folder(data.resolve("train"), 10, 8, 3);
        Files.writeString(train.resolve("left/notes.txt"), "not an image");
        Files.write(train.resolve("top/.DS_Store"), new byte[] {0});
        byte[] png = Files.readAllBytes(train.resolve("top/0.png"));
        Files.write(train.resolve("top/truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Files.writeString(train.resolve("top/broken.png"), "garbage");
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(12, 10, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png", train.resolve("left/larger.png").toFile());
        Path out = tmp.resolve("run");

        Cli.Outcome o = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4",
                "--epochs", "1", "--batch-size", "8", "--lr", "0.01", "--weight-decay", "0", "--optimizer", "adamw",
                "--schedule", "warmup-cosine", "--regularization", "none", "--out", out.toString());

        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.err()).contains("skipped 1 file of the training data, hidden")
                .contains("skipped 1 file of the training data, unsupported format")
                .contains("e.g. " + train.resolve("left/notes.txt"))
                .contains("skipped 2 files of the training data, unreadable")
                .contains("e.g. " + train.resolve("top/broken.png") + " (file is not a readable image")
                .contains("data: training images: resized 1 to 8x8 (width x height), the format inferred from them (their"
                        + " median size, the longer side at most 224; colour if any is); e.g. " + train.resolve("left/larger.png")
                        + " (12x10 grey)");
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        assertThat(record.get("command").asText()).isEqualTo("hone train --data " + data + " --model resnet9 --width 4"
                + " --epochs 1 --batch-size 8 --lr 0.01 --weight-decay 0 --optimizer adamw --schedule warmup-cosine"
                + " --regularization none --out " + out);
        JsonNode policy = null;
        for (JsonNode decision : record.get("decisions")) {
            policy = decision.get("name").asText().equals("regularization-policy") ? decision : policy;
        }
        assertThat(policy.get("rationale").asText()).startsWith("fixed by the user with --regularization none:");
        JsonNode d = record.get("data");
        assertThat(d.get("classes").toString()).isEqualTo("[\"diagonal\",\"left\",\"top\"]");
        assertThat(d.get("source").asText()).isEqualTo(train.toString());
        assertThat(d.get("test").get("source").asText()).isEqualTo("held-out test split of " + train);
        assertThat(d.get("train").get("count").asInt() + d.get("validation").get("count").asInt()
                + d.get("test").get("count").asInt()).isEqualTo(31);
        JsonNode skipped = d.get("skipped").get("train");
        assertThat(skipped.get("unsupportedFormat").get("count").asInt()).isEqualTo(1);
        assertThat(skipped.get("unsupportedFormat").get("examples").get(0).asText()).isEqualTo(train.resolve("left/notes.txt").toString());
        assertThat(skipped.get("hidden").get("count").asInt()).isEqualTo(1);
        assertThat(skipped.get("unreadable").get("count").asInt()).isEqualTo(2);
        assertThat(skipped.get("unreadable").get("examples").get(1).asText())
                .startsWith(train.resolve("top/truncated.png") + " (image");
        assertThat(d.get("skipped").get("test").isEmpty()).isTrue();
        assertThat(d.get("conformed").get("train").get("resized").asInt()).isEqualTo(1);
        assertThat(d.get("conformed").get("train").get("colourToGrey").asInt()).isZero();
        assertThat(d.get("conformed").get("test").get("resized").asInt()).isZero();

        // evaluate names every skipped file it keeps as an example, on the console and in its --json
        Path json = tmp.resolve("evaluation.json");
        Cli.Outcome evaluate = Cli.run("evaluate", "--model-dir", out.toString(), "--data", train.toString(), "--json", json.toString());
        assertThat(evaluate.status()).as(evaluate.err()).isZero();
        assertThat(evaluate.err()).contains(train.resolve("top/broken.png").toString()).contains(train.resolve("top/truncated.png").toString());
        JsonNode written = Json.mapper().readTree(json.toFile());
        assertThat(written.get("count").asInt()).isPositive();
        assertThat(written.get("skippedFiles").toString()).contains("skipped 2 files of the data, unreadable")
                .contains("broken.png").contains("truncated.png");
        assertThat(written.get("conformed").toString()).contains("larger.png");
    }
}
