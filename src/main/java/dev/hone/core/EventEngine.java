package dev.hone.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fires loop events at the registered techniques, then the observers.
 *
 * <p>Named EventEngine rather than Engine (as in Composer) to stay clear of DJL's
 * {@code ai.djl.engine.Engine}. Techniques run in registration order on opening events and in
 * reverse order on closing ones, so a technique registered later sees (and restores) the state
 * left by earlier ones. Trait conflicts are checked once, at construction.
 */
public final class EventEngine {
    /** Traits of which at most one technique may hold. */
    private static final Map<Technique.Trait, String> EXCLUSIVE = Map.of(
            Technique.Trait.MIXES_SAMPLES, "two sample-mixing techniques would mix one batch twice; keep one (e.g. MixUp or CutMix, switched per batch)",
            Technique.Trait.SETS_LEARNING_RATE, "two learning-rate schedules would overwrite each other; keep one");

    private final List<Technique> techniques;
    private final List<Technique> reversed;
    private final List<Observer> observers;

    public EventEngine(List<Technique> techniques, List<Observer> observers) {
        checkConflicts(techniques);
        this.techniques = List.copyOf(techniques);
        List<Technique> r = new ArrayList<>(techniques);
        java.util.Collections.reverse(r);
        this.reversed = List.copyOf(r);
        this.observers = List.copyOf(observers);
    }

    public List<Technique> techniques() {
        return techniques;
    }

    public void fire(Event event, TrainingState state) {
        for (Technique t : event.isClosing() ? reversed : techniques) {
            if (t.matches(event, state)) {
                t.apply(event, state);
            }
        }
        for (Observer o : observers) {
            o.on(event, state.view());
        }
    }

    static void checkConflicts(List<Technique> techniques) {
        for (Map.Entry<Technique.Trait, String> e : EXCLUSIVE.entrySet()) {
            List<String> holders = techniques.stream().filter(t -> t.traits().contains(e.getKey())).map(Technique::name).toList();
            if (holders.size() > 1) {
                throw new HoneException("techniques " + holders + " conflict: " + e.getValue());
            }
        }
        Set<String> names = new java.util.HashSet<>();
        for (Technique t : techniques) {
            if (!names.add(t.name())) {
                throw new HoneException("technique " + t.name() + " is registered twice; register it once");
            }
        }
    }
}
