package dev.hone.optimize;

import static dev.hone.optimize.Params.param;
import static dev.hone.optimize.Params.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.HoneException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizersFactoryTest {

    @Test
    void createsEveryNamedOptimizer() {
        assertThat(Optimizers.names()).containsExactly("sgd-nesterov", "adamw", "lamb", "lars", "lion");
        Map<String, Class<?>> expected = Map.of("sgd-nesterov", SgdNesterov.class, "adamw", AdamW.class,
                "lamb", Lamb.class, "lars", Lars.class, "lion", Lion.class);
        for (String name : Optimizers.names()) {
            HoneOptimizer opt = Optimizers.create(name, 0.01, 0.05);
            assertThat(opt).isInstanceOf(expected.get(name));
            assertThat(opt.learningRate()).isEqualTo(0.01f);
            assertThat(opt.weightDecay()).isEqualTo(0.05f);
            assertThat(opt.describe()).contains("weight-decay=0.05");
        }
        assertThat(Optimizers.create(" LAMB ", 0.01, 0)).isInstanceOf(Lamb.class);
    }

    @Test
    void anUnknownNameSaysWhichNamesExist() {
        assertThatThrownBy(() -> Optimizers.create("adam", 0.01, 0))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("'adam'")
                .hasMessageContaining("Fix:")
                .hasMessageContaining("sgd-nesterov, adamw, lamb, lars, lion");
    }

    /** setMomentum(x) must behave exactly like constructing with momentum (or beta1) x. */
    @Test
    void setMomentumActsLikeTheConstructorsMomentum() {
        Map<String, HoneOptimizer> direct = Map.of(
                "sgd-nesterov", new SgdNesterov(0.01f, 0.5f, 0.1f),
                "adamw", new AdamW(0.01f, 0.5f, 0.999f, 1e-8f, 0.1f),
                "lamb", new Lamb(0.01f, 0.5f, 0.999f, 1e-6f, 0.1f),
                "lars", new Lars(0.01f, 0.5f, 0.001f, 0.1f),
                "lion", new Lion(0.01f, 0.5f, 0.99f, 0.1f));
        for (String name : Optimizers.names()) {
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray a = param(m, new Shape(2, 2), 1f, -2f, 0.5f, 3f);
                NDArray b = param(m, new Shape(2, 2), 1f, -2f, 0.5f, 3f);
                HoneOptimizer cycled = Optimizers.create(name, 0.01, 0.1);
                cycled.setMomentum(0.5);
                for (float[] g : new float[][] {{0.5f, -1f, 0f, 0.1f}, {-2f, 0.5f, 0.25f, 0.3f}}) {
                    update(cycled, "w", a, g);
                    update(direct.get(name), "w", b, g);
                }
                assertThat(a.toFloatArray()).as(name).containsExactly(b.toFloatArray());
                assertThat(cycled.describe()).as(name).contains("0.5");
            }
        }
    }
}
