package dev.hone.record;

import java.math.BigDecimal;
import java.math.MathContext;

/** Real numbers as a person reads them in a record's text: the log's decision lines, {@code explain} and the report. */
public final class Numbers {
    private Numbers() {}

    /**
     * Whole numbers whole; from 1,000 to 1e6 rounded to the nearest whole number (28414.65 reads 28415, where four
     * significant digits would say 28410); else four significant digits, plain between 1e-4 and 1e6
     * ({@code 0.0005}, not {@code 5.0E-4}) and {@code 1.5e-5} outside.
     */
    public static String readable(double d) {
        if (!Double.isFinite(d)) {
            return Double.toString(d);
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        double abs = Math.abs(d);
        if (abs >= 1000 && abs < 1e6) {
            return Long.toString(Math.round(d));
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros();
        if (abs >= 1e-4 && abs < 1e6) {
            return rounded.toPlainString();
        }
        int exponent = rounded.precision() - rounded.scale() - 1;
        return rounded.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }
}
