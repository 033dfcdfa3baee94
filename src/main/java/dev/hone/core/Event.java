package dev.hone.core;

/**
 * The named moments of the fit loop at which techniques and observers run.
 *
 * <p>Steps come in {@code BEFORE_X}/{@code AFTER_X} pairs and spans in {@code X_START}/{@code X_END}
 * pairs. A technique that changes state on a {@code BEFORE} or {@code START} event restores it on the
 * matching {@code AFTER} or {@code END} event; the engine fires closing events in reverse order of
 * registration so that nested changes unwind like a stack.
 */
public enum Event {
    FIT_START,
    EPOCH_START,
    BATCH_START,
    BEFORE_FORWARD,
    BEFORE_LOSS,
    AFTER_LOSS,
    AFTER_BACKWARD,
    BEFORE_STEP,
    AFTER_STEP,
    BATCH_END,
    VALIDATION_START,
    VALIDATION_END,
    /**
     * Closes a validation pass whose loss was not finite, instead of {@code VALIDATION_END}: its figures are not the
     * state's, and the loop backs off.
     */
    VALIDATION_ABORTED,
    EPOCH_END,
    FIT_END;

    /** Whether this event closes a pair, so handlers run in reverse registration order. */
    public boolean isClosing() {
        return switch (this) {
            case AFTER_LOSS, AFTER_BACKWARD, AFTER_STEP, BATCH_END, VALIDATION_END, VALIDATION_ABORTED, EPOCH_END, FIT_END -> true;
            default -> false;
        };
    }
}
