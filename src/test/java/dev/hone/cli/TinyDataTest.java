package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import dev.hone.train.SyntheticData;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 8, section 6: under the minimum of data hone says so, uses rules, and never runs empty trials. */
class TinyDataTest {
    @TempDir
    Path tmp;

    private static JsonNode decision(JsonNode record, String name) {
        for (JsonNode d : record.get("decisions")) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no decision " + name + " in " + record.get("decisions"));
    }

    @Test
    void resumeWithNothingToResumeSaysSoAndStartsANewRun() throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("six"), 2, 12, 3);
        Path out = tmp.resolve("typo");
        Cli.Outcome run = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "1",
                "--out", out.toString(), "--resume");
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err()).contains("--resume: no interrupted run of " + out.toAbsolutePath()).contains("starting a new run");
        assertThat(out.resolve("model")).isDirectory();
    }

    @Test
    void sixImagesTrainOnRulesAndSaySo() throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("six"), 2, 12, 3);
        Path out = tmp.resolve("run");
        Cli.Outcome run = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "2",
                "--out", out.toString());
        assertThat(run.status()).as(run.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        assertThat(record.get("data").get("validation").get("count").asInt()).isZero();
        assertThat(decision(record, "data-sufficiency").get("rationale").asText()).contains("validation split is empty");
        assertThat(decision(record, "lr").get("origin").asText()).isEqualTo("DEFAULT");
        assertThat(decision(record, "optimizer").get("value").asText()).isEqualTo("adamw");
        assertThat(decision(record, "schedule").get("origin").asText()).isEqualTo("DEFAULT");
        assertThat(decision(record, "early-stopping").get("value").asText()).isEqualTo("off");
        assertThat(decision(record, "regularization-policy").get("origin").asText()).isEqualTo("DEFAULT");
        assertThat(record.get("epochs")).hasSize(2);
        assertThat(decision(record, "task").get("value").asText()).isEqualTo("single-label");
    }

    @Test
    void oneImagePerClassIsRefusedBeforeAnythingIsWritten() {
        Path data = SyntheticData.folder(tmp.resolve("three"), 1, 12, 3);
        Path out = tmp.resolve("run1");
        Cli.Outcome run = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "1",
                "--out", out.toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("test split is empty").contains("--test").doesNotContain("\tat ");
        assertThat(out).doesNotExist();
    }

    @Test
    void constantImagesAreWarnedAboutAndScoreAsChance() throws Exception {
        Path data = tmp.resolve("black");
        for (String c : new String[] {"a", "b", "c"}) {
            java.nio.file.Files.createDirectories(data.resolve(c));
            for (int i = 0; i < 20; i++) {
                javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB),
                        "png", data.resolve(c).resolve(i + ".png").toFile());
            }
        }
        Cli.Outcome run = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "1",
                "--keep-duplicates", "--out", tmp.resolve("black-run").toString());
        // no internal error: constant images normalise without blowing up, train, and are marked as chance
        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.err() + run.out()).contains("barely varies").contains("no better than chance");
    }
}
