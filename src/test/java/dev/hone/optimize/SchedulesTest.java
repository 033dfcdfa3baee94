package dev.hone.optimize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import org.junit.jupiter.api.Test;

/** Schedules checked at their start, peak and end against the formulas. */
class SchedulesTest {

    @Test
    void oneCycleRisesFromPeakOverDivToPeakThenFallsToTheFinalValue() {
        // warmup 0.3 of 100 steps: the turn is at step 0.3 * 100 - 1 = 29, the end at step 99
        double start = 1.0 / 25;
        double end = start / 1e4;
        assertThat(Schedule.oneCycle(0, 100, 1.0, 0.3, 25, 1e4)).isCloseTo(start, within(1e-12));
        assertThat(Schedule.oneCycle(29, 100, 1.0, 0.3, 25, 1e4)).isCloseTo(1.0, within(1e-12));
        assertThat(Schedule.oneCycle(99, 100, 1.0, 0.3, 25, 1e4)).isCloseTo(end, within(1e-12));
        assertThat(Schedule.oneCycle(150, 100, 1.0, 0.3, 25, 1e4)).isCloseTo(end, within(1e-12));
        // halfway through each half cosine: the mean of its ends
        double risingMid = 1.0 + (start - 1.0) * 0.5 * (1 + Math.cos(Math.PI * 14 / 29.0));
        assertThat(Schedule.oneCycle(14, 100, 1.0, 0.3, 25, 1e4)).isCloseTo(risingMid, within(1e-12));
        assertThat(Schedule.oneCycle(64, 100, 1.0, 0.3, 25, 1e4)).isCloseTo((1.0 + end) / 2, within(1e-12));
        Schedule s = Schedule.oneCycle(0.4, 0.3, 25, 1e4);
        assertThat(s.at(29, 100)).isCloseTo(0.4, within(1e-12));
        assertThat(s.describe()).isEqualTo("one-cycle(peak=0.4, warmup=0.3, div=25.0, final-div=10000.0)");
    }

    @Test
    void oneCycleWithoutWarmupStartsAtThePeak() {
        assertThat(Schedule.oneCycle(0, 10, 1.0, 0.0, 25, 1e4)).isCloseTo(1.0, within(1e-12));
        assertThat(Schedule.oneCycle(9, 10, 1.0, 0.0, 25, 1e4)).isCloseTo(1.0 / 25 / 1e4, within(1e-12));
    }

    @Test
    void linearDecayWarmsUpLinearlyThenFallsLinearlyToZero() {
        assertThat(Schedule.linearDecay(0, 100, 1.0, 0.1)).isCloseTo(0.1, within(1e-12));
        assertThat(Schedule.linearDecay(9, 100, 1.0, 0.1)).isCloseTo(1.0, within(1e-12));
        assertThat(Schedule.linearDecay(10, 100, 1.0, 0.1)).isCloseTo(1.0, within(1e-12));
        assertThat(Schedule.linearDecay(55, 100, 1.0, 0.1)).isCloseTo(0.5, within(1e-12));
        assertThat(Schedule.linearDecay(99, 100, 1.0, 0.1)).isCloseTo(1.0 / 90, within(1e-12));
        assertThat(Schedule.linearDecay(100, 100, 1.0, 0.1)).isCloseTo(0.0, within(1e-12));
        assertThat(Schedule.linearDecay(120, 100, 1.0, 0.1)).isCloseTo(0.0, within(1e-12));
        assertThat(Schedule.linearDecay(0.5, 0.1).describe()).isEqualTo("linear-decay(peak=0.5, warmup=0.1)");
    }

    @Test
    void oneCycleMomentumFallsWhileTheLearningRateRisesAndComesBack() {
        MomentumSchedule s = MomentumSchedule.oneCycle(0.3);
        assertThat(s.at(0, 100)).isCloseTo(0.95, within(1e-12));
        assertThat(s.at(29, 100)).isCloseTo(0.85, within(1e-12));
        assertThat(s.at(64, 100)).isCloseTo(0.90, within(1e-12));
        assertThat(s.at(99, 100)).isCloseTo(0.95, within(1e-12));
        assertThat(s.describe()).isEqualTo("one-cycle-momentum(max=0.95, min=0.85, warmup=0.3)");
        assertThat(MomentumSchedule.oneCycle(29, 100, 0.3, 0.9, 0.8)).isCloseTo(0.8, within(1e-12));
    }

    @Test
    void momentumTechniqueSetsTheOptimizersMomentumEachBatch() {
        double[] seen = new double[1];
        HoneOptimizer opt = new HoneOptimizer(0.1f, 0f) {
            @Override public String describe() { return "probe"; }
            @Override protected int stateSize() { return 0; }
            @Override protected void step(ai.djl.ndarray.NDArray w, ai.djl.ndarray.NDArray g,
                    ai.djl.ndarray.NDArray[] s, long t, float lr, float decay) {}
            @Override public void setMomentum(double momentum) { seen[0] = momentum; }
        };
        MomentumScheduleTechnique technique = new MomentumScheduleTechnique(opt, MomentumSchedule.oneCycle(0.3));
        TrainingState state = new TrainingState(10, 10, 0.1);
        state.startEpoch(3); // global step 20 of 100
        assertThat(technique.matches(Event.BATCH_START, state.view())).isTrue();
        technique.apply(Event.BATCH_START, state);
        assertThat(seen[0]).isCloseTo(MomentumSchedule.oneCycle(20, 100, 0.3, 0.95, 0.85), within(1e-12));
    }

    @Test
    void byNameGivesTheScheduleARunTrains() {
        assertThat(Schedule.of("warmup-cosine", 0.2, 0.1).at(37, 100)).isEqualTo(Schedule.warmupCosine(37, 100, 0.2, 0.1));
        assertThat(Schedule.of("linear-decay", 0.2, 0.1).at(37, 100)).isEqualTo(Schedule.linearDecay(37, 100, 0.2, 0.1));
        // one-cycle keeps its own 30% rise whatever the plan's warmup
        assertThat(Schedule.of("one-cycle", 0.2, 0.1).at(37, 100)).isEqualTo(Schedule.oneCycle(37, 100, 0.2, 0.3, 25, 1e4));
        assertThat(Schedule.momentumFor("one-cycle").at(20, 100)).isEqualTo(MomentumSchedule.oneCycle(20, 100, 0.3, 0.95, 0.85));
        assertThat(Schedule.momentumFor("warmup-cosine")).isNull();
        assertThat(Schedule.NAMES).containsExactly("warmup-cosine", "one-cycle", "linear-decay");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Schedule.of("step", 0.1, 0.1)).hasMessageContaining("one-cycle");
    }
}
