package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

class ModelSpecTest {

    @Test
    void parsesKnownNamesCaseInsensitively() {
        assertThat(ModelSpec.parse("ResNet9").architecture()).isEqualTo("resnet9");
        assertThat(ModelSpec.parse("resnet-18").architecture()).isEqualTo("resnet18");
        assertThat(ModelSpec.parse("MobileNetV2").architecture()).isEqualTo("mobilenetv2");
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
        assertThat(spec).isEqualTo(new ModelSpec("resnet18", 16, true, null, 0.99f));
    }
}
