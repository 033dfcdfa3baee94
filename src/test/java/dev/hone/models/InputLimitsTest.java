package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;
import dev.hone.core.HoneException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each architecture's declared smallest input is the one its layers really accept. */
class InputLimitsTest {

    static Stream<Arguments> everySpec() {
        List<Arguments> cases = new ArrayList<>();
        for (String arch : ModelFactory.knownArchitectures()) {
            ModelSpec spec = ModelSpec.of(arch).withWidth(4);
            cases.add(Arguments.of(spec));
            if (ModelFactory.supportsSmallStem(spec)) {
                cases.add(Arguments.of(spec.withSmallStem(true)));
            }
        }
        return cases.stream();
    }

    @Test
    void minimumSidesFollowFromTheStridesAndPoolings() {
        // resnet9: two unpadded 2x2 max-pools, 4 -> 2 -> 1; every other network pads its strided windows
        assertThat(InputLimits.minimumSide(ModelSpec.of("resnet9"))).isEqualTo(4);
        for (String arch : List.of("resnet18", "resnet34", "resnet50", "resnet20", "resnet56", "mobilenetv2")) {
            assertThat(InputLimits.minimumSide(ModelSpec.of(arch))).as(arch).isEqualTo(1);
        }
        assertThat(InputLimits.minimumSide(ModelSpec.of("resnet18").withSmallStem(true))).isEqualTo(1);
        // the U-Nets pad their input to a multiple of their bottom stride
        for (String arch : ModelFactory.segmentationArchitectures()) {
            assertThat(InputLimits.minimumSide(ModelSpec.of(arch))).as(arch).isEqualTo(1);
        }
    }

    @Test
    void windowArithmeticMatchesPyTorch() {
        InputLimits.Window pool = new InputLimits.Window(2, 2, 0);
        assertThat(pool.apply(3)).isEqualTo(1);
        assertThat(pool.apply(1)).isZero();
        InputLimits.Window stem = new InputLimits.Window(7, 2, 3);
        assertThat(stem.apply(224)).isEqualTo(112);
        assertThat(stem.apply(1)).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everySpec")
    void forwardRunsAtExactlyTheMinimum(ModelSpec spec) {
        int side = InputLimits.minimumSide(spec);
        int cells = (side + 3) / 4;
        assertThat(forward(spec, side)).isEqualTo(switch (ModelFactory.headOf(spec)) {
            case PIXELS -> new Shape(1, 2, side, side);
            case CENTRES -> new Shape(1, 2 + 4, cells, cells); // two heatmaps, size and offset at stride 4
            case IMAGE -> new Shape(1, 2);
        });
    }

    @Test
    void resnet9FailsOnePixelBelowItsMinimumAndTheCheckRefusesFirst() {
        ModelSpec spec = ModelSpec.of("resnet9").withWidth(4);
        assertThatThrownBy(() -> forward(spec, 3)).hasMessageContaining("too small");
        assertThatThrownBy(() -> InputLimits.check(spec, 3, 3, "/data/tiny"))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("/data/tiny").hasMessageContaining("3x3")
                .hasMessageContaining("at least 4x4").hasMessageContaining("resize")
                .hasMessageContaining("--model resnet18");
        assertThatThrownBy(() -> InputLimits.check(spec, 28, 2, "d")).hasMessageContaining("28x2");
        InputLimits.check(spec, 4, 4, "d");
    }

    @Test
    void torchScriptFailuresOnSmallInputsAreRecognised() {
        assertThat(TorchScriptModels.tooSmall("RuntimeError: Given input size: (8x1x1). Calculated output size: (8x0x0)."
                + " Output size is too small")).isTrue();
        assertThat(TorchScriptModels.tooSmall("Kernel size can't be greater than actual input size")).isTrue();
        assertThat(TorchScriptModels.tooSmall("shape '[2, 3]' is invalid for input of size 7")).isFalse();
        assertThat(TorchScriptModels.tooSmall(null)).isFalse();
    }

    /** One inference pass of a freshly initialized network on one {@code side x side} grey image, 2 classes. */
    private static Shape forward(ModelSpec spec, int side) {
        Engine.getInstance().setRandomSeed(3);
        Shape batch = new Shape(1, 1, side, side);
        int outputs = ModelFactory.headOf(spec) == ModelFactory.Head.CENTRES ? 2 + 4 : 2;
        try (Model model = ModelFactory.create(spec, new Shape(1, side, side), outputs);
                Trainer trainer = Nets.trainer(model, batch);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray out = Nets.predict(model, manager, manager.randomNormal(batch));
            assertThat(out.isNaN().any().getBoolean()).isFalse();
            return out.getShape();
        }
    }
}
