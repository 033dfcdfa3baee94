package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.training.ParameterStore;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.record.Json;
import org.junit.jupiter.api.Test;

/** Stochastic depth (Huang et al. 2016): the linear decay rule, the per-image drop, and its absence in evaluation. */
class StochasticDepthTest {

    @Test
    void ratesFollowTheLinearDecayRuleInDepthOrder() {
        Block resnet9 = ModelFactory.block(ModelSpec.of("resnet9").withWidth(8).withStochasticDepth(0.2), 10);
        assertThat(StochasticDepth.rates(resnet9)).containsExactly(0.1, 0.2);

        Block resnet18 = ModelFactory.block(ModelSpec.of("resnet18").withWidth(8).withStochasticDepth(0.4), 10);
        double[] rates = StochasticDepth.rates(resnet18);
        assertThat(rates).hasSize(8);
        for (int l = 0; l < rates.length; l++) {
            assertThat(rates[l]).isCloseTo(0.4 * (l + 1) / 8, org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThat(StochasticDepth.rates(ModelFactory.block(ModelSpec.of("resnet18").withWidth(8), 10))).containsOnly(0.0);
    }

    @Test
    void everyArchitectureSaidToSupportItHasResidualBlocks() {
        for (String architecture : ModelFactory.knownArchitectures()) {
            Block b = ModelFactory.block(ModelSpec.of(architecture).withWidth(8), 12);
            boolean has = StochasticDepth.apply(b, 0.2) > 0;
            assertThat(has).as(architecture).isEqualTo(ModelFactory.supportsStochasticDepth(ModelSpec.of(architecture)));
        }
    }

    @Test
    void trainingDropsWholeImagesAndRescalesTheKeptOnesWhileEvaluationNeverDrops() {
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            // branch(x) = 1 everywhere, shortcut = identity, x = 0: each image's output is 0 (dropped) or 1 / (1 - rate)
            Block branch = new LambdaBlock(list -> new NDList(list.singletonOrThrow().onesLike()));
            Residual residual = Residual.identity(branch);
            residual.dropRate(0.5);
            residual.initialize(manager, DataType.FLOAT32, new Shape(400, 2, 3, 3));
            NDArray x = manager.zeros(new Shape(400, 2, 3, 3));
            ParameterStore store = new ParameterStore(manager, false);

            NDArray trained = residual.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray perImageMax = trained.reshape(400, -1).max(new int[] {1});
            NDArray perImageMin = trained.reshape(400, -1).min(new int[] {1});
            assertThat(perImageMax.sub(perImageMin).max().getFloat()).isZero(); // one mask value per image
            float[] values = perImageMax.toFloatArray();
            long dropped = 0;
            for (float v : values) {
                assertThat(v).isIn(0f, 2f);
                dropped += v == 0f ? 1 : 0;
            }
            assertThat(dropped).isBetween(150L, 250L); // rate 0.5 of 400 images

            NDArray evaluated = residual.forward(store, new NDList(x), false).singletonOrThrow();
            assertThat(evaluated.toFloatArray()).containsOnly(1f);
        }
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        Block b = ModelFactory.block(ModelSpec.of("resnet9").withWidth(8), 10);
        assertThatThrownBy(() -> StochasticDepth.apply(b, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelSpec.of("resnet9").withStochasticDepth(-0.1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePolicyCarriesItOntoTheSpecAndBothSurviveJson() throws Exception {
        RegularizationPolicy policy = RegularizationPolicy.NONE.withDropout(0.3).withStochasticDepth(0.2);
        ModelSpec spec = policy.onto(ModelSpec.of("resnet9"));
        assertThat(spec.dropout()).isEqualTo(0.3);
        assertThat(spec.stochasticDepth()).isEqualTo(0.2);
        assertThat(policy.trainsPlain()).isFalse();
        assertThat(RegularizationPolicy.NONE.withStochasticDepth(0.2).describe()).contains("stochastic depth 0.20");

        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(spec), ModelSpec.class)).isEqualTo(spec);
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(policy), RegularizationPolicy.class))
                .isEqualTo(policy);
        // a policy file written before the field existed reads it as 0
        String old = Json.mapper().writeValueAsString(RegularizationPolicy.NONE.withDropout(0.3)).replaceAll(
                "\"stochasticDepth\" : [0-9.]+,\\s*", "");
        assertThat(old).doesNotContain("stochasticDepth");
        assertThat(Json.mapper().readValue(old, RegularizationPolicy.class).stochasticDepth()).isZero();
    }
}
