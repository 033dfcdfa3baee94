package dev.hone.cli;

import ai.djl.engine.EngineException;
import dev.hone.core.ErrorText;
import dev.hone.core.HoneException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Turns whatever ends a command into what a person should read: one line for a problem with the
 * data, the flags or the machine, and for a bug a line saying so, with the stack trace only when
 * {@code HONE_DEBUG=1} (or {@code -Dhone.debug=true}) asks for it.
 *
 * <p>Exit status: 2 for problems the user can fix (the same as picocli's usage errors), 1 for
 * everything that points at hone itself.
 */
final class ErrorReport implements CommandLine.IExecutionExceptionHandler {
    /** Exit status of an error the user can act on. */
    static final int USER_ERROR = 2;
    /** Exit status of an internal error (a bug, or an engine failure hone could not explain). */
    static final int INTERNAL_ERROR = 1;

    private static final String MEMORY_FIX = "give hone more memory (e.g. HONE_JAVA_OPTS=-Xmx16g ./hone ...),"
            + " use smaller images, or fix a smaller --batch-size";

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        return report(e, commandLine.getErr());
    }

    /** Prints {@code t} for a person and returns the exit status. */
    static int report(Throwable t, PrintWriter err) {
        try {
            return print(t, err);
        } finally {
            err.flush();
        }
    }

    private static int print(Throwable t, PrintWriter err) {
        HoneException hone = find(t, HoneException.class);
        if (hone != null) {
            err.println("hone: error: " + hone.getMessage());
            return USER_ERROR;
        }
        if (t instanceof UncheckedIOException) {
            err.println("hone: error: " + t.getMessage() + ". Fix: check that the paths exist and are readable and writable");
            return USER_ERROR;
        }
        if (isOutOfMemory(t)) {
            err.println("hone: error: out of memory (" + ErrorText.oneLine(t) + "). Fix: " + MEMORY_FIX);
            return USER_ERROR;
        }
        if (t instanceof IllegalArgumentException) {
            err.println("hone: error: " + ErrorText.oneLine(t) + ". Fix: check the flag values (hone COMMAND --help lists"
                    + " them); if they look right, this is a bug: please report it with the output of HONE_DEBUG=1");
            traceIfAsked(t, err);
            return USER_ERROR;
        }
        if (find(t, EngineException.class) != null) {
            err.println("hone: error: the PyTorch engine failed: " + ErrorText.oneLine(find(t, EngineException.class))
                    + where(t) + ".");
        } else {
            err.println("hone: internal error: " + t.getClass().getSimpleName() + ": " + ErrorText.oneLine(t) + where(t) + ".");
        }
        err.println("hone: this is a bug in hone, not in your data or flags: please report it with the output of the same"
                + " command run with HONE_DEBUG=1" + (debug() ? " (below)" : ""));
        traceIfAsked(t, err);
        return INTERNAL_ERROR;
    }

    private static boolean isOutOfMemory(Throwable t) {
        if (find(t, OutOfMemoryError.class) != null) {
            return true;
        }
        EngineException engine = find(t, EngineException.class);
        if (engine == null || engine.getMessage() == null) {
            return false;
        }
        String m = engine.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("out of memory") || m.contains("not enough memory");
    }

    /** Where a bug surfaced, as the first hone frame: enough to search for without a stack trace. */
    private static String where(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("dev.hone.")) {
                return " (in " + frame.getFileName() + ":" + frame.getLineNumber() + ")";
            }
        }
        return "";
    }

    private static void traceIfAsked(Throwable t, PrintWriter err) {
        if (debug()) {
            t.printStackTrace(err);
        }
    }

    static boolean debug() {
        return "1".equals(System.getenv("HONE_DEBUG")) || Boolean.getBoolean("hone.debug");
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
