package dev.hone.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The listeners' ETAs follow the pace since the fit began (or resumed), in every epoch. */
class ListenerObserverTest {
    private static final long SECOND = 1_000_000_000L;

    /** Runs epochs {@code from..} of 4 batches (12 steps in all), each step taking one second on the fake clock. */
    private static List<Progress> fit(int fromEpoch, long totalSteps) {
        AtomicLong clock = new AtomicLong();
        List<Progress> heard = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                heard.add(p);
            }
        };
        ListenerObserver observer = new ListenerObserver(List.of(listener), clock::get);
        TrainingState state = new TrainingState(3, 4, totalSteps, 0.1);
        observer.on(Event.FIT_START, state);
        for (int epoch = fromEpoch; epoch <= 3 && state.globalStep() < totalSteps; epoch++) {
            state.startEpoch(epoch);
            observer.on(Event.EPOCH_START, state);
            for (int b = 0; b < 4 && state.globalStep() < totalSteps; b++) {
                clock.addAndGet(SECOND);
                state.endBatch(0.5);
                observer.on(Event.BATCH_END, state);
            }
        }
        return heard;
    }

    @Test
    void theRunsEtaIsTheStepsLeftAtThePaceSoFarInEveryEpoch() {
        List<Progress> heard = fit(1, 12);
        assertThat(heard).hasSize(12);
        for (Progress p : heard) {
            assertThat(p.eta()).as("step %d", p.step()).isEqualTo(Duration.ofSeconds(12 - p.step()));
        }
        assertThat(heard.get(4).epochEta()).as("epoch 2, batch 1").isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aResumedRunMeasuresItsPaceFromWhereItResumed() {
        List<Progress> heard = fit(2, 12);
        assertThat(heard).hasSize(8);
        assertThat(heard.get(0).step()).isEqualTo(5);
        assertThat(heard.get(0).eta()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void theLastEpochsEtaEndsAtThePlannedTotal() {
        List<Progress> heard = fit(1, 10); // the total falls at batch 2 of epoch 3
        Progress p = heard.get(8); // epoch 3, batch 1
        assertThat(p.epoch()).isEqualTo(3);
        assertThat(p.epochEta()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.eta()).isEqualTo(Duration.ofSeconds(1));
    }
}
