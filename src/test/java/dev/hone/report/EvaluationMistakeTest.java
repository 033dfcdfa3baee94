package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import org.junit.jupiter.api.Test;

/**
 * {@code worst[]} in {@code evaluation.json}: a single-label or binary mistake carries its confidence (a probability), a
 * multi-label image its loss under its own name; a record written before keeps reading.
 */
class EvaluationMistakeTest {

    @Test
    void aMultiLabelImageCarriesItsLossNotAConfidence() throws Exception {
        JsonNode multi = Json.mapper().valueToTree(new Evaluation.Mistake(87, "a.png", "green+red", "green", null, 2.38));
        assertThat(multi.has("confidence")).isFalse();
        assertThat(multi.get("loss").asDouble()).isEqualTo(2.38);
        JsonNode single = Json.mapper().valueToTree(new Evaluation.Mistake(3, "b.png", "cat", "dog", 0.97));
        assertThat(single.get("confidence").asDouble()).isEqualTo(0.97);
        assertThat(single.has("loss")).isFalse();
        assertThat(single.has("lossOrConfidence")).isFalse();
    }

    @Test
    void anOlderRecordsMultiLabelLossInConfidenceStillReads() throws Exception {
        Evaluation.Mistake old = Json.mapper().readValue("{\"index\":1,\"source\":\"a.png\",\"trueClass\":\"red\","
                + "\"predictedClass\":\"none\",\"confidence\":2.5}", Evaluation.Mistake.class);
        assertThat(old.lossOrConfidence()).isEqualTo(2.5);
        assertThat(new Evaluation.Mistake(1, "a.png", "red", "none", null, 1.5).lossOrConfidence()).isEqualTo(1.5);
    }
}
