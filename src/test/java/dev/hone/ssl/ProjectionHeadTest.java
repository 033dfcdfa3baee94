package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** The projection head's layout and shapes. */
class ProjectionHeadTest {

    private static long parameters(Block block) {
        long total = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            total += p.getValue().getArray().size();
        }
        return total;
    }

    @Test
    void defaultIsSimClrShapedTwoLayerMlp() {
        Block head = ProjectionHead.builder().build();
        try (NDManager m = NDManager.newBaseManager()) {
            head.setInitializer(new NormalInitializer(), Parameter.Type.WEIGHT);
            head.initialize(m, DataType.FLOAT32, new Shape(4, 32));
            assertThat(head.getChildren().size()).isEqualTo(4); // linear, norm, relu, linear
            NDList out = head.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(4, 32))), true);
            assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(4, 128));
            // 32 x 512 (no bias) + BatchNorm's gamma and beta (512 each; running stats are not counted) + 512 x 128 + 128
            long norm = head.getChildren().get(1).getValue().getParameters().values().stream()
                    .filter(p -> p.getType() == Parameter.Type.GAMMA || p.getType() == Parameter.Type.BETA)
                    .mapToLong(p -> p.getArray().size()).sum();
            assertThat(norm).isEqualTo(1024);
            assertThat(parameters(head)).isEqualTo(32 * 512 + 4 * 512 + 512 * 128 + 128);
        }
    }

    @Test
    void barlowTwinsShapedHeadHasThreeLinearLayers() {
        Block head = ProjectionHead.builder().optLayers(3).optHidden(64).optOutput(64).build();
        try (NDManager m = NDManager.newBaseManager()) {
            head.initialize(m, DataType.FLOAT32, new Shape(5, 16));
            assertThat(head.getChildren().size()).isEqualTo(7);
            assertThat(head.getOutputShapes(new Shape[] {new Shape(5, 16)})[0]).isEqualTo(new Shape(5, 64));
            NDList out = head.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(5, 16))), false);
            assertThat(out.singletonOrThrow().getShape()).isEqualTo(new Shape(5, 64));
        }
        assertThat(ProjectionHead.builder().optLayers(1).build().getChildren().size()).isEqualTo(1);
    }

    @Test
    void refusesEmptySizes() {
        assertThatThrownBy(() -> ProjectionHead.builder().optLayers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProjectionHead.builder().optHidden(0)).hasMessageContaining("hidden");
        assertThatThrownBy(() -> ProjectionHead.builder().optOutput(-1)).hasMessageContaining("output");
    }
}
