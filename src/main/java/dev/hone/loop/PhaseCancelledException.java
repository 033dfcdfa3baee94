package dev.hone.loop;

import dev.hone.core.HoneException;

/**
 * Thrown when the caller cancelled a run during a training before the final one (by a trial, after its batch) or
 * between two learners ({@link PhaseHooks#check}); the run turns it into its own cancellation, which keeps the work
 * folder for a resume.
 */
public class PhaseCancelledException extends HoneException {
    private final String phase;

    /** @param phase what was running, e.g. {@code "ssl teacher"} or {@code "meta-learning"} */
    public PhaseCancelledException(String phase) {
        super("cancelled during " + phase);
        this.phase = phase;
    }

    /** What was running when the run stopped. */
    public String phase() {
        return phase;
    }
}
