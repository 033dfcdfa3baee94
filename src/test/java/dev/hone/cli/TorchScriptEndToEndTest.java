package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's TorchScript file is fine-tuned on real data (the embedded Fashion-MNIST sample) and reused. */
class TorchScriptEndToEndTest {
    @TempDir
    Path tmp;

    @Test
    void fineTunesATorchScriptModelAndPredictsWithTheSavedOne() throws Exception {
        Path model = Path.of(getClass().getResource("/models/tiny-10.pt").toURI());
        Path out = tmp.resolve("ts");
        Cli.Outcome trained = Cli.run("train", "--data", "data/fashion-mnist-sample", "--model", model.toString(),
                "--epochs", "1", "--batch-size", "64", "--out", out.toString());
        assertThat(trained.status()).as(trained.err()).isZero();
        JsonNode eval = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        // ten classes: chance is 10%; one epoch of fine-tuning must do far better
        assertThat(eval.get("accuracy").asDouble()).isGreaterThan(0.5);
        assertThat(out.resolve("model").resolve("model.pt")).exists();

        Cli.Outcome evaluated = Cli.run("evaluate", "--model-dir", out.toString(), "--data", "data/fashion-mnist-sample");
        assertThat(evaluated.status()).as(evaluated.err()).isZero();
        assertThat(evaluated.out()).contains(String.format("accuracy %.4f", eval.get("accuracy").asDouble()));
    }
}
