package dev.hone.metalearn.probe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.optimize.SgdNesterov;
import org.junit.jupiter.api.Test;

/** A probe's step on a non-finite gradient leaves the weights as they were and clears the gradient; a finite one steps. */
class ProbeStepTest {
    @Test
    void aNonFiniteGradientIsNotSteppedOn() throws Exception {
        // width 16: every convolution aligned, so no native NaN adds to the poisoned gradient
        ProbesLeaveNoMarkTest.inContext(16, new SgdNesterov(0.01f, 0.9f, 0f), (model, ctx, data, order) -> {
            NDArray first = model.getBlock().getParameters().get(0).getValue().getArray();
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
        });
    }
}
