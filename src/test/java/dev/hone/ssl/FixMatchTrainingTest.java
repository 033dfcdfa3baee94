package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.engine.Engine;
import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.train.SyntheticData;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** FixMatch as a technique: the strong views join the batch, the outputs are split back, the loss gains l_u. */
class FixMatchTrainingTest {
    private static final ImageSet SET = SyntheticData.set(10, 12, 1); // 30 grey 12x12 images

    private record Step(float addedLoss, double maskRate, long inputRows, long outputRows, float gradientNorm) {}

    /** One training step of a linear classifier on 4 labeled images and 4 * ratio unlabeled ones. */
    private static Step step(float threshold, int ratio) {
        Normalization norm = Normalization.of(SET);
        try (NDManager m = NDManager.newBaseManager(); ResidentDataset pool = new ResidentDataset(SET, norm, Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(3).build());
            block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 12, 12));
            FixMatchTraining fixMatch = new FixMatchTraining(block, pool, ratio, threshold, 1.0, false, norm, 7);
            TrainingState state = new TrainingState(1, 10, 0.1);
            state.beginBatch(m.randomNormal(new Shape(4, 1, 12, 12)), m.zeros(new Shape(4, 3)));
            fixMatch.apply(Event.BATCH_START, state);
            long inputRows = state.inputs().getShape().get(0);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                state.setOutputs(block.forward(new ParameterStore(m, false), new NDList(state.inputs()), true).singletonOrThrow());
                fixMatch.apply(Event.BEFORE_LOSS, state);
                long outputRows = state.outputs().getShape().get(0);
                NDArray supervised = state.outputs().mul(0).sum(); // a supervised loss of 0 with no gradient of its own
                state.setLoss(supervised);
                fixMatch.apply(Event.AFTER_LOSS, state);
                float added = state.loss().getFloat();
                collector.backward(state.loss());
                NDArray gradient = block.getParameters().valueAt(0).getArray().getGradient();
                return new Step(added, fixMatch.meanMaskRate(), inputRows, outputRows, gradient.norm().getFloat());
            }
        }
    }

    @Test
    void theStrongViewsJoinTheLabeledBatchAndTheOutputsAreSplitBack() {
        Step s = step(0.01f, 3);
        assertThat(s.inputRows()).isEqualTo(4 + 12);
        assertThat(s.outputRows()).isEqualTo(4);
    }

    @Test
    void confidentWeakPredictionsAddAConsistencyLossThatTrainsTheNetwork() {
        // every weak prediction passes a threshold of 0.01: l_u is the strong views' mean cross-entropy, > 0
        Step all = step(0.01f, 2);
        assertThat(all.maskRate()).isEqualTo(1.0);
        assertThat(all.addedLoss()).isPositive();
        assertThat(all.gradientNorm()).isPositive();
        // none passes a threshold of 1: nothing is added and nothing trains
        Step none = step(1f, 2);
        assertThat(none.maskRate()).isEqualTo(0.0);
        assertThat(none.addedLoss()).isCloseTo(0f, within(1e-7f));
        assertThat(none.gradientNorm()).isCloseTo(0f, within(1e-7f));
    }

    @Test
    void eachPassDrawsEveryUnlabeledImageOnceAndTheSameSeedDrawsTheSameImages() {
        Normalization norm = Normalization.of(SET);
        try (ResidentDataset pool = new ResidentDataset(SET, norm, Device.cpu())) {
            FixMatchTraining a = new FixMatchTraining(null, pool, 7, 0.95f, 1.0, false, norm, 11).withMicroBatches(2);
            FixMatchTraining b = new FixMatchTraining(null, pool, 7, 0.95f, 1.0, false, norm, 11).withMicroBatches(2);
            // two micro-batches of 5 draws a step over 30 images: steps 0 to 2 are one pass (positions 0 to 29)
            Set<Integer> firstPass = new HashSet<>();
            for (int step = 0; step < 3; step++) {
                for (int micro = 0; micro < 2; micro++) {
                    int[] drawn = a.draw(step, micro, 5);
                    assertThat(drawn).isEqualTo(b.draw(step, micro, 5));
                    Arrays.stream(drawn).forEach(firstPass::add);
                }
            }
            assertThat(firstPass).hasSize(30);
            // the next pass is another order of the same images
            int[] second = new int[30];
            for (int step = 3; step < 6; step++) {
                for (int micro = 0; micro < 2; micro++) {
                    System.arraycopy(a.draw(step, micro, 5), 0, second, ((step - 3) * 2 + micro) * 5, 5);
                }
            }
            assertThat(Arrays.stream(second).boxed().collect(java.util.stream.Collectors.toSet())).hasSize(30);
        }
    }
}
