package dev.hone.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A budgeted run on a simulated clock: the loop's events in FitLoop's order, each step costing what
 * the test says. The schedule must anneal and the run must end inside its budget when the machine
 * slows down part-way through.
 */
class BudgetPacerTest {
    private static final double PEAK = 0.01;
    private static final double BUDGET = 600;
    private static final BudgetPacer.AfterTraining AFTER = new BudgetPacer.AfterTraining(1000, 2000, 2, 5);

    /** What a simulated run did: its final learning rate, steps and the time training and the work after it ended. */
    private record Run(double lastLearningRate, long steps, double endSeconds, BudgetPacer pacer) {}

    /**
     * 10 epochs of 100 steps planned at 0.5 s a step, validation 5 s (1,000 images), then the work after
     * training (2 validation passes and 2,000 test images at the measured 200 images/s, 5 s of output:
     * 25 s): 550 s of training and 575 s in all, inside 600 s. From {@code slowFrom} on, steps cost
     * {@code slowFactor} times as much.
     */
    private static Run simulate(long slowFrom, double slowFactor, boolean paced) {
        long[] clock = {0};
        TrainingState state = new TrainingState(10, 100, 1000, PEAK);
        ScheduleTechnique schedule = new ScheduleTechnique(Schedule.of("warmup-cosine", PEAK, 0.1));
        BudgetPacer pacer = new BudgetPacer(() -> clock[0], (long) (BUDGET * 1e9), Duration.ofMinutes(10), AFTER, 64);
        long deadline = (long) (BUDGET * 1e9);
        if (paced) {
            pacer.apply(Event.FIT_START, state);
        }
        double lastLr = Double.NaN;
        for (int epoch = 1; epoch <= state.totalEpochs() && state.stopReason().isEmpty()
                && (long) (epoch - 1) * state.batchesPerEpoch() < state.totalSteps(); epoch++) {
            state.startEpoch(epoch);
            for (int b = 0; b < state.batchesPerEpoch() && state.globalStep() < state.totalSteps() && state.stopReason().isEmpty(); b++) {
                schedule.apply(Event.BATCH_START, state);
                lastLr = state.learningRate();
                clock[0] += (long) (0.5e9 * (state.globalStep() >= slowFrom ? slowFactor : 1));
                state.endBatch(0);
                if (paced) {
                    pacer.apply(Event.BATCH_END, state);
                } else if (clock[0] > deadline) {
                    state.requestStop("out of time");
                }
            }
            if (paced) {
                pacer.apply(Event.VALIDATION_START, state);
            }
            clock[0] += (long) 5e9;
            if (paced) {
                pacer.apply(Event.VALIDATION_END, state);
            }
        }
        double end = clock[0] / 1e9 + 25; // the work after training, at the measured inference speed
        return new Run(lastLr, state.globalStep(), end, pacer);
    }

    @Test
    void aSteadyMachineKeepsThePlan() {
        Run run = simulate(Long.MAX_VALUE, 1, true);
        assertThat(run.steps()).isEqualTo(1000);
        assertThat(run.pacer().replans()).isEmpty();
        assertThat(run.endSeconds()).isLessThanOrEqualTo(BUDGET);
    }

    @Test
    void aMachineThatSlowsDownPartWayStillAnnealsAndEndsInsideItsBudget() {
        Run unpaced = simulate(300, 2, false);
        // without pacing the schedule is cut off far from its end, at a high learning rate
        assertThat(unpaced.lastLearningRate()).isGreaterThan(0.1 * PEAK);

        Run paced = simulate(300, 2, true);
        assertThat(paced.lastLearningRate()).isLessThanOrEqualTo(0.05 * PEAK);
        assertThat(paced.endSeconds()).isLessThanOrEqualTo(BUDGET * 1.05);
        assertThat(paced.steps()).isBetween(600L, 700L);
        assertThat(paced.pacer().replans()).isNotEmpty();
        BudgetPacer.Replan first = paced.pacer().replans().get(0);
        assertThat(first.fromSteps()).isEqualTo(1000);
        assertThat(first.secondsPerStep()).isGreaterThan(0.5);
    }

    @Test
    void aMachineThatSpeedsUpMayUseThePlannedEpochsButNoMore() {
        Run run = simulate(0, 0.5, true);
        assertThat(run.steps()).isEqualTo(1000);
        assertThat(run.lastLearningRate()).isLessThanOrEqualTo(0.05 * PEAK);
    }

    @Test
    void outOfTimeItStopsAtTheDeadline() {
        Run run = simulate(10, 20, true);
        assertThat(run.endSeconds()).isLessThanOrEqualTo(BUDGET * 1.05);
        assertThat(run.lastLearningRate()).isLessThanOrEqualTo(0.05 * PEAK);
    }
}
