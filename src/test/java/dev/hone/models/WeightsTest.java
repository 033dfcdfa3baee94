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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Saving and restoring built-in networks, BatchNorm running statistics included. */
class WeightsTest {

    private static final Shape CHW = new Shape(1, 28, 28);
    private static final Shape BATCH = new Shape(4, 1, 28, 28);

    @Test
    void savedResnet9LoadsIntoAFreshModelWithIdenticalOutputs(@TempDir Path dir) {
        Engine.getInstance().setRandomSeed(11);
        ModelSpec spec = ModelSpec.of("resnet9").withWidth(8);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(BATCH);
            float[] before;
            try (Model model = ModelFactory.create(spec, CHW, 10);
                    Trainer trainer = Nets.trainer(model, BATCH)) {
                Nets.step(trainer, x, 10); // moves weights and running statistics off their init
                Nets.step(trainer, x, 10);
                before = Nets.predict(model, manager, x).toFloatArray();
                ModelFactory.saveWeights(model, dir);
            }
            try (Model loaded = ModelFactory.load(spec, CHW, 10, dir)) {
                assertThat(Nets.predict(loaded, manager, x).toFloatArray()).containsExactly(before);
            }
        }
    }

    @Test
    void readWeightsRestoresTheSameModelAndTheTrainerKeepsTrainingIt() {
        Engine.getInstance().setRandomSeed(12);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(8), CHW, 10);
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

            // the trainer's cached parameters are the restored ones: the same step gives the same result
            Nets.step(trainer, x, 10);
            assertThat(Nets.predict(model, manager, x).toFloatArray()).containsExactly(afterOneStep);
        }
    }

    @Test
    void checkpointOfAnotherArchitectureIsRejected() {
        try (Model small = ModelFactory.create(ModelSpec.of("resnet9").withWidth(8), CHW, 10);
                Trainer t1 = Nets.trainer(small, BATCH);
                Model wide = ModelFactory.create(ModelSpec.of("resnet9").withWidth(16), CHW, 10);
                Trainer t2 = Nets.trainer(wide, BATCH)) {
            byte[] checkpoint = Nets.snapshot(small);
            assertThatThrownBy(() -> Nets.restore(wide, checkpoint))
                    .isInstanceOf(HoneException.class)
                    .hasMessageContaining("shape");
        }
    }

    @Test
    void loadingFromAnEmptyDirectorySaysWhere(@TempDir Path dir) {
        assertThatThrownBy(() -> ModelFactory.load(ModelSpec.of("resnet20"), CHW, 10, dir))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(dir.toAbsolutePath().toString());
    }
}
