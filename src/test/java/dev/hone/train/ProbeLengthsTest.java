package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metalearn.budget.ProbeBudget.Allocation;
import dev.hone.metalearn.budget.ProbeBudget;
import dev.hone.metalearn.probe.ThroughputProbe;
import dev.hone.record.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Probe lengths against the time meta-learning may take: full length without a budget, shortened with
 * one, the optimizer comparison dropped first and the schedule trials next when time is short.
 */
class ProbeLengthsTest {
    /** 640 images/s at every batch: a noise step (128 images) 0.2 s, a range-test step at 64 0.1 s. */
    private static final List<ThroughputProbe.Point> CURVE = List.of(new ThroughputProbe.Point(16, 640, true),
            new ThroughputProbe.Point(32, 640, true), new ThroughputProbe.Point(64, 640, true));

    private static ProbeLengths lengths(double capSeconds) {
        ProbeLengths l = new ProbeLengths(ProbeBudget.of(capSeconds, System.nanoTime()), "test", capSeconds / Defaults.META_LEARNING_SHARE);
        l.estimate(CURVE, 64, 1);
        return l;
    }

    @Test
    void theFinalBatchIsTimedOnlyWhenItsStepsFitTheTimeLeft() {
        // 9 steps of 64 images at 640 images/s: 0.9 s
        assertThat(lengths(10).timingFits()).isTrue();
        assertThat(lengths(0.5).timingFits()).isFalse();
        // a U-Net on 2 cores (6 to 21 images/s): 9 steps of 45 images at the curve's 17 images/s (batch 32, the nearest
        // below) take 24 s, more than the 15 s meta-learning may take of a 1-minute budget
        ProbeLengths slow = new ProbeLengths(ProbeBudget.of(15, System.nanoTime()), "1m", 60);
        slow.estimate(List.of(new ThroughputProbe.Point(16, 21, true), new ThroughputProbe.Point(32, 17, true),
                new ThroughputProbe.Point(64, 6, true)), 45, 1);
        assertThat(slow.timingFits()).isFalse();
        assertThat(new ProbeLengths(ProbeBudget.unlimited(), null, 0).timingFits()).as("no budget, no timing needed").isTrue();
    }

    @Test
    void withoutABudgetEveryProbeRunsItsFullLength() {
        ProbeLengths l = new ProbeLengths(ProbeBudget.unlimited(), null, 0);
        Allocation a = l.plan(true, true, true, true, 1000);
        assertThat(a.steps(ProbeLengths.NOISE)).isEqualTo(Defaults.NOISE_STEPS);
        assertThat(a.steps(ProbeLengths.RANGE)).isEqualTo(Defaults.RANGE_TEST_STEPS);
        assertThat(a.steps(ProbeLengths.COMPARE)).isEqualTo(Defaults.RANGE_TEST_STEPS);
        assertThat(a.steps(ProbeLengths.SCHEDULE)).isEqualTo(Defaults.SCHEDULE_STEPS);
        assertThat(a.steps(ProbeLengths.TIMING)).isZero();
    }

    /** Full length: noise 12 s, range tests 2 x 8 s, trials 3 x 4 s + 3 x 0.52 s validation, timing 0.9 s: about 42.5 s. */
    @Test
    void withoutABudgetTheRecordSaysWhetherAnyProbeRan() {
        ProbeLengths none = new ProbeLengths(ProbeBudget.unlimited(), null, 0);
        assertThat(none.decision().rationale()).startsWith("no noise-scale, range-test or schedule probe ran");
        none.ran(ProbeLengths.COMPARE, 0, Defaults.RANGE_TEST_STEPS);
        assertThat(none.decision().rationale()).as("a skipped probe did not run").startsWith("no noise-scale, range-test or schedule probe ran");
        none.ran(ProbeLengths.RANGE, Defaults.RANGE_TEST_STEPS, Defaults.RANGE_TEST_STEPS);
        assertThat(none.decision().method()).isEqualTo("full-length probes");
    }

    @Test
    void aShortBudgetsDecisionSaysWhichBoundSetItsShareAndWhenNoProbeRan() {
        ProbeLengths oneMinute = new ProbeLengths(ProbeBudget.of(Defaults.metaLearningSeconds(60), System.nanoTime()), "1m", 60);
        assertThat(oneMinute.decision().rationale()).contains("may take 15.0 s of the 1m budget (12% of it would be under the"
                + " 20 s floor, and 25% is the most it may take)").contains("no noise-scale, range-test or schedule probe ran");
        ProbeLengths thirtyMinutes = new ProbeLengths(ProbeBudget.of(Defaults.metaLearningSeconds(1800), System.nanoTime()), "30m", 1800);
        thirtyMinutes.ran(ProbeLengths.RANGE, Defaults.RANGE_TEST_STEPS, Defaults.RANGE_TEST_STEPS);
        assertThat(thirtyMinutes.decision().rationale()).contains("may take 216.0 s of the 30m budget (12% of it)")
                .contains("every probe that ran at full length");
    }

    @Test
    void aShareOverrunIsSaidSoNotCalledAFit() {
        // meta-learning started 3 s ago with 1 s allowed: a machine that slowed down mid-probe
        ProbeLengths over = new ProbeLengths(ProbeBudget.of(1, System.nanoTime() - 3_000_000_000L), "8s", 8);
        over.ran(ProbeLengths.RANGE, 10, Defaults.RANGE_TEST_STEPS);
        Decision<String> d = over.decision();
        assertThat(d.rationale()).contains("s over its share").contains("its probes shortened by one factor, none below")
                .doesNotContain("to fit");
        assertThat(((Number) d.evidence().get("overSeconds")).doubleValue()).isGreaterThan(1.5);
        ProbeLengths inside = lengths(60);
        inside.ran(ProbeLengths.RANGE, 10, Defaults.RANGE_TEST_STEPS);
        assertThat(inside.decision().rationale()).contains("shortened by one factor to fit").doesNotContain("over its share");
    }

    @Test
    void aGenerousBudgetKeepsFullLength() {
        Allocation a = lengths(60).plan(true, true, true, true, 1000);
        assertThat(a.full()).isTrue();
        assertThat(a.steps(ProbeLengths.TIMING))
                .isEqualTo(Defaults.PLAN_TIMED_STEPS + dev.hone.metalearn.probe.ThroughputProbe.WARM_UP_STEPS);
    }

    @Test
    void aShorterBudgetShortensEveryProbe() {
        Allocation a = lengths(30).plan(true, true, true, true, 1000);
        assertThat(a.steps(ProbeLengths.NOISE)).isBetween(Defaults.NOISE_MIN_STEPS, Defaults.NOISE_STEPS - 1);
        assertThat(a.steps(ProbeLengths.COMPARE)).isEqualTo(a.steps(ProbeLengths.RANGE));
        assertThat(a.steps(ProbeLengths.SCHEDULE)).isBetween(Defaults.SCHEDULE_MIN_STEPS, Defaults.SCHEDULE_STEPS - 1);
        assertThat(a.seconds()).isLessThanOrEqualTo(30);
    }

    @Test
    void shortTimeDropsTheComparisonThenTheTrials() {
        // minimums: noise 2.4 s, range 4 s, comparison 4 s, trials 3 s + 1.6 s, timing 0.9 s
        Allocation noCompare = lengths(12.5).plan(true, true, true, true, 1000);
        assertThat(noCompare.steps(ProbeLengths.COMPARE)).isZero();
        assertThat(noCompare.steps(ProbeLengths.SCHEDULE)).isPositive();
        Allocation neither = lengths(8).plan(true, true, true, true, 1000);
        assertThat(neither.steps(ProbeLengths.COMPARE)).isZero();
        assertThat(neither.steps(ProbeLengths.SCHEDULE)).isZero();
        // the required probes run at their minimum lengths even when they do not fit
        Allocation least = lengths(1).plan(true, true, true, true, 1000);
        assertThat(least.steps(ProbeLengths.NOISE)).isEqualTo(Defaults.NOISE_MIN_STEPS);
        assertThat(least.steps(ProbeLengths.RANGE)).isEqualTo(Defaults.RANGE_TEST_MIN_STEPS);
    }

    @Test
    void theRecordSaysWhatEachProbeRan() {
        ProbeLengths l = lengths(20);
        l.ran(ProbeLengths.NOISE, 30, Defaults.NOISE_STEPS);
        l.ran(ProbeLengths.SCHEDULE, 0, Defaults.SCHEDULE_STEPS);
        Decision<String> d = l.decision();
        assertThat(d.name()).isEqualTo("meta-learning");
        assertThat(d.rationale()).contains("may take 20.0 s of the test budget", "shortened by one factor");
        assertThat(d.evidence()).containsKeys("allowedSeconds", "spentSeconds", "probes");
        assertThat(((Map<?, ?>) d.evidence().get("probes")).keySet()).hasSize(2);
        assertThat(l.noTimeFor("the schedule trials")).startsWith("no time for the schedule trials: meta-learning may take 20.0 s");
    }

    @Test
    void theShareHasAFloorAndACeiling() {
        assertThat(Defaults.metaLearningSeconds(600)).isEqualTo(72, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(Defaults.metaLearningSeconds(120)).isEqualTo(20);
        assertThat(Defaults.metaLearningSeconds(30)).isEqualTo(7.5);
    }

    @Test
    void aProbeAfterMetaLearningsShareIsSpentIsLeftOutWithTheReason() {
        assertThat(lengths(10).spentAll("the range test", 40)).as("time left").isNull();
        assertThat(new ProbeLengths(ProbeBudget.unlimited(), null, 0).spentAll("the range test", 40)).as("no budget").isNull();
        // the review's run: 15 s allowed of a 1-minute budget, the noise-scale probe took 45 s on a busy machine
        ProbeLengths overrun = new ProbeLengths(ProbeBudget.of(15, System.nanoTime() - 45_000_000_000L), "1m", 60);
        overrun.estimate(CURVE, 64, 1);
        assertThat(overrun.spentAll("the range test", 40)).startsWith("no time for the range test: meta-learning may take 15.0 s of"
                + " the 1m budget, the probes before it took 45.").contains("its 40 steps at the least would take about 4.0 s more",
                "slower than its throughput curve");
    }

    @Test
    void aRangeTestWhoseMinimumEndsInsideTwiceTheShareStillRuns() {
        // 15 s allowed, 16 s spent: the share is spent, but 40 steps of 0.1 s end at 20 s, inside twice the share
        ProbeLengths ordinary = new ProbeLengths(ProbeBudget.of(15, System.nanoTime() - 16_000_000_000L), "1m", 60);
        ordinary.estimate(CURVE, 64, 1);
        assertThat(ordinary.time().leftSeconds()).isNotPositive();
        assertThat(ordinary.spentAll("the range test", 40)).as("a probe that cost more than estimated").isNull();
        // the noise-scale probe ran 5 times slower than the curve says (1 s a step against 0.2 s): 40 steps take 20 s more
        ordinary.measuredNoiseProbe(10, 10);
        assertThat(ordinary.spentAll("the range test", 40)).as("a machine slower than its curve").contains("about 20.0 s more");
    }
}
