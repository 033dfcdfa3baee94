package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import dev.hone.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on tiny synthetic PNG folders: train, then evaluate, predict and explain the
 * result, and check the output directory contract.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainEndToEndTest {
    Path data;
    Path out;
    Cli.Outcome trained;

    @BeforeAll
    void train(@TempDir Path tmp) {
        data = SyntheticData.folder(tmp.resolve("images"), 60, 12, 1);
        out = tmp.resolve("run");
        trained = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "4",
                "--batch-size", "16", "--seed", "7", "--out", out.toString());
    }

    @Test
    void trainsAModelThatLearnsTheSyntheticClasses() throws Exception {
        assertThat(trained.status()).as(trained.err()).isZero();
        assertThat(trained.out()).contains("test accuracy").contains(out.resolve("report.html").toString());
        JsonNode eval = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(eval.get("accuracy").asDouble()).isGreaterThan(0.9);
        assertThat(eval.get("perClass")).hasSize(3);
        assertThat(eval.get("confusionMatrix")).hasSize(3);
        assertThat(eval.get("perClass").get(0).has("f1")).isTrue();
    }

    @Test
    void writesTheOutputDirectoryContract() throws Exception {
        for (String f : new String[] {"model/hone-model.json", "training-record.json", "evaluation.json", "metrics.jsonl", "report.html"}) {
            assertThat(out.resolve(f)).exists();
        }
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(4);
        assertThat(out.resolve("checkpoint")).doesNotExist();
        assertThat(out.resolveSibling(".run.partial")).doesNotExist();
        JsonNode model = Json.mapper().readTree(out.resolve("model/hone-model.json").toFile());
        assertThat(model.get("classes").toString()).contains("diagonal", "left", "top");
        assertThat(model.get("normalization").get("mean")).hasSize(1);
        assertThat(model.get("input").get("height").asInt()).isEqualTo(12);

        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        assertThat(record.get("seed").asLong()).isEqualTo(7);
        assertThat(record.get("environment").get("engine").asText()).contains("PyTorch");
        assertThat(record.get("epochs")).hasSize(4);
        assertThat(record.get("stopReason").asText()).isEqualTo("completed 4 epochs");
        assertThat(record.get("data").get("test").get("count").asInt()).isPositive();
        Set<String> origins = Set.of("USER", "LEARNED", "DERIVED", "DEFAULT");
        for (JsonNode d : record.get("decisions")) {
            for (String field : new String[] {"name", "value", "origin", "method", "rationale", "evidence"}) {
                assertThat(d.has(field)).as(d + " has " + field).isTrue();
            }
            assertThat(origins).contains(d.get("origin").asText());
        }
        assertThat(record.get("decisions").findValuesAsText("name")).contains("seed", "batch-size", "lr", "epochs",
                "optimizer", "weight-decay", "schedule", "validation-split", "test-split", "normalization", "device",
                "batchnorm-momentum", "early-stopping");
        for (JsonNode d : record.get("decisions")) {
            if (d.get("name").asText().equals("device")) {
                assertThat(d.get("value").asText()).as("as a person writes it, not DJL's cpu()").matches("cpu|gpu \\d+");
            }
        }
        assertThat(record.get("environment").get("device").asText()).matches("cpu|gpu \\d+");
        assertThat(Files.readString(out.resolve("report.html"))).contains("data:image/png;base64,").contains("diagonal");
    }

    @Test
    void learnsTheScheduleByTrialsWhenNoneIsGiven() throws Exception {
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode schedule = null;
        JsonNode meta = null;
        for (JsonNode d : record.get("decisions")) {
            schedule = d.get("name").asText().equals("schedule") ? d : schedule;
            meta = d.get("name").asText().equals("meta-learning") ? d : meta;
        }
        assertThat(schedule.get("origin").asText()).isEqualTo("LEARNED");
        assertThat(schedule.get("method").asText()).isEqualTo("schedule trials");
        assertThat(schedule.get("evidence").get("validationLoss").size()).isEqualTo(3);
        assertThat(schedule.get("evidence").get("steps").asInt()).isEqualTo(40);
        assertThat(schedule.get("evidence").get("charts")).hasSize(2);
        // no budget: every probe ran its full length
        assertThat(meta.get("method").asText()).isEqualTo("full-length probes");
        assertThat(meta.get("evidence").get("probes").get("schedule trials").get("steps").asInt()).isEqualTo(40);
        assertThat(Files.readString(out.resolve("report.html"))).contains("schedule trials");
    }

    @Test
    void evaluatesPredictsAndExplains() throws Exception {
        Cli.Outcome eval = Cli.run("evaluate", "--model-dir", out.toString(), "--data", data.toString());
        assertThat(eval.status()).as(eval.err()).isZero();
        assertThat(eval.out()).contains("accuracy").contains("diagonal");

        Path image = data.resolve("left").resolve("0.png");
        Cli.Outcome predicted = Cli.run("predict", "--model-dir", out.toString(), "--top", "2", image.toString());
        assertThat(predicted.status()).as(predicted.err()).isZero();
        assertThat(predicted.out()).startsWith(image + ": left ");

        Cli.Outcome explained = Cli.run("explain", out.toString());
        assertThat(explained.status()).as(explained.err()).isZero();
        assertThat(explained.out()).contains("batch-size").contains("completed 4 epochs");
        // the record file names its run: the same explanation, test result included
        Cli.Outcome byFile = Cli.run("explain", out.resolve("training-record.json").toString());
        assertThat(byFile.status()).as(byFile.err()).isZero();
        assertThat(byFile.out()).isEqualTo(explained.out()).doesNotContain("on 0 null images");

        Path unfinished = out.resolveSibling("unfinished");
        java.nio.file.Files.createDirectories(out.resolveSibling(".unfinished.partial"));
        // a record written just before a kill, after training: the run is still unfinished
        java.nio.file.Files.copy(out.resolve("training-record.json"), out.resolveSibling(".unfinished.partial")
                .resolve("training-record.json"));
        for (Path asked : java.util.List.of(unfinished, out.resolveSibling(".unfinished.partial"))) {
            Cli.Outcome partial = Cli.run("explain", asked.toString());
            assertThat(partial.status()).isEqualTo(2);
            assertThat(partial.err()).contains("the run of " + unfinished.toAbsolutePath().normalize() + " has not finished")
                    .contains("--resume");
        }
    }

    @Test
    void neverOverwritesAFinishedRun() {
        Cli.Outcome again = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "4",
                "--batch-size", "16", "--seed", "7", "--out", out.toString());
        assertThat(again.status()).isEqualTo(2);
        assertThat(again.err()).contains("already finished").contains(out.toString());

        Cli.Outcome other = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "5",
                "--out", out.toString());
        assertThat(other.status()).isEqualTo(2);
        assertThat(other.err()).contains("already holds a different run").contains("epochs").contains("Fix:");
        assertThat(out.resolve("training-record.json")).exists();
    }
}
