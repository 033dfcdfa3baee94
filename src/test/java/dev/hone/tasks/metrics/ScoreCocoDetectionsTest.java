package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCocoDetectionsTest {
    private static final double EPS = 1e-12;

    // categories 7 "dog" and 3 "cat": sorted by id, cat is class 0 and dog class 1. Images 2 and 1.
    // image 1: cat [0, 0, 10, 10]; image 2: dog [10, 10, 20, 20] and a dog crowd [100, 100, 50, 50].
    private static final String TRUTH = """
            {"images": [{"id": 2, "width": 640, "height": 480}, {"id": 1, "width": 640, "height": 480}],
             "categories": [{"id": 7, "name": "dog"}, {"id": 3, "name": "cat"}],
             "annotations": [
               {"id": 1, "image_id": 1, "category_id": 3, "bbox": [0, 0, 10, 10], "area": 100, "iscrowd": 0},
               {"id": 2, "image_id": 2, "category_id": 7, "bbox": [10, 10, 20, 20], "area": 400, "iscrowd": 0},
               {"id": 3, "image_id": 2, "category_id": 7, "bbox": [100, 100, 50, 50], "area": 2500, "iscrowd": 1}]}
            """;

    // cat: an FP in image 2 (.95) above the TP in image 1 (.9): recall [0, 1], precision [0, .5]: AP .5
    // dog: a detection inside the crowd (.95, ignored) and the TP (.8): AP 1
    // a result of category 99 (not in the truth) is left out, as pycocotools does
    // (pycocotools 2.0.11 on this pair: AP .75, AP50 .75, AP75 .75, APs .75, APm/APl -1, AR1 .5, AR100 1)
    private static final String RESULTS = """
            [{"image_id": 1, "category_id": 3, "bbox": [0, 0, 10, 10], "score": 0.9},
             {"image_id": 2, "category_id": 3, "bbox": [300, 300, 10, 10], "score": 0.95},
             {"image_id": 2, "category_id": 7, "bbox": [110, 110, 10, 10], "score": 0.95},
             {"image_id": 2, "category_id": 7, "bbox": [10, 10, 20, 20], "score": 0.8},
             {"image_id": 1, "category_id": 99, "bbox": [0, 0, 10, 10], "score": 0.99}]
            """;

    @Test
    void scoresACocoPairAsJson(@TempDir Path dir) throws IOException {
        Path gt = Files.writeString(dir.resolve("gt.coco.json"), TRUTH);
        Path res = Files.writeString(dir.resolve("results.json"), RESULTS);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ScoreCocoDetections.run(new String[] {"--truth", gt.toString(), "--detections", res.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(j.get("images").asInt()).isEqualTo(2);
        // mean of cat .5 and dog 1 at every IoU threshold (all matches have IoU 1)
        assertThat(j.get("AP").asDouble()).isCloseTo(0.75, within(EPS));
        assertThat(j.get("AP50").asDouble()).isCloseTo(0.75, within(EPS));
        assertThat(j.get("AP75").asDouble()).isCloseTo(0.75, within(EPS));
        // small (<= 32^2): both truths are small (areas 100 and 400); the crowd is ignored anyway
        assertThat(j.get("APs").asDouble()).isCloseTo(0.75, within(EPS));
        assertThat(j.get("APm").asDouble()).isEqualTo(-1.0);
        assertThat(j.get("APl").asDouble()).isEqualTo(-1.0);
        assertThat(j.get("AR100").asDouble()).isCloseTo(1.0, within(EPS));
        // AR1: cat's best in image 1 is the TP (recall 1); dog's best in image 2 is the crowd detection: 0
        assertThat(j.get("AR1").asDouble()).isCloseTo(0.5, within(EPS));
        // VOC treats the crowd as a difficult box with plain IoU: the detection inside it has IoU 100/2500, an FP
        // above the dog's TP: .5, like cat: mean .5
        assertThat(j.get("VOC_AP50").asDouble()).isCloseTo(0.5, within(EPS));
        JsonNode classes = j.get("classes");
        assertThat(classes).hasSize(2);
        assertThat(classes.get(0).get("id").asInt()).isEqualTo(3);
        assertThat(classes.get(0).get("name").asText()).isEqualTo("cat");
        assertThat(classes.get(0).get("AP").asDouble()).isCloseTo(0.5, within(EPS));
        assertThat(classes.get(1).get("name").asText()).isEqualTo("dog");
        assertThat(classes.get(1).get("truths").asInt()).isEqualTo(1);
        assertThat(classes.get(1).get("AP").asDouble()).isCloseTo(1.0, within(EPS));
    }

    @Test
    void aResultForAnUnknownImageOrMissingArgumentsIsAnError(@TempDir Path dir) throws IOException {
        Path gt = Files.writeString(dir.resolve("gt.json"), TRUTH);
        Path res = Files.writeString(dir.resolve("res.json"),
                "[{\"image_id\": 5, \"category_id\": 3, \"bbox\": [0, 0, 1, 1], \"score\": 0.5}]");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream o = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThat(ScoreCocoDetections.run(new String[] {"--truth", gt.toString(), "--detections", res.toString()}, o, e))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("image 5");
        assertThat(ScoreCocoDetections.run(new String[] {"--truth", gt.toString()}, o, e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("both --truth and --detections are required");
    }
}
