package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EvidenceHtmlTest {

    @Test
    void camelCaseKeysReadAsWords() {
        assertThat(EvidenceHtml.words("affordableImages")).isEqualTo("affordable images");
        assertThat(EvidenceHtml.words("minSteps")).isEqualTo("min steps");
        assertThat(EvidenceHtml.words("mAP")).isEqualTo("mAP");
        assertThat(EvidenceHtml.words("valley")).isEqualTo("valley");
    }

    @Test
    void aFewItemsAreLinesOfReadableValuesNotJson() {
        String html = EvidenceHtml.of(Map.of("affordableImages", 49661.174177647124, "minBatch", 32));
        assertThat(html).contains("affordable images:</span> 49661<").contains("min batch:</span> 32")
                .doesNotContain("{\"").doesNotContain("<details");
    }

    @Test
    void aListOfRecordsIsATableWithTheRestCounted() {
        List<Map<String, Object>> replans = IntStream.range(0, 15).mapToObj(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("atStep", i * 10);
            m.put("secondsPerStep", 0.1234567);
            return m;
        }).map(m -> (Map<String, Object>) m).toList();
        String html = EvidenceHtml.of(Map.of("plannedSteps", 672, "replans", replans));
        assertThat(html).contains("<th>at step</th><th>seconds per step</th>").contains("<td>110</td>")
                .contains("and 3 more rows").doesNotContain("<td>120</td>").contains("<details");
        assertThat(html.indexOf("planned steps")).isLessThan(html.indexOf("<details"));
    }

    @Test
    void userTextIsEscapedAndOddShapesStillRender() {
        String html = EvidenceHtml.of(Map.of("class", "<script>", "nested", Map.of("a", List.of(1, 2)), "empty", List.of()));
        assertThat(html).contains("&lt;script&gt;").doesNotContain("<script>").contains("a [1,2]");
        assertThat(EvidenceHtml.of(Map.of())).isEmpty();
        assertThat(EvidenceHtml.of(null)).isEmpty();
    }
}
