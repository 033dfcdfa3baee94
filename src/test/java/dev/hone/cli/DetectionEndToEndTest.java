package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hone.record.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Detection end to end on tiny synthetic scenes written as COCO JSON: one or two bright squares
 * (class "square") or bars (class "bar") on a noisy dark background; train, evaluate, predict, draw,
 * and the Java API's and DJL Criteria's {@code DetectedObjects}.
 */
class DetectionEndToEndTest {
    static final int SIZE = 32;

    @TempDir
    Path tmp;

    /** Writes {@code n} scenes as NNN.png beside {@code _annotations.coco.json} in {@code dir}; returns the JSON file. */
    static Path scenes(Path dir, int n, long seed) throws Exception {
        Files.createDirectories(dir);
        Random r = new Random(seed);
        ObjectNode coco = Json.mapper().createObjectNode();
        ArrayNode images = coco.putArray("images");
        ArrayNode annotations = coco.putArray("annotations");
        ArrayNode categories = coco.putArray("categories");
        categories.addObject().put("id", 1).put("name", "square");
        categories.addObject().put("id", 2).put("name", "bar");
        int id = 1;
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    image.getRaster().setSample(x, y, 0, 20 + r.nextInt(40));
                }
            }
            String name = String.format("%03d.png", i);
            images.addObject().put("id", i + 1).put("file_name", name).put("width", SIZE).put("height", SIZE);
            int objects = 1 + r.nextInt(2);
            for (int o = 0; o < objects; o++) {
                int cls = 1 + r.nextInt(2);
                int h = cls == 1 ? 10 : 4, w = cls == 1 ? 10 : 14;
                // the first object in the left half, the second in the right, so they never overlap
                int x0 = o * SIZE / 2 + r.nextInt(SIZE / 2 - w), y0 = r.nextInt(SIZE - h);
                for (int y = y0; y < y0 + h; y++) {
                    for (int x = x0; x < x0 + w; x++) {
                        image.getRaster().setSample(x, y, 0, 180 + r.nextInt(60));
                    }
                }
                ObjectNode a = annotations.addObject().put("id", id++).put("image_id", i + 1).put("category_id", cls)
                        .put("iscrowd", 0).put("area", w * h);
                a.putArray("bbox").add(x0).add(y0).add(w).add(h);
            }
            ImageIO.write(image, "png", dir.resolve(name).toFile());
        }
        Path json = dir.resolve("_annotations.coco.json");
        Json.write(json, coco);
        return json;
    }

    @Test
    void cocoBoxesTrainACenterNetScoredByMapAndPredictDrawsBoxes() throws Exception {
        Path train = scenes(tmp.resolve("train"), 160, 1);
        Path test = scenes(tmp.resolve("test"), 32, 2);
        Path out = tmp.resolve("run");
        Cli.Outcome run = Cli.run("train", "--data", train.toString(), "--test", test.toString(), "--model", "resnet18", "--width", "8",
                "--epochs", "12", "--batch-size", "16", "--optimizer", "adamw", "--lr", "0.003", "--regularization", "none",
                "--out", out.toString());
        assertThat(run.status()).as(run.err() + run.out()).isZero();
        assertThat(run.out()).contains("test mAP:");

        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        String task = null;
        for (JsonNode d : record.get("decisions")) {
            if (d.get("name").asText().equals("task")) {
                task = d.get("value").asText();
            }
        }
        assertThat(task).isEqualTo("detection");
        JsonNode descriptor = Json.mapper().readTree(out.resolve("model").resolve("hone-model.json").toFile());
        assertThat(descriptor.toString()).contains("centernet-resnet18");

        JsonNode eval = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(eval.get("task").asText()).isEqualTo("detection");
        JsonNode m = eval.get("taskMetrics");
        // bright shapes on a dark background: a trained detector finds most of them
        assertThat(m.get("AP50").asDouble()).as(m.toString()).isGreaterThan(0.5);
        assertThat(m.get("perClass")).hasSize(2);
        assertThat(m.get("precisionRecall50").get("recall")).hasSize(101);
        assertThat(m.get("bestImages").get(0).get("truths")).isNotEmpty();
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("Detection metrics").contains("Worst test images").contains("Best validation images")
                .contains("test mAP");

        Path image = test.getParent().resolve("000.png");
        Path drawn = tmp.resolve("drawn");
        Path boxes = tmp.resolve("boxes.json");
        Cli.Outcome predict = Cli.run("predict", "--model-dir", out.toString(), "--draw", drawn.toString(), "--json",
                boxes.toString(), image.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        assertThat(predict.out()).contains("000.png: ").contains("[");
        assertThat(ImageIO.read(drawn.resolve("000.png").toFile()).getWidth()).isEqualTo(SIZE);
        JsonNode listed = Json.mapper().readTree(boxes.toFile()).get(0);
        assertThat(listed.get("task").asText()).isEqualTo("detection");
        assertThat(listed.get("detections")).isNotEmpty();
        assertThat(listed.get("detections").get(0).get("bbox")).hasSize(4);
        Cli.Outcome clobber = Cli.run("predict", "--model-dir", out.toString(), "--draw", test.getParent().toString(), image.toString());
        assertThat(clobber.status()).isNotZero();
        assertThat(clobber.err()).contains("would overwrite an input image");

        // the Java API and DJL's Criteria give the boxes predict printed, as fractions of the image
        ai.djl.modality.cv.Image djlImage = ai.djl.modality.cv.ImageFactory.getInstance().fromFile(image);
        ai.djl.modality.cv.output.DetectedObjects fromApi;
        try (dev.hone.api.HoneModel model = dev.hone.api.HoneModel.load(out);
                ai.djl.inference.Predictor<ai.djl.modality.cv.Image, ai.djl.modality.cv.output.DetectedObjects> p =
                        model.newDetectionPredictor()) {
            fromApi = p.predict(djlImage);
        }
        assertThat(fromApi.getNumberOfObjects()).isEqualTo(listed.get("detections").size());
        ai.djl.modality.cv.output.DetectedObjects.DetectedObject first = fromApi.item(0);
        assertThat(first.getClassName()).isEqualTo(listed.get("detections").get(0).get("class").asText());
        assertThat(first.getBoundingBox().getBounds().getX() * SIZE)
                .isCloseTo(listed.get("detections").get(0).get("bbox").get(0).asDouble(), org.assertj.core.api.Assertions.within(0.01));
        ai.djl.repository.zoo.Criteria<ai.djl.modality.cv.Image, ai.djl.modality.cv.output.DetectedObjects> criteria =
                ai.djl.repository.zoo.Criteria.builder()
                        .setTypes(ai.djl.modality.cv.Image.class, ai.djl.modality.cv.output.DetectedObjects.class)
                        .optModelPath(out.resolve("model")).optTranslatorFactory(new dev.hone.api.HoneTranslatorFactory()).build();
        try (ai.djl.repository.zoo.ZooModel<ai.djl.modality.cv.Image, ai.djl.modality.cv.output.DetectedObjects> zoo =
                        criteria.loadModel();
                ai.djl.inference.Predictor<ai.djl.modality.cv.Image, ai.djl.modality.cv.output.DetectedObjects> p = zoo.newPredictor()) {
            assertThat(p.predict(djlImage).getNumberOfObjects()).isEqualTo(fromApi.getNumberOfObjects());
        }

        Cli.Outcome evaluate = Cli.run("evaluate", "--model-dir", out.toString(), "--data", test.toString());
        assertThat(evaluate.status()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).contains("mAP").contains("AP50").contains("square");
    }

    @Test
    void aClassifierOrSegmentationNetworkIsRefusedForBoxes() throws Exception {
        Path train = scenes(tmp.resolve("r-train"), 24, 3);
        Cli.Outcome run = Cli.run("train", "--data", train.toString(), "--model", "unet", "--out", tmp.resolve("r").toString());
        assertThat(run.status()).isNotZero();
        assertThat(run.err()).contains("cannot detect objects").contains("resnet18");
    }
}
