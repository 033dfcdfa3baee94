package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.SingleLabel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairedComparisonTest {
    /** Single-label predictions over {@code n} images, right where {@code right} says. */
    private static Predictions predictions(boolean[] right) {
        float[][] p = new float[right.length][];
        for (int i = 0; i < right.length; i++) {
            p[i] = right[i] ? new float[] {0.8f, 0.2f} : new float[] {0.3f, 0.7f};
        }
        return new Predictions(p, new int[right.length], new float[right.length][2], 0, Double.NaN);
    }

    /** Two trials that agree on most images: {@code better} images only the candidate gets right, {@code worse} only the incumbent. */
    private static PairedComparison compare(int n, int better, int worse) {
        boolean[] candidate = new boolean[n];
        boolean[] incumbent = new boolean[n];
        for (int i = 0; i < n; i++) {
            boolean common = i % 5 != 0; // 80% right for both
            candidate[i] = common;
            incumbent[i] = common;
        }
        for (int i = 0, b = 0, w = 0; i < n; i += 5) {
            if (b < better) {
                candidate[i] = true;
                b++;
            } else if (w < worse) {
                incumbent[i] = true;
                w++;
            }
        }
        return PairedComparison.of(SingleLabel.INSTANCE, predictions(candidate), predictions(incumbent), 3);
    }

    @Test
    void identicalPredictionsGainNothing() {
        PairedComparison c = compare(2000, 0, 0);
        assertThat(c.gain()).isZero();
        assertThat(c.pValue()).isEqualTo(1.0);
        assertThat(c.significant()).isFalse();
    }

    @Test
    void aOnePointGainWithFewDisagreementsIsSignificantAndItsIntervalHoldsIt() {
        // 30 images better, 10 worse on 2,000: +1 point; McNemar's exact one-sided p is about 0.001
        PairedComparison c = compare(2000, 30, 10);
        assertThat(c.gain()).isEqualTo(0.01, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(c.significant()).isTrue();
        assertThat(c.low()).isGreaterThan(0).isLessThan(c.gain());
        assertThat(c.high()).isGreaterThan(c.gain());
        assertThat(c.describe()).startsWith("+0.0100 [");
    }

    @Test
    void theSameGainAmidManyDisagreementsIsNot() {
        // 120 better, 100 worse: the same +1 point, but McNemar's one-sided p is about 0.1
        PairedComparison c = compare(2000, 120, 100);
        assertThat(c.gain()).isEqualTo(0.01, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(c.significant()).isFalse();
        assertThat(c.pValue()).isBetween(0.05, 0.25);
        assertThat(c.low()).isLessThan(0);
    }

    @Test
    void aGainIsSignificantExactlyWhenItsIntervalLiesAbove0() {
        // gains around the edge of significance on 2,000 and on 60 images: the test and the interval never disagree
        for (int n : new int[] {60, 2000}) {
            for (int better = 0; better <= (n == 60 ? 12 : 80); better++) {
                PairedComparison c = compare(n, better, n == 60 ? 2 : 30);
                assertThat(c.gain() > 0 && c.low() > 0).as("%d better of %d: %s", better, n, c.describe())
                        .isEqualTo(c.significant());
            }
        }
    }

    @Test
    void oneSeedGivesOneAnswer() {
        assertThat(compare(2000, 25, 12)).isEqualTo(compare(2000, 25, 12));
    }

    @Test
    void anyTasksMetricCanBeCompared() {
        Random r = new Random(1);
        int n = 300, k = 3;
        float[][] truth = new float[n][k];
        float[][] good = new float[n][k];
        float[][] noisy = new float[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                truth[i][c] = r.nextDouble() < 0.3 ? 1 : 0;
                good[i][c] = (float) (0.6 * truth[i][c] + 0.4 * r.nextDouble());
                noisy[i][c] = (float) r.nextDouble();
            }
        }
        MultiLabel task = MultiLabel.plain();
        PairedComparison c = PairedComparison.of(task, new Predictions(good, new int[n], truth, 0, Double.NaN),
                new Predictions(noisy, new int[n], truth, 0, Double.NaN), 5);
        assertThat(c.gain()).isGreaterThan(0.3);
        assertThat(c.significant()).isTrue();
    }

    @Test
    void predictionsOfDifferentSetsAreRefused() {
        assertThatThrownBy(() -> PairedComparison.of(SingleLabel.INSTANCE, predictions(new boolean[3]), predictions(new boolean[4]), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 and 4");
    }

    @Test
    void theLossComparisonResamplesPerImageDifferences() {
        int n = 2000;
        Random random = new Random(7);
        double[] incumbent = new double[n];
        double[] same = new double[n];
        double[] lower = new double[n];
        for (int i = 0; i < n; i++) {
            incumbent[i] = 0.4 + random.nextGaussian() * 0.3;
            same[i] = incumbent[i];
            lower[i] = incumbent[i] - 0.02 + (i % 2 == 0 ? 0.1 : -0.1); // 0.02 lower on average, scattered by 0.1
        }
        float[][] p = new float[n][2];
        PairedComparison none = PairedComparison.ofLoss(new Predictions(p, new int[n], p, 0.4, 0.8, same),
                new Predictions(p, new int[n], p, 0.4, 0.8, incumbent), 1);
        assertThat(none.gain()).isZero();
        assertThat(none.significant()).isFalse();
        PairedComparison c = PairedComparison.ofLoss(new Predictions(p, new int[n], p, 0.38, 0.8, lower),
                new Predictions(p, new int[n], p, 0.4, 0.8, incumbent), 1);
        // the standard error of the mean difference is 0.1 / sqrt(2000) = 0.0022: 0.02 is about nine of them
        assertThat(c.gain()).isBetween(0.015, 0.025);
        assertThat(c.significant()).isTrue();
        assertThat(c.low()).isGreaterThan(0.01).isLessThan(c.gain());
        assertThat(c.high()).isLessThan(0.03).isGreaterThan(c.gain());
        assertThatThrownBy(() -> PairedComparison.ofLoss(new Predictions(p, new int[n], p, 0.4, 0.8),
                new Predictions(p, new int[n], p, 0.4, 0.8, incumbent), 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("per-image losses");
    }
}
