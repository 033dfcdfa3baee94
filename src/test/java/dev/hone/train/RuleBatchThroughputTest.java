package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metalearn.probe.ThroughputProbe;
import dev.hone.record.ChartSpec;
import dev.hone.record.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A batch set by rule keeps the throughput curve measured before it, for the record and the report's chart. */
class RuleBatchThroughputTest {
    @Test
    void theRulesDecisionCarriesTheMeasuredCurveMarkedAtItsBatch() {
        Decision<Integer> rule = OptimizationLearners.ruleBatch("the probes would take 40 s", 30_000, 7_200);
        Decision<Integer> kept = BatchSizeLearner.withThroughput(rule, List.of(new ThroughputProbe.Point(16, 180, true),
                new ThroughputProbe.Point(32, 420, true), new ThroughputProbe.Point(64, 0, false)));
        assertThat(kept.value()).isEqualTo(rule.value());
        assertThat(kept.rationale()).isEqualTo(rule.rationale());
        assertThat(kept.evidence()).containsKeys("affordableImages", ChartSpec.EVIDENCE_KEY);
        ChartSpec chart = (ChartSpec) ((List<?>) kept.evidence().get(ChartSpec.EVIDENCE_KEY)).get(0);
        assertThat(chart.title()).isEqualTo("training throughput against batch size");
        assertThat(chart.markerX()).isEqualTo((double) rule.value());
        assertThat(BatchSizeLearner.withThroughput(rule, List.of())).isSameAs(rule);
    }
}
