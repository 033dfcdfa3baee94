package dev.hone.metalearn.budget;

import dev.hone.core.HoneException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a wall-clock budget such as {@code 10m}, {@code 90s}, {@code 1h30m}, {@code 2h} or {@code 1d} (units in either case). */
public final class Budget {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)([dhms])");

    private Budget() {}

    /** The shortest budget: 30 seconds, as the meta-learners' probes need. */
    static final double MIN_SECONDS = 30;

    /** The longest budget: 7 days. */
    static final double MAX_SECONDS = 7 * 24 * 3600;

    /** {@code budget} as {@code parse} reads it back, in seconds: {@code 90s} for 1m30s, {@code 0.5s} for 500 ms. */
    public static String text(Duration budget) {
        return new java.math.BigDecimal(budget.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + "s";
    }

    /**
     * The budget {@code text} gives: numbers each followed by a unit, d, h, m or s (fractions allowed).
     *
     * @param text what the user wrote after {@code --budget}
     * @return the budget, rounded to milliseconds
     * @throws HoneException when a number has no unit, or the text is not a duration from 30 seconds to 7 days
     */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(java.util.Locale.ROOT);
        Matcher m = PART.matcher(t);
        double seconds = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double v = Double.parseDouble(m.group(1));
            seconds += v * switch (m.group(2)) {
                case "d" -> 24 * 3600;
                case "h" -> 3600;
                case "m" -> 60;
                default -> 1;
            };
            end = m.end();
        }
        if (t.matches("\\d+(\\.\\d+)?")) {
            double v = Double.parseDouble(t);
            boolean asSeconds = v >= MIN_SECONDS && v <= MAX_SECONDS;
            boolean asMinutes = v * 60 >= MIN_SECONDS && v * 60 <= MAX_SECONDS;
            if (asSeconds || asMinutes) {
                throw new HoneException("--budget " + text + " has no unit. Fix: write " + (asSeconds ? t + "s for seconds" : "")
                        + (asSeconds && asMinutes ? " or " : "") + (asMinutes ? t + "m for minutes" : "")
                        + " (like 10m, 90s or 1h30m)");
            }
        }
        if (t.isEmpty() || end != t.length() || seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
            throw new HoneException("--budget " + text + " is not a duration from 30s to 7d. Fix: write it like 10m, 90s, 1h30m or 2d");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
