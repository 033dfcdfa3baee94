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
 * {@code --unlabeled}: the SSL learner's teacher and student trials run, the record explains the choice with its
 * evidence, and tasks it does not serve are refused with the fix.
 */
class SemiSupervisedTest {
    @TempDir
    Path tmp;

    @Test
    void theLearnerComparesATeacherWithANoisyStudentAndRecordsWhy() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2); // class folders: a layout like any other
        Path out = tmp.resolve("run");
        Cli.Outcome o = Cli.run("train", "--data", labeled.toString(), "--unlabeled", unlabeled.toString(), "--model", "resnet9",
                "--width", "4", "--epochs", "20", "--batch-size", "16", "--optimizer", "adamw", "--lr", "0.01",
                "--schedule", "warmup-cosine", "--regularization", "none", "--out", out.toString());
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = null;
        for (JsonNode d : record.get("decisions")) {
            if (d.get("name").asText().equals("ssl")) {
                ssl = d;
            }
        }
        assertThat(ssl).as("the ssl decision").isNotNull();
        assertThat(ssl.get("value").asText()).isIn("noisy-student", "none");
        JsonNode e = ssl.get("evidence");
        assertThat(e.get("method").asText()).isEqualTo("noisy-student");
        assertThat(e.get("trialSteps").asLong()).isEqualTo(30); // a quarter of the 120 planned steps
        assertThat(e.get("teacherScore").asDouble()).isBetween(0.0, 1.0);
        assertThat(e.get("studentScore").asDouble()).isBetween(0.0, 1.0);
        assertThat(e.get("unlabeled").get("images").asInt()).isEqualTo(180);
        assertThat(e.get("pseudoLabeled").asInt()).isPositive();
        assertThat(e.get("confidenceHistogram")).hasSize(20);
        boolean kept = e.get("studentScore").asDouble() > e.get("teacherScore").asDouble();
        if (kept) {
            assertThat(ssl.get("value").asText()).isEqualTo("noisy-student");
        }
        assertThat(out.resolve("pseudo-labels.json")).doesNotExist();
        assertThat(Files.readString(out.resolve("training-record.json"))).contains("Noisy Student");
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
