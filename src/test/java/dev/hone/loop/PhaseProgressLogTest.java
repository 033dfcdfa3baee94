package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseProgressLogTest {
    private final long[] now = {0};
    private final List<String> lines = new ArrayList<>();
    private final PhaseProgressLog progress = new PhaseProgressLog("ssl pretraining (barlow-twins)", () -> now[0],
            Duration.ofSeconds(30), lines::add);

    /** Takes {@code steps} steps of {@code seconds} each, firing BATCH_END after each as the loop does. */
    private void run(TrainingState state, int steps, double seconds) {
        for (int i = 0; i < steps; i++) {
            now[0] += (long) (seconds * 1e9);
            state.endBatch(0.5);
            progress.on(Event.BATCH_END, state.view());
        }
    }

    @Test
    void writesALineEveryIntervalWithTheEtaOfTheStepsLeft() {
        TrainingState state = new TrainingState(10, 100, 1000, 0.01);
        progress.on(Event.FIT_START, state.view());
        run(state, 29, 1.0);
        assertThat(lines).isEmpty(); // 29 s: inside the interval
        run(state, 1, 1.0);
        // 30 steps in 30 s, 970 left at one a second
        assertThat(lines).containsExactly("ssl pretraining (barlow-twins): step 30 of 1,000 (3%), 30 s in, ETA 970 s");
        run(state, 30, 1.0);
        assertThat(lines).hasSize(2);
    }

    @Test
    void aResumedLoopMeasuresItsPaceFromTheEpochItResumesAt() {
        TrainingState state = new TrainingState(10, 100, 1000, 0.01);
        progress.on(Event.FIT_START, state.view()); // the loop fires it before positioning the state
        state.startEpoch(4); // epochs 1-3 restored from a checkpoint
        progress.on(Event.EPOCH_START, state.view());
        run(state, 30, 1.0);
        // 30 steps in 30 s since the resume, not 330: 670 left at one a second
        assertThat(lines).containsExactly("ssl pretraining (barlow-twins): step 330 of 1,000 (33%), 30 s in, ETA 670 s");
    }

    @Test
    void theEtaFollowsAReplan() {
        TrainingState state = new TrainingState(10, 100, 1000, 0.01);
        progress.on(Event.FIT_START, state.view());
        run(state, 15, 2.0);
        state.replan(100); // a budget pacer that found the machine slower
        run(state, 15, 2.0);
        // 15 steps in 30 s before the re-plan; then 30 steps in 60 s, 70 left at two seconds a step
        assertThat(lines).containsExactly("ssl pretraining (barlow-twins): step 15 of 1,000 (2%), 30 s in, ETA 1970 s",
                "ssl pretraining (barlow-twins): step 30 of 100 (30%), 60 s in, ETA 140 s");
    }

    @Test
    void reportsWhereThePhaseStandsAfterEveryStepButNotAfterAKeptMicroBatch() {
        List<PhaseStatus> heard = new ArrayList<>();
        PhaseProgressLog withListener = new PhaseProgressLog("ssl teacher", () -> now[0], Duration.ofSeconds(30), lines::add, heard::add);
        TrainingState state = new TrainingState(1, 10, 10, 0.01);
        withListener.on(Event.FIT_START, state.view());
        now[0] += 2_000_000_000L;
        state.endMicroBatch(0.5); // gradients kept for the next step: no step yet
        withListener.on(Event.BATCH_END, state.view());
        assertThat(heard).isEmpty();
        state.endBatch(0.5);
        withListener.on(Event.BATCH_END, state.view());
        assertThat(heard).containsExactly(new PhaseStatus("ssl teacher", 1, 10, 2.0, 18.0));
        assertThat(heard.get(0).fraction()).isEqualTo(0.1);
        assertThat(lines).as("inside the interval: no line").isEmpty();
    }

    @Test
    void otherEventsWriteNothing() {
        TrainingState state = new TrainingState(1, 10, 10, 0.01);
        progress.on(Event.FIT_START, state.view());
        now[0] += Duration.ofMinutes(5).toNanos();
        progress.on(Event.AFTER_STEP, state.view());
        progress.on(Event.EPOCH_END, state.view());
        assertThat(lines).isEmpty();
        assertThat(progress.line(0, 10, 300)).endsWith("ETA unknown");
    }
}
