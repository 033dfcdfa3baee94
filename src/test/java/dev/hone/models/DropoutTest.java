package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.Evaluator;
import dev.hone.loop.ResidentDataset;
import dev.hone.tasks.Predictions;
import dev.hone.train.SyntheticData;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The optional dropout layer before each built-in classifier: where it sits, and that it is off in evaluation. */
class DropoutTest {

    private static final Shape CHW = new Shape(1, 12, 12);
    private static final Shape BATCH = new Shape(4, 1, 12, 12);

    /** The classifiers; the segmentation networks' spatial dropout is tested in {@code UNetTest}. */
    static List<String> architectures() {
        return ModelFactory.classificationArchitectures();
    }

    /** A narrow spec so that every architecture builds and runs in a moment. */
    private static ModelSpec narrow(String architecture) {
        return ModelSpec.of(architecture).withWidth(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void dropoutSitsJustBeforeTheClassifierOnlyWhenAskedFor(String architecture) {
        List<Block> with = ModelFactory.block(narrow(architecture).withDropout(0.3), 3).getChildren().values();
        assertThat(with.get(with.size() - 1)).isInstanceOf(Linear.class);
        assertThat(with.get(with.size() - 2)).isInstanceOf(Dropout.class);

        List<Block> without = ModelFactory.block(narrow(architecture), 3).getChildren().values();
        assertThat(without).hasSize(with.size() - 1);
        assertThat(without).noneMatch(b -> b instanceof Dropout);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void dropoutAddsNoParametersAndIsOffInInference(String architecture) {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager();
                Model plain = ModelFactory.create(narrow(architecture), CHW, 3);
                Trainer t1 = Nets.trainer(plain, BATCH);
                Model dropped = ModelFactory.create(narrow(architecture).withDropout(0.5), CHW, 3);
                Trainer t2 = Nets.trainer(dropped, BATCH)) {
            assertThat(Nets.trainableCount(dropped)).isEqualTo(Nets.trainableCount(plain));
            NDArray x = manager.randomNormal(BATCH);
            float[] first = Nets.predict(dropped, manager, x).toFloatArray();
            assertThat(Nets.predict(dropped, manager, x).toFloatArray()).containsExactly(first);
        }
    }

    @Test
    void trainingForwardDropsUnitsButTheEvaluatorIsDeterministic() {
        Engine.getInstance().setRandomSeed(5);
        ImageSet set = SyntheticData.set(4, 12, 2);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = ModelFactory.create(narrow("resnet9").withDropout(0.5), CHW, 3);
                Trainer trainer = Nets.trainer(model, BATCH);
                ResidentDataset data = new ResidentDataset(set, Normalization.of(set), Device.cpu())) {
            NDArray x = manager.randomNormal(BATCH);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray a = model.getBlock().forward(store, new NDList(x), true).singletonOrThrow();
            NDArray b = model.getBlock().forward(store, new NDList(x), true).singletonOrThrow();
            assertThat(a.toFloatArray()).isNotEqualTo(b.toFloatArray()); // dropout is live in training

            Predictions p1 = Evaluator.predict(model.getBlock(), data, 5);
            Predictions p2 = Evaluator.predict(model.getBlock(), data, 5);
            for (int i = 0; i < set.size(); i++) {
                assertThat(p2.probabilities()[i]).containsExactly(p1.probabilities()[i]);
            }
        }
    }
}
