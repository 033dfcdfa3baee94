package dev.hone.tasks.metrics;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a learned decision threshold optimises: the best F1, or the best recall at a precision floor, or the
 * best precision at a recall floor.
 *
 * <p>F1 is the default: it balances missed positives against false alarms when neither has a stated cost.
 * A floor fits an operating requirement, e.g. a screening model that must find 90% of cases
 * ({@code recall>=0.9}) or an alert that must be right 9 times in 10 ({@code precision>=0.9}).
 *
 * @param kind which quantity is maximised
 * @param floor the required minimum of the other quantity, in (0, 1]; 0 for {@link Kind#MAX_F1}
 */
public record ThresholdTarget(Kind kind, double floor) {
    /** The three targets. */
    public enum Kind {
        /** Maximise F1. */
        MAX_F1,
        /** Maximise recall subject to precision {@code >= floor}. */
        PRECISION_AT_LEAST,
        /** Maximise precision subject to recall {@code >= floor}. */
        RECALL_AT_LEAST
    }

    private static final Pattern FLOOR = Pattern.compile("(precision|recall)\\s*>=\\s*([0-9]*\\.?[0-9]+)");

    public ThresholdTarget {
        if (kind == null) {
            throw new IllegalArgumentException("threshold target kind must not be null");
        }
        if (kind == Kind.MAX_F1 ? floor != 0 : !(floor > 0 && floor <= 1)) {
            throw new IllegalArgumentException("threshold target " + kind + " with floor " + floor
                    + ": a precision or recall floor lies in (0, 1], e.g. precision>=0.9; f1 takes none");
        }
    }

    public static ThresholdTarget maxF1() {
        return new ThresholdTarget(Kind.MAX_F1, 0);
    }

    /** Highest recall subject to precision {@code >= p}, p in (0, 1]. */
    public static ThresholdTarget precisionAtLeast(double p) {
        return new ThresholdTarget(Kind.PRECISION_AT_LEAST, p);
    }

    /** Highest precision subject to recall {@code >= r}, r in (0, 1]. */
    public static ThresholdTarget recallAtLeast(double r) {
        return new ThresholdTarget(Kind.RECALL_AT_LEAST, r);
    }

    /**
     * Reads the command-line form: {@code f1}, {@code precision>=P} or {@code recall>=R} with P, R in (0, 1];
     * case and spaces around {@code >=} are ignored.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static ThresholdTarget parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("f1")) {
            return maxF1();
        }
        Matcher m = FLOOR.matcher(t);
        if (m.matches()) {
            double floor = Double.parseDouble(m.group(2));
            if (floor > 0 && floor <= 1) {
                return m.group(1).equals("precision") ? precisionAtLeast(floor) : recallAtLeast(floor);
            }
        }
        throw new IllegalArgumentException("--threshold-metric '" + text + "' is not understood; use f1, "
                + "precision>=P or recall>=R with P or R in (0, 1], e.g. precision>=0.9");
    }

    /** The command-line form, which {@link #parse} reads back. */
    @Override
    public String toString() {
        return switch (kind) {
            case MAX_F1 -> "f1";
            case PRECISION_AT_LEAST -> "precision>=" + floor;
            case RECALL_AT_LEAST -> "recall>=" + floor;
        };
    }
}
