package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warning of a budget too short to train, judged on the steps the budget pacer last planned. */
class BudgetShortfallTest {
    @Test
    void aRunWhosePacerRaisedItsStepsAboveTheMinimumIsNotWarnedAbout() {
        // a 4-minute run planned 35 steps at a slow start and trained about 85 after the pacer re-planned
        assertThat(TrainingRun.shortfall("4m", 85)).isEmpty();
        assertThat(TrainingRun.shortfall("4m", Defaults.MIN_BUDGET_STEPS)).isEmpty();
        assertThat(TrainingRun.shortfall("4m", 35)).hasValueSatisfying(d -> {
            assertThat(d.name()).isEqualTo("budget-shortfall");
            assertThat(d.rationale()).startsWith("the 4m budget left time for only 35 training steps (fewer than "
                    + Defaults.MIN_BUDGET_STEPS + ")").endsWith("give a larger --budget");
        });
    }
}
