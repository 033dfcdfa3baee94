package dev.hone.metalearn.batchnorm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hone.metalearn.batchnorm.BatchNormMomentum.Choice;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import org.junit.jupiter.api.Test;

/** The running-statistics window is a quarter epoch, within [10, 1000] steps. */
class BatchNormMomentumTest {

    @Test
    void mediumDatasetGetsAQuarterEpochWindow() {
        // CIFAR-10 at 128: 390 whole batches per epoch (the loop leaves out the last 80 images), window ≈ 97 steps
        Choice c = BatchNormMomentum.forEpoch(50_000, 128);
        assertThat(c.stepsPerEpoch()).isEqualTo(390);
        assertThat(c.momentum()).isCloseTo(1 - 1 / (390 / 4.0), within(1e-4));
        assertThat(c.windowSteps()).isCloseTo(390 / 4.0, within(1.0));
        assertThat(c.clamped()).isFalse();
        assertThat(c.initialWeightAfterEpoch()).isCloseTo(Math.exp(-4), within(0.005));
        assertThat(c.rationale()).contains("about 97 steps", "390-step epoch", "fade to 2%");
    }

    @Test
    void smallDatasetIsFlooredAtPointNine() {
        Choice c = BatchNormMomentum.forEpoch(2_000, 128); // 15 steps: a quarter would be 4
        assertThat(c.momentum()).isEqualTo(BatchNormMomentum.MIN_MOMENTUM);
        assertThat(c.windowSteps()).isCloseTo(10, within(1e-9));
        assertThat(c.clamped()).isTrue();
        assertThat(c.rationale()).contains("only 15 steps", "floored at momentum 0.9 (a 10-step window)");
    }

    @Test
    void largeDatasetIsCappedAtPointNineNineNine() {
        Choice c = BatchNormMomentum.forEpoch(1_281_167, 256); // ImageNet: 5004 whole batches
        assertThat(c.momentum()).isEqualTo(BatchNormMomentum.MAX_MOMENTUM);
        assertThat(c.clamped()).isTrue();
        assertThat(c.rationale()).contains("5004 steps", "capped at momentum 0.999 (a 1000-step window)");
    }

    @Test
    void clampEdgesAreExact() {
        assertThat(BatchNormMomentum.forStepsPerEpoch(40).momentum()).isEqualTo(0.9);
        assertThat(BatchNormMomentum.forStepsPerEpoch(40).clamped()).isFalse();
        assertThat(BatchNormMomentum.forStepsPerEpoch(4000).momentum()).isEqualTo(0.999);
        assertThat(BatchNormMomentum.forStepsPerEpoch(400).momentum()).isEqualTo(0.99);
        assertThat(BatchNormMomentum.forStepsPerEpoch(1).momentum()).isEqualTo(0.9);
    }

    @Test
    void momentumGrowsWithTheEpoch() {
        double previous = 0;
        for (long steps = 1; steps <= 100_000; steps *= 3) {
            double m = BatchNormMomentum.forStepsPerEpoch(steps).momentum();
            assertThat(m).isBetween(0.9, 0.999).isGreaterThanOrEqualTo(previous);
            previous = m;
        }
    }

    @Test
    void decisionIsDerivedByClosedForm() {
        Decision<Double> d = BatchNormMomentum.decide(50_000, 128);
        assertThat(d.name()).isEqualTo("batchnorm-momentum");
        assertThat(d.origin()).isEqualTo(Origin.DERIVED);
        assertThat(d.method()).isEqualTo("closed-form");
        assertThat(d.value()).isCloseTo(0.9897, within(1e-9));
        assertThat(d.evidence()).containsEntry("stepsPerEpoch", 390L).containsEntry("clamped", false)
                .containsKeys("windowSteps", "initialWeightAfterEpoch", "trainExamples", "batchSize");
    }

    @Test
    void explainsBadInput() {
        assertThatThrownBy(() -> BatchNormMomentum.forEpoch(0, 128)).hasMessageContaining("positive");
        assertThatThrownBy(() -> BatchNormMomentum.forStepsPerEpoch(0)).hasMessageContaining("positive");
    }

    @Test
    void aRunShorterThanAnEpochAveragesOverAQuarterOfTheRun() {
        // 20,000 images in batches of 32: a 625-step epoch, but the budget plans 100 passes
        Decision<Double> d = BatchNormMomentum.decide(20_000, 32, 100);
        assertThat(d.value()).isEqualTo(0.96); // a 25-step window
        assertThat(d.rationale()).contains("100 forward passes").contains("625-step epoch").contains("quarter of the run");
        assertThat(d.evidence()).containsEntry("plannedPasses", 100L).containsEntry("stepsPerEpoch", 625L)
                .containsKey("initialWeightAtRunEnd").doesNotContainKey("initialWeightAfterEpoch");
        // a run of several epochs keeps the epoch rule
        assertThat(BatchNormMomentum.decide(20_000, 32, 5_000).value()).isEqualTo(BatchNormMomentum.decide(20_000, 32).value());
    }
}
