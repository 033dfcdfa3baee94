package dev.hone.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import dev.hone.data.Normalization;
import dev.hone.train.SyntheticData;
import org.junit.jupiter.api.Test;

/** Self-supervised pretraining as a technique: two views per image, and the loss is the views' alone. */
class SelfSupervisedPretrainingTest {
    private record Step(long inputRows, long outputRows, float loss, float expected, float gradientNorm, float[] firstView) {}

    /** One step of a linear projection of 6 images with {@code method}; the loop's own loss is a constant 5. */
    private static Step step(SelfSupervisedPretraining.Method method, long seed) {
        Normalization norm = Normalization.of(SyntheticData.set(4, 12, 1));
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(8).build());
            block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 12, 12));
            SelfSupervisedPretraining technique = new SelfSupervisedPretraining(method, norm, seed);
            TrainingState state = new TrainingState(1, 10, 0.1);
            Engine.getInstance().setRandomSeed(5);
            state.beginBatch(m.randomNormal(new Shape(6, 1, 12, 12)), m.zeros(new Shape(6, 8)));
            technique.apply(Event.BATCH_START, state);
            long inputRows = state.inputs().getShape().get(0);
            float[] firstView = state.inputs().get(new NDIndex("0")).toFloatArray();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray z = block.forward(new ParameterStore(m, false), new NDList(state.inputs()), true).singletonOrThrow();
                state.setOutputs(z);
                technique.apply(Event.BEFORE_LOSS, state);
                long outputRows = state.outputs().getShape().get(0);
                state.setLoss(m.create(5f));
                technique.apply(Event.AFTER_LOSS, state);
                NDArray z1 = z.get(new NDIndex(":6"));
                NDArray z2 = z.get(new NDIndex("6:"));
                float expected = (method == SelfSupervisedPretraining.Method.SIMCLR ? NtXent.loss(z1, z2, NtXent.PAPER_TEMPERATURE)
                        : BarlowTwins.loss(z1, z2, BarlowTwins.PAPER_LAMBDA)).getFloat();
                float loss = state.loss().getFloat();
                collector.backward(state.loss());
                float gradient = block.getParameters().valueAt(0).getArray().getGradient().norm().getFloat();
                return new Step(inputRows, outputRows, loss, expected, gradient, firstView);
            }
        }
    }

    @Test
    void eachImageBecomesTwoViewsAndTheLossIsNtXentBetweenThem() {
        Step s = step(SelfSupervisedPretraining.Method.SIMCLR, 7);
        assertThat(s.inputRows()).isEqualTo(12);
        assertThat(s.outputRows()).as("the loop's own loss sees one view").isEqualTo(6);
        assertThat(s.loss()).as("the loop's loss is replaced").isCloseTo(s.expected(), within(1e-5f)).isNotEqualTo(5f);
        assertThat(s.gradientNorm()).isPositive();
    }

    @Test
    void barlowTwinsReplacesTheLossWithRedundancyReduction() {
        Step s = step(SelfSupervisedPretraining.Method.BARLOW_TWINS, 7);
        assertThat(s.loss()).isCloseTo(s.expected(), within(1e-3f)).isPositive();
        assertThat(s.gradientNorm()).isPositive();
    }

    @Test
    void theViewsFollowTheSeed() {
        assertThat(step(SelfSupervisedPretraining.Method.SIMCLR, 7).firstView())
                .isEqualTo(step(SelfSupervisedPretraining.Method.SIMCLR, 7).firstView())
                .isNotEqualTo(step(SelfSupervisedPretraining.Method.SIMCLR, 8).firstView());
    }

    @Test
    void methodsAreNamedAsTheCliNamesThem() {
        assertThat(SelfSupervisedPretraining.Method.of("simclr")).isEqualTo(SelfSupervisedPretraining.Method.SIMCLR);
        assertThat(SelfSupervisedPretraining.Method.of("barlow-twins")).isEqualTo(SelfSupervisedPretraining.Method.BARLOW_TWINS);
        assertThat(SelfSupervisedPretraining.Method.of("fixmatch")).isNull();
        assertThat(SelfSupervisedPretraining.settings(SelfSupervisedPretraining.Method.SIMCLR)).containsEntry("temperature", 0.5)
                .containsEntry("embedding", 128);
    }
}
