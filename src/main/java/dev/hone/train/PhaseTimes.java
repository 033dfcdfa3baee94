package dev.hone.train;

import dev.hone.record.Decision;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Where a run's time went, phase by phase, for the record's {@code time-spent} decision: the planning before training (the
 * learners' probes, the regularization search, semi-supervised learning; on a resumed run, also the stopped run's time),
 * the final training with its validation passes, the final choices on validation (and the semi-supervised guard-rail),
 * and the test pass. Issue 14 asks that every phase stay inside its share and that the record say where one overran; the
 * decisions give each phase's choices and the budget's plan, and this one the seconds each took, so a reader can check
 * them without the log's timestamps (a fresh review, 2026-12-08). Writing the outputs comes after the record is made and
 * is not in it.
 */
final class PhaseTimes {
    private final LongSupplier clock;
    private final long startNanos;
    private final double budgetSeconds;
    private final Map<String, Double> seconds = new LinkedHashMap<>();
    private long last;

    /**
     * @param startNanos the budget's start on {@code clock} (moved back by a stopped run's time on a resume)
     * @param budgetSeconds the budget, 0 for none
     */
    PhaseTimes(LongSupplier clock, long startNanos, double budgetSeconds) {
        this.clock = clock;
        this.startNanos = startNanos;
        this.budgetSeconds = budgetSeconds;
        this.last = startNanos;
    }

    /** Ends {@code phase} now: the seconds since the last phase ended (or the start) are its. */
    void end(String phase) {
        long now = clock.getAsLong();
        seconds.merge(phase, (now - last) / 1e9, Double::sum);
        last = now;
    }

    /** The seconds each phase took, in order. */
    Map<String, Double> seconds() {
        return Map.copyOf(seconds);
    }

    /** The decision: each phase's seconds and, with a budget, its share of it and what was left or overrun. */
    Decision<String> decision() {
        double total = (last - startNanos) / 1e9;
        Map<String, Object> evidence = new LinkedHashMap<>();
        seconds.forEach((k, v) -> evidence.put(k, v));
        evidence.put("totalSeconds", total);
        String each = seconds.entrySet().stream().map(e -> budgetSeconds > 0
                ? String.format(Locale.ROOT, "%s %.1f s (%.1f%%)", e.getKey(), e.getValue(), 100 * e.getValue() / budgetSeconds)
                : String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
        if (!(budgetSeconds > 0)) {
            return Decision.derived("time-spent", String.format(Locale.ROOT, "%.0f s", total), "clock", each
                    + "; writing the outputs follows", evidence);
        }
        evidence.put("budgetSeconds", budgetSeconds);
        double left = budgetSeconds - total;
        String end = left >= 0 ? String.format(Locale.ROOT, "%.1f s of the %.0f s budget left for writing the outputs", left,
                budgetSeconds) : String.format(Locale.ROOT, "%.1f s (%.1f%%) over the %.0f s budget before writing the outputs", -left,
                        -100 * left / budgetSeconds, budgetSeconds);
        return Decision.derived("time-spent", String.format(Locale.ROOT, "%.0f s of %.0f s", total, budgetSeconds), "clock",
                each + "; " + end, evidence);
    }
}
