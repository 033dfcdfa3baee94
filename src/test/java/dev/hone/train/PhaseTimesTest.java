package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.record.Decision;
import org.junit.jupiter.api.Test;

class PhaseTimesTest {

    @Test
    void eachPhaseGetsTheSecondsSinceTheLastEndedAndTheDecisionSaysWhatWasLeft() {
        long[] clock = {5_000_000_000L};
        // a 300 s budget that started at 5 s on the clock
        PhaseTimes t = new PhaseTimes(() -> clock[0], 5_000_000_000L, 300);
        clock[0] += 30_000_000_000L;
        t.end("planning");
        clock[0] += 240_000_000_000L;
        t.end("training");
        clock[0] += 6_000_000_000L;
        t.end("final choices");
        clock[0] += 9_000_000_000L;
        t.end("test pass");
        assertThat(t.seconds()).containsEntry("planning", 30.0).containsEntry("training", 240.0).containsEntry("test pass", 9.0);
        Decision<String> d = t.decision();
        assertThat(d.name()).isEqualTo("time-spent");
        assertThat(d.value()).isEqualTo("285 s of 300 s");
        assertThat(d.rationale()).isEqualTo("planning 30.0 s (10.0%), training 240.0 s (80.0%), final choices 6.0 s (2.0%),"
                + " test pass 9.0 s (3.0%); 15.0 s of the 300 s budget left for writing the outputs");
        assertThat(d.evidence()).containsEntry("totalSeconds", 285.0).containsEntry("budgetSeconds", 300.0);
    }

    @Test
    void anOverrunIsSaidAndARunWithoutABudgetGetsItsSecondsAlone() {
        long[] clock = {0};
        PhaseTimes over = new PhaseTimes(() -> clock[0], 0, 60);
        clock[0] = 66_000_000_000L;
        over.end("training");
        assertThat(over.decision().rationale()).endsWith("6.0 s (10.0%) over the 60 s budget before writing the outputs");
        clock[0] = 0;
        PhaseTimes free = new PhaseTimes(() -> clock[0], 0, 0);
        clock[0] = 12_000_000_000L;
        free.end("training");
        assertThat(free.decision().value()).isEqualTo("12 s");
        assertThat(free.decision().rationale()).isEqualTo("training 12.0 s; writing the outputs follows");
    }
}
