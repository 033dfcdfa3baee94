package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChanceLevelTest {

    /** Binomial(10, 1/2) tails by hand: C(10,8)+C(10,9)+C(10,10) = 56 of 1024; 11 of 1024; 1 of 1024. */
    @Test
    void upperTailMatchesHandComputedBinomialSums() {
        assertThat(ChanceLevel.upperTail(8, 10, 0.5)).isCloseTo(56 / 1024.0, within(1e-15));
        assertThat(ChanceLevel.upperTail(9, 10, 0.5)).isCloseTo(11 / 1024.0, within(1e-15));
        assertThat(ChanceLevel.upperTail(10, 10, 0.5)).isCloseTo(1 / 1024.0, within(1e-15));
        assertThat(ChanceLevel.upperTail(0, 10, 0.5)).isEqualTo(1.0);
        assertThat(ChanceLevel.upperTail(11, 10, 0.5)).isZero();
        // P(X >= 2 | 3, 0.2) = 3 * 0.04 * 0.8 + 0.008 = 0.104
        assertThat(ChanceLevel.upperTail(2, 3, 0.2)).isCloseTo(0.104, within(1e-14));
    }

    /** Normal approximation for a large set: 5,200 of 10,000 against 1/2 is z = 4, tail about 3.2e-5. */
    @Test
    void largeSetsNeitherUnderflowNorOverflow() {
        double p = ChanceLevel.upperTail(5200, 10_000, 0.5);
        assertThat(p).isBetween(2.5e-5, 4.0e-5);
        assertThat(ChanceLevel.upperTail(5000, 10_000, 0.5)).isCloseTo(0.504, within(0.001));
        assertThat(ChanceLevel.upperTail(9000, 10_000, 0.5)).isGreaterThanOrEqualTo(0).isLessThan(1e-300);
        // a p-value that underflowed to 0 is said as a bound, not as "p = 0.00"
        assertThat(new ChanceLevel.Chance("a", 0.5, 0, 0.05).describe()).endsWith("one-sided binomial p < 1e-300");
        assertThat(new ChanceLevel.Chance("a", 0.5, 3.2e-5, 0.05).describe()).endsWith("p = 3.20e-05");
    }

    @Test
    void majorityClassIsTheBaselineAndFivePercentTheLevel() {
        // 52 of 100 right on a balanced pair: P(X >= 52 | 100, 0.5) = 0.382, no better than chance
        ChanceLevel.Chance coin = ChanceLevel.of(52, new int[] {50, 50}, List.of("heads", "tails"));
        assertThat(coin.majorityClass()).isEqualTo("heads");
        assertThat(coin.rate()).isEqualTo(0.5);
        assertThat(coin.pValue()).isCloseTo(0.3822, within(1e-4));
        assertThat(ChanceLevel.isBetter(coin)).isFalse();
        assertThat(coin.describe()).contains("majority class 'heads' 50.00%");

        // 90% on a set that is 90% one class is what answering that class gets
        ChanceLevel.Chance skewed = ChanceLevel.of(90, new int[] {10, 90}, List.of("rare", "common"));
        assertThat(skewed.majorityClass()).isEqualTo("common");
        assertThat(ChanceLevel.isBetter(skewed)).isFalse();

        assertThat(ChanceLevel.isBetter(ChanceLevel.of(70, new int[] {50, 50}, List.of("a", "b")))).isTrue();
        assertThat(ChanceLevel.of(0, new int[] {0, 0}, List.of("a", "b"))).isNull();
    }
}
