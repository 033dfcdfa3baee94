package dev.hone.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The schedules' position across re-plans: the step read against the total now planned, going back only by what re-plans
 * to fewer steps moved it on once steps are given back, and back to an epoch's start when the epoch is trained again.
 */
class TrainingStateTest {

    /** 10 epochs of 100 steps planned, at step {@code taken} of the first epoch. */
    private static TrainingState at(long taken) {
        TrainingState state = new TrainingState(10, 100, 1000, 0.1);
        state.startEpoch(1);
        steps(state, taken);
        return state;
    }

    private static void steps(TrainingState state, long n) {
        for (long i = 0; i < n; i++) {
            state.endBatch(0);
        }
    }

    @Test
    void withoutARePlanTheScheduleReadsTheStepItself() {
        TrainingState state = at(37);
        assertThat(state.scheduleStep()).isEqualTo(37);
        assertThat(state.scheduleTotal()).isEqualTo(1000);
        assertThat(state.view().scheduleStep()).isEqualTo(37);
    }

    @Test
    void aRePlanToMoreStepsHoldsTheScheduleUntilTheStepsCatchUp() {
        TrainingState state = at(500);
        assertThat(state.replan(2000)).isEqualTo(2000);
        assertThat(state.totalEpochs()).isEqualTo(20);
        assertThat(state.scheduleStep()).as("held, not back to 250 of 1,000").isEqualTo(500);
        steps(state, 499);
        assertThat(state.scheduleStep()).as("step 999 of 2,000 reads 499.5: still held").isEqualTo(500);
        steps(state, 201);
        assertThat(state.scheduleStep()).as("step 1,200 of 2,000").isEqualTo(600);
        steps(state, 799);
        assertThat(state.scheduleStep()).as("the last step").isEqualTo(999);
        assertThat(state.scheduleTotal()).isEqualTo(1000);
    }

    @Test
    void aRePlanToFewerStepsMovesTheScheduleOnAndOneToMoreAfterItGivesTheStepsBackTheirSchedule() {
        TrainingState state = at(400);
        state.replan(500); // out of time sooner: step 400 of 500 reads 800 of 1,000
        assertThat(state.scheduleStep()).isEqualTo(800);
        steps(state, 50);
        assertThat(state.scheduleStep()).isEqualTo(900);
        // faster again: 450 of 900 reads 500, above where the schedule stood before the cut (400, moved on by 50 steps
        // at 1,000 / 900 a step: 456), so it goes back to 500
        state.replan(900);
        assertThat(state.scheduleStep()).isEqualTo(500);
        steps(state, 449);
        assertThat(state.scheduleStep()).isEqualTo(998); // step 899 of 900
        // faster still, 499 steps after the cut, more than the 100 it still held back: a speed-up, held at 998
        state.replan(1800);
        assertThat(state.scheduleStep()).isEqualTo(998);
    }

    @Test
    void aBackOffAfterTheStepsCameBackGoesBackNoFurtherThanTheRecoveryLeftTheSchedules() {
        TrainingState state = at(100);
        state.startEpoch(2);
        steps(state, 50);
        state.replan(500); // a slow patch at step 150
        steps(state, 50);
        state.startEpoch(3); // starts at 400: 200 of 500
        steps(state, 20);
        state.replan(1000); // the machine recovers at 220: back to 220
        steps(state, 5);
        state.startEpoch(3); // a divergence back-off: not back up to the epoch's 400
        assertThat(state.scheduleStep()).isEqualTo(225);
        steps(state, 100);
        assertThat(state.scheduleStep()).isEqualTo(300);
    }

    @Test
    void aCutInAnEpochTrainedAgainStillGivesItsStepsTheirScheduleBack() {
        TrainingState state = at(100);
        state.startEpoch(2);
        steps(state, 100);
        state.startEpoch(3);
        steps(state, 10);
        state.replan(500); // a slow patch at step 210: 420
        steps(state, 5);
        state.startEpoch(3); // a back-off to 200, the total still 500: 400
        assertThat(state.scheduleStep()).isEqualTo(400);
        steps(state, 30);
        state.replan(1000); // recovered at 230: back to where the epoch began, moved on by 30 steps
        assertThat(state.scheduleStep()).isEqualTo(230);
    }

    @Test
    void aCutWhoseStepsNeverCameBackDoesNotKeepALaterSlowPatchsStepsFromTheirSchedule() {
        TrainingState state = at(100);
        state.replan(950); // 50 steps cut at step 100, never given back
        steps(state, 700);
        state.replan(850); // a slow patch at 800: 941
        steps(state, 20);
        assertThat(state.scheduleStep()).isEqualTo(964);
        state.replan(950); // recovered at 820: back to 842 (where the patch began) moved on by 20 steps at 1,000 / 950
        assertThat(state.scheduleStep()).isEqualTo(863);
    }

    @Test
    void theBudgetPacerReadsWhereAReplanWouldLeaveTheSchedulesWithoutMovingThem() {
        TrainingState state = new TrainingState(10, 42, 419, 0.1);
        state.startEpoch(1);
        steps(state, 140);
        state.replan(153);
        steps(state, 10);
        assertThat(state.positionAfterReplan(309)).isCloseTo(203.4, org.assertj.core.data.Offset.offset(0.1));
        assertThat(state.scheduleStep()).as("unchanged").isEqualTo(410);
        state.replan(309);
        assertThat(state.scheduleStep()).isEqualTo(203);
    }

    @Test
    void aSlowPatchTheMachineRecoversFromDoesNotLeaveTheStepsItGivesBackAtTheSchedulesEnd() {
        // the review's 1-minute run: 419 steps planned, cut to 255 and 153 by a slow patch at step 140, given 309 at 150
        TrainingState state = new TrainingState(10, 42, 419, 0.1);
        state.startEpoch(1);
        steps(state, 140);
        state.replan(255);
        steps(state, 5);
        state.replan(153);
        steps(state, 5);
        assertThat(state.scheduleStep()).as("150 of 153: near the end").isEqualTo(410);
        state.replan(309);
        assertThat(state.scheduleStep()).as("150 of 309").isEqualTo(203);
        steps(state, 158);
        assertThat(state.scheduleStep()).as("the last step").isEqualTo(417);
    }

    @Test
    void aRecoveryNeverTakesTheScheduleBackBeforeWhereItStoodAtTheFirstCut() {
        TrainingState state = at(600);
        state.replan(700); // 600 of 700 reads 857
        steps(state, 50);
        // 650 of 5,000 would read 130; before the cut the schedule stood at 600, and 50 steps at 1,000 / 5,000 a step add 10
        state.replan(5000);
        assertThat(state.scheduleStep()).isEqualTo(610);
    }

    @Test
    void withOneStepLeftThatStepIsNearTheSchedulesEnd() {
        TrainingState state = at(60);
        state.replan(61); // out of time: one step left
        assertThat(state.scheduleStep()).isEqualTo(983); // 60 of 61
    }

    @Test
    void anEpochTrainedAgainAfterARePlanWithinItStartsWhereItsSchedulesStoodAtItsStart() {
        TrainingState state = new TrainingState(3, 100, 300, 0.1);
        state.startEpoch(1);
        steps(state, 20);
        state.replan(150);
        steps(state, 20);
        assertThat(state.scheduleStep()).isEqualTo(80); // 40 of 150
        state.startEpoch(1); // a divergence back-off trains the epoch again
        assertThat(state.scheduleStep()).as("back to the epoch's start").isZero();
        steps(state, 75);
        assertThat(state.scheduleStep()).isEqualTo(150);
    }

    @Test
    void aCheckpointsScheduleFrameResumesTheRePlannedTotalFromWhereTheSchedulesStood() {
        TrainingState before = at(100);
        before.startEpoch(2);
        steps(before, 30);
        before.replan(1600);
        steps(before, 70);
        TrainingState.ScheduleFrame frame = before.scheduleFrame(); // the checkpoint after epoch 2
        before.startEpoch(3);
        long held = before.scheduleStep(); // step 200 of 1,600 reads 125: held at the re-plan's 130
        steps(before, 250);

        TrainingState resumed = new TrainingState(10, 100, 1000, 0.1);
        resumed.restoreScheduleFrame(frame);
        resumed.startEpoch(3);
        assertThat(resumed.totalSteps()).isEqualTo(1600);
        assertThat(resumed.totalEpochs()).isEqualTo(16);
        assertThat(resumed.scheduleStep()).as("still held at the re-plan's position").isEqualTo(held).isEqualTo(130);
        steps(resumed, 250);
        assertThat(resumed.scheduleStep()).isEqualTo(before.scheduleStep()).isEqualTo(281); // 450 of 1,600

        TrainingState old = new TrainingState(10, 100, 1000, 0.1);
        old.restoreScheduleFrame(null); // a checkpoint written before frames were saved
        assertThat(old.totalSteps()).isEqualTo(1000);
    }
}
