package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import dev.hone.record.Json;
import dev.hone.record.Origin;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordIoTest {
    @TempDir
    Path dir;

    @Test
    void recordWithDecisionsOfEveryOriginRoundTrips() throws IOException {
        TrainingRecord written = SyntheticRun.record();
        Json.write(dir.resolve(RecordIo.RECORD_FILE), written);

        TrainingRecord read = RecordIo.readRecord(dir); // the directory is enough

        assertThat(read.decisions()).extracting(Decision::origin).containsOnly(Origin.values());
        assertThat(read.decisions()).hasSameSizeAs(written.decisions());
        for (int i = 0; i < written.decisions().size(); i++) {
            assertThat(normalised(read.decisions().get(i))).isEqualTo(normalised(written.decisions().get(i)));
        }
        Map<String, Decision<?>> byName = new java.util.HashMap<>();
        read.decisions().forEach(d -> byName.put(d.name(), d));
        // values come back as JSON maps them: Integer, Double, String, Map
        assertThat(byName.get("epochs").value()).isEqualTo(3);
        assertThat(byName.get("learning-rate").value()).isEqualTo(0.003);
        assertThat(byName.get("learning-rate").cost()).isEqualTo(Duration.ofMillis(14_200));
        assertThat(byName.get("learning-rate").evidence().get("lrs")).asList().hasSize(10);
        assertThat(byName.get("weight-decay").value()).isEqualTo(5.0e-4); // written as float, read as double
        assertThat(byName.get("optimizer").value()).isEqualTo("adamw");
        assertThat(byName.get("augmentation").value()).isEqualTo(Map.of("flip", true, "crop", 2));

        assertThat(read.epochs()).isEqualTo(written.epochs());
        assertThat(read.stopReason()).isEqualTo(written.stopReason());
        assertThat(read.seed()).isEqualTo(42L);
        assertThat(read.environment()).isEqualTo(written.environment());
        assertThat(read.data()).isEqualTo(written.data());
        assertThat(read.test()).isEqualTo(written.test());
        assertThat(read.resumedAt()).isNull();
        assertThat(Files.readString(dir.resolve(RecordIo.RECORD_FILE))).doesNotContain("resumedAt"); // a run in one go
    }

    @Test
    void aResumedRecordKeepsBothStarts() {
        TrainingRecord s = SyntheticRun.record();
        Json.write(dir.resolve(RecordIo.RECORD_FILE), new TrainingRecord(s.formatVersion(), s.hone(), "2026-12-06T03:29:35Z",
                "2026-12-06T03:32:38Z", "2026-12-06T03:30:47Z", s.seed(), s.command(), s.environment(), s.data(), s.decisions(),
                s.epochs(), s.stopReason(), s.test()));
        TrainingRecord read = RecordIo.readRecord(dir);
        assertThat(read.startedAt()).isEqualTo("2026-12-06T03:29:35Z");
        assertThat(read.resumedAt()).isEqualTo("2026-12-06T03:30:47Z");
        assertThat(read.finishedAt()).isEqualTo("2026-12-06T03:32:38Z");
    }

    /** Records of format version 1 must keep parsing in every later version. */
    @Test
    void versionOneFixtureStillParses() throws URISyntaxException {
        TrainingRecord r = RecordIo.readRecord(fixture());

        assertThat(r.formatVersion()).isEqualTo(1);
        assertThat(r.resumedAt()).isNull(); // written before resumed runs kept their first start
        assertThat(r.seed()).isEqualTo(1234L);
        assertThat(r.decisions()).extracting(Decision::name)
                .containsExactly("epochs", "batch-size", "learning-rate", "weight-decay", "augmentation", "optimizer");
        assertThat(r.decisions()).extracting(Decision::origin).contains(Origin.values());
        assertThat(r.decisions().get(1).value()).isEqualTo(256);
        assertThat(r.decisions().get(1).cost()).isEqualTo(Duration.ofMillis(14_200));
        assertThat(r.decisions().get(2).value()).isEqualTo(0.0031);
        assertThat(r.decisions().get(4).value()).isEqualTo(Map.of("flip", false, "randomCrop", 2));
        assertThat(r.epochs()).hasSize(4);
        assertThat(r.epochs().get(3)).isEqualTo(new EpochMetrics(4, 0.0488, 0.9851, 0.0512, 0.9840, 1.0e-4, 166.9, 323.5));
        assertThat(r.stopReason()).isEqualTo("completed 4 epochs");
        assertThat(r.test()).containsEntry("accuracy", 0.9853);
        assertThat(Formats.splitSizes(r.data())).containsEntry("train", 54000).containsEntry("test", 10000);
    }

    @Test
    void evaluationRoundTrips() {
        Evaluation written = SyntheticRun.evaluation(SyntheticRun.images());
        Json.write(dir.resolve(RecordIo.EVALUATION_FILE), written);

        Evaluation read = RecordIo.readEvaluation(dir.resolve(RecordIo.EVALUATION_FILE));

        assertThat(read.confusionMatrix()).isDeepEqualTo(written.confusionMatrix());
        assertThat(read.perClass()).isEqualTo(written.perClass());
        assertThat(read.worst()).isEqualTo(written.worst());
        assertThat(read.classes()).isEqualTo(written.classes());
        assertThat(read.accuracy()).isEqualTo(written.accuracy());
        assertThat(RecordIo.findEvaluation(dir)).isPresent();
        assertThat(RecordIo.findEvaluation(dir.resolve("elsewhere"))).isEmpty();
    }

    /** An evaluation.json written before chance levels and n/a metrics still reads; the new fields are null. */
    @Test
    void evaluationWithoutChanceFieldsStillParses() throws IOException {
        Path file = dir.resolve(RecordIo.EVALUATION_FILE);
        Files.writeString(file, "{\"dataset\":\"test\",\"count\":2,\"accuracy\":1.0,\"loss\":0.1,"
                + "\"classes\":[\"a\",\"b\"],\"perClass\":[{\"name\":\"a\",\"precision\":1.0,\"recall\":1.0,"
                + "\"f1\":1.0,\"support\":2},{\"name\":\"b\",\"precision\":0.0,\"recall\":0.0,\"f1\":0.0,"
                + "\"support\":0}],\"macroF1\":0.5,\"confusionMatrix\":[[2,0],[0,0]],\"worst\":[]}");

        Evaluation read = RecordIo.readEvaluation(file);

        assertThat(read.betterThanChance()).isNull();
        assertThat(read.chance()).isNull();
        assertThat(read.perClass().get(1).f1()).isZero();
        assertThat(read.warnings()).containsExactly("class b has no test images: precision, recall and F1 are n/a "
                + "and left out of macro F1. Give the test set images of every class");
    }

    /** Derived views (warnings, classes without support) are not written as fields; n/a is JSON null. */
    @Test
    void evaluationJsonHoldsChanceAndNullsForClassesWithoutSupport() throws IOException {
        // class c has no test image; always answering a is right on 2 of 3, the majority rate
        ImageSet set = new ImageSet(new byte[3], new int[] {0, 0, 1}, 1, 1, 1, List.of("a", "b", "c"), i -> "x" + i);
        Json.write(dir.resolve(RecordIo.EVALUATION_FILE),
                EvaluationMetrics.compute("test", set, new float[][] {{1, 0, 0}, {1, 0, 0}, {1, 0, 0}}, 0, 1));

        JsonNode json = Json.mapper().readTree(dir.resolve(RecordIo.EVALUATION_FILE).toFile());

        assertThat(json.get("betterThanChance").asBoolean(true)).isFalse();
        assertThat(json.get("chance").get("rate").asDouble()).isCloseTo(2 / 3.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(json.get("perClass").get(2).get("f1").isNull()).isTrue();
        assertThat(json.has("warnings")).isFalse();
        assertThat(json.has("classesWithoutSupport")).isFalse();
        assertThat(RecordIo.readEvaluation(dir).perClass().get(2).precision()).isNull();

        // a set of one class has no chance level: always answering it scores 100%
        ImageSet oneClass = new ImageSet(new byte[2], new int[] {0, 0}, 1, 1, 1, List.of("a", "b"), i -> "x" + i);
        Evaluation one = EvaluationMetrics.compute("test", oneClass, new float[][] {{1, 0}, {1, 0}}, 0, 1);
        assertThat(one.betterThanChance()).isNull();
        assertThat(one.chance()).isNull();
    }

    /** Detection has no confusion matrix: left out of the file; a file written before, with it as null, still reads. */
    @Test
    void detectionLeavesTheConfusionMatrixOutAndOldFilesWithItNullStillRead() throws IOException {
        Path file = dir.resolve(RecordIo.EVALUATION_FILE);
        Evaluation written = new Evaluation("test", 30, 0.25, 1.5, List.of("a"), List.of(), 0.4, null, null)
                .forTask("detection", Map.of("mAP", 0.25, "AP50", 0.5));
        Json.write(file, written);
        JsonNode json = Json.mapper().readTree(file.toFile());
        assertThat(json.has("confusionMatrix")).isFalse();
        assertThat(json.get("accuracy").asDouble()).isEqualTo(0.25); // the mAP, as documented
        Evaluation back = RecordIo.readEvaluation(dir);
        assertThat(back.confusionMatrix()).isNull();
        assertThat(back.taskMetrics()).containsEntry("AP50", 0.5);

        Files.writeString(file, "{\"dataset\":\"test\",\"count\":30,\"accuracy\":0.0,\"loss\":199.6,\"classes\":[\"a\"],"
                + "\"perClass\":[],\"macroF1\":0.0,\"confusionMatrix\":null,\"betterThanChance\":null,\"chance\":null,"
                + "\"task\":\"detection\",\"taskMetrics\":{\"mAP\":0.0,\"AP50\":0.0}}");
        Evaluation old = RecordIo.readEvaluation(dir);
        assertThat(old.confusionMatrix()).isNull();
        assertThat(old.task()).isEqualTo("detection");
        assertThat(EvaluationSection.headline(old)).startsWith("mAP <b>0.00%</b>");
    }

    @Test
    void metricsLinesReadBackInOrderIncludingNaN() {
        Path file = dir.resolve(RecordIo.METRICS_FILE);
        SyntheticRun.epochs().forEach(e -> Json.appendLine(file, e));
        EpochMetrics noValidation = new EpochMetrics(4, 0.5, 0.8, Double.NaN, Double.NaN, 1e-4, 1, 900);
        Json.appendLine(file, noValidation);
        EpochMetrics downscaled = new EpochMetrics(5, 0.5, 0.8, 0.4, 0.9, 1e-4, 1, 900, "16x16 to 20x20");
        Json.appendLine(file, downscaled);

        List<EpochMetrics> read = RecordIo.readMetrics(file);

        assertThat(read).hasSize(5).startsWith(SyntheticRun.epochs().toArray(EpochMetrics[]::new));
        assertThat(read.get(3)).isEqualTo(noValidation);
        assertThat(read.get(4)).isEqualTo(downscaled);
        // a full-size epoch's line leaves the field out, as the lines written before it existed did
        assertThat(Json.mapper().valueToTree(noValidation).has("trainedAt")).isFalse();
    }

    @Test
    void missingRecordSaysWhereAndWhatToCheck() {
        assertThatThrownBy(() -> RecordIo.readRecord(dir))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(dir.resolve(RecordIo.RECORD_FILE).toString())
                .hasMessageContaining("is this a hone output directory? it should contain training-record.json");
    }

    @Test
    void corruptFilesNameTheFileAndTheFix() throws IOException {
        Path record = dir.resolve(RecordIo.RECORD_FILE);
        Files.writeString(record, "{ \"formatVersion\": 1, \"decisions\": [ {\"name\": ");
        assertThatThrownBy(() -> RecordIo.readRecord(record))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(record.toString())
                .hasMessageContaining("it should contain training-record.json");

        Path metrics = dir.resolve(RecordIo.METRICS_FILE);
        Files.writeString(metrics, Json.line(SyntheticRun.epochs().get(0)) + "\n{\"epoch\": 2, \"trainLo");
        assertThatThrownBy(() -> RecordIo.readMetrics(metrics))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining(metrics.toString());
    }

    @Test
    void decisionWithoutAValueIsRejectedWithTheFile() throws IOException {
        Path record = dir.resolve(RecordIo.RECORD_FILE);
        Files.writeString(record, "{\"formatVersion\":1,\"decisions\":[{\"name\":\"epochs\",\"origin\":\"USER\","
                + "\"method\":\"flag\",\"rationale\":\"r\"}]}");
        assertThatThrownBy(() -> RecordIo.readRecord(record))
                .isInstanceOf(HoneException.class).hasMessageContaining(record.toString());
    }

    /** A decision as a JSON tree: values compare by what they say, not by their Java number type. */
    private static JsonNode normalised(Decision<?> d) throws JsonProcessingException {
        return Json.mapper().readTree(Json.line(d));
    }

    static Path fixture() throws URISyntaxException {
        return Path.of(RecordIoTest.class.getResource("/report/record-v1.json").toURI());
    }
}
