package dev.hone.core;

/**
 * One readable line out of an exception message.
 *
 * <p>Engine errors arrive with the whole TorchScript or C++ traceback in their message; the line a
 * person needs is the last {@code ...Error: ...} line (PyTorch's own summary), else the first
 * non-blank one. Kept free of DJL so it can be tested in milliseconds.
 */
public final class ErrorText {
    private static final int MAX_LENGTH = 300;

    private ErrorText() {}

    /** The most telling line of {@code t}'s message, shortened to about 300 characters. */
    public static String oneLine(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        String[] lines = message.strip().split("\\R");
        String chosen = null;
        for (String line : lines) {
            String s = line.strip();
            if (s.matches("^[A-Za-z.]*(Error|Exception): .+")) {
                chosen = s.substring(s.indexOf(": ") + 2);
            }
        }
        if (chosen == null) {
            for (String line : lines) {
                if (!line.isBlank()) {
                    chosen = line.strip();
                    break;
                }
            }
        }
        return chosen.length() > MAX_LENGTH ? chosen.substring(0, MAX_LENGTH) + "..." : chosen;
    }
}
