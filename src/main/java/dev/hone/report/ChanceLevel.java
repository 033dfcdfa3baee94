package dev.hone.report;

import java.util.List;
import java.util.Locale;

/**
 * Whether a test accuracy is better than answering the majority class every time.
 *
 * <p>A run cut short by a tiny budget, or trained on too little data, can finish with a model that
 * has learned nothing and still print an accuracy that looks like a result (50% on two balanced
 * classes, 90% when one class has nine images in ten). The baseline is the majority-class rate of the
 * evaluated set itself: the best any constant answer can score there, so the strictest constant
 * baseline. The accuracy beats it when a one-sided exact binomial test rejects "each image is right
 * with probability {@code rate}" at the {@link #SIGNIFICANCE} level: {@code P(X >= correct)} for
 * {@code X ~ Binomial(n, rate)}. With few test images even a perfect score may not be significant
 * (4 of 4 against 50% has p = 1/16), and the record then says so rather than claim a result.
 *
 * <p>Pure Java, no engine, so it is tested against hand-computed binomial tails in milliseconds.
 */
public final class ChanceLevel {
    /** One-sided level of the test: the usual 5%. */
    public static final double SIGNIFICANCE = 0.05;

    private ChanceLevel() {}

    /**
     * The majority-class baseline and the test of the accuracy against it.
     *
     * @param majorityClass the most frequent class of the evaluated set (the first on ties)
     * @param rate its share of the evaluated set: the accuracy of always answering it
     * @param pValue {@code P(X >= correct)} for {@code X ~ Binomial(count, rate)}
     * @param significance the level the p-value was compared with
     */
    public record Chance(String majorityClass, double rate, double pValue, double significance) {

        /** {@code majority class 'cat' 50.00%, p = 0.4} for a person. */
        public String describe() {
            // a p-value below the smallest double reads 0: it is said as a bound, not as "p = 0.00"
            return String.format(Locale.ROOT, "majority class '%s' %.2f%%, one-sided binomial p %s", majorityClass,
                    100 * rate, pValue > 0 ? String.format(Locale.ROOT, "= %.3g", pValue) : "< 1e-300");
        }
    }

    /**
     * The chance level of a set with {@code classCounts} images per class, of which {@code correct}
     * were predicted right; null for an empty set, where there is nothing to test.
     */
    public static Chance of(int correct, int[] classCounts, List<String> classNames) {
        int n = 0;
        int majority = 0;
        for (int c = 0; c < classCounts.length; c++) {
            n += classCounts[c];
            if (classCounts[c] > classCounts[majority]) {
                majority = c;
            }
        }
        if (n == 0) {
            return null;
        }
        double rate = (double) classCounts[majority] / n;
        return new Chance(classNames.get(majority), rate, upperTail(correct, n, rate), SIGNIFICANCE);
    }

    /** Whether {@code chance} is rejected at its level: the accuracy is better than chance. */
    public static boolean isBetter(Chance chance) {
        return chance.pValue() < chance.significance();
    }

    /**
     * {@code P(X >= k)} for {@code X ~ Binomial(n, p)}, summed exactly in log space so that thousands
     * of images neither underflow nor lose the small tail.
     */
    public static double upperTail(int k, int n, double p) {
        if (k <= 0) {
            return 1;
        }
        if (k > n) {
            return 0;
        }
        if (p <= 0) {
            return 0;
        }
        if (p >= 1) {
            return 1;
        }
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        // log pmf(k) = log C(n, k) + k log p + (n - k) log q, then pmf(j + 1) / pmf(j) = (n - j) / (j + 1) * p / q
        double logTerm = logChoose(n, k) + k * logP + (n - k) * logQ;
        double max = logTerm;
        double sum = 1; // terms relative to exp(max)
        double log = logTerm;
        for (int j = k; j < n; j++) {
            log += Math.log((double) (n - j) / (j + 1)) + logP - logQ;
            if (log > max) {
                sum = sum * Math.exp(max - log) + 1;
                max = log;
            } else {
                sum += Math.exp(log - max);
            }
        }
        return Math.min(1, Math.exp(max + Math.log(sum)));
    }

    private static double logChoose(int n, int k) {
        int m = Math.min(k, n - k);
        double s = 0;
        for (int i = 1; i <= m; i++) {
            s += Math.log((double) (n - m + i) / i);
        }
        return s;
    }
}
