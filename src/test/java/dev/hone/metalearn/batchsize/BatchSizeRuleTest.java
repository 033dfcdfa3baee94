package dev.hone.metalearn.batchsize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.metalearn.batchsize.BatchSizeRule.Choice;
import dev.hone.metalearn.batchsize.BatchSizeRule.ThroughputPoint;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The batch follows B_simple as far as throughput and memory allow, on hand-made curves. */
class BatchSizeRuleTest {

    /** A CPU: images/s barely moves with the batch (±2%). */
    private static final List<ThroughputPoint> FLAT = curve(16, 410, 32, 402, 64, 415, 128, 409, 256, 412,
            512, 405, 1024, 411);
    /** A GPU: throughput climbs until the device is busy, then levels off from 256. */
    private static final List<ThroughputPoint> RISING = curve(16, 100, 32, 190, 64, 350, 128, 600, 256, 800,
            512, 830, 1024, 835);
    /** Throughput drops past 256 (e.g. activations spill out of cache). */
    private static final List<ThroughputPoint> FALLING = curve(64, 500, 128, 520, 256, 515, 512, 400);

    private static List<ThroughputPoint> curve(double... batchThenRate) {
        List<ThroughputPoint> points = new ArrayList<>();
        for (int i = 0; i < batchThenRate.length; i += 2) {
            points.add(new ThroughputPoint((int) batchThenRate[i], batchThenRate[i + 1]));
        }
        return points;
    }

    @Test
    void flatCurveCapsAtTheLargestMeasuredBatch() {
        Choice c = BatchSizeRule.choose(1480, FLAT);
        assertThat(c.batchSize()).isEqualTo(1024);
        assertThat(c.accumulationSteps()).isEqualTo(1);
        assertThat(c.rationale()).contains("B_simple = 1480", "capped by the throughput plateau at 1024");
    }

    @Test
    void betweenTwoPlateauBatchesRoundsDownToAMultipleOf8() {
        Choice c = BatchSizeRule.choose(301.7, FLAT);
        assertThat(c.batchSize()).isEqualTo(296);
        assertThat(c.rationale()).contains("multiple of 8", "between 256 and 512");
    }

    @Test
    void exactlyOnAMeasuredBatchTakesIt() {
        assertThat(BatchSizeRule.choose(256, FLAT).batchSize()).isEqualTo(256);
        assertThat(BatchSizeRule.choose(262, FLAT).batchSize()).isEqualTo(256);
    }

    @Test
    void belowTheGpuPlateauTakesItsFirstBatch() {
        Choice c = BatchSizeRule.choose(100, RISING);
        assertThat(c.batchSize()).isEqualTo(256);
        assertThat(c.rationale()).contains("below the throughput plateau, which starts at 256");
    }

    @Test
    void onTheGpuPlateauFollowsBSimple() {
        assertThat(BatchSizeRule.choose(700, RISING).batchSize()).isEqualTo(696);
        assertThat(BatchSizeRule.choose(5000, RISING).batchSize()).isEqualTo(1024);
    }

    @Test
    void stopsWhereThroughputFallsOff() {
        Choice c = BatchSizeRule.choose(2000, FALLING);
        assertThat(c.batchSize()).isEqualTo(256);
        assertThat(c.rationale()).contains("larger batches run slower");
        // 512 is off the plateau, so B_simple = 400 does not round to a batch between 256 and 512
        assertThat(BatchSizeRule.choose(400, FALLING).batchSize()).isEqualTo(256);
    }

    @Test
    void memoryCeilingAccumulatesTowardsBSimple() {
        Choice c = BatchSizeRule.choose(1480, FLAT, OptionalInt.of(256));
        assertThat(c.batchSize()).isEqualTo(256);
        assertThat(c.accumulationSteps()).isEqualTo(6);
        assertThat(c.effectiveBatch()).isEqualTo(1536);
        assertThat(c.rationale()).contains("fits in memory (256)", "× 6 accumulated steps reach 1536");
    }

    @Test
    void ceilingCloseToBSimpleAccumulatesNothing() {
        Choice c = BatchSizeRule.choose(300, FLAT, OptionalInt.of(256));
        assertThat(c.batchSize()).isEqualTo(256);
        assertThat(c.accumulationSteps()).isEqualTo(1);
        assertThat(c.rationale()).contains("nothing is accumulated");
    }

    @Test
    void accumulationIsCapped() {
        Choice c = BatchSizeRule.choose(1e6, FLAT, OptionalInt.of(64));
        assertThat(c.batchSize()).isEqualTo(64);
        assertThat(c.accumulationSteps()).isEqualTo(BatchSizeRule.MAX_ACCUMULATION);
    }

    @Test
    void noiseDominatedTakesTheLargestPlateauBatchWithoutAccumulating() {
        Choice free = BatchSizeRule.choose(Double.POSITIVE_INFINITY, FLAT);
        assertThat(free.batchSize()).isEqualTo(1024);
        assertThat(free.rationale()).contains("above any batch tried");
        Choice bounded = BatchSizeRule.choose(Double.POSITIVE_INFINITY, FLAT, OptionalInt.of(128));
        assertThat(bounded.batchSize()).isEqualTo(128);
        assertThat(bounded.accumulationSteps()).isEqualTo(1);
        assertThat(bounded.rationale()).contains("could not bound B_simple");
    }

    @Test
    void neverBelowSixteen() {
        List<ThroughputPoint> withTiny = curve(8, 400, 16, 405, 32, 410);
        assertThat(BatchSizeRule.choose(5, withTiny).batchSize()).isEqualTo(16);
        Choice none = BatchSizeRule.choose(0, withTiny);
        assertThat(none.batchSize()).isEqualTo(16);
        assertThat(none.rationale()).contains("no measurable gradient noise");
    }

    @Test
    void explainsBadInput() {
        assertThatThrownBy(() -> BatchSizeRule.choose(Double.NaN, FLAT)).hasMessageContaining("observe");
        assertThatThrownBy(() -> BatchSizeRule.choose(100, curve(8, 100))).hasMessageContaining("at least 16");
        assertThatThrownBy(() -> BatchSizeRule.choose(100, FLAT, OptionalInt.of(12))).hasMessageContaining("fits");
        assertThatThrownBy(() -> new ThroughputPoint(64, 0)).hasMessageContaining("positive");
    }

    @Test
    void decisionCarriesBandAndEvidence() {
        GradientNoiseScale gns = new GradientNoiseScale(10, 100, 0.5);
        for (int i = 0; i < 60; i++) {
            double g2 = 1.0;
            double trace = 1480 * (1 + 0.1 * Math.sin(i)); // B_simple wobbling around 1480
            gns.observe(g2 + trace / 10, g2 + trace / 100);
        }
        Decision<Integer> d = BatchSizeRule.decide(gns, FLAT, OptionalInt.of(512), Duration.ofSeconds(14));
        assertThat(d.name()).isEqualTo("batch-size");
        assertThat(d.value()).isEqualTo(512);
        assertThat(d.origin()).isEqualTo(Origin.LEARNED);
        assertThat(d.method()).isEqualTo("gradient-noise-scale");
        assertThat(d.rationale()).matches("B_simple = 1[45]\\d\\d over 60 steps \\(\\d+ to \\d+ over its last \\d+\\), above the largest batch that fits.*");
        assertThat(d.evidence()).containsKeys("bSimple", "band", "steps", "throughput", "history", "memoryCeiling",
                "accumulationSteps", "effectiveBatch", "gradientSquare", "traceCovariance");
        assertThat(d.evidence().get("accumulationSteps")).isEqualTo(3);
        assertThat((List<?>) d.evidence().get("history")).hasSize(60);
        assertThat((List<?>) d.evidence().get("throughput")).hasSize(FLAT.size());
        assertThat(((Map<?, ?>) d.evidence().get("band")).get("steps")).isEqualTo(30);
        assertThat(d.cost()).isEqualTo(Duration.ofSeconds(14));
    }

    @Test
    void aMemoryCeilingBelowBSimpleMakesTheDecisionCarryAccumulation() {
        GradientNoiseScale gns = new GradientNoiseScale(10, 100, 0.5);
        for (int i = 0; i < 30; i++) {
            gns.observe(1.0 + 2000.0 / 10, 1.0 + 2000.0 / 100); // B_simple 2000
        }
        Decision<Integer> d = BatchSizeRule.decide(gns, RISING.subList(0, 5), OptionalInt.of(256), Duration.ZERO);
        assertThat(d.value()).isEqualTo(256);
        assertThat(BatchSizeRule.accumulationOf(d)).isEqualTo(8);
        assertThat(d.evidence().get("effectiveBatch")).isEqualTo(2048);
        assertThat(d.rationale()).contains("accumulated steps reach 2048");
        Decision<Integer> free = BatchSizeRule.decide(gns, FLAT, OptionalInt.empty(), Duration.ZERO);
        assertThat(BatchSizeRule.accumulationOf(free)).isEqualTo(1);
        assertThat(BatchSizeRule.accumulationOf(Decision.user("batch-size", 64))).isEqualTo(1);
    }

    @Test
    void noiseDominatedDecisionSaysSo() {
        GradientNoiseScale gns = new GradientNoiseScale(10, 100, 0.5);
        gns.observe(1.0, 0.05);
        Decision<Integer> d = BatchSizeRule.decide(gns, FLAT, OptionalInt.empty(), Duration.ZERO);
        assertThat(d.rationale()).startsWith("B_simple above any batch tried (noise dominated the gradient at batch 100");
        assertThat(d.evidence().get("noiseDominated")).isEqualTo(true);
        assertThat(d.value()).isEqualTo(1024);
    }
}
