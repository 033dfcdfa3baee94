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
 * evidence. Other tasks: {@link SemiSupervisedTasksTest}.
 */
class SemiSupervisedTest {
    @TempDir
    Path tmp;

    private Cli.Outcome train(Path labeled, Path unlabeled, Path out, int epochs) {
        return Cli.run("train", "--data", labeled.toString(), "--unlabeled", unlabeled.toString(), "--model", "resnet9",
                "--width", "4", "--epochs", String.valueOf(epochs), "--batch-size", "16", "--optimizer", "adamw", "--lr", "0.01",
                "--schedule", "warmup-cosine", "--regularization", "none", "--out", out.toString());
    }

    @Test
    void aNoisyStudentStartsFromItsTeacherAndTheGuardRailDecidesAfterTraining() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2); // class folders: a layout like any other
        Path out = tmp.resolve("run");
        // 72 planned steps: the teacher trains 36, and a round's quarter (18) is too short for a round
        Cli.Outcome o = train(labeled, unlabeled, out, 12);
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = decision(record, "ssl");
        assertThat(ssl).as("the ssl decision").isNotNull();
        assertThat(ssl.get("value").asText()).isEqualTo("noisy-student");
        JsonNode e = ssl.get("evidence");
        assertThat(e.get("method").asText()).isEqualTo("noisy-student");
        assertThat(e.get("teacherSteps").asLong()).isEqualTo(36); // half of the 72 planned steps
        assertThat(e.get("rounds")).isEmpty();
        assertThat(e.get("finalTeacher").asText()).isEqualTo("teacher");
        assertThat(e.get("teacherScore").asDouble()).isBetween(0.0, 1.0);
        assertThat(e.get("studentPeakLearningRate").asDouble()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(e.get("unlabeled").get("images").asInt()).isEqualTo(180);
        assertThat(e.get("pseudoLabeled").asInt()).isPositive();
        assertThat(e.get("confidenceHistogram")).hasSize(20);
        // the guard-rail after training: the student stays only when it beats its teacher on validation
        JsonNode rail = decision(record, "ssl-guard-rail");
        assertThat(rail).as("the guard-rail decision").isNotNull();
        boolean kept = beats(rail.get("evidence"));
        assertThat(rail.get("value").asText()).isEqualTo(kept ? "student" : "teacher");
        // the guard-rail's teacher is the one that labeled, predicted again in the final model
        assertThat(rail.get("evidence").get("teacherScore").asDouble())
                .isCloseTo(e.get("finalTeacherScore").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        JsonNode evaluation = Json.mapper().readTree(out.resolve("evaluation.json").toFile());
        assertThat(evaluation.get("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(out.resolve("teacher.weights")).doesNotExist();
        assertThat(out.resolve("pseudo-labels.json")).doesNotExist();
        assertThat(Files.readString(out.resolve("training-record.json"))).contains("Noisy Student");
    }

    @Test
    void aRoundsStudentIsPromotedOnlyWhenItBeatsItsTeacherElseTheTeacherContinues() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2);
        Path out = tmp.resolve("run");
        // 120 planned steps: the teacher trains 60 and a round's student 30
        Cli.Outcome o = train(labeled, unlabeled, out, 20);
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = decision(record, "ssl");
        JsonNode round = ssl.get("evidence").get("rounds").get(0);
        assertThat(round.get("studentSteps").asLong()).isEqualTo(30);
        boolean promoted = beats(round);
        assertThat(round.get("promoted").asBoolean()).isEqualTo(promoted);
        JsonNode rail = decision(record, "ssl-guard-rail");
        boolean kept = beats(rail.get("evidence"));
        if (promoted) {
            assertThat(ssl.get("value").asText()).isEqualTo("noisy-student");
            assertThat(rail.get("value").asText()).isEqualTo(kept ? "student" : "teacher");
        } else {
            // this data's teacher is perfect on validation: a student only ties it, and wins when its validation loss is lower
            assertThat(ssl.get("value").asText()).isEqualTo("none");
            assertThat(ssl.get("evidence").get("continuation").asBoolean()).isTrue();
            assertThat(ssl.get("rationale").asText()).contains("continues the teacher");
            assertThat(rail.get("value").asText()).isEqualTo(kept ? "continued" : "teacher");
            assertThat(rail.get("rationale").asText()).contains("the teacher's continuation");
        }
        assertThat(out.resolve("teacher.weights")).doesNotExist();
    }

    /** A higher student score, or an equal one with a lower validation loss (SslGuardRail.beats). */
    static boolean beats(JsonNode e) {
        double s = e.get("studentScore").asDouble();
        double t = e.get("teacherScore").asDouble();
        return s > t || (s == t && e.get("studentLoss").asDouble() < e.get("teacherLoss").asDouble());
    }

    static JsonNode decision(JsonNode record, String name) {
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
}
