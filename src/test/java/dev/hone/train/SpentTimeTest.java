package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.record.Decision;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The time a budgeted run spent, kept for a resume after a kill. */
class SpentTimeTest {
    @TempDir
    Path work;

    @Test
    void theKeeperSavesAtTheFirstStepEachEpochEndAndAtMostEveryTenSecondsOfSteps() {
        long[] clock = {5_000_000_000L};
        long budgetStart = 0;
        Technique keeper = SpentTime.keeper(work, budgetStart, () -> clock[0]);
        TrainingState state = new TrainingState(2, 100, 200, 0.01);
        keeper.apply(Event.BATCH_END, state);
        assertThat(SpentTime.read(work)).hasValue(5.0); // the first step: meta-learning's 5 s are kept at once
        clock[0] += 4_000_000_000L;
        keeper.apply(Event.BATCH_END, state);
        assertThat(SpentTime.read(work)).hasValue(5.0); // 4 s of steps: not yet
        clock[0] += 7_000_000_000L;
        keeper.apply(Event.BATCH_END, state);
        assertThat(SpentTime.read(work)).hasValue(16.0); // 11 s after the first
        clock[0] += 1_000_000_000L;
        keeper.apply(Event.EPOCH_END, state);
        assertThat(SpentTime.read(work)).hasValue(17.0);
    }

    @Test
    void aResumedRunsBudgetStartsTheSpentSecondsBeforeItsOwnStart() {
        assertThat(SpentTime.budgetStart(100_000_000_000L, 60.5)).isEqualTo(39_500_000_000L);
    }

    @Test
    void noFileOrADamagedOneGivesNothingAndTheResumeIsNotPaced() throws Exception {
        assertThat(SpentTime.read(work)).isEmpty();
        Files.writeString(work.resolve(SpentTime.FILE), "{\"seconds\": ");
        assertThat(SpentTime.read(work)).isEmpty();
        Files.writeString(work.resolve(SpentTime.FILE), "{\"seconds\": -3}");
        assertThat(SpentTime.read(work)).isEmpty();
    }

    @Test
    void theResumeDecisionSaysHowTheRestWasFitted() {
        TrainingPlan plan = new TrainingPlan(42, 4, 400, 32, "adamw", 3e-3, 0.05, "one-cycle", 0.1, 0.99f, 0, 180,
                java.util.List.of(), 1, null);
        String paced = TrainingRun.resumed(3, plan, 374, java.util.OptionalDouble.of(61), true, false).rationale();
        assertThat(paced).contains("had spent 61 s of the 180 s budget").contains("374 steps in all");
        assertThat(TrainingRun.resumed(0, plan, 310, java.util.OptionalDouble.of(71), true, false).rationale())
                .startsWith("the run was stopped in its first epoch, before any checkpoint, and trained again from its saved plan")
                .contains("had spent 71 s of the 180 s budget");
        // stopped before its plan was saved: planned again, its time counted
        Decision<String> replanned = TrainingRun.resumed(0, plan, 310, java.util.OptionalDouble.of(6), false, false);
        assertThat(replanned.value()).isEqualTo("before a plan");
        assertThat(replanned.rationale()).startsWith("the run was stopped before its plan was saved").contains("had spent 6 s");
        // stopped during the test pass: nothing left to train
        assertThat(TrainingRun.resumed(4, plan, 400, java.util.OptionalDouble.of(170), true, true).rationale())
                .contains("its training had finished before the stop (400 steps)").contains("after the 170 s the stopped run")
                .doesNotContain("pacer");
        String unpaced = TrainingRun.resumed(3, plan, 374, java.util.OptionalDouble.empty(), true, false).rationale();
        assertThat(unpaced).contains("unpaced");
    }

    @Test
    void whilePlanningTheTimeSpentIsKeptOnATimerUntilClosed() throws Exception {
        // a clock that reads 42 s after the budget's start, kept every 20 ms by the planning's keeper
        try (AutoCloseable keeping = SpentTime.every(work, 0, () -> 42_000_000_000L, 20)) {
            long until = System.nanoTime() + 5_000_000_000L;
            while (SpentTime.read(work).isEmpty() && System.nanoTime() < until) {
                Thread.sleep(10);
            }
        }
        assertThat(SpentTime.read(work)).hasValue(42.0);
        java.nio.file.Files.delete(work.resolve(SpentTime.FILE));
        Thread.sleep(100); // closed: nothing keeps it any more
        assertThat(SpentTime.read(work)).isEmpty();
    }
}
