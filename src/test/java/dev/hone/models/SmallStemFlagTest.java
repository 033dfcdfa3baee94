package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** --small-stem is applied where a strided stem exists and refused where it would only be recorded. */
class SmallStemFlagTest {

    @Test
    void appliedToTheNetworksWithAStridedStem() {
        for (String arch : new String[] {"resnet18", "resnet34", "resnet50", "mobilenetv2"}) {
            assertThat(ModelFactory.withSmallStemFlag(ModelSpec.of(arch), true).smallStem()).as(arch).isTrue();
        }
    }

    @Test
    void refusedWhereItChangesNothing() {
        for (String arch : new String[] {"resnet9", "resnet20", "resnet56"}) {
            assertThatThrownBy(() -> ModelFactory.withSmallStemFlag(ModelSpec.of(arch), true))
                    .isInstanceOf(HoneException.class)
                    .hasMessageContaining("--small-stem has no effect on " + arch)
                    .hasMessageContaining("Fix: drop --small-stem");
            // saying no is always true, and is what the record then holds
            assertThat(ModelFactory.withSmallStemFlag(ModelSpec.of(arch), false).smallStem()).isFalse();
        }
        assertThatThrownBy(() -> ModelFactory.withSmallStemFlag(ModelSpec.ofTorchScript(Path.of("net.pt")), true))
                .isInstanceOf(HoneException.class).hasMessageContaining("TorchScript");
    }
}
