package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.models.ModelSpec;
import dev.hone.record.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A --policy file is read strictly: what hone would not write, or could not train as written, is refused up front. */
class PolicyFileTest {
    @TempDir
    Path tmp;

    private Path file(String json) throws Exception {
        Path f = tmp.resolve("p" + System.nanoTime() + ".json");
        Files.writeString(f, json);
        return f;
    }

    private void refused(String json, String... parts) throws Exception {
        Path f = file(json);
        assertThatThrownBy(() -> PolicyFile.read(f)).as(json).isInstanceOf(HoneException.class)
                .hasMessageContaining(f.toAbsolutePath().toString()).hasMessageContainingAll(parts)
                .satisfies(e -> assertThat(e.getMessage().split("Fix:", -1)).as("one fix: %s", e.getMessage()).hasSize(2));
    }

    @Test
    void aPolicyHoneWroteReadsBackEqual() throws Exception {
        RegularizationPolicy p = RegularizationPolicy.searchStart().withSoftLabels(0.1, 0, 1.0).withDropout(0.2).withWeightDecay(0.1)
                .withAugmentation(RegularizationPolicy.augmentationOf(new java.util.LinkedHashMap<>(java.util.Map.of("rotate", 0.5))), 1)
                .withEvaluation("swa", true);
        Path f = tmp.resolve("policy.json");
        Json.write(f, p);
        assertThat(PolicyFile.read(f)).isEqualTo(p);
        // a run's output folder stands for its policy.json
        assertThat(PolicyFile.read(tmp)).isEqualTo(p);
        // a hand-written file may leave fields out, the format included; an integer is a number
        assertThat(PolicyFile.read(file("{\"cutmixAlpha\": 1}")).cutmixAlpha()).isEqualTo(1.0);
    }

    @Test
    void filesThatAreNotPoliciesAreRefused() throws Exception {
        refused("{}", "sets nothing");
        refused("{\"formatVersion\": 1}", "sets nothing");
        refused("null", "no JSON object");
        refused("[1]", "no JSON object");
        refused("{\"formatVersion\":1,\"mixup\":0.4,\"label_smoothing\":0.1}", "mixup (did you mean mixupAlpha?)",
                "label_smoothing (did you mean labelSmoothing?)");
        refused("{\"startedAt\": \"2026\", \"decisions\": []}", "fields hone does not know: startedAt, decisions");
        // a run's record beside its policy.json: the fix names that file
        Path run = java.nio.file.Files.createDirectories(tmp.resolve("run"));
        Json.write(run.resolve("policy.json"), RegularizationPolicy.searchStart().withSoftLabels(0, 0, 1.0));
        java.nio.file.Files.writeString(run.resolve("training-record.json"), "{\"startedAt\": \"2026\", \"test\": {}}");
        assertThatThrownBy(() -> PolicyFile.read(run.resolve("training-record.json"))).hasMessageContaining("Fix: pass "
                + run.resolve("policy.json").toAbsolutePath() + ", the run's policy beside it").hasMessageNotContaining("did you mean");
        refused("{\"formatVersion\": 0, \"cutmixAlpha\": 1.0}", "formatVersion is 0");
        refused("{\"formatVersion\": 2, \"cutmixAlpha\": 1.0}", "newer hone");
        refused("{\"cutmixAlpha\": ", "not JSON");
    }

    @Test
    void valuesOutOfRangeOrOfTheWrongTypeAreRefused() throws Exception {
        refused("{\"weightDecay\": -0.1}", "weightDecay is -0.1", "[0, 1)");
        refused("{\"mixupAlpha\": -1}", "mixupAlpha is -1.0");
        refused("{\"cutmixAlpha\": 50}", "cutmixAlpha is 50.0");
        refused("{\"labelSmoothing\": 1.0}", "labelSmoothing is 1.0");
        refused("{\"dropout\": 1.5}", "dropout is 1.5");
        refused("{\"stochasticDepth\": 2}", "stochasticDepth is 2.0");
        refused("{\"weightAveraging\": \"EMA\"}", "weightAveraging is \"EMA\"", "in lower case");
        refused("{\"augmentation\":{\"steps\":[{\"transform\":\"rotate\",\"magnitude\":0.5}]},\"augmentationsPerBatch\":-3}",
                "augmentationsPerBatch is -3");
        refused("{\"testTimeAugmentation\": 1}", "testTimeAugmentation has a value of the wrong type");
        refused("{\"augmentation\":{\"steps\":[{\"transform\":\"rotate\",\"magnitude\":\"0.5\"}]}}",
                "augmentation.steps[0].magnitude has a value of the wrong type");
        refused("{\"dropout\": \"\"}", "dropout has a value of the wrong type");
        refused("{\"augmentation\":{\"steps\":[\"rotate\"]}}", "augmentation.steps[0] has a value of the wrong type");
        refused("{\"augmentationsPerBatch\": 1.5}", "wrong type");
        // inside the augmentation too: a misspelt field is named with where it sits, not read as 0
        refused("{\"augmentation\":{\"steps\":[{\"transform\":\"rotate\",\"magnitde\":0.5}]}}",
                "field hone does not know: 'magnitde' in augmentation.steps[0]");
        refused("{\"augmentation\":{\"step\":[]}}", "\"augmentation\" is malformed");
        refused("{\"augmentation\":{\"steps\":[null]}}", "\"augmentation\" is malformed");
        refused("{\"weightDecay\": 1.0}", "weightDecay is 1.0", "[0, 1)");
        // the record's own check of a magnitude keeps its message, and the file is named once
        refused("{\"augmentation\":{\"steps\":[{\"transform\":\"rotate\",\"magnitude\":1.5}]}}", "magnitude 1.5 is outside [0,1]");
    }

    @Test
    void aMissingFileOrAFolderWithoutOneIsNamed() {
        assertThatThrownBy(() -> PolicyFile.read(tmp.resolve("gone.json"))).hasMessageContaining("policy file not found");
        assertThatThrownBy(() -> PolicyFile.read(tmp)).hasMessageContaining("not found in the folder " + tmp.toAbsolutePath());
    }

    @Test
    void colourTransformsOnGreyImagesAreRefusedBeforeTraining() throws Exception {
        Path f = file("{\"augmentation\":{\"steps\":[{\"transform\":\"hue\",\"magnitude\":0.5},{\"transform\":\"rotate\",\"magnitude\":0.5}]}}");
        RegularizationPolicy p = PolicyFile.read(f);
        PolicyFile.checkFits(p, f, ModelSpec.of("resnet9"), 3);
        assertThatThrownBy(() -> PolicyFile.checkFits(p, f, ModelSpec.of("resnet9"), 1)).isInstanceOf(HoneException.class)
                .hasMessageContaining("hue needs colour images, and these have 1 channel").hasMessageContaining(f.toAbsolutePath().toString())
                .hasMessageContaining("remove that step");
    }
}
