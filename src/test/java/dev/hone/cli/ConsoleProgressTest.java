package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.api.PhaseProgress;
import dev.hone.api.Progress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import org.junit.jupiter.api.Test;

/** On a terminal, each semi-supervised phase and each epoch of the final run gets its own bar; in a log, phases add nothing. */
class ConsoleProgressTest {
    private final List<String> rendered = new CopyOnWriteArrayList<>();

    private static PhaseProgress phase(String name, long step, long total) {
        return new PhaseProgress(name, step, total, Duration.ofSeconds(step), Duration.ofSeconds(total - step));
    }

    private static Progress epochStep(int batch) {
        return new Progress(1, 2, batch, 4, batch, 8, 0.5, 0.01, Duration.ZERO, Duration.ZERO);
    }

    @Test
    void aTerminalShowsABarPerPhaseThenTheEpochs() {
        ConsoleProgress console = new ConsoleProgress(true, new DelegatingProgressBarConsumer(rendered::add));
        for (long s = 1; s <= 3; s++) {
            console.onPhaseProgress(phase("ssl teacher", s, 3));
        }
        console.onPhaseProgress(phase("ssl round 1, student", 1, 6));
        console.onPhaseProgress(phase("ssl round 1, student", 2, 5)); // a budget pacer re-planned the steps
        for (int b = 1; b <= 4; b++) {
            console.onProgress(epochStep(b));
        }
        console.onTrainingEnd("completed");
        assertThat(rendered).anyMatch(l -> l.startsWith("ssl teacher") && l.contains("3/3"));
        assertThat(rendered).anyMatch(l -> l.startsWith("ssl round 1, student") && l.contains("2/5"));
        assertThat(rendered).anyMatch(l -> l.startsWith("epoch 1/2") && l.contains("4/4"));
    }

    @Test
    void aLogLineGivesTheEpochAndTheWholeTrainingWithTheirEtas() {
        Progress p = new Progress(3, 4, 126, 168, 462, 680, 0.2051, 0.00147, Duration.ofSeconds(3), Duration.ofSeconds(72));
        assertThat(ConsoleProgress.line(p)).isEqualTo(
                "epoch 3/4: 126/168 batches, loss 0.2051 lr 0.00147, ETA 3.0 s; training step 462 of 680 (68%), ETA 1m 12s");
    }

    @Test
    void aLogGetsNoBarForAPhase() {
        ConsoleProgress console = new ConsoleProgress(false, new DelegatingProgressBarConsumer(rendered::add));
        console.onPhaseProgress(phase("ssl teacher", 1, 3));
        console.onTrainingEnd("completed");
        assertThat(rendered).isEmpty();
    }

    @Test
    void aLogGetsALineEachQuarterOfAnEpochAndAtLeastEveryThirtySecondsOfSlowSteps() {
        long s = 1_000_000_000L;
        assertThat(ConsoleProgress.logs(1, 0, false, 0, Long.MIN_VALUE)).as("the first quarter").isTrue();
        assertThat(ConsoleProgress.logs(2, 1, false, 5 * s, 0)).as("a quarter 5 s after the last line").isFalse();
        assertThat(ConsoleProgress.logs(2, 1, false, 12 * s, 0)).as("a quarter 12 s after").isTrue();
        assertThat(ConsoleProgress.logs(1, 1, false, 25 * s, 0)).as("the same quarter, 25 s after").isFalse();
        assertThat(ConsoleProgress.logs(1, 1, false, 31 * s, 0)).as("the same quarter, 31 s after").isTrue();
        assertThat(ConsoleProgress.logs(4, 3, true, 60 * s, 0)).as("the epoch's last step: its epoch line follows").isFalse();
    }
}
