package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hone.record.Decision;
import dev.hone.record.Origin;
import org.junit.jupiter.api.Test;

/** The rules a budgeted run falls back to when its probes do not fit: the batch and the learning rate. */
class BudgetRulesTest {
    @Test
    void aBudgetThatAffordsManyStepsKeepsTheUsualBatch() {
        Decision<Integer> d = OptimizationLearners.ruleBatch("probes do not fit", 128.0 * 2000, 50_000);
        assertThat(d.value()).isEqualTo(Defaults.BATCH_SIZE);
        assertThat(d.origin()).isEqualTo(Origin.DEFAULT);
        assertThat(d.rationale()).startsWith("probes do not fit; the usual batch").contains("2000 steps");
    }

    @Test
    void aShortBudgetHalvesTheBatchUntilItMakesEnoughSteps() {
        // the issue 9 scenes run: about 13,000 images affordable, 60 steps at 128
        Decision<Integer> d = OptimizationLearners.ruleBatch("probes do not fit", 13_000, 10_800);
        assertThat(d.value()).isEqualTo(Defaults.RULE_MIN_BATCH);
        assertThat(d.rationale()).contains("halved to 32", "about 406 steps");
        assertThat(d.evidence()).containsEntry("affordableImages", 13_000.0);
        // 64 when it gives enough steps
        assertThat(OptimizationLearners.ruleBatch("r", 64.0 * Defaults.RULE_MIN_STEPS, 50_000).value()).isEqualTo(64);
        // never below the floor, even when nothing is affordable
        assertThat(OptimizationLearners.ruleBatch("r", 0, 50_000).value()).isEqualTo(Defaults.RULE_MIN_BATCH);
    }

    @Test
    void aSmallTrainingSplitCapsTheBatchAtHalfOfIt() {
        assertThat(OptimizationLearners.ruleBatch("r", 1e9, 100).value()).isEqualTo(50);
        assertThat(OptimizationLearners.ruleBatch("r", 0, 40).value()).isEqualTo(20);
    }

    @Test
    void adaptiveOptimizersScaleTheirRateByTheSquareRootAndSgdLinearly() {
        assertThat(Defaults.learningRateAt("adamw", 128)).isEqualTo(Defaults.learningRatePer128("adamw"));
        assertThat(Defaults.learningRateAt("adamw", 32)).isCloseTo(Defaults.learningRatePer128("adamw") / 2, within(1e-12));
        assertThat(Defaults.learningRateAt("lion", 512)).isCloseTo(Defaults.learningRatePer128("lion") * 2, within(1e-12));
        assertThat(Defaults.learningRateAt("sgd-nesterov", 32)).isCloseTo(Defaults.learningRatePer128("sgd-nesterov") / 4,
                within(1e-12));
        assertThat(Defaults.learningRateAt("lars", 256)).isCloseTo(Defaults.learningRatePer128("lars") * 2, within(1e-12));
        assertThat(Defaults.scalingRule("adamw")).contains("square root", "Malladi");
        assertThat(Defaults.scalingRule("sgd-nesterov")).contains("linearly", "Goyal");
    }
}
