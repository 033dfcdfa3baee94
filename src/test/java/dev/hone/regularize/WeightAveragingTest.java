package dev.hone.regularize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeightAveragingTest {

    /** Linear then BatchNorm: weights, a bias, gamma, beta and the two running statistics. */
    private static Model tinyModel() {
        Model model = Model.newInstance("tiny");
        model.setBlock(new SequentialBlock()
                .add(Linear.builder().setUnits(3).build())
                .add(BatchNorm.builder().build()));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2, 4));
        return model;
    }

    /** Sets every parameter element to {@code base + its flat position}, parameter by parameter. */
    private static void setWeights(Model model, float base) {
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            NDArray array = p.getValue().getArray();
            try (NDArray values = array.getManager().arange(0f, (float) array.size()).addi(base).reshape(array.getShape())) {
                array.set(new NDIndex(":"), values);
            }
        }
    }

    private static List<float[]> weights(Model model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** Fires AFTER_STEP for the state's step, then moves the state on, as the fit loop does. */
    private static void step(WeightAveraging averaging, TrainingState state) {
        averaging.apply(Event.AFTER_STEP, state);
        state.endBatch(0);
    }

    @Test
    void emaUpdateIsTheExponentialAverageInPlace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray average = manager.create(new float[] {1, 2, 3});
            NDArray current = manager.create(new float[] {5, -2, 0.5f});
            NDArray same = average;
            WeightAveraging.emaUpdate(average, current, 0.9f);
            assertThat(average).isSameAs(same);
            assertThat(average.toFloatArray()).containsExactly(1 * 0.9f + 5 * (1 - 0.9f), 2 * 0.9f + -2 * (1 - 0.9f), 3 * 0.9f + 0.5f * (1 - 0.9f));
            assertThat(current.toFloatArray()).containsExactly(5, -2, 0.5f);
        }
    }

    @Test
    void emaDecayHasAHalfLifeOfThreePercentOfTrainingWithinBounds() {
        for (long steps : new long[] {2_000, 10_000, 50_000}) {
            double d = WeightAveraging.emaDecay(steps);
            assertThat(Math.pow(d, 0.03 * steps)).as("weight left after the half-life, %d steps", steps).isCloseTo(0.5, within(1e-9));
        }
        assertThat(WeightAveraging.emaDecay(10)).isEqualTo(0.9);   // tiny runs: the average is the last few steps
        assertThat(WeightAveraging.emaDecay(0)).isEqualTo(0.9);
        assertThat(WeightAveraging.emaDecay(10_000_000)).isEqualTo(0.9999);
        assertThat(WeightAveraging.emaDecay(5_000)).isBetween(WeightAveraging.emaDecay(4_000), WeightAveraging.emaDecay(6_000));
    }

    @Test
    void emaAfterThreeStepsEqualsTheHandComputedValueForEveryParameterAndBatchNormStatistic() {
        float d = 0.8f;
        try (Model model = tinyModel(); WeightAveraging ema = WeightAveraging.ema(model, d)) {
            TrainingState state = new TrainingState(1, 3, 0.1);
            state.startEpoch(1);
            ema.apply(Event.EPOCH_START, state);
            assertThat(ema.hasAverage()).isFalse();
            List<List<float[]>> seen = new ArrayList<>();
            for (float base : new float[] {1, 10, -4}) {
                setWeights(model, base);
                seen.add(weights(model));
                step(ema, state);
            }
            assertThat(ema.averagedSteps()).isEqualTo(3);
            List<String> names = new ArrayList<>(model.getBlock().getParameters().keys());
            assertThat(names).anyMatch(n -> n.contains("runningMean")).anyMatch(n -> n.contains("runningVar"));

            setWeights(model, 100); // the live weights move on; the copy is what counts
            ema.copyInto(model);
            List<float[]> averaged = weights(model);
            for (int p = 0; p < averaged.size(); p++) {
                for (int i = 0; i < averaged.get(p).length; i++) {
                    float expected = seen.get(0).get(p)[i];
                    expected = expected * d + seen.get(1).get(p)[i] * (1 - d);
                    expected = expected * d + seen.get(2).get(p)[i] * (1 - d);
                    assertThat(averaged.get(p)[i]).as("%s[%d]", names.get(p), i).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void swaIsTheArithmeticMeanOfTheStepsInItsWindow() {
        try (Model model = tinyModel(); WeightAveraging swa = WeightAveraging.swa(model, 5, 0.6)) {
            TrainingState state = new TrainingState(1, 5, 0.1);
            state.startEpoch(1);
            List<List<float[]>> window = new ArrayList<>();
            float[] bases = {50, -20, 1, 2, 7};
            for (int s = 0; s < 5; s++) {
                setWeights(model, bases[s]);
                if (s >= 2) {
                    window.add(weights(model));
                }
                assertThat(swa.hasAverage()).isEqualTo(s > 2);
                step(swa, state);
            }
            assertThat(swa.averagedSteps()).isEqualTo(3);
            swa.copyInto(model);
            List<float[]> averaged = weights(model);
            for (int p = 0; p < averaged.size(); p++) {
                for (int i = 0; i < averaged.get(p).length; i++) {
                    double mean = (window.get(0).get(p)[i] + window.get(1).get(p)[i] + window.get(2).get(p)[i]) / 3.0;
                    assertThat((double) averaged.get(p)[i]).isCloseTo(mean, within(1e-5 * Math.max(1, Math.abs(mean))));
                }
            }
        }
    }

    @Test
    void swapInThenSwapOutPutsBackTheLiveWeightsExactly() {
        try (Model model = tinyModel(); WeightAveraging ema = WeightAveraging.ema(model, 0.5)) {
            TrainingState state = new TrainingState(1, 2, 0.1);
            assertThatThrownBy(() -> ema.swapIn(model)).hasMessageContaining("hasAverage");
            setWeights(model, 0);
            step(ema, state);
            setWeights(model, 4);
            step(ema, state);
            List<float[]> live = weights(model);

            ema.swapIn(model);
            assertThat(weights(model).get(0)[0]).isEqualTo(2f); // 0.5 * 0 + 0.5 * 4
            assertThatThrownBy(() -> ema.swapIn(model)).hasMessageContaining("swapOut");
            ema.swapOut(model);
            List<float[]> back = weights(model);
            for (int p = 0; p < live.size(); p++) {
                assertThat(back.get(p)).containsExactly(live.get(p));
            }
            assertThatThrownBy(() -> ema.swapOut(model)).hasMessageContaining("not swapped in");
        }
    }

    @Test
    void copyIntoAFreshModelOfTheSameArchitectureAndRefusesAnother() {
        try (Model model = tinyModel(); Model fresh = tinyModel(); WeightAveraging ema = WeightAveraging.ema(model, 0.9)) {
            setWeights(model, 3);
            step(ema, new TrainingState(1, 1, 0.1));
            ema.copyInto(fresh);
            List<float[]> a = weights(model);
            List<float[]> b = weights(fresh);
            for (int p = 0; p < a.size(); p++) {
                assertThat(b.get(p)).containsExactly(a.get(p));
            }
            try (Model other = Model.newInstance("other")) {
                other.setBlock(Linear.builder().setUnits(3).build());
                other.getBlock().initialize(other.getNDManager(), DataType.FLOAT32, new Shape(2, 4));
                assertThatThrownBy(() -> ema.copyInto(other)).hasMessageContaining("same architecture");
            }
        }
    }

    @Test
    void anEpochRunAgainAfterABackOffRestartsTheAverage() {
        try (Model model = tinyModel(); WeightAveraging ema = WeightAveraging.ema(model, 0.9)) {
            TrainingState state = new TrainingState(2, 2, 0.1);
            state.startEpoch(1);
            ema.apply(Event.EPOCH_START, state);
            step(ema, state);
            step(ema, state);
            state.startEpoch(2); // the next epoch: the average goes on
            ema.apply(Event.EPOCH_START, state);
            assertThat(ema.averagedSteps()).isEqualTo(2);
            step(ema, state);
            state.startEpoch(2); // the loop backed off and runs epoch 2 again
            ema.apply(Event.EPOCH_START, state);
            assertThat(ema.hasAverage()).isFalse();
            step(ema, state);
            assertThat(ema.averagedSteps()).isEqualTo(1);
        }
    }

    @Test
    void namesAndArgumentChecks() {
        try (Model model = tinyModel();
                WeightAveraging ema = WeightAveraging.ema(model, 0.99);
                WeightAveraging swa = WeightAveraging.swa(model, 100, 0.25)) {
            assertThat(ema.name()).isEqualTo("ema");
            assertThat(swa.name()).isEqualTo("swa");
            assertThat(ema.matches(Event.AFTER_STEP, new TrainingState(1, 1, 0.1))).isTrue();
            assertThat(ema.matches(Event.BEFORE_STEP, new TrainingState(1, 1, 0.1))).isFalse();
            assertThatThrownBy(() -> WeightAveraging.ema(model, 1.0)).hasMessageContaining("(0, 1)");
            assertThatThrownBy(() -> WeightAveraging.swa(model, 100, 0)).hasMessageContaining("(0, 1]");
        }
    }
}
