package dev.hone.metalearn.learningrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hone.metalearn.learningrate.RangeTestRule.Result;
import dev.hone.metalearn.learningrate.RangeTestRule.Rule;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The range-test rule lands in the valley of synthetic curves, ignores a noisy spike, and falls back with a
 * reason when the curve cannot be read.
 */
class RangeTestRuleTest {

    private static final int N = 100;
    private static final double FALLBACK = 0.02;

    /** 100 learning rates from 1e-6 to 10, exponentially spaced, as a range test sweeps them. */
    private static List<Double> sweep() {
        List<Double> lrs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            lrs.add(1e-6 * Math.pow(10, 7.0 * i / (N - 1)));
        }
        return lrs;
    }

    /**
     * Flat at 2.3 below 1e-4, a valley falling linearly in log(lr) to 0.3 at 1e-1, then exploding tenfold per
     * half decade.
     */
    private static double valley(double lr) {
        double x = Math.log10(lr);
        if (x < -4) {
            return 2.3;
        }
        if (x <= -1) {
            return 2.3 - 2.0 * (x + 4) / 3;
        }
        return 0.3 + 0.3 * (Math.pow(10, 2 * (x + 1)) - 1);
    }

    /** The loss at each lr, plus Gaussian noise of the given size from a fixed seed. */
    private static List<Double> losses(List<Double> lrs, DoubleUnaryOperator curve, double noise) {
        Random rng = new Random(7);
        List<Double> out = new ArrayList<>();
        for (double lr : lrs) {
            out.add(curve.applyAsDouble(lr) + noise * rng.nextGaussian());
        }
        return out;
    }

    /** The rule this one replaces: the steepest drop between neighbouring raw losses. */
    private static double rawSteepest(List<Double> lrs, List<Double> losses) {
        int best = 1;
        double bestSlope = Double.POSITIVE_INFINITY;
        for (int i = 1; i < lrs.size(); i++) {
            double slope = (losses.get(i) - losses.get(i - 1)) / Math.log10(lrs.get(i) / lrs.get(i - 1));
            if (slope < bestSlope) {
                bestSlope = slope;
                best = i;
            }
        }
        return lrs.get(best);
    }

    @Test
    void suggestionLandsInTheDescendingValley() {
        List<Double> lrs = sweep();
        Result r = RangeTestRule.suggest(lrs, losses(lrs, RangeTestRuleTest::valley, 0.05), FALLBACK);
        assertThat(r.rule()).isEqualTo(Rule.VALLEY);
        assertThat(r.suggestion()).isBetween(1e-4, 1e-1);
        assertThat(r.suggestion()).isCloseTo(r.minLossLr() / 10, within(1e-15));
        assertThat(r.minLossLr()).isBetween(1e-2, 1.0);
        assertThat(r.steepestLr()).isBetween(1e-4, 1e-1);
        assertThat(r.divergedAt()).isNotNull().isBetween(1e-1, 10.0);
        assertThat(r.usedPoints()).isLessThan(N);
        assertThat(r.lrs()).hasSameSizeAs(r.smoothed()).hasSize(N);
        assertThat(r.reason()).startsWith("valley/10 = ").contains("diverged at");
    }

    @Test
    void anEarlySpikeFoolsTheRawRuleButNotThisOne() {
        List<Double> lrs = sweep();
        List<Double> losses = losses(lrs, RangeTestRuleTest::valley, 0.05);
        losses.set(10, losses.get(10) + 4.0); // one bad batch at lr ≈ 5e-6
        assertThat(rawSteepest(lrs, losses)).isLessThan(1e-5);

        Result r = RangeTestRule.suggest(lrs, losses, FALLBACK);
        assertThat(r.suggestion()).isBetween(1e-4, 1e-1);
        assertThat(r.steepestLr()).isBetween(1e-4, 1e-1);
        assertThat(r.rule()).isEqualTo(Rule.VALLEY);
    }

    @Test
    void aCliffAtTheStartDoesNotOverrideTheValley() {
        // a sharp fall around 1e-5 (as when training leaves a poor initialization), then a slow slide to a
        // minimum at 1: the steepest point is reported, but the valley rule decides
        DoubleUnaryOperator cliff = lr -> {
            double x = Math.log10(lr);
            double step = 2.3 - 1.5 / (1 + Math.exp(-8 * (x + 5)));
            return x <= 0 ? step - 0.1 * (x + 6) / 6 : step - 0.1 + 2 * (Math.pow(10, 2 * x) - 1);
        };
        List<Double> lrs = sweep();
        Result r = RangeTestRule.suggest(lrs, losses(lrs, cliff, 0.01), FALLBACK);
        assertThat(r.rule()).isEqualTo(Rule.VALLEY);
        assertThat(r.steepestLr()).isBetween(3e-6, 1e-4);
        assertThat(r.minLossLr()).isGreaterThan(0.1);
        assertThat(r.suggestion()).isEqualTo(r.minLossLr() / RangeTestRule.VALLEY_DIVISOR);
        assertThat(r.reason()).contains("not used");
    }

    @Test
    void tooShortFallsBack() {
        List<Double> lrs = sweep().subList(0, 5);
        Result r = RangeTestRule.suggest(lrs, losses(lrs, RangeTestRuleTest::valley, 0.0), FALLBACK);
        assertThat(r.rule()).isEqualTo(Rule.FALLBACK);
        assertThat(r.suggestion()).isEqualTo(FALLBACK);
        assertThat(r.reason()).contains("only 5 of 5 points", "the sweep ended");
    }

    @Test
    void flatCurveFallsBack() {
        List<Double> lrs = sweep();
        Result r = RangeTestRule.suggest(lrs, losses(lrs, lr -> 2.3, 0.05), FALLBACK);
        assertThat(r.rule()).isEqualTo(Rule.FALLBACK);
        assertThat(r.suggestion()).isEqualTo(FALLBACK);
        assertThat(r.reason()).startsWith("range test inconclusive, kept 0.0200").contains("never fell by 5%");
        assertThat(r.divergedAt()).isNull();
    }

    @Test
    void aCurveStillFallingWhenTheSweepEndsShowsNoValley() {
        // a U-Net's sweep on segmentation scenes: the loss fell to the last rate and never rose
        List<Double> lrs = sweep();
        Result r = RangeTestRule.suggest(lrs, losses(lrs, lr -> 3.0 - 0.3 * (Math.log10(lr) + 6), 0.02), FALLBACK);
        assertThat(r.rule()).isEqualTo(Rule.FALLBACK);
        assertThat(r.suggestion()).isEqualTo(FALLBACK);
        assertThat(r.reason()).contains("still falling when the sweep ended at lr 10", "no valley");
        assertThat(r.minLossLr()).isGreaterThan(1.0);
        // cut short inside the valley's descent (a budget's shortened sweep), the same
        List<Double> cut = lrs.subList(0, 60);
        assertThat(RangeTestRule.suggest(cut, losses(cut, RangeTestRuleTest::valley, 0.0), FALLBACK).rule())
                .isEqualTo(Rule.FALLBACK);
    }

    @Test
    void aCurveThatRoseWithoutDivergingStillHasItsValley() {
        // the valley, then a slow rise to 2.3 times its minimum at the last rate, short of the fourfold divergence
        List<Double> lrs = sweep();
        DoubleUnaryOperator risesSlowly = lr -> lr <= 0.1 ? valley(lr) : 0.3 + 0.2 * (Math.log10(lr) + 1);
        Result r = RangeTestRule.suggest(lrs, losses(lrs, risesSlowly, 0.0), FALLBACK);
        assertThat(r.divergedAt()).isNull();
        assertThat(r.rule()).isEqualTo(Rule.VALLEY);
        assertThat(r.minLossLr()).isBetween(0.05, 1.0); // the smoothed minimum lags the raw one at 0.1
        assertThat(r.suggestion()).isCloseTo(r.minLossLr() / RangeTestRule.VALLEY_DIVISOR, within(1e-12));
    }

    @Test
    void immediateDivergenceFallsBack() {
        List<Double> lrs = sweep();
        List<Double> losses = losses(lrs, lr -> 2.3 * Math.pow(10, 4 * Math.max(0, Math.log10(lr) + 5.9)), 0.0);
        Result r = RangeTestRule.suggest(lrs, losses, FALLBACK);
        assertThat(r.rule()).isEqualTo(Rule.FALLBACK);
        assertThat(r.divergedAt()).isNotNull().isLessThan(1e-5);
        assertThat(r.usedPoints()).isLessThan(RangeTestRule.MIN_POINTS);
        assertThat(r.reason()).contains("the loss diverged at lr", "start the sweep lower");
    }

    @Test
    void nonFiniteLossCountsAsDivergence() {
        List<Double> lrs = sweep();
        List<Double> losses = losses(lrs, RangeTestRuleTest::valley, 0.05);
        for (int i = 80; i < N; i++) {
            losses.set(i, Double.NaN);
        }
        Result r = RangeTestRule.suggest(lrs, losses, FALLBACK);
        assertThat(r.divergedAt()).isEqualTo(lrs.get(80));
        assertThat(r.smoothed()).hasSize(80).allMatch(Double::isFinite);
        assertThat(r.rule()).isNotEqualTo(Rule.FALLBACK);
        assertThat(r.suggestion()).isBetween(1e-5, 1e-1);
    }

    @Test
    void smoothingIsDebiased() {
        List<Double> s = RangeTestRule.smooth(List.of(2.0, 2.0, 2.0), 0.98);
        assertThat(s).allSatisfy(v -> assertThat(v).isCloseTo(2.0, within(1e-12)));
        List<Double> t = RangeTestRule.smooth(List.of(1.0, 3.0), 0.5);
        assertThat(t.get(1)).isCloseTo(7.0 / 3, within(1e-12)); // (0.5·0.5·1 + 0.5·3) / (1 − 0.5²)
    }

    @Test
    void medianRemovesALoneOutlier() {
        assertThat(RangeTestRule.medianOf5(List.of(1.0, 1.0, 9.0, 1.0, 1.0, 1.0))).containsOnly(1.0);
        assertThat(RangeTestRule.medianOf5(List.of(1.0, 2.0, 3.0, 4.0, 5.0))).containsExactly(2.0, 2.5, 3.0, 3.5, 4.0);
    }

    @Test
    void decisionIsLearnedWithTheCurve() {
        List<Double> lrs = sweep();
        Result r = RangeTestRule.suggest(lrs, losses(lrs, RangeTestRuleTest::valley, 0.05), FALLBACK);
        Decision<Double> d = RangeTestRule.decide(r, Duration.ofSeconds(9));
        assertThat(d.name()).isEqualTo("lr");
        assertThat(d.value()).isEqualTo(r.suggestion());
        assertThat(d.origin()).isEqualTo(Origin.LEARNED);
        assertThat(d.method()).isEqualTo("range-test");
        assertThat(d.evidence()).containsKeys("suggestion", "rule", "minLossLr", "steepestLr", "divergedAt",
                "lrs", "smoothedLoss", "usedPoints");
        assertThat(d.evidence().get("rule")).isEqualTo("valley");
        assertThat((List<?>) d.evidence().get("lrs")).hasSize(N);
    }

    @Test
    void fallbackDecisionIsADefault() {
        List<Double> lrs = sweep();
        Decision<Double> d = RangeTestRule.decide(RangeTestRule.suggest(lrs, losses(lrs, lr -> 2.3, 0.05), FALLBACK),
                Duration.ZERO);
        assertThat(d.origin()).isEqualTo(Origin.DEFAULT);
        assertThat(d.value()).isEqualTo(FALLBACK);
        assertThat(d.evidence()).containsEntry("diverged", false).doesNotContainKey("divergedAt");
    }

    @Test
    void explainsBadInput() {
        assertThatThrownBy(() -> RangeTestRule.suggest(List.of(1e-3, 1e-2), List.of(1.0), FALLBACK))
                .hasMessageContaining("one loss per step");
        assertThatThrownBy(() -> RangeTestRule.suggest(List.of(1e-2, 1e-3), List.of(1.0, 1.0), FALLBACK))
                .hasMessageContaining("increasing");
    }

    @Test
    void aShortenedSweepSmoothsOverTheSameDecades() {
        assertThat(RangeTestRule.betaFor(80, 80)).isEqualTo(RangeTestRule.BETA);
        assertThat(RangeTestRule.betaFor(200, 80)).isEqualTo(RangeTestRule.BETA);
        assertThat(RangeTestRule.betaFor(40, 80)).isCloseTo(0.8, within(1e-12));
        double full = probeValley(80, RangeTestRule.BETA);
        // half the points over the same decades: with the same beta the average lags twice as far in decades
        double lagging = probeValley(40, RangeTestRule.BETA);
        double scaled = probeValley(40, RangeTestRule.betaFor(40, 80));
        assertThat(Math.abs(Math.log10(scaled / full))).isLessThan(Math.abs(Math.log10(lagging / full)));
        assertThat(Math.abs(Math.log10(scaled / full))).isLessThan(0.1);
    }

    /** The minimum-loss lr of a noisy sweep of {@code n} points over 1e-6..1 stopped as the probe stops it (4x its best). */
    private static double probeValley(int n, double beta) {
        Random rng = new Random(11);
        List<Double> lrs = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            double lr = 1e-6 * Math.pow(10, 6.0 * i / (n - 1));
            double loss = valley(lr) + 0.05 * rng.nextGaussian();
            lrs.add(lr);
            losses.add(loss);
            if (loss > 4 * min) {
                break;
            }
            min = Math.min(min, loss);
        }
        return RangeTestRule.suggest(lrs, losses, FALLBACK, RangeTestRule.VALLEY_DIVISOR, beta).minLossLr();
    }
}
