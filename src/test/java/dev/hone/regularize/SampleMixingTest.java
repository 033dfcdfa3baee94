package dev.hone.regularize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.Event;
import dev.hone.core.EventEngine;
import dev.hone.core.HoneException;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SampleMixingTest {

    @Test
    void mixupIsTheConvexCombination() {
        float[] a = {1, 2, 3, 4};
        float[] b = {-1, 0, 10, 0.5f};
        float lambda = 0.3f;
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] mixed = SampleMixing.mixup(manager.create(a), manager.create(b), lambda).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                assertThat(mixed[i]).isCloseTo(lambda * a[i] + (1 - lambda) * b[i], within(1e-6f));
            }
        }
    }

    @Test
    void cutBoxCoversTheRequestedShareAndReportsTheShareAfterClipping() {
        SplittableRandom rng = new SplittableRandom(1);
        int clipped = 0;
        for (int trial = 0; trial < 2000; trial++) {
            double lambda = rng.nextDouble();
            SampleMixing.CutBox box = SampleMixing.cutBox(32, 24, lambda, rng);
            assertThat(box.y0()).isBetween(0, 32);
            assertThat(box.y1()).isBetween(box.y0(), 32);
            assertThat(box.x0()).isBetween(0, 24);
            assertThat(box.x1()).isBetween(box.x0(), 24);
            assertThat(box.lambda()).isCloseTo(1 - box.area() / (32.0 * 24), within(1e-12));
            assertThat(box.lambda()).isGreaterThanOrEqualTo(lambda - 0.1); // rounding the sides, never a bigger box
            long side = Math.round(32 * Math.sqrt(1 - lambda));
            if (box.y1() - box.y0() < side) {
                clipped++;
            }
        }
        assertThat(clipped).isPositive(); // boxes near an edge are clipped, as in the paper
    }

    @Test
    void anUnclippedBoxHasAreaOneMinusLambda() {
        // a generator whose draws put the centre in the middle of a 20 x 20 image
        java.util.random.RandomGenerator centre = new java.util.random.RandomGenerator() {
            @Override public long nextLong() { throw new UnsupportedOperationException(); }
            @Override public int nextInt(int bound) { return bound / 2; }
        };
        SampleMixing.CutBox box = SampleMixing.cutBox(20, 20, 0.75, centre);
        assertThat(box).isEqualTo(new SampleMixing.CutBox(5, 5, 15, 15, 0.75));
        assertThat(SampleMixing.cutBox(20, 20, 1.0, centre).area()).isZero();
    }

    @Test
    void cutmixPastesThePartnersBoxAndLeavesTheRest() {
        int n = 2, c = 2, h = 5, w = 6;
        float[] a = new float[n * c * h * w];
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = i;
            b[i] = -i - 1;
        }
        SampleMixing.CutBox box = new SampleMixing.CutBox(1, 2, 4, 5, 1 - 9.0 / 30);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(n, c, h, w);
            NDArray x = manager.create(a, shape);
            float[] mixed = SampleMixing.cutmix(x, manager.create(b, shape), box).toFloatArray();
            for (int i = 0; i < a.length; i++) {
                int y = i / w % h;
                int col = i % w;
                boolean inside = y >= 1 && y < 4 && col >= 2 && col < 5;
                assertThat(mixed[i]).as("element %d", i).isEqualTo(inside ? b[i] : a[i]);
            }
            assertThat(x.toFloatArray()).containsExactly(a);
        }
    }

    @Test
    void betaDrawsHaveTheRightMeanAndVariance() {
        SplittableRandom rng = new SplittableRandom(7);
        for (double alpha : new double[] {0.2, 1.0, 2.0}) {
            int draws = 40_000;
            double sum = 0, sumSq = 0;
            for (int i = 0; i < draws; i++) {
                double x = Beta.sample(alpha, alpha, rng);
                assertThat(x).isBetween(0.0, 1.0);
                sum += x;
                sumSq += x * x;
            }
            double mean = sum / draws;
            double variance = sumSq / draws - mean * mean;
            assertThat(mean).as("mean, alpha %s", alpha).isCloseTo(0.5, within(0.01));
            // Var Beta(a, a) = 1 / (4 (2a + 1))
            assertThat(variance).as("variance, alpha %s", alpha).isCloseTo(1 / (4 * (2 * alpha + 1)), within(0.005));
        }
    }

    @Test
    void theSameStepIsMixedTheSameWayAndStepsDiffer() {
        SampleMixing mixing = new SampleMixing(0.4, 1.0, 1.0, 42);
        SampleMixing.Mix a = mixing.plan(17, 8, 10, 10);
        SampleMixing.Mix b = new SampleMixing(0.4, 1.0, 1.0, 42).plan(17, 8, 10, 10);
        assertThat(b.lambda()).isEqualTo(a.lambda());
        assertThat(b.partner()).containsExactly(a.partner());
        assertThat(b.cutmix()).isEqualTo(a.cutmix());
        assertThat(mixing.plan(18, 8, 10, 10).lambda()).isNotEqualTo(a.lambda());
        int[] sorted = a.partner().clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void probabilityAndAlphasChooseHowOftenAndWhich() {
        SampleMixing both = new SampleMixing(0.4, 1.0, 0.5, 3);
        int mixed = 0, cutmix = 0;
        for (int step = 0; step < 4000; step++) {
            SampleMixing.Mix mix = both.plan(step, 4, 8, 8);
            if (mix != null) {
                mixed++;
                cutmix += mix.cutmix() ? 1 : 0;
                assertThat(mix.box() != null).isEqualTo(mix.cutmix());
            }
        }
        assertThat(mixed).isBetween(1800, 2200);
        assertThat(cutmix).isBetween(mixed / 2 - 150, mixed / 2 + 150);
        for (int step = 0; step < 100; step++) {
            assertThat(new SampleMixing(0.4, 0, 0, 3).plan(step, 4, 8, 8)).isNull();
            assertThat(new SampleMixing(0.4, 0, 1, 3).plan(step, 4, 8, 8).cutmix()).isFalse();
            assertThat(new SampleMixing(0, 1, 1, 3).plan(step, 4, 8, 8).cutmix()).isTrue();
        }
    }

    @Test
    void batchStartReplacesInputsAndTargetsWithTheMixInTheBatchsManager() {
        for (boolean useCutmix : new boolean[] {false, true}) {
            SampleMixing mixing = useCutmix ? new SampleMixing(0, 1.0, 1.0, 5) : new SampleMixing(0.4, 0, 1.0, 5);
            try (NDManager manager = NDManager.newBaseManager(); NDManager batch = manager.newSubManager()) {
                int n = 4;
                Shape shape = new Shape(n, 1, 6, 6);
                NDArray x = batch.randomNormal(shape);
                NDArray y = batch.create(new long[] {0, 1, 2, 0}).oneHot(3);
                TrainingState state = new TrainingState(1, 10, 0.1);
                state.startEpoch(1);
                state.endBatch(0); // step 1: the plan is per global step
                state.beginBatch(x, y);
                new EventEngine(List.of(mixing), List.of()).fire(Event.BATCH_START, state);

                SampleMixing.Mix mix = mixing.plan(1, n, 6, 6);
                assertThat(state.inputs().getManager()).isSameAs(batch);
                assertThat(state.targets().getManager()).isSameAs(batch);
                float[] xs = x.toFloatArray();
                float[] ys = y.toFloatArray();
                float[] mixedX = state.inputs().toFloatArray();
                float[] mixedY = state.targets().toFloatArray();
                float lambda = (float) mix.lambda();
                for (int i = 0; i < n; i++) {
                    int j = mix.partner()[i];
                    for (int k = 0; k < 3; k++) {
                        assertThat(mixedY[i * 3 + k]).isCloseTo(lambda * ys[i * 3 + k] + (1 - lambda) * ys[j * 3 + k], within(1e-6f));
                    }
                    for (int p = 0; p < 36; p++) {
                        float expected;
                        if (useCutmix) {
                            int r = p / 6, c = p % 6;
                            SampleMixing.CutBox box = mix.box();
                            boolean inside = r >= box.y0() && r < box.y1() && c >= box.x0() && c < box.x1();
                            expected = inside ? xs[j * 36 + p] : xs[i * 36 + p];
                        } else {
                            expected = lambda * xs[i * 36 + p] + (1 - lambda) * xs[j * 36 + p];
                        }
                        assertThat(mixedX[i * 36 + p]).isCloseTo(expected, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void theRefinementLeavesTheLastShareOfStepsUnmixed() {
        // 100 steps with a share of 0.1: steps 0..89 mixed, 90..99 clean (He et al. 2019, arXiv:1909.09148)
        assertThat(SampleMixing.refining(89, 100, 0.1)).isFalse();
        assertThat(SampleMixing.refining(90, 100, 0.1)).isTrue();
        assertThat(SampleMixing.refining(99, 100, 0.1)).isTrue();
        assertThat(SampleMixing.refining(99, 100, 0)).isFalse();
        // 15 steps: ceil(13.5) = 14, the last step only
        assertThat(SampleMixing.refining(13, 15, 0.1)).isFalse();
        assertThat(SampleMixing.refining(14, 15, 0.1)).isTrue();
        assertThatThrownBy(() -> new SampleMixing(0.2, 0, 1, 1).withRefinement(1)).hasMessageContaining("refinement share");

        SampleMixing mixing = new SampleMixing(0, 1.0, 1.0, 5).withRefinement(0.1);
        for (int step : new int[] {8, 9}) { // 10 steps: the 9th (0-based 8) is mixed, the 10th is not
            try (NDManager manager = NDManager.newBaseManager(); NDManager batch = manager.newSubManager()) {
                NDArray x = batch.randomNormal(new Shape(4, 1, 6, 6));
                NDArray y = batch.create(new long[] {0, 1, 2, 0}).oneHot(3);
                TrainingState state = new TrainingState(1, 10, 10, 0.1);
                state.startEpoch(1);
                for (int s = 0; s < step; s++) {
                    state.endBatch(0);
                }
                state.beginBatch(x, y);
                new EventEngine(List.of(mixing), List.of()).fire(Event.BATCH_START, state);
                assertThat(state.inputs() == x).as("step %d left as it is", step).isEqualTo(step == 9);
                assertThat(state.targets().toFloatArray()).as("step %d's targets", step)
                        .matches(t -> (step == 9) == Arrays.equals(t, y.toFloatArray()));
            }
        }
    }

    @Test
    void oneMixerPerRunAndItGoesWithLabelSmoothing() {
        SampleMixing mixing = new SampleMixing(0.2, 1.0, 1.0, 1);
        assertThat(mixing.traits()).containsExactlyInAnyOrder(Technique.Trait.MIXES_SAMPLES, Technique.Trait.SOFTENS_TARGETS);
        assertThat(new EventEngine(List.of(mixing, new LabelSmoothing(0.1)), List.of()).techniques()).hasSize(2);
        assertThatThrownBy(() -> new EventEngine(List.of(mixing, new SampleMixing(0.2, 0, 1, 2)), List.of()))
                .isInstanceOf(HoneException.class);
        assertThatThrownBy(() -> new SampleMixing(0, 0, 1, 1)).hasMessageContaining("MixUp or CutMix");
        assertThatThrownBy(() -> new SampleMixing(0.2, 0, 1.5, 1)).hasMessageContaining("probability");
    }
}
