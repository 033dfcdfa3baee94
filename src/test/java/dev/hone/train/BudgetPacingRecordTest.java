package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import dev.hone.loop.FitLoop;
import dev.hone.optimize.BudgetPacer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The budget-pacing decision says what ran, and when the budget still ran out before the last re-planned total. */
class BudgetPacingRecordTest {
    @Test
    void aRunCutShortAfterItsReplansSaysByHowManyStepsAndAtWhichRate() {
        long[] clock = {0};
        TrainingState state = new TrainingState(10, 100, 1000, 0.01);
        BudgetPacer pacer = new BudgetPacer(() -> clock[0], (long) (700 * 1e9), Duration.ofSeconds(700),
                new BudgetPacer.AfterTraining(100, 100, 1, 1), 64);
        pacer.apply(Event.FIT_START, state);
        state.startEpoch(1);
        for (int i = 0; i < 300 && state.stopReason().isEmpty(); i++) { // steps twice as slow as the plan's 0.5 s
            clock[0] += 1_000_000_000L;
            state.endBatch(0.5);
            pacer.apply(Event.BATCH_END, state);
        }
        assertThat(pacer.replans()).isNotEmpty();
        state.requestStop("time budget of 700 s reached before the planned last step (steps ran slower than measured)");
        FitLoop.Result fit = new FitLoop.Result(List.of(), state.stopReason().orElseThrow(), List.of(), null);

        String text = TrainingRun.pacing(pacer, 1000, state, fit, -1).rationale();
        assertThat(text).contains("the run planned 1000 steps").contains("it trained " + state.globalStep() + " steps in 0 epochs")
                .contains("the budget ran out " + (state.totalSteps() - state.globalStep()) + " steps before that total")
                .contains("(time budget of 700 s reached");
        // a resumed run goes on from the total its pacer had set before the stop, and names the plan's as well
        assertThat(TrainingRun.pacing(pacer, 1000, state, fit, 1400).rationale())
                .contains("resumed, the run went on from the 1000 steps its pacer had set before the stop (the plan's 1400)")
                .doesNotContain("the run planned");
        assertThat(TrainingRun.pacing(pacer, 1000, state, fit, 1000).rationale())
                .contains("resumed, the run went on from the plan's 1000 steps").doesNotContain("before the stop");
    }
}
