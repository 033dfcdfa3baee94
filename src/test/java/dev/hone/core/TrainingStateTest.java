package dev.hone.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The schedules' frame across re-plans: continuous, never going back, ending at the new last step. */
class TrainingStateTest {

    private static void steps(TrainingState state, long n) {
        for (long i = 0; i < n; i++) {
            state.endBatch(0);
        }
    }

    @Test
    void withoutARePlanTheScheduleReadsTheStepItself() {
        TrainingState state = new TrainingState(10, 100, 1000, 0.1);
        state.startEpoch(1);
        steps(state, 37);
        assertThat(state.scheduleStep()).isEqualTo(37);
        assertThat(state.scheduleTotal()).isEqualTo(1000);
        assertThat(state.view().scheduleStep()).isEqualTo(37);
    }

    @Test
    void aRePlanToMoreStepsStretchesTheRestOfTheScheduleFromWhereItStands() {
        TrainingState state = new TrainingState(10, 100, 1000, 0.1);
        state.startEpoch(1);
        steps(state, 500);
        assertThat(state.replan(2000)).isEqualTo(2000);
        assertThat(state.scheduleStep()).as("no jump at the re-plan").isEqualTo(500);
        assertThat(state.totalEpochs()).isEqualTo(20);
        steps(state, 750);
        // the 499 schedule steps to its last are spread over the 1,499 steps to the new last: about a third of a step each
        assertThat(state.scheduleStep()).isEqualTo(749);
        steps(state, 749);
        assertThat(state.scheduleStep()).as("the last step").isEqualTo(999);
        assertThat(state.scheduleTotal()).isEqualTo(1000);
    }

    @Test
    void aRePlanToFewerStepsSqueezesItAndASecondRePlanGoesOnFromTheFirst() {
        TrainingState state = new TrainingState(10, 100, 1000, 0.1);
        state.startEpoch(1);
        steps(state, 400);
        state.replan(700);
        assertThat(state.scheduleStep()).isEqualTo(400);
        steps(state, 150);
        // 599 schedule steps over 299 steps: about two each
        assertThat(state.scheduleStep()).isEqualTo(700);
        state.replan(850);
        assertThat(state.scheduleStep()).isEqualTo(700);
        steps(state, 150);
        assertThat(state.scheduleStep()).isEqualTo(850);
        steps(state, 149);
        assertThat(state.scheduleStep()).isEqualTo(999);
        assertThat(state.globalStep()).isEqualTo(849);
    }

    @Test
    void withOneStepLeftThatStepIsTheSchedulesLast() {
        TrainingState state = new TrainingState(10, 100, 1000, 0.1);
        state.startEpoch(1);
        steps(state, 60);
        state.replan(61); // out of time: one step left
        assertThat(state.scheduleStep()).isEqualTo(999);
    }
}
