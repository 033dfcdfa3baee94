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
 * A saved policy replays: training with {@code --policy FILE} uses it (recorded as USER), writes
 * it back as {@code policy.json} with the after-training choices filled in, and shows it in the
 * report with its sample images; a missing or broken policy file is a clear error.
 */
class PolicyReplayTest {

    @Test
    void aPolicyFileIsReplayedRecordedAndWrittenBack(@TempDir Path tmp) throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("images"), 40, 12, 3);
        Path policy = tmp.resolve("policy.json");
        Files.writeString(policy, """
                {"formatVersion":1,"augmentation":{"steps":[{"transform":"translate","magnitude":0.5},
                {"transform":"erase","magnitude":0.5}]},"augmentationsPerBatch":1,"labelSmoothing":0.1,"mixupAlpha":0.0,
                "cutmixAlpha":1.0,"weightDecay":0.01,"dropout":0.0,"stochasticDepth":0.2,"weightAveraging":"ema",
                "testTimeAugmentation":null}
                """);
        Path out = tmp.resolve("run");
        Cli.Outcome trained = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "3",
                "--batch-size", "16", "--seed", "5", "--policy", policy.toString(), "--out", out.toString());
        assertThat(trained.status()).as(trained.err()).isZero();

        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode decision = find(record, "regularization-policy");
        assertThat(decision.get("origin").asText()).isEqualTo("USER");
        assertThat(decision.get("value").asText()).contains("translate").contains("cutmix").contains("label smoothing 0.10")
                .contains("stochastic depth 0.20");
        assertThat(find(record, "weight-averaging").get("value").asText()).isEqualTo("ema");
        // the policy's weight decay is what trains, and the record says so after the optimizer's default
        JsonNode decay = null;
        for (JsonNode d : record.get("decisions")) {
            decay = d.get("name").asText().equals("weight-decay") ? d : decay;
        }
        assertThat(decay.get("value").asDouble()).isEqualTo(0.01);
        assertThat(decay.get("origin").asText()).isEqualTo("USER");
        assertThat(find(record, "test-time-augmentation").get("origin").asText()).isEqualTo("LEARNED");

        // what hone writes, its strict reader reads back, as a replay would
        assertThat(dev.hone.train.PolicyFile.read(out)).isNotNull();
        JsonNode written = Json.mapper().readTree(out.resolve("policy.json").toFile());
        assertThat(written.get("augmentation").get("steps")).hasSize(2);
        assertThat(written.get("weightDecay").asDouble()).isEqualTo(0.01);
        assertThat(written.get("stochasticDepth").asDouble()).isEqualTo(0.2);
        assertThat(written.get("weightAveraging").asText()).isEqualTo("ema");
        assertThat(written.get("testTimeAugmentation").isBoolean()).isTrue();
        assertThat(Files.readString(out.resolve("report.html"))).contains("Regularization policy")
                .contains("Training images under each chosen transform");
    }

    @Test
    void aTinyTrainingSetTrainsWithAFallbackBatch(@TempDir Path tmp) throws Exception {
        // 5 images per class leave 9 for training: too few for the noise-scale probe, which once crashed on them
        Path data = SyntheticData.folder(tmp.resolve("images"), 5, 12, 3);
        Path out = tmp.resolve("run");
        Cli.Outcome r = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "1",
                "--out", out.toString());
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode batch = find(Json.mapper().readTree(out.resolve("training-record.json").toFile()), "batch-size");
        assertThat(batch.get("origin").asText()).isEqualTo("DEFAULT");
        assertThat(batch.get("rationale").asText()).contains("fewer than");
    }

    @Test
    void aMissingPolicyFileIsAClearError(@TempDir Path tmp) {
        Path data = SyntheticData.folder(tmp.resolve("images"), 5, 12, 3);
        Cli.Outcome r = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--epochs", "1",
                "--policy", tmp.resolve("nope.json").toString(), "--out", tmp.resolve("run").toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("policy file not found").contains("nope.json").contains("Fix:");
    }

    @Test
    void aPolicyWithStochasticDepthOnAUsersNetworkIsAClearError(@TempDir Path tmp) throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("images"), 20, 28, 3);
        for (int c = 3; c < 7; c++) { // tiny-7.pt has 7 outputs: copy a class folder to 7 classes
            Path copy = Files.createDirectories(data.resolve("copy" + c));
            try (var images = Files.list(data.resolve(SyntheticData.CLASSES.get(0)))) {
                for (Path image : images.toList()) {
                    Files.copy(image, copy.resolve(image.getFileName()));
                }
            }
        }
        Path policy = Files.writeString(tmp.resolve("policy.json"), """
                {"formatVersion":1,"augmentation":{"steps":[]},"augmentationsPerBatch":0,"labelSmoothing":0.0,"mixupAlpha":0.0,
                "cutmixAlpha":0.0,"weightDecay":null,"dropout":0.0,"stochasticDepth":0.2,"weightAveraging":"none",
                "testTimeAugmentation":false}
                """);
        Path model = Path.of(getClass().getResource("/models/tiny-7.pt").toURI());
        Cli.Outcome r = Cli.run("train", "--data", data.toString(), "--model", model.toString(), "--epochs", "1",
                "--batch-size", "8", "--policy", policy.toString(), "--out", tmp.resolve("run").toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("stochastic depth").contains(policy.toString()).contains("Fix:")
                .doesNotContain("Exception");
    }

    @Test
    void aPolicyWithStochasticDepthOnANetworkWithoutResidualBlocksIsAClearError(@TempDir Path tmp) throws Exception {
        Path data = SegmentationEndToEndTest.scenes(tmp.resolve("scenes"), 24, 3);
        Path policy = Files.writeString(tmp.resolve("policy.json"), """
                {"formatVersion":1,"augmentation":{"steps":[]},"augmentationsPerBatch":0,"labelSmoothing":0.0,"mixupAlpha":0.0,
                "cutmixAlpha":0.0,"weightDecay":null,"dropout":0.0,"stochasticDepth":0.2,"weightAveraging":"none",
                "testTimeAugmentation":false}
                """);
        Cli.Outcome r = Cli.run("train", "--data", data.toString(), "--model", "unet", "--width", "4", "--epochs", "1",
                "--batch-size", "4", "--policy", policy.toString(), "--out", tmp.resolve("run").toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("stochastic depth").contains("unet").contains(policy.toString()).contains("Fix:")
                .doesNotContain("Exception");
    }

    @Test
    void aBrokenPolicyFileNamesTheFile(@TempDir Path tmp) throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("images"), 20, 12, 3);
        Path policy = Files.writeString(tmp.resolve("policy.json"), "{\"augmentation\": 3");
        Cli.Outcome r = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "1",
                "--batch-size", "8", "--policy", policy.toString(), "--out", tmp.resolve("run").toString());
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("policy").contains(policy.toString()).contains("Fix:");
    }

    private static JsonNode find(JsonNode record, String name) {
        for (JsonNode d : record.get("decisions")) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no decision " + name);
    }
}
