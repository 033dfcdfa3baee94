package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.record.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void parsesKnownNamesCaseInsensitively() {
        assertThat(ModelSpec.parse("ResNet9").architecture()).isEqualTo("resnet9");
        assertThat(ModelSpec.parse("resnet-18").architecture()).isEqualTo("resnet18");
        assertThat(ModelSpec.parse("MobileNetV2").architecture()).isEqualTo("mobilenetv2");
        assertThat(ModelSpec.parse("U-Net").architecture()).isEqualTo("unet");
        assertThat(ModelSpec.parse("unet_resnet18").architecture()).isEqualTo("unet-resnet18");
        assertThat(ModelSpec.parse("UNetResNet34").architecture()).isEqualTo("unet-resnet34");
        ModelSpec spec = ModelSpec.parse("resnet20");
        assertThat(spec.width()).isZero();
        assertThat(spec.usesTorchScript()).isFalse();
        assertThat(spec.batchNormMomentum()).isEqualTo(0.9f);
        for (String name : ModelFactory.knownArchitectures()) {
            assertThat(ModelSpec.parse(name.toUpperCase()).architecture()).isEqualTo(name);
        }
    }

    @Test
    void unknownNameListsKnownArchitecturesAndTorchScript() {
        assertThatThrownBy(() -> ModelSpec.parse("vgg16"))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("vgg16")
                .hasMessageContaining(String.join(", ", ModelFactory.knownArchitectures()))
                .hasMessageContaining("TorchScript");
    }

    @Test
    void parsesExistingTorchScriptPath() {
        Path file = Path.of("src/test/resources/models/tiny-10.pt");
        ModelSpec spec = ModelSpec.parse(file.toString());
        assertThat(spec.usesTorchScript()).isTrue();
        assertThat(spec.architecture()).isEqualTo(ModelSpec.TORCHSCRIPT);
        assertThat(spec.torchScript()).isEqualTo(file.toString());
    }

    @Test
    void missingTorchScriptFileIsNamed() {
        assertThatThrownBy(() -> ModelSpec.parse("no/such/net.pth"))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("not found")
                .hasMessageContaining("net.pth");
    }

    @Test
    void withersKeepOtherFields() {
        ModelSpec spec = ModelSpec.of("resnet18").withWidth(16).withSmallStem(true)
                .withBatchNormMomentum(0.99f);
        assertThat(spec).isEqualTo(new ModelSpec("resnet18", 16, true, null, 0.99f, 0));
    }

    @Test
    void withDropoutKeepsOtherFieldsAndChecksTheRate() {
        ModelSpec spec = ModelSpec.of("mobilenetv2").withWidth(16).withDropout(0.2);
        assertThat(spec).isEqualTo(new ModelSpec("mobilenetv2", 16, false, null, 0.9f, 0.2));
        assertThat(spec.withWidth(8).dropout()).isEqualTo(0.2);
        assertThat(ModelSpec.of("resnet9").dropout()).isZero();
        assertThatThrownBy(() -> spec.withDropout(1.0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> spec.withDropout(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spec.withDropout(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void torchScriptHasNoDropoutToSet() {
        ModelSpec spec = ModelSpec.ofTorchScript(Path.of("net.pt"));
        assertThat(ModelFactory.supportsDropout(spec)).isFalse();
        assertThat(ModelFactory.supportsDropout(ModelSpec.of("resnet18"))).isTrue();
        assertThat(spec.withDropout(0).dropout()).isZero();
        assertThatThrownBy(() -> spec.withDropout(0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("supportsDropout");
    }

    @Test
    void aSpecWrittenBeforeDropoutExistedStillReads() throws Exception {
        // the "model" object of a hone-model.json written before the dropout field was added
        String old = """
                {"architecture":"resnet9","width":16,"smallStem":true,"torchScript":null,"batchNormMomentum":0.95}
                """;
        ModelSpec spec = Json.mapper().readValue(old, ModelSpec.class);
        assertThat(spec).isEqualTo(new ModelSpec("resnet9", 16, true, null, 0.95f, 0));
    }

    @Test
    void dropoutSurvivesAJsonRoundTrip() throws Exception {
        ModelSpec spec = ModelSpec.of("resnet20").withDropout(0.3);
        String json = Json.mapper().writeValueAsString(spec);
        assertThat(json).contains("\"dropout\" : 0.3");
        assertThat(Json.mapper().readValue(json, ModelSpec.class)).isEqualTo(spec);
    }
}
