package dev.hone.metalearn.probe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.optimize.SgdNesterov;
import dev.hone.train.SyntheticData;
import org.junit.jupiter.api.Test;

/** A probe's step on a non-finite gradient leaves the weights as they were and clears the gradient; a finite one steps. */
class ProbeStepTest {
    @Test
    void aNonFiniteGradientIsNotSteppedOn() {
        ImageSet set = SyntheticData.set(20, 12, 3);
        Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
        SgdNesterov optimizer = new SgdNesterov(0.01f, 0.9f, 0f);
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(16), new Shape(1, 12, 12), 3);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                ResidentDataset data = new ResidentDataset(set, Normalization.of(set), Device.cpu())) {
            trainer.initialize(new Shape(1, 1, 12, 12));
            optimizer.bind(model.getBlock());
            ProbeContext ctx = new ProbeContext(model, trainer, optimizer, loss, data, 5);
            NDArray first = model.getBlock().getParameters().get(0).getValue().getArray();
            int[] order = EpochOrder.permutation(1, 1, set.size());
            try (NDManager m = data.manager().newSubManager()) {
                ctx.backward(data.batch(order, 0, 16, m));
            }
            float[] before = first.toFloatArray();
            try (NDArray g = first.getGradient()) {
                g.muli(Float.NaN);
            }
            assertThat(HoneOptimizer.gradientsFinite(model.getBlock())).isFalse();

            assertThat(ctx.step()).isFalse();
            assertThat(first.toFloatArray()).isEqualTo(before);
            assertThat(HoneOptimizer.gradientsFinite(model.getBlock())).as("the gradients were cleared").isTrue();
            assertThat(ctx.gradientSquaredNorm()).isZero();

            try (NDManager m = data.manager().newSubManager()) {
                ctx.backward(data.batch(order, 16, 32, m));
            }
            assertThat(ctx.step()).isTrue();
            assertThat(first.toFloatArray()).isNotEqualTo(before);
        }
    }
}
