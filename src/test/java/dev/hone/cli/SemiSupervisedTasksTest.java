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
 * {@code --unlabeled} beyond single-label classification: a multi-label run pseudo-labels label sets at thresholds
 * learned on the teacher's validation predictions, a binary run uses the softmax path on its two-column probabilities,
 * and segmentation is refused with the fix.
 */
class SemiSupervisedTasksTest {
    @TempDir
    Path tmp;

    private static Cli.Outcome train(Path labeled, Path unlabeled, Path out) {
        return Cli.run("train", "--data", labeled.toString(), "--unlabeled", unlabeled.toString(), "--model", "resnet9",
                "--width", "4", "--epochs", "20", "--batch-size", "16", "--optimizer", "adamw", "--lr", "0.01",
                "--schedule", "warmup-cosine", "--regularization", "none", "--out", out.toString());
    }

    @Test
    void aMultiLabelRunPseudoLabelsLabelSetsAtTheTeachersF1Thresholds() throws Exception {
        Path labeled = SyntheticData.multiLabel(tmp.resolve("labeled"), 120, 12, 1);
        Path unlabeled = SyntheticData.multiLabel(tmp.resolve("unlabeled"), 90, 12, 2).resolveSibling("img");
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out);
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("test mAP:");
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = SemiSupervisedTest.decision(record, "ssl");
        // a student is the final run only when the first round's student beat its teacher and the supervised arm, or was
        // not worse than either
        assertThat(ssl.get("value").asText()).as(ssl.toString())
                .isEqualTo(SemiSupervisedTest.studentFinalRun(ssl) ? "noisy-student" : "none");
        JsonNode e = ssl.get("evidence");
        assertThat(e.get("unlabeled").get("images").asInt()).isEqualTo(90);
        assertThat(e.get("pseudoLabeled").asInt()).isEqualTo(90); // every image kept, once
        assertThat(e.get("pseudoLabeledWithRepeats").asInt()).isEqualTo(90);
        assertThat(e.has("threshold")).isFalse();
        JsonNode thresholds = e.get("pseudoLabelThresholds");
        assertThat(thresholds).hasSize(3);
        thresholds.forEach(t -> assertThat(t.asDouble()).isGreaterThan(0).isLessThanOrEqualTo(1));
        assertThat(e.get("predictedPerClass")).hasSize(3);
        assertThat(e.get("validationPseudoLabelAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(e.get("confidenceHistogram")).hasSize(20);
        int histogram = 0;
        for (JsonNode b : e.get("confidenceHistogram")) {
            histogram += b.asInt();
        }
        assertThat(histogram).isEqualTo(90);
        JsonNode rail = SemiSupervisedTest.decision(record, "ssl-guard-rail");
        assertThat(rail.get("value").asText()).isEqualTo(SemiSupervisedTest.expectedGuardRail(ssl, rail));
        assertThat(rail.get("rationale").asText()).contains("mAP");
        String report = Files.readString(out.resolve("report.html"));
        assertThat(report).contains("Semi-supervised learning").contains("unlabeled images labeled with it");
    }

    @Test
    void aMultiLabelFirstRoundStudentThatBeatsTheSupervisedArmMakesTheFinalRunAStudent() throws Exception {
        // noisy pixels (sigma 260 grey levels): 120 labeled images leave the teacher and the supervised arm at mAP 0.79 on
        // the 12 validation images, and this data's round-1 student, trained on 600 pseudo-labeled images more, reaches 0.86
        Path labeled = SyntheticData.multiLabel(tmp.resolve("labeled"), 120, 12, 1, 260);
        Path unlabeled = SyntheticData.multiLabel(tmp.resolve("unlabeled"), 600, 12, 12, 260).resolveSibling("img");
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out);
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = SemiSupervisedTest.decision(record, "ssl");
        JsonNode round = ssl.get("evidence").get("rounds").get(0);
        assertThat(round.get("studentScore").asDouble()).as(round.toString())
                .isGreaterThan(round.get("supervisedScore").asDouble()).isGreaterThan(round.get("teacherScore").asDouble());
        assertThat(round.get("promoted").asBoolean()).isTrue();
        assertThat(ssl.get("value").asText()).isEqualTo("noisy-student");
        assertThat(ssl.get("evidence").get("finalTeacher").asText()).startsWith("round-");
        assertThat(ssl.get("evidence").has("pseudoLabelThresholds")).isTrue();
        JsonNode rail = SemiSupervisedTest.decision(record, "ssl-guard-rail");
        assertThat(rail.get("value").asText()).isEqualTo(SemiSupervisedTest.expectedGuardRail(ssl, rail));
        assertThat(rail.get("rationale").asText()).contains("mAP");
        assertThat(o.out()).contains("test mAP:");
    }

    @Test
    void aBinaryRunTrainsANoisyStudent() throws Exception {
        // 60 of each of two classes: as many images as the single-label test's 3 x 40, so the teacher gets its 30 steps
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 60, 12, 1);
        Files.walk(labeled.resolve(SyntheticData.CLASSES.get(2))).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 45, 12, 2);
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out);
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(o.out()).contains("test ROC-AUC:");
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = SemiSupervisedTest.decision(record, "ssl");
        // a student is the final run only when the first round's student beat its teacher and the supervised arm, or was
        // not worse than either
        assertThat(ssl.get("value").asText()).as(ssl.toString())
                .isEqualTo(SemiSupervisedTest.studentFinalRun(ssl) ? "noisy-student" : "none");
        JsonNode e = ssl.get("evidence");
        assertThat(e.get("threshold").asDouble()).isEqualTo(0.3);
        assertThat(e.get("predictedPerClass")).hasSize(2);
        assertThat(e.get("pseudoLabeled").asInt()).isPositive();
        JsonNode rail = SemiSupervisedTest.decision(record, "ssl-guard-rail");
        assertThat(rail.get("value").asText()).isEqualTo(SemiSupervisedTest.expectedGuardRail(ssl, rail));
        assertThat(rail.get("rationale").asText()).contains("ROC-AUC");
    }

    @Test
    void segmentationIsRefusedWithTheFix() throws Exception {
        Path masks = SegmentationEndToEndTest.scenes(tmp.resolve("seg"), 8, 1);
        Cli.Outcome o = Cli.run("train", "--data", masks.toString(), "--unlabeled", masks.resolve("images").toString(), "--model",
                "unet", "--epochs", "1", "--out", tmp.resolve("run").toString());
        assertThat(o.status()).isEqualTo(2);
        assertThat(o.err()).contains("--unlabeled").contains("segmentation").contains("pseudo-masks").contains("Fix:");
    }
}
