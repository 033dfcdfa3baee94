package dev.hone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventEngineTest {

    private record Recording(String name, List<String> log, Set<Trait> traits) implements Technique {
        @Override
        public boolean matches(Event event, TrainingView view) {
            return event == Event.BEFORE_LOSS || event == Event.AFTER_LOSS;
        }

        @Override
        public void apply(Event event, TrainingState state) {
            log.add(name + ":" + event);
        }
    }

    @Test
    void closingEventsRunInReverseOrderSoChangesUnwindLikeAStack() {
        List<String> log = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        EventEngine engine = new EventEngine(List.of(new Recording("a", log, Set.of()), new Recording("b", log, Set.of())),
                List.of((e, v) -> seen.add(e.name())));
        TrainingState state = new TrainingState(1, 1, 0.1);
        engine.fire(Event.BEFORE_LOSS, state);
        engine.fire(Event.AFTER_LOSS, state);
        assertThat(log).containsExactly("a:BEFORE_LOSS", "b:BEFORE_LOSS", "b:AFTER_LOSS", "a:AFTER_LOSS");
        assertThat(seen).containsExactly("BEFORE_LOSS", "AFTER_LOSS");
    }

    @Test
    void twoSampleMixersAreRejectedBeforeTheFirstBatch() {
        List<String> log = new ArrayList<>();
        assertThatThrownBy(() -> new EventEngine(List.of(
                new Recording("mixup", log, Set.of(Technique.Trait.MIXES_SAMPLES)),
                new Recording("cutmix", log, Set.of(Technique.Trait.MIXES_SAMPLES))), List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("mixup").hasMessageContaining("cutmix").hasMessageContaining("keep one");
    }

    @Test
    void observersGetAViewThatCannotBeCastBackToState() {
        List<Object> views = new ArrayList<>();
        EventEngine engine = new EventEngine(List.of(), List.of((e, v) -> views.add(v)));
        engine.fire(Event.EPOCH_START, new TrainingState(1, 1, 0.1));
        assertThat(views.get(0)).isNotInstanceOf(TrainingState.class);
    }

    @Test
    void theFirstStopReasonWins() {
        TrainingState state = new TrainingState(1, 1, 0.1);
        state.requestStop("early stopping");
        state.requestStop("budget");
        assertThat(state.stopReason()).contains("early stopping");
    }
}
