package dev.hone.core;

/**
 * An error a user can act on: what went wrong, where, and how to fix it.
 *
 * <p>The CLI prints {@link #getMessage()} without a stack trace and exits with status 2, so the
 * message must stand alone: name the file or flag, say what was expected, and say the fix.
 */
public class HoneException extends RuntimeException {

    public HoneException(String message) {
        super(message);
    }

    public HoneException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Builds the usual three-part message: problem, location, fix. */
    public static HoneException of(String problem, Object where, String fix) {
        return new HoneException(problem + ": " + where + ". Fix: " + fix);
    }
}
