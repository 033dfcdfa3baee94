package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import dev.hone.core.HoneException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A TorchScript file exported by PyTorch 1.13 ({@code make_tiny_torchscript.py}) loaded under DJL's
 * libtorch 2.7.1: checked, fine-tuned, saved and restored.
 */
class TorchScriptTest {

    private static final Shape CHW = new Shape(1, 28, 28);
    private static final Shape BATCH = new Shape(4, 1, 28, 28);

    static Path fixture(String name) {
        try {
            return Path.of(TorchScriptTest.class.getResource("/models/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void loadsAndRunsAtTheDataShape() {
        try (NDManager manager = NDManager.newBaseManager();
                Model model = ModelFactory.create(ModelSpec.ofTorchScript(fixture("tiny-10.pt")), CHW, 10)) {
            NDArray out = Nets.predict(model, manager, manager.randomNormal(new Shape(2, 1, 28, 28)));
            assertThat(out.getShape()).isEqualTo(new Shape(2, 10));
        }
    }

    @Test
    void oneTrainingStepChangesItsParameters() {
        Engine.getInstance().setRandomSeed(21);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = ModelFactory.create(ModelSpec.ofTorchScript(fixture("tiny-10.pt")), CHW, 10);
                Trainer trainer = Nets.trainer(model, BATCH)) {
            List<Parameter> parameters = new ArrayList<>();
            List<float[]> before = new ArrayList<>();
            for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
                assertThat(p.getValue().requiresGradient()).as(p.getKey()).isTrue();
                parameters.add(p.getValue());
                before.add(p.getValue().getArray().toFloatArray());
            }
            // conv1, bn1 gamma+beta, conv2, bn2 gamma+beta, fc weight+bias; running stats are buffers
            assertThat(parameters).hasSize(8);
            Nets.step(trainer, manager.randomNormal(BATCH), 10);
            for (int i = 0; i < parameters.size(); i++) {
                assertThat(parameters.get(i).getArray().toFloatArray())
                        .as(parameters.get(i).getName()).isNotEqualTo(before.get(i));
            }
        }
    }

    @Test
    void fineTunedModelSavesAndLoadsWithIdenticalOutputs(@TempDir Path dir) {
        Engine.getInstance().setRandomSeed(22);
        ModelSpec spec = ModelSpec.ofTorchScript(fixture("tiny-10.pt"));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(BATCH);
            float[] before;
            float[] original;
            try (Model model = ModelFactory.create(spec, CHW, 10);
                    Trainer trainer = Nets.trainer(model, BATCH)) {
                original = Nets.predict(model, manager, x).toFloatArray();
                Nets.step(trainer, x, 10);
                Nets.step(trainer, x, 10);
                before = Nets.predict(model, manager, x).toFloatArray();
                ModelFactory.saveWeights(model, dir);
            }
            assertThat(before).isNotEqualTo(original);
            assertThat(dir.resolve("model.pt")).isRegularFile();
            try (Model loaded = ModelFactory.load(spec, CHW, 10, dir)) {
                assertThat(Nets.predict(loaded, manager, x).toFloatArray()).containsExactly(before);
            }
        }
    }

    @Test
    void readWeightsRestoresTheSameModelAndTheTrainerKeepsTrainingIt() {
        Engine.getInstance().setRandomSeed(23);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = ModelFactory.create(ModelSpec.ofTorchScript(fixture("tiny-10.pt")), CHW, 10);
                Trainer trainer = Nets.trainer(model, BATCH)) {
            NDArray x = manager.randomNormal(BATCH);
            Nets.step(trainer, x, 10);
            float[] saved = Nets.predict(model, manager, x).toFloatArray();
            byte[] checkpoint = Nets.snapshot(model);

            Nets.step(trainer, x, 10);
            float[] afterOneStep = Nets.predict(model, manager, x).toFloatArray();
            Nets.step(trainer, x, 10);
            assertThat(Nets.predict(model, manager, x).toFloatArray()).isNotEqualTo(saved);

            Nets.restore(model, checkpoint);
            assertThat(Nets.predict(model, manager, x).toFloatArray()).containsExactly(saved);

            Nets.step(trainer, x, 10);
            assertThat(Nets.predict(model, manager, x).toFloatArray()).containsExactly(afterOneStep);
        }
    }

    @Test
    void wrongOutputSizeNamesFileExpectedActualAndFix() {
        Path file = fixture("tiny-7.pt");
        assertThatThrownBy(() -> ModelFactory.create(ModelSpec.ofTorchScript(file), CHW, 10))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("(1, 7)")
                .hasMessageContaining("(1, 10)")
                .hasMessageContaining("re-export the model with a final layer of 10 outputs");
    }

    @Test
    void wrongInputChannelsNamesFile() {
        Path file = fixture("tiny-10.pt");
        assertThatThrownBy(() -> ModelFactory.create(ModelSpec.ofTorchScript(file), new Shape(3, 32, 32), 10))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("3");
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path file = dir.resolve("gone.pt");
        assertThatThrownBy(() -> ModelFactory.create(ModelSpec.ofTorchScript(file), CHW, 10))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(file.toString());
    }
}
