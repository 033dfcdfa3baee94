package dev.hone.metalearn.imbalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hone.record.Origin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SegmentationImbalanceTest {
    private static final PixelCounts COUNTS = new PixelCounts(new long[] {800, 100, 50, 50, 0}, List.of("bg", "a", "b", "c", "d"));

    @Test
    void medianFrequencyBalancingWeighsTheMedianClassOneAndClipsTheRest() {
        // shares 0.8, 0.1, 0.05, 0.05 over the present classes: median (0.05 + 0.1) / 2 = 0.075
        float[] w = COUNTS.weights();
        assertThat(w[0]).isEqualTo(1 / PixelCounts.MAX_WEIGHT); // 0.075 / 0.8 = 0.094, clipped to 0.1
        assertThat(w[1]).isCloseTo(0.75f, within(1e-6f));
        assertThat(w[2]).isCloseTo(1.5f, within(1e-6f));
        assertThat(w[4]).isEqualTo(1f); // no pixel: nothing to balance
        PixelCounts skewed = new PixelCounts(new long[] {100_000, 1, 1}, List.of("bg", "a", "b"));
        assertThat(skewed.weights()[0]).isEqualTo(1 / PixelCounts.MAX_WEIGHT);
        assertThat(skewed.weights()[1]).isEqualTo(1f);
        assertThat(COUNTS.rarest()).isEqualTo(2);
    }

    @Test
    void eachCandidateHasItsLoss() {
        assertThat(SegmentationImbalance.loss("none", COUNTS).classWeights()).isNull();
        assertThat(SegmentationImbalance.loss("class-weight", COUNTS).classWeights()).containsExactly(COUNTS.weights());
        assertThat(SegmentationImbalance.loss("dice", COUNTS).diceWeight()).isEqualTo(1f);
        assertThatThrownBy(() -> SegmentationImbalance.loss("focal", COUNTS)).hasMessageContaining("none, class-weight, dice");
    }

    @Test
    void aChallengerNeedsTheHighestScoreAndASignificantWin() {
        List<String> order = SegmentationImbalance.NAMES;
        Map<String, Double> scores = Map.of("none", 0.50, "class-weight", 0.53, "dice", 0.52);
        assertThat(LossTrials.choose(order, scores, Map.of("class-weight", 0.95, "dice", 0.99), 0.9)).isEqualTo("class-weight");
        assertThat(LossTrials.choose(order, scores, Map.of("class-weight", 0.7, "dice", 0.99), 0.9)).isEqualTo("none");
        assertThat(LossTrials.choose(order, Map.of("none", Double.NaN, "class-weight", 0.4, "dice", Double.NaN), Map.of(), 0.9))
                .isEqualTo("class-weight");
    }

    @Test
    void theRuleKeepsPlainCrossEntropyAndSaysWhy() {
        var d = SegmentationImbalance.fallback("no time for trials", COUNTS);
        assertThat(d.value()).isEqualTo("none");
        assertThat(d.origin()).isEqualTo(Origin.DEFAULT);
        assertThat(d.rationale()).contains("no time for trials").contains("'b'").contains("5.00%");
        assertThat(d.evidence()).containsKeys("pixelShare", "classWeights");
    }
}
