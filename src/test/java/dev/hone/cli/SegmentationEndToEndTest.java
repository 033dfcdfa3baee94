package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segmentation end to end on tiny synthetic scenes: a bright square (class "square") and a bright
 * horizontal bar (class "bar") on a noisy dark background; train, evaluate, predict masks.
 */
class SegmentationEndToEndTest {
    static final int SIZE = 32;

    @TempDir
    Path tmp;

    /** Writes {@code n} scenes as images/NNN.png and masks/NNN.png under {@code dir}, with classes.txt. */
    static Path scenes(Path dir, int n, long seed) throws Exception {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("masks"));
        Files.writeString(dir.resolve("classes.txt"), "background\nsquare\nbar\n");
        Random r = new Random(seed);
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
            BufferedImage mask = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    image.getRaster().setSample(x, y, 0, 20 + r.nextInt(40));
                }
            }
            int cls = 1 + r.nextInt(2);
            int h = cls == 1 ? 10 : 4, w = cls == 1 ? 10 : 20;
            int y0 = r.nextInt(SIZE - h), x0 = r.nextInt(SIZE - w);
            for (int y = y0; y < y0 + h; y++) {
                for (int x = x0; x < x0 + w; x++) {
                    image.getRaster().setSample(x, y, 0, 180 + r.nextInt(60));
                    mask.getRaster().setSample(x, y, 0, cls);
                }
            }
            String name = String.format("%03d.png", i);
            ImageIO.write(image, "png", dir.resolve("images").resolve(name).toFile());
            ImageIO.write(mask, "png", dir.resolve("masks").resolve(name).toFile());
        }
        return dir;
    }

    @Test
    void masksTrainAUnetScoredByMeanIouAndPredictWritesMasks() throws Exception {
        Path train = scenes(tmp.resolve("train"), 96, 1);
        Path test = scenes(tmp.resolve("test"), 24, 2);
        Path out = tmp.resolve("run");
        Cli.Outcome run = Cli.run("train", "--data", train.toString(), "--test", test.toString(), "--model", "unet", "--width", "8",
                "--epochs", "8", "--batch-size", "16", "--regularization", "none", "--out", out.toString());
        assertThat(run.status()).as(run.err() + run.out()).isZero();

        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode task = null;
        for (JsonNode d : record.get("decisions")) {
            if (d.get("name").asText().equals("task")) {
                task = d;
            }
        }
        assertThat(task).isNotNull();
        assertThat(task.get("value").asText()).isEqualTo("segmentation");
        for (JsonNode d : record.get("decisions")) {
            if (d.get("name").asText().equals("test-time-augmentation")) {
                // --regularization none is the user's: the flips it fixes are too
                assertThat(d.get("origin").asText()).isEqualTo("USER");
            }
        }

        JsonNode eval = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(eval.get("task").asText()).isEqualTo("segmentation");
        JsonNode m = eval.get("taskMetrics");
        // a bright shape on a dark background: a trained U-Net finds most of it
        assertThat(m.get("mIoU").asDouble()).as(m.toString()).isGreaterThan(0.5);
        assertThat(m.get("pixelAccuracy").asDouble()).isGreaterThan(0.9);
        assertThat(m.get("perClass")).hasSize(3);
        assertThat(m.get("worstImages").get(0).get("predictedMask").asText()).isNotEmpty();
        assertThat(eval.get("confusionMatrix")).hasSize(3);
        // class folders have no masks to score: refused, not NaN metrics
        Path folders = dev.hone.train.SyntheticData.folder(tmp.resolve("classes"), 3, SIZE, 1);
        Cli.Outcome wrongKind = Cli.run("evaluate", "--model-dir", out.toString(), "--data", folders.toString());
        assertThat(wrongKind.status()).as(wrongKind.out() + wrongKind.err()).isEqualTo(2);
        assertThat(wrongKind.err()).contains("labelled images without masks or boxes").contains("is a segmentation model")
                .contains("Fix: evaluate it on images with masks").doesNotContain("\tat ");
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("Segmentation metrics").contains("IoU per class").contains("Worst test images")
                .contains("Best validation images")
                .contains("test mIoU");

        Path masks = tmp.resolve("masks-out");
        Path image = test.resolve("images").resolve("000.png");
        Path predictions = tmp.resolve("predictions.json");
        Cli.Outcome predict = Cli.run("predict", "--model-dir", out.toString(), "--out", masks.toString(), "--overlay",
                "--json", predictions.toString(), image.toString());
        assertThat(predict.status()).as(predict.err()).isZero();
        BufferedImage mask = ImageIO.read(masks.resolve("000.png").toFile());
        assertThat(mask.getWidth()).isEqualTo(SIZE);
        assertThat(Files.exists(masks.resolve("000-overlay.png"))).isTrue();
        assertThat(predict.out()).contains("background");
        assertThat(Json.mapper().readTree(predictions.toFile()).get(0).get("pixelShare").has("square")).isTrue();
        // masks written into the images' own folder would replace them: refused
        Cli.Outcome clobber = Cli.run("predict", "--model-dir", out.toString(), "--out", test.resolve("images").toString(),
                image.toString());
        assertThat(clobber.status()).isNotZero();
        assertThat(clobber.err()).contains("would overwrite an input image");
        assertThat(Files.size(image)).isPositive();
        assertThat(ImageIO.read(image.toFile()).getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);

        // the Java API and DJL's Criteria give the same mask as the CLI's PNG
        ai.djl.modality.cv.Image djlImage = ai.djl.modality.cv.ImageFactory.getInstance().fromFile(image);
        int[][] fromApi;
        try (dev.hone.api.HoneModel model = dev.hone.api.HoneModel.load(out);
                ai.djl.inference.Predictor<ai.djl.modality.cv.Image, ai.djl.modality.cv.output.CategoryMask> p =
                        model.newSegmentationPredictor()) {
            ai.djl.modality.cv.output.CategoryMask m1 = p.predict(djlImage);
            assertThat(m1.getClasses()).containsExactly("background", "square", "bar");
            fromApi = m1.getMask();
        }
        assertThat(fromApi.length).isEqualTo(SIZE);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                assertThat(fromApi[y][x]).isEqualTo(mask.getRaster().getSample(x, y, 0));
            }
        }
        ai.djl.repository.zoo.Criteria<ai.djl.modality.cv.Image, ai.djl.modality.cv.output.CategoryMask> criteria =
                ai.djl.repository.zoo.Criteria.builder()
                        .setTypes(ai.djl.modality.cv.Image.class, ai.djl.modality.cv.output.CategoryMask.class)
                        .optModelPath(out.resolve("model")).optTranslatorFactory(new dev.hone.api.HoneTranslatorFactory()).build();
        try (ai.djl.repository.zoo.ZooModel<ai.djl.modality.cv.Image, ai.djl.modality.cv.output.CategoryMask> zoo =
                        criteria.loadModel();
                ai.djl.inference.Predictor<ai.djl.modality.cv.Image, ai.djl.modality.cv.output.CategoryMask> p = zoo.newPredictor()) {
            assertThat(p.predict(djlImage).getMask()).isDeepEqualTo(fromApi);
        }

        Cli.Outcome evaluate = Cli.run("evaluate", "--model-dir", out.toString(), "--data", test.toString());
        assertThat(evaluate.status()).as(evaluate.err()).isZero();
        assertThat(evaluate.out()).containsIgnoringCase("mIoU").contains("IoU").contains("pixel accuracy");
    }

    @Test
    void aTorchScriptNetworkWithPerPixelLogitsTrainsAndAClassifierIsRefused() throws Exception {
        Path train = scenes(tmp.resolve("ts-train"), 48, 3);
        Path test = scenes(tmp.resolve("ts-test"), 12, 4);
        Path dense = Path.of(getClass().getResource("/models/tiny-seg-3.pt").toURI());
        Path out = tmp.resolve("ts-run");
        Cli.Outcome run = Cli.run("train", "--data", train.toString(), "--test", test.toString(), "--model", dense.toString(),
                "--epochs", "2", "--batch-size", "16", "--regularization", "none", "--out", out.toString());
        assertThat(run.status()).as(run.err() + run.out()).isZero();
        JsonNode eval = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(eval.get("task").asText()).isEqualTo("segmentation");
        assertThat(eval.get("taskMetrics").get("mIoU").isNumber()).isTrue();
        assertThat(out.resolve("model").resolve("model.pt")).exists();

        Path classifier = Path.of(getClass().getResource("/models/tiny-10.pt").toURI());
        Cli.Outcome refused = Cli.run("train", "--data", train.toString(), "--test", test.toString(), "--model",
                classifier.toString(), "--epochs", "1", "--out", tmp.resolve("refused").toString());
        assertThat(refused.status()).isEqualTo(2);
        assertThat(refused.err()).contains("tiny-10.pt").contains("per pixel").contains("(N, 3, H, W)");
    }
}
