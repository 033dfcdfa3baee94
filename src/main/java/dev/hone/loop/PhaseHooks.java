package dev.hone.loop;

import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What the caller of a run hears from the trainings before the final one, and how it stops them: meta-learning's trials
 * (the regularization search, the loss trials) and the semi-supervised phases (teacher, rounds, pretraining), which take
 * most of a semi-supervised run's budget.
 *
 * @param cancelled polled after every batch of those trainings; once true, the training stops after its batch and
 *     {@link #check} throws {@link PhaseCancelledException}
 * @param progress hears a {@link PhaseStatus} after each optimizer step of the phases that report progress (the
 *     semi-supervised ones; the search's short trials do not)
 */
public record PhaseHooks(BooleanSupplier cancelled, Consumer<PhaseStatus> progress) {
    /** Nothing hears the phases, and nothing cancels them. */
    public static final PhaseHooks NONE = new PhaseHooks(() -> false, s -> { });

    public PhaseHooks {
        Objects.requireNonNull(cancelled, "cancelled");
        Objects.requireNonNull(progress, "progress");
    }

    /**
     * Throws when the caller has cancelled.
     *
     * @param phase what was running, for the exception's message, e.g. {@code "ssl teacher"}
     * @throws PhaseCancelledException when {@link #cancelled} is true
     */
    public void check(String phase) {
        if (cancelled.getAsBoolean()) {
            throw new PhaseCancelledException(phase);
        }
    }
}
