package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.data.ImageSet;
import dev.hone.record.Json;
import dev.hone.report.Evaluation;
import dev.hone.tasks.Predictions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Segmentation and detection rank their test images by the images' own mIoU or F1 in {@code taskMetrics}, and
 * {@code evaluation.json} has no classification-shaped top-level {@code worst} for them.
 */
class ImageRankingEvaluationTest {
    private static JsonNode written(Evaluation e) throws Exception {
        return Json.mapper().readTree(Json.mapper().writeValueAsString(e));
    }

    @Test
    void segmentationRanksImagesByTheirIouAndWritesNoWorst() throws Exception {
        // two 2x2 images of classes a, b: image 0 predicted right, image 1 half wrong
        byte[] masks = {0, 0, 1, 1, /**/ 0, 0, 1, 1};
        ImageSet set = new ImageSet(new byte[2 * 4], new int[2], 1, 2, 2, List.of("a", "b"), i -> "img" + i + ".png")
                .withMasks(masks);
        float[][] predicted = {{0, 0, 1, 1}, {0, 0, 0, 0}};
        float[][] truth = {{0, 0, 1, 1}, {0, 0, 1, 1}};
        Predictions test = new Predictions(predicted, new int[2], truth, 0.1, Double.NaN);

        Evaluation e = SegmentationEvaluation.of(test, set, "test");
        assertThat(e.worst()).isNull();
        JsonNode json = written(e);
        assertThat(json.has("worst")).isFalse();
        JsonNode worst = json.get("taskMetrics").get("worstImages").get(0);
        assertThat(worst.get("source").asText()).isEqualTo("img1.png");
        // class a: IoU 2/4, class b: 0/2
        assertThat(worst.get("mIoU").asDouble()).isEqualTo(0.25);
    }

    @Test
    void detectionRanksImagesByTheirF1AndWritesNoWorst() throws Exception {
        float[][] boxes = {{0, 0, 0, 2, 2, 0}, {0, 0, 0, 2, 2, 0}};
        ImageSet set = new ImageSet(new byte[2 * 4], new int[2], 1, 2, 2, List.of("a"), i -> "img" + i + ".png")
                .withBoxes(boxes);
        // image 0's box found; image 1's only detection scores below the shown score
        float[][] detections = {{0, 0.9f, 0, 0, 2, 2}, {0, 0.1f, 0, 0, 2, 2}};
        Predictions test = new Predictions(detections, new int[2], boxes, 0.1, Double.NaN);

        Evaluation e = DetectionEvaluation.of(test, set, "test");
        assertThat(e.worst()).isNull();
        JsonNode json = written(e);
        assertThat(json.has("worst")).isFalse();
        JsonNode worst = json.get("taskMetrics").get("worstImages").get(0);
        assertThat(worst.get("source").asText()).isEqualTo("img1.png");
        assertThat(worst.get("f1").asDouble()).isZero();
    }

    @Test
    void classificationStillWritesItsWorstMistakes() throws Exception {
        Evaluation e = new Evaluation("test", 1, 0, 1, List.of("a", "b"), List.of(), 0, new int[0][0],
                List.of(new Evaluation.Mistake(0, "img0.png", "a", "b", 0.9)));
        assertThat(written(e).get("worst").get(0).get("predictedClass").asText()).isEqualTo("b");
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(e), Evaluation.class).worst()).isEqualTo(e.worst());
    }
}
