package dev.hone.loop;

import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import java.util.function.BooleanSupplier;

/**
 * Stops the fit loop after the batch in which the caller cancelled: polls a flag at each batch's end
 * and, once set, asks the loop to stop and leave the unfinished epoch out
 * ({@link TrainingState#requestCancel}). The flag may be set from any thread. The final run and every training
 * before it (meta-learning's trials, the semi-supervised phases) use it.
 */
public final class Cancellation implements Technique {
    private final BooleanSupplier cancelled;

    /** @param cancelled the caller's flag, polled after each batch */
    public Cancellation(BooleanSupplier cancelled) {
        this.cancelled = cancelled;
    }

    @Override
    public String name() {
        return "cancellation";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BATCH_END;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        if (cancelled.getAsBoolean()) {
            state.requestCancel();
        }
    }
}
