package dev.hone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hone.core.HoneException;
import dev.hone.data.DatasetResolver;
import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.record.Json;
import dev.hone.report.Evaluation;
import dev.hone.train.SyntheticData;
import dev.hone.train.TrainedModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trained models served in DJL: {@link HoneModel#newPredictor()} and DJL's {@code Criteria} with
 * {@link HoneTranslatorFactory} give the probabilities hone's own prediction gives, with the binary
 * temperature, the learned thresholds and test-time flips applied as {@code hone predict} applies them.
 */
class HoneModelTest {
    @TempDir
    static Path tmp;
    static Path singleLabel;
    static Path binary;
    static Path multiLabel;
    static List<Path> images;
    static List<Path> scenes;

    @BeforeAll
    static void train() throws IOException {
        Path data = SyntheticData.folder(tmp.resolve("images"), 30, 12, 3);
        singleLabel = HoneApiTest.tiny(data, tmp.resolve("single")).build().fit().modelDir();
        images = files(data).subList(0, 6);

        Path two = SyntheticData.folder(tmp.resolve("two"), 30, 12, 4);
        Files.walk(two.resolve("diagonal")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        binary = HoneApiTest.tiny(two, tmp.resolve("binary")).optPositive("left").build().fit().modelDir();

        Path csv = manifest(tmp.resolve("scenes"), 90);
        multiLabel = HoneApiTest.tiny(csv, tmp.resolve("multi")).build().fit().modelDir();
        scenes = files(tmp.resolve("scenes")).subList(0, 6);
    }

    @Test
    void singleLabelPredictorMatchesHonesOwnPrediction() throws Exception {
        float[][] expected = honePredicts(singleLabel, images);
        try (HoneModel model = HoneModel.load(singleLabel.getParent()); // the run folder works as well
                Predictor<Image, Classifications> predictor = model.newPredictor()) {
            assertThat(model.getTask()).isEqualTo(TaskType.SINGLE_LABEL);
            assertThat(model.getClasses()).isEqualTo(SyntheticData.CLASSES);
            assertThat(model.getInputShape().getShape()).containsExactly(1, 12, 12);
            for (int i = 0; i < images.size(); i++) {
                HoneClassifications c = (HoneClassifications) predictor.predict(image(images.get(i)));
                assertSameProbabilities(c, expected[i]);
                assertThat(c.predicted()).hasSize(1);
                assertThat(c.predicted().get(0).getClassName()).isEqualTo(c.best().getClassName());
                assertThat(c.thresholds()).isEmpty();
            }
        }
    }

    @Test
    void evaluateAndPredictFilesAreTheApiOfHoneEvaluateAndHonePredict() throws Exception {
        Path broken = Files.writeString(tmp.resolve("broken.png"), "not an image");
        List<Path> asked = new ArrayList<>(images);
        asked.add(1, broken);
        try (HoneModel model = HoneModel.load(singleLabel)) {
            EvaluationResult r = model.evaluate(tmp.resolve("images"));
            assertThat(r.evaluation().count()).isEqualTo(90); // no test split in the folder: all of it
            assertThat(r.evaluation().accuracy()).isBetween(0.0, 1.0);
            assertThat(r.data()).contains("images");
            assertThat(r.conformed()).isEmpty(); // every image is the model's 12x12 grey
            // the folder the model was trained from: said, as its figures are not a test
            assertThat(r.warnings()).singleElement().asString().contains("are the images this model was trained from")
                    .contains("run.json").contains("evaluation.json").contains("validation and test splits included");

            FilePredictions p = model.predictFiles(asked);
            assertThat(p.files()).isEqualTo(images);
            assertThat(p.skipped()).containsOnlyKeys(broken);
            assertThat(p.skipped().get(broken)).contains("broken.png");
            float[][] expected = honePredicts(singleLabel, images);
            for (int i = 0; i < images.size(); i++) {
                assertThat(p.predictions().probabilities()[i]).containsExactly(expected[i], within(1e-6f));
            }
        }
    }

    /** A copy of the single-label model's training folder, in its class folders, under {@code name}. */
    private static Path copyOfTrainingImages(String name) throws IOException {
        Path copy = tmp.resolve(name);
        for (Path f : files(tmp.resolve("images"))) {
            Path to = copy.resolve(tmp.resolve("images").relativize(f));
            Files.createDirectories(to.getParent());
            Files.copy(f, to);
        }
        return copy;
    }

    @Test
    void evaluatingImagesOfOneClassIsAllowedAndMatchesTheClassByName() throws Exception {
        // a folder of one class folder, and a manifest of one label: training refuses both, evaluation matches them by name
        Path oneClass = tmp.resolve("one-class");
        Path csv = Files.createDirectories(tmp.resolve("one-label")).resolve("top.csv");
        List<String> rows = new ArrayList<>(List.of("path,label"));
        for (Path f : files(tmp.resolve("images").resolve("top"))) {
            Files.createDirectories(oneClass.resolve("top"));
            Files.copy(f, oneClass.resolve("top").resolve(f.getFileName()));
            rows.add(f.toAbsolutePath() + ",top");
        }
        Files.write(csv, rows);
        try (HoneModel model = HoneModel.load(singleLabel)) {
            for (Path data : List.of(oneClass, csv)) {
                EvaluationResult r = model.evaluate(data);
                assertThat(r.evaluation().count()).as(data.toString()).isEqualTo(30);
                assertThat(r.evaluation().perClass()).extracting(Evaluation.ClassMetrics::name, Evaluation.ClassMetrics::support)
                        .containsExactly(tuple("diagonal", 0), tuple("left", 0), tuple("top", 30));
                // one class has no chance level to beat: always answering it scores 100%
                assertThat(r.evaluation().betterThanChance()).isNull();
                assertThat(r.evaluation().warnings()).noneMatch(w -> w.contains("chance"));
            }
        }
        assertThatThrownBy(() -> DatasetResolver.resolve(oneClass.toString(), null, null)).isInstanceOf(HoneException.class)
                .hasMessageContaining("only 1 class (top)");
    }

    @Test
    void aMultiHotFileWithoutAColumnForEachOfTheModelsClassesIsRefused() throws Exception {
        Path csv = Files.createDirectories(tmp.resolve("columns")).resolve("two-columns.csv");
        Files.write(csv, List.of("path,top,left", scenes.get(0).toAbsolutePath() + ",1,0", scenes.get(1).toAbsolutePath() + ",0,1"));
        try (HoneModel model = HoneModel.load(multiLabel)) {
            assertThatThrownBy(() -> model.evaluate(csv)).isInstanceOf(HoneException.class)
                    .hasMessageContaining("no column for 1 of the model's 3 classes [bottom]")
                    .hasMessageContaining(csv + ", line 1");
        }
    }

    @Test
    void evaluatingASupersetOfTheTrainingImagesCountsTheImagesTheModelHasSeen() throws Exception {
        // the training folder's 90 images copied beside 3 new ones: another fingerprint, the same pixels
        Path superset = copyOfTrainingImages("superset");
        for (Path f : files(SyntheticData.folder(tmp.resolve("new"), 1, 12, 99))) {
            Files.copy(f, superset.resolve(tmp.resolve("new").relativize(f).getParent()).resolve("new-" + f.getFileName()));
        }
        try (HoneModel model = HoneModel.load(singleLabel)) {
            EvaluationResult r = model.evaluate(superset);
            assertThat(r.evaluation().count()).isEqualTo(93);
            // its run held out a test split: the images it trained and validated on are the rest of the 90
            assertThat(r.warnings()).singleElement().asString().containsPattern("^[0-9]+ of the 93 images of ")
                    .contains("trained or validated on", "flatter it").doesNotStartWith("90 ").doesNotStartWith("0 ");
            EvaluationResult fresh = model.evaluate(tmp.resolve("new"));
            assertThat(fresh.warnings()).as("images it has not seen").isEmpty();
        }
    }

    @Test
    void aClosedModelAndNullArgumentsSaySoInsteadOfDjlsInternals() {
        HoneModel model = HoneModel.load(singleLabel);
        assertThatThrownBy(() -> model.predictFiles(null)).isInstanceOf(NullPointerException.class).hasMessage("files");
        assertThatThrownBy(() -> model.evaluate((Path) null)).isInstanceOf(NullPointerException.class).hasMessage("data");
        Predictor<Image, Classifications> outlived = model.newPredictor();
        Image image = Hone.readImage(images.get(0));
        model.close();
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable use : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> outlived.predict(image), () -> outlived.batchPredict(List.of(image, image)))) {
            assertThatThrownBy(use).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed")
                    .hasMessageContaining("HoneModel.load");
        }
        outlived.close();
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                model::newPredictor, () -> model.predictFiles(images), () -> model.evaluate(tmp.resolve("images")))) {
            assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessageContaining("is closed")
                    .hasMessageContaining("HoneModel.load");
        }
        assertThatThrownBy(() -> HoneModel.load(null)).isInstanceOf(NullPointerException.class).hasMessage("dir");
    }

    @Test
    void evaluateSaysWhichImagesItResizedOrConvertedToTheModelsInput() throws Exception {
        Path copy = copyOfTrainingImages("larger");
        Path larger = files(copy).get(0);
        ImageIO.write(new BufferedImage(20, 16, BufferedImage.TYPE_INT_RGB), "png", larger.toFile());
        Files.writeString(larger.resolveSibling("broken.png"), "not an image");
        try (HoneModel model = HoneModel.load(singleLabel)) {
            EvaluationResult r = model.evaluate(copy);
            assertThat(r.evaluation().count()).isEqualTo(90);
            assertThat(r.conformed()).singleElement().asString()
                    .startsWith("images: resized 1 to 12x12 (width x height), converted 1 from colour to grey, the model's input")
                    .contains(larger.getFileName().toString() + " (20x16 colour)");
            // no test split: the skipped file is the data's, not training data's
            assertThat(r.skipped()).singleElement().asString().contains("of the data, unreadable").contains("broken.png");
            // one image differs from the training data, so its fingerprint is another; the images are still counted
            assertThat(r.warnings()).singleElement().asString().startsWith("80 of the 90 images of " + copy)
                    .contains("trained or validated on");

        }
    }

    @Test
    void criteriaWithTheTranslatorFactoryGivesTheSameOutputs() throws Exception {
        Criteria<Image, Classifications> criteria = Criteria.builder()
                .setTypes(Image.class, Classifications.class)
                .optModelPath(singleLabel)
                .optTranslatorFactory(new HoneTranslatorFactory())
                .build();
        List<Image> batch = new ArrayList<>();
        for (Path p : images) {
            batch.add(image(p));
        }
        List<Classifications> viaCriteria;
        try (ZooModel<Image, Classifications> model = criteria.loadModel();
                Predictor<Image, Classifications> predictor = model.newPredictor()) {
            viaCriteria = predictor.batchPredict(batch);
        }
        try (HoneModel model = HoneModel.load(singleLabel);
                Predictor<Image, Classifications> predictor = model.newPredictor()) {
            for (int i = 0; i < batch.size(); i++) {
                Classifications one = predictor.predict(batch.get(i));
                assertThat(viaCriteria.get(i)).isInstanceOf(HoneClassifications.class);
                for (int k = 0; k < SyntheticData.CLASSES.size(); k++) {
                    assertThat(viaCriteria.get(i).item(k).getProbability()).isCloseTo(one.item(k).getProbability(), within(1e-5));
                }
            }
        }
    }

    @Test
    void criteriaAskingForAnotherOutputTypeSaysWhichOneTheModelGives() {
        Criteria<Image, DetectedObjects> criteria = Criteria.builder()
                .setTypes(Image.class, DetectedObjects.class)
                .optModelPath(singleLabel)
                .optTranslatorFactory(new HoneTranslatorFactory())
                .build();
        assertThatThrownBy(criteria::loadModel).rootCause().isInstanceOf(TranslateException.class)
                .hasMessageContaining("single-label").hasMessageContaining("setTypes(Image.class, Classifications.class)");
    }

    @Test
    void binaryPredictorAppliesTheTemperatureAndTheLearnedThreshold() throws Exception {
        List<Path> two = files(binary.getParent().getParent().resolve("two")).subList(0, 6);
        float[][] expected = honePredicts(binary, two);
        try (HoneModel model = HoneModel.load(binary); Predictor<Image, Classifications> predictor = model.newPredictor()) {
            assertThat(model.getTask()).isEqualTo(TaskType.BINARY);
            int positive = model.getDescriptor().positive();
            assertThat(model.getClasses().get(positive)).isEqualTo("left");
            for (int i = 0; i < two.size(); i++) {
                HoneClassifications c = (HoneClassifications) predictor.predict(image(two.get(i)));
                assertSameProbabilities(c, expected[i]);
                double t = c.thresholds()[0];
                String decided = c.predicted().get(0).getClassName();
                assertThat(decided).isEqualTo(expected[i][positive] >= t ? "left" : model.getClasses().get(1 - positive));
            }
        }
    }

    @Test
    void multiLabelPredictorGivesEveryClassAndPredictsThoseAtOrAboveTheirThresholds() throws Exception {
        float[][] expected = honePredicts(multiLabel, scenes);
        try (HoneModel model = HoneModel.load(multiLabel); Predictor<Image, Classifications> predictor = model.newPredictor()) {
            assertThat(model.getTask()).isEqualTo(TaskType.MULTI_LABEL);
            for (int i = 0; i < scenes.size(); i++) {
                HoneClassifications c = (HoneClassifications) predictor.predict(image(scenes.get(i)));
                assertSameProbabilities(c, expected[i]);
                double[] t = c.thresholds();
                assertThat(t).hasSize(3);
                List<String> above = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    if (expected[i][k] >= t[k]) {
                        above.add(model.getClasses().get(k));
                    }
                }
                assertThat(c.predicted().stream().map(Classifications.Classification::getClassName).toList())
                        .containsExactlyInAnyOrderElementsOf(above);
            }
        }
    }

    @Test
    void testTimeFlipsAverageTheImageAndItsMirrorAsHoneDoes() throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("flips").resolve("model"));
        try (Stream<Path> files = Files.list(singleLabel)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        ObjectNode descriptor = (ObjectNode) Json.mapper().readTree(copy.resolve("hone-model.json").toFile());
        descriptor.put("testTimeFlips", true);
        Json.mapper().writeValue(copy.resolve("hone-model.json").toFile(), descriptor);
        float[][] expected = honePredicts(copy, images);
        float[][] unflipped = honePredicts(singleLabel, images);
        assertThat(expected[0][0]).isNotEqualTo(unflipped[0][0]);
        try (HoneModel model = HoneModel.load(copy); Predictor<Image, Classifications> predictor = model.newPredictor()) {
            List<Image> batch = new ArrayList<>();
            for (Path p : images) {
                batch.add(image(p));
            }
            List<Classifications> out = predictor.batchPredict(batch);
            for (int i = 0; i < images.size(); i++) {
                assertSameProbabilities(out.get(i), expected[i]);
            }
        }
    }

    @Test
    void aFolderWithoutAModelIsAHoneExceptionNamingTheFile() {
        assertThatThrownBy(() -> HoneModel.load(tmp.resolve("nothing")))
                .isInstanceOf(HoneException.class).hasMessageContaining("hone-model.json").hasMessageContaining("Fix");
    }

    private static void assertSameProbabilities(Classifications c, float[] expected) {
        for (int k = 0; k < expected.length; k++) {
            assertThat(c.item(k).getProbability()).as("class " + k).isCloseTo(expected[k], within(1e-5));
        }
    }

    /** What hone's own prediction path ({@code hone predict}) gives for the files. */
    private static float[][] honePredicts(Path modelDir, List<Path> files) {
        try (TrainedModel model = TrainedModel.load(modelDir)) {
            ImageFormat format = model.descriptor().input();
            byte[] pixels = new byte[files.size() * format.imageBytes()];
            for (int i = 0; i < files.size(); i++) {
                ImageDecoder.decodeInto(files.get(i), format, pixels, i * format.imageBytes());
            }
            ImageSet set = new ImageSet(pixels, new int[files.size()], format.channels(), format.height(), format.width(),
                    model.descriptor().classes(), i -> files.get(i).toString());
            return model.predict(set).probabilities();
        }
    }

    private static Image image(Path file) throws IOException {
        return ImageFactory.getInstance().fromFile(file);
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    /** Scenes with bars in some of three places, and a label-set manifest {@code path,labels}. */
    private static Path manifest(Path dir, int n) throws IOException {
        Random r = new Random(6);
        String[] names = {"top", "left", "bottom"};
        List<String> rows = new ArrayList<>(List.of("path,labels"));
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            boolean[] marks = {r.nextBoolean(), r.nextBoolean(), r.nextBoolean()};
            BufferedImage img = new BufferedImage(12, 12, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 12; y++) {
                for (int x = 0; x < 12; x++) {
                    boolean on = (marks[0] && y < 3) || (marks[1] && x < 3) || (marks[2] && y >= 9);
                    img.getRaster().setSample(x, y, 0, (on ? 200 : 20) + r.nextInt(30));
                }
            }
            ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
            List<String> set = new ArrayList<>();
            for (int k = 0; k < 3; k++) {
                if (marks[k]) {
                    set.add(names[k]);
                }
            }
            rows.add(dir.resolve(i + ".png") + "," + String.join(";", set));
        }
        return Files.write(dir.getParent().resolve("scenes.csv"), rows);
    }
}
