package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import dev.hone.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --unlabeled}: the SSL learner's teacher trains, the student starts from it, the guard-rail decides, the record explains the choice with its
 * evidence, and tasks it does not serve are refused with the fix.
 */
class SemiSupervisedTest {
    @TempDir
    Path tmp;

    @Test
    void aNoisyStudentStartsFromItsTeacherAndTheGuardRailDecidesAfterTraining() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2); // class folders: a layout like any other
        Path out = tmp.resolve("run");
        Cli.Outcome o = Cli.run("train", "--data", labeled.toString(), "--unlabeled", unlabeled.toString(), "--model", "resnet9",
                "--width", "4", "--epochs", "20", "--batch-size", "16", "--optimizer", "adamw", "--lr", "0.01",
                "--schedule", "warmup-cosine", "--regularization", "none", "--out", out.toString());
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = decision(record, "ssl");
        assertThat(ssl).as("the ssl decision").isNotNull();
        assertThat(ssl.get("value").asText()).isEqualTo("noisy-student");
        JsonNode e = ssl.get("evidence");
        assertThat(e.get("method").asText()).isEqualTo("noisy-student");
        assertThat(e.get("teacherSteps").asLong()).isEqualTo(60); // half of the 120 planned steps
        assertThat(e.get("teacherScore").asDouble()).isBetween(0.0, 1.0);
        assertThat(e.get("studentPeakLearningRate").asDouble()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(e.get("unlabeled").get("images").asInt()).isEqualTo(180);
        assertThat(e.get("pseudoLabeled").asInt()).isPositive();
        assertThat(e.get("confidenceHistogram")).hasSize(20);
        // a round: a student trains a quarter of the planned steps from its teacher; it labels again only if it beats it
        JsonNode round = e.get("rounds").get(0);
        assertThat(round.get("studentSteps").asLong()).isEqualTo(30);
        boolean promoted = round.get("studentScore").asDouble() > round.get("teacherScore").asDouble();
        assertThat(round.get("promoted").asBoolean()).isEqualTo(promoted);
        assertThat(e.get("finalTeacher").asText()).isEqualTo(promoted ? "round-" + e.get("rounds").size() + " student" : "teacher");
        // the guard-rail after training: the student stays only when it beats its teacher on validation
        JsonNode rail = decision(record, "ssl-guard-rail");
        assertThat(rail).as("the guard-rail decision").isNotNull();
        boolean kept = rail.get("evidence").get("studentScore").asDouble() > rail.get("evidence").get("teacherScore").asDouble();
        assertThat(rail.get("value").asText()).isEqualTo(kept ? "student" : "teacher");
        // the guard-rail's teacher is the last promoted one, predicted again in the final model
        assertThat(rail.get("evidence").get("teacherScore").asDouble())
                .isCloseTo(e.get("finalTeacherScore").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        JsonNode evaluation = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(evaluation.get("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(out.resolve("teacher.weights")).doesNotExist();
        assertThat(out.resolve("pseudo-labels.json")).doesNotExist();
        assertThat(Files.readString(out.resolve("training-record.json"))).contains("Noisy Student");
    }

    private static JsonNode decision(JsonNode record, String name) {
        for (JsonNode d : record.get("decisions")) {
            if (d.get("name").asText().equals(name)) {
                return d;
            }
        }
        return null;
    }

    @Test
    void aLabeledImageGivenAgainAsUnlabeledIsDroppedAndNamed() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 10, 12, 2);
        Path copy = Files.list(labeled.resolve(SyntheticData.CLASSES.get(0))).sorted().findFirst().orElseThrow();
        Files.copy(copy, unlabeled.resolve("copy.png"));
        Path out = tmp.resolve("run");
        Cli.Outcome o = Cli.run("train", "--data", labeled.toString(), "--unlabeled", unlabeled.toString(), "--model", "resnet9",
                "--width", "4", "--epochs", "1", "--regularization", "none", "--out", out.toString());
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.err() + o.out()).contains("dropped 1 unlabeled image").contains("copy.png");
    }

    @Test
    void aTaskWithoutSemiSupervisedLearningIsRefusedWithTheFix() throws Exception {
        Path csv = tmp.resolve("multi.csv");
        Path images = SyntheticData.folder(tmp.resolve("images"), 10, 12, 1);
        StringBuilder rows = new StringBuilder("path,labels\n");
        try (var walk = Files.walk(images)) {
            walk.filter(p -> p.toString().endsWith(".png")).forEach(p -> rows.append(p).append(",a;b\n"));
        }
        Files.writeString(csv, rows.toString());
        Cli.Outcome o = Cli.run("train", "--data", csv.toString(), "--unlabeled", images.toString(), "--model", "resnet9",
                "--epochs", "1", "--out", tmp.resolve("run").toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("--unlabeled").contains("single-label").contains("Fix:");
    }
}
