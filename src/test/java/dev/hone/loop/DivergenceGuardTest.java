package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The divergence rule: judged against the loss measured before the first step, and its trend. */
class DivergenceGuardTest {

    @Test
    void aFreshNetworkFarAboveLnKIsNotDiverging() {
        DivergenceGuard guard = new DivergenceGuard(2);
        // resnet9 on two classes was measured starting at 4 to 25, far above 10 ln 2 = 6.93
        assertThat(guard.judge(25.0, 0)).isNull();
        assertThat(guard.reference()).isEqualTo(25.0);
        assertThat(guard.judge(7.36, 1)).isNull();
        assertThat(guard.judge(40.0, 2)).isNull();
    }

    @Test
    void theReferenceIsNeverBelowLnK() {
        DivergenceGuard guard = new DivergenceGuard(3);
        assertThat(guard.judge(0.01, 0)).isNull();
        assertThat(guard.reference()).isEqualTo(Math.log(3));
        assertThat(guard.judge(10 * Math.log(3) * 0.99, 1)).isNull();
        assertThat(guard.judge(10 * Math.log(3) * 1.01, 2)).contains("above").contains("before the first step");
    }

    @Test
    void theReferenceIsTheLargestPreStepLoss() {
        DivergenceGuard guard = new DivergenceGuard(10);
        guard.judge(5, 0);
        guard.judge(8, 0); // accumulated micro-batches of the first step: all pre-step
        assertThat(guard.reference()).isEqualTo(8);
        assertThat(guard.judge(79, 1)).isNull();
        assertThat(guard.judge(81, 1)).startsWith("loss 81.0");
    }

    @Test
    void aNonFiniteLossAfterAStepDiverges() {
        DivergenceGuard guard = new DivergenceGuard(2);
        guard.judge(3, 0);
        assertThat(guard.judge(Double.NaN, 1)).isEqualTo("loss NaN");
        assertThat(guard.judge(Double.POSITIVE_INFINITY, 5)).isEqualTo("loss Infinity");
    }

    @Test
    void aNonFiniteLossBeforeAnyStepIsNotBlamedOnTheLearningRate() {
        DivergenceGuard guard = new DivergenceGuard(2);
        assertThatThrownBy(() -> guard.judge(Double.NaN, 0)).isInstanceOf(DivergenceGuard.NotTrainable.class)
                .hasMessageContaining("before any training step").hasMessageContaining("no learning rate")
                .hasMessageContaining("Fix:");
    }

    @Test
    void aSteadyRiseAboveFourTimesTheReferenceDivergesOnlyAfterTenSteps() {
        DivergenceGuard guard = new DivergenceGuard(2);
        guard.judge(1.0, 0);
        // 5x the reference every step: below the explosion limit (10x), above the trend limit (4x)
        for (int step = 1; step < DivergenceGuard.TREND_STEPS; step++) {
            assertThat(guard.judge(5.0, step)).as("step %d", step).isNull();
        }
        assertThat(guard.judge(5.0, DivergenceGuard.TREND_STEPS)).startsWith("smoothed loss 5.00");
    }

    @Test
    void oneNoisyBatchInAHealthyRunDoesNotTripTheTrend() {
        DivergenceGuard guard = new DivergenceGuard(2);
        guard.judge(2.0, 0);
        for (int step = 1; step <= 50; step++) {
            double loss = step % 17 == 0 ? 15.0 : 0.3; // a spike of 7.5x the reference now and then
            assertThat(guard.judge(loss, step)).as("step %d", step).isNull();
        }
    }

    @Test
    void restartForgetsTheTrendButKeepsTheReference() {
        DivergenceGuard guard = new DivergenceGuard(2);
        guard.judge(1.0, 0);
        for (int step = 1; step < DivergenceGuard.TREND_STEPS; step++) {
            guard.judge(5.0, step);
        }
        guard.restart();
        assertThat(guard.judge(5.0, 1)).isNull();
        assertThat(guard.reference()).isEqualTo(1.0);
    }
}
