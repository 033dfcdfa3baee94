package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicySectionTest {

    private static String section(String intervalKey) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("stage", "full-length singles");
        row.put("candidate", "erase 0.50");
        row.put("policy", "erase 0.50");
        row.put("length", 1.0);
        row.put("valAccuracy", 0.85);
        row.put("valLoss", 0.41);
        row.put("lossReductionOverIncumbent", 0.0123);
        row.put(intervalKey, List.of(0.0041, 0.0207));
        row.put("pValue", 0.004);
        row.put("kept", true);
        Map<String, Object> evidence = Map.of("trials", List.of(row), "contributions",
                List.of(Map.of("technique", "erase 0.50", "valAccuracyGain", 0.05, "valLossReduction", 0.0123)),
                "contributionsChained", intervalKey.endsWith("90"));
        StringBuilder html = new StringBuilder();
        PolicySection.append(html, List.of(new Decision<>("regularization-policy", "erase 0.50", Origin.LEARNED, "search", "why",
                evidence, Duration.ZERO)), null);
        return html.toString();
    }

    @Test
    void aTrialsIntervalIsNamedByTheCoverageItsRecordGaveIt() {
        assertThat(section("lossReductionInterval90")).contains("+0.0123 [+0.0041, +0.0207] (90%), p=0.004");
        // a record written before the 90% interval
        assertThat(section("lossReductionInterval95")).contains("+0.0123 [+0.0041, +0.0207] (95%), p=0.004");
        assertThat(section("lossReductionInterval90")).contains("erase 0.50", "+5.00 points", "add up to the chosen policy's");
        assertThat(section("lossReductionInterval95")).contains("over the incumbent it replaced").doesNotContain("add up");
    }
}
