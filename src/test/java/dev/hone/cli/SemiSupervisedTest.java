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

    private Cli.Outcome train(Path labeled, Path unlabeled, Path out, int epochs, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("train", "--data", labeled.toString(),
                "--unlabeled", unlabeled.toString(), "--model", "resnet9", "--width", "4", "--epochs", String.valueOf(epochs),
                "--batch-size", "16", "--optimizer", "adamw", "--lr", "0.01", "--schedule", "warmup-cosine", "--regularization",
                "none", "--out", out.toString()));
        args.addAll(java.util.List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void sslFixMatchTrainsTheFinalRunWithFixMatchFromTheTeacherAndTheGuardRailJudgesIt() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2);
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out, 20, "--ssl", "fixmatch");
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = decision(record, "ssl");
        assertThat(ssl.get("value").asText()).isEqualTo("fixmatch");
        assertThat(ssl.get("origin").asText()).isEqualTo("USER");
        JsonNode e = ssl.get("evidence");
        assertThat(e.get("teacherSteps").asLong()).isEqualTo(60); // half of the 120 planned steps
        assertThat(e.get("rounds")).isEmpty(); // no Noisy Student round: FixMatch alone
        assertThat(e.get("finalTeacher").asText()).isEqualTo("teacher");
        // mu: 180 unlabeled images for 96 labeled training images, so 1, not the paper's 7
        assertThat(e.get("fixMatch").get("ratio").asInt()).isEqualTo(1);
        // tau: from the teacher's validation predictions, one row per candidate threshold
        assertThat(e.get("fixMatch").get("calibration")).hasSize(dev.hone.ssl.FixMatchSettings.THRESHOLDS.length);
        assertThat(e.get("fixMatch").get("threshold").asDouble()).isBetween(0.6, 0.99);
        assertThat(e.get("fixMatch").get("reason").asText()).contains("mu 1: 180 unlabeled images for 96 labeled", "tau");
        assertThat(e.get("studentPeakLearningRate").asDouble()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-9));
        // the plan's batch of 16: 8 labeled images and 8 unlabeled ones per step
        assertThat(e.get("fixMatch").get("labeledBatch").asInt()).isEqualTo(8);
        assertThat(ssl.get("rationale").asText()).contains("--ssl fixmatch", "FixMatch (Sohn et al. 2020)", "8 labeled images gets 8 unlabeled");
        assertThat(Files.readString(out.resolve("report.html"))).contains("FixMatch's settings", "share right");
        assertThat(o.err() + o.out()).contains("fixmatch:").contains("passed the confidence threshold");
        JsonNode rail = decision(record, "ssl-guard-rail");
        assertThat(rail.get("evidence").get("teacher").asText()).isEqualTo("teacher");
        boolean kept = kept(rail.get("evidence"));
        assertThat(rail.get("evidence").get("trained").asText()).isEqualTo("fixmatch");
        assertThat(rail.get("value").asText()).isEqualTo(kept ? "fixmatch" : "teacher");
        assertThat(rail.get("rationale").asText()).contains("the FixMatch model");
        assertThat(resolution(rail)).as("both perfect on validation: an interval of zero width").isFalse();
        assertThat(rail.get("evidence").get("teacherScore").asDouble())
                .isCloseTo(e.get("finalTeacherScore").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        // a dropped FixMatch model's own test figure is recorded, for the user only
        assertThat(rail.get("evidence").has("droppedModelTestScore")).isEqualTo(!kept);
        if (!kept) {
            assertThat(rail.get("evidence").get("droppedModelTestScore").asDouble()).isBetween(0.0, 1.0);
            assertThat(rail.get("rationale").asText()).contains("no choice reads it");
        }
        assertThat(Json.mapper().readTree(out.resolve("evaluation.json").toFile()).get("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(out.resolve("teacher.weights")).doesNotExist();
    }

    @Test
    void aNamedMethodThatCannotRunIsAWarningAndASummaryLineNotASilentDefault() throws Exception {
        // 10 images a class: 3 validation images in all, fewer than the 10 that can tell whether the unlabeled ones help
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 10, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 20, 12, 2);
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out, 2, "--ssl", "fixmatch");
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode ssl = ssl(out);
        assertThat(ssl.get("value").asText()).isEqualTo("none");
        assertThat(ssl.get("evidence").get("requested").asText()).isEqualTo("fixmatch");
        assertThat(ssl.get("rationale").asText()).startsWith("--ssl fixmatch was asked for but cannot run: only 3 validation"
                + " images, fewer than the 10 needed").contains("are held out for validation), or a larger --val-fraction");
        assertThat(o.err() + o.out()).contains("[WARN] hone - decision: ssl = none, DEFAULT by rule: --ssl fixmatch was asked for")
                .contains("ssl:           --ssl fixmatch was asked for but cannot run");
    }

    @Test
    void oneUnlabeledImageIsNotUsedBeforeTheTeacherTrains() throws Exception {
        // Barlow Twins' batch of one image has no batch to correlate over: a review's run crashed after its teacher
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path many = SyntheticData.folder(tmp.resolve("many"), 1, 12, 2);
        Path one = java.nio.file.Files.createDirectories(tmp.resolve("one"));
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(many)) {
            Path image = files.filter(java.nio.file.Files::isRegularFile).findFirst().orElseThrow();
            java.nio.file.Files.copy(image, one.resolve("only.png"));
        }
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, one, out, 2, "--ssl", "barlow-twins");
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode ssl = ssl(out);
        assertThat(ssl.get("value").asText()).isEqualTo("none");
        assertThat(ssl.get("rationale").asText()).startsWith("--ssl barlow-twins was asked for but cannot run:")
                .contains("at least 2 unlabeled images", "there is 1");
        assertThat(o.out()).contains("ssl:           --ssl barlow-twins was asked for but cannot run");
    }

    @Test
    void sslSimclrAndBarlowTwinsPretrainTheEncoderAndTheGuardRailJudgesTheFineTunedModel() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2);
        for (String method : java.util.List.of("simclr", "barlow-twins")) {
            Path out = tmp.resolve(method);
            Cli.Outcome o = train(labeled, unlabeled, out, 12, "--ssl", method);
            assertThat(o.status()).as(o.err()).isZero();
            JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
            JsonNode ssl = decision(record, "ssl");
            assertThat(ssl.get("value").asText()).isEqualTo(method);
            assertThat(ssl.get("origin").asText()).isEqualTo("USER");
            JsonNode e = ssl.get("evidence");
            assertThat(e.get("teacherSteps").asLong()).isEqualTo(36); // half of the 72 planned steps
            // without a budget, pretraining takes as many steps as the teacher, of two views of 16 unlabeled images each
            assertThat(e.get("pretraining").get("steps").asLong()).isEqualTo(36);
            assertThat(e.get("teacherSeconds").asDouble()).isPositive();
            assertThat(e.has("fineTuneSeconds")).as("no budget: the final run keeps the plan's steps").isFalse();
            assertThat(e.get("pretraining").get("method").asText()).isEqualTo(method);
            assertThat(e.get("pretraining").get("embedding").asInt()).isEqualTo(128);
            assertThat(ssl.get("rationale").asText()).contains("--ssl " + method, method.equals("simclr") ? "SimCLR (Chen et al. 2020"
                    : "Barlow Twins (Zbontar et al. 2021", "fresh classifier", "180 unlabeled images");
            JsonNode rail = decision(record, "ssl-guard-rail");
            assertThat(rail.get("evidence").get("teacher").asText()).isEqualTo("teacher");
            assertThat(rail.get("evidence").get("trained").asText()).as("a fine-tuned encoder, not the teacher's continuation")
                    .isEqualTo("fine-tuned");
            assertThat(rail.get("value").asText()).isEqualTo(kept(rail.get("evidence")) ? "fine-tuned" : "teacher");
            assertThat(rail.get("rationale").asText()).contains("the fine-tuned encoder");
            assertThat(rail.get("evidence").get("teacherScore").asDouble()).as("judged against the supervised teacher")
                    .isCloseTo(e.get("teacherScore").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
            assertThat(Files.readString(out.resolve("report.html"))).contains("self-supervised pretraining of the encoder");
            assertThat(out.resolve("start.weights")).doesNotExist();
        }
    }

    @Test
    void autoWithFewLabelsPretrainsTheTeachersEncoderAndAFineTunedTeacherStartsTheRoundsOnlyWhenItWins() throws Exception {
        // 10 or more unlabeled images per labeled one: SimCLRv2's recipe, a pretrained encoder fine-tuned into a teacher
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 370, 12, 2);
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out, 30);
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode pretraining = decision(record, "ssl-pretraining");
        assertThat(pretraining).as("the ssl-pretraining decision").isNotNull();
        JsonNode e = pretraining.get("evidence");
        assertThat(e.get("method").asText()).isEqualTo("barlow-twins");
        JsonNode ssl = decision(record, "ssl");
        long teacherSteps = ssl.get("evidence").get("teacherSteps").asLong();
        assertThat(e.get("steps").asLong()).as("without a budget, as many steps as the teacher").isEqualTo(teacherSteps);
        boolean wins = verdict(e, "fineTunedVsScratch", "fineTunedTeacher", "scratchTeacher");
        assertThat(e.get("used").asBoolean()).isEqualTo(wins);
        assertThat(pretraining.get("value").asText()).isEqualTo(wins ? "barlow-twins" : "none");
        assertThat(pretraining.get("rationale").asText()).contains("SimCLRv2", "arXiv:2006.10029", "1,110 unlabeled images");
        // the rounds start from the teacher that won
        assertThat(ssl.get("evidence").get("teacherScore").asDouble()).isCloseTo(
                e.get(wins ? "fineTunedTeacherScore" : "scratchTeacherScore").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Files.readString(out.resolve("report.html"))).contains("the teacher's encoder pretrained");
    }

    @Test
    void fewUnlabeledImagesPerLabeledOneSkipThePretraining() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2);
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out, 30);
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode pretraining = decision(Json.mapper().readTree(out.resolve("training-record.json").toFile()), "ssl-pretraining");
        assertThat(pretraining.get("value").asText()).isEqualTo("none");
        assertThat(pretraining.get("rationale").asText()).contains("180 unlabeled images for 96 labeled ones");
    }

    /**
     * A 28-epoch run on 40 labeled and 150 unlabeled images per class with pixel noise {@code sigma}, drawn from
     * {@code seed} and {@code seed + 10}; its output folder.
     */
    private Path noisyRun(long seed, double sigma) {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, seed, sigma);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 150, 12, seed + 10, sigma);
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out, 28);
        assertThat(o.status()).as(o.err()).isZero();
        return out;
    }

    @Test
    void aWeakTeacherGoesStraightToFixMatchWithoutRoundsAndTheGuardRailJudgesIt() throws Exception {
        // pixels so noisy that the teacher's confident pseudo-labels are right under 85% of the time
        Path out = noisyRun(3, 220);
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = decision(record, "ssl");
        JsonNode e = ssl.get("evidence");
        assertThat(e.get("validationPseudoLabelAccuracy").isNumber()).isTrue();
        assertThat(e.get("validationPseudoLabelAccuracy").asDouble()).isBetween(0.0, 0.85);
        assertThat(ssl.get("value").asText()).isEqualTo("fixmatch");
        assertThat(ssl.get("origin").asText()).isEqualTo("LEARNED");
        assertThat(ssl.get("method").asText()).isEqualTo("the teacher's pseudo-label accuracy");
        assertThat(e.get("rounds")).isEmpty();
        assertThat(e.get("weakTeacherBelow").asDouble()).isEqualTo(0.85);
        assertThat(e.get("finalTeacher").asText()).isEqualTo("teacher");
        assertThat(e.get("confidenceHistogram")).isNotEmpty(); // the teacher's pseudo-labels are shown though none trains on them
        assertThat(e.has("labeledCopies")).as("Noisy Student's, not FixMatch's").isFalse();
        // the record's data section names the unlabeled images and fingerprints them, whatever the learner does with them
        JsonNode unlabeledData = record.get("data").get("unlabeled");
        assertThat(unlabeledData.get("images").asInt()).isEqualTo(450);
        assertThat(unlabeledData.get("fingerprint").asText()).isNotBlank();
        assertThat(unlabeledData.get("path").asText()).endsWith("unlabeled");
        assertThat(ssl.get("rationale").asText()).contains("under the 85% below which a teacher is weak",
                "without the first round's race", "FixMatch (Sohn et al. 2020)");
        JsonNode rail = decision(record, "ssl-guard-rail").get("evidence");
        assertThat(rail.get("teacher").asText()).isEqualTo("teacher");
        assertThat(rail.get("trained").asText()).isEqualTo("fixmatch");
        resolution(decision(record, "ssl-guard-rail"));
        assertThat(decision(record, "ssl-guard-rail").get("value").asText()).isIn("fixmatch", "teacher");
        assertThat(rail.get("teacherScore").asDouble()).isEqualTo(e.get("teacherScore").asDouble());
        assertThat(Files.readString(out.resolve("report.html"))).contains("FixMatch's settings", "final run&#39;s peak learning rate")
                .doesNotContain("copies of each labeled image");
    }

    @Test
    void withRoomTheFirstRoundHasAFixMatchArmAtEqualComputeAndItsFiguresAreRecorded() throws Exception {
        // noisy pixels: the teacher is not perfect, so the three arms' scores differ (here Noisy Student's student wins);
        // 168 planned steps: a quarter, 42 plain steps per arm, is the compute of 31 FixMatch steps at mu 3 (1.34 each)
        Path out = noisyRun(2, 140);
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = decision(record, "ssl");
        // a teacher whose confident pseudo-labels are right 85% of the time or more races the arms
        assertThat(ssl.get("evidence").get("validationPseudoLabelAccuracy").asDouble()).isGreaterThanOrEqualTo(0.85);
        JsonNode round = ssl.get("evidence").get("rounds").get(0);
        assertThat(round.get("studentSteps").asLong()).isEqualTo(42);
        assertThat(round.get("fixMatchSteps").asLong()).isEqualTo(31);
        assertThat(round.get("fixMatchScore").asDouble()).isBetween(0.0, 1.0);
        assertThat(round.get("fixMatchMaskRate").asDouble()).isBetween(0.0, 1.0);
        // it must beat each rival
        boolean fixMatchWins = beatsEach(round, "fixMatch", "teacher", "supervised", "student");
        assertThat(round.get("fixMatchChosen").asBoolean()).isEqualTo(fixMatchWins);
        if (fixMatchWins) {
            assertThat(ssl.get("value").asText()).isEqualTo("fixmatch");
            assertThat(ssl.get("evidence").get("finalTeacher").asText()).isEqualTo("FixMatch arm");
            assertThat(decision(record, "ssl-guard-rail").get("evidence").get("teacher").asText()).isEqualTo("FixMatch arm");
            assertThat(decision(record, "ssl-guard-rail").get("evidence").get("trained").asText()).isEqualTo("fixmatch");
        } else {
            assertThat(ssl.get("value").asText()).isIn("noisy-student", "none");
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("FixMatch's score");
    }

    @Test
    void anUnknownSslMethodOrOneWithoutUnlabeledImagesIsRefusedWithTheFix() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 4, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 2, 12, 2);
        Cli.Outcome unknown = train(labeled, unlabeled, tmp.resolve("a"), 1, "--ssl", "mixmatch");
        assertThat(unknown.status()).isNotZero();
        assertThat(unknown.err()).contains("--ssl mixmatch", "auto, noisy-student, fixmatch").doesNotContain("Exception");
        Cli.Outcome alone = Cli.run("train", "--data", labeled.toString(), "--model", "resnet9", "--width", "4", "--epochs", "1",
                "--ssl", "fixmatch", "--out", tmp.resolve("b").toString());
        assertThat(alone.status()).isNotZero();
        assertThat(alone.err()).contains("--ssl fixmatch", "--unlabeled").doesNotContain("Exception");
    }

    @Test
    void withoutRoomForTheFirstRoundTheUnlabeledImagesAreNotUsed() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2); // class folders: a layout like any other
        Path out = tmp.resolve("run");
        // 72 planned steps: the teacher would train 36, and a quarter (18 steps per arm) is too short for the first round
        Cli.Outcome o = train(labeled, unlabeled, out, 12);
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = decision(record, "ssl");
        assertThat(ssl.get("value").asText()).isEqualTo("none");
        assertThat(ssl.get("origin").asText()).isEqualTo("DEFAULT");
        assertThat(ssl.get("rationale").asText()).contains("no room", "180 unlabeled images", "at least 30 steps", "--epochs");
        assertThat(decision(record, "ssl-guard-rail")).as("no teacher, so no guard-rail").isNull();
        assertThat(o.err() + o.out()).doesNotContain("ssl: the teacher trains");
        assertThat(out.resolve("teacher.weights")).doesNotExist();
    }

    @Test
    void autoLeavesUnlabeledImagesFewerThanATenthOfTheLabeledOnesUnused() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 2, 12, 2);
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out, 12);
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode ssl = ssl(out);
        assertThat(ssl.get("value").asText()).isEqualTo("none");
        assertThat(ssl.get("rationale").asText()).contains("6 unlabeled images beside 96 labeled ones, fewer than 10%",
                "about 16 times as often", "--ssl METHOD");
        assertThat(o.err() + o.out()).doesNotContain("ssl: the teacher trains");
    }

    @Test
    void sslFixMatchNeedsNoRoomForAFirstRoundItDoesNotRun() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2);
        Path out = tmp.resolve("run");
        // the 72 planned steps that leave auto no room for a first round still train FixMatch from a 36-step teacher
        Cli.Outcome o = train(labeled, unlabeled, out, 12, "--ssl", "fixmatch");
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode ssl = ssl(out);
        assertThat(ssl.get("value").asText()).isEqualTo("fixmatch");
        assertThat(ssl.get("evidence").get("teacherSteps").asLong()).isEqualTo(36);
    }

    @Test
    void aRoundsStudentIsPromotedWhenItBeatsItsTeacherAndTheSupervisedArmContinuedWhenNotWorseElseTheBetterOfThemContinues()
            throws Exception {
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
        // the first round's supervised arm: the teacher continued as many steps on the labeled images alone
        assertThat(round.get("supervisedScore").asDouble()).isBetween(0.0, 1.0);
        boolean armWon = verdict(round, "supervisedVsTeacher", "supervised", "teacher");
        assertThat(bar(round)).isEqualTo(armWon ? "supervised" : "teacher");
        boolean promoted = beatsEach(round, "student", "teacher", "supervised");
        assertThat(round.get("promoted").asBoolean()).isEqualTo(promoted);
        boolean notWorse = round.get("keptNotWorse").asBoolean();
        assertThat(promoted && notWorse).as("a promoted student is not also kept as not worse").isFalse();
        // the teacher's pseudo-labels are recorded on either path
        JsonNode e = ssl.get("evidence");
        assertThat(e.get("method").asText()).isEqualTo("noisy-student");
        assertThat(e.get("teacherSteps").asLong()).isEqualTo(60); // half of the 120 planned steps
        assertThat(e.get("teacherScore").asDouble()).isBetween(0.0, 1.0);
        assertThat(e.get("unlabeled").get("images").asInt()).isEqualTo(180);
        assertThat(e.get("pseudoLabeled").asInt()).isPositive();
        assertThat(e.get("targets").asText()).isEqualTo("soft"); // the teacher's distributions, the paper's choice
        assertThat(e.get("confidenceHistogram")).hasSize(20);
        JsonNode rail = decision(record, "ssl-guard-rail");
        boolean kept = kept(rail.get("evidence"));
        // the guard-rail's teacher is the model the final run started from, predicted again in the final model
        assertThat(rail.get("evidence").get("teacherScore").asDouble())
                .isCloseTo(e.get("finalTeacherScore").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        if (promoted) {
            assertThat(ssl.get("value").asText()).isEqualTo("noisy-student");
            assertThat(e.get("finalTeacher").asText()).startsWith("round-"); // round 2 may promote its student too
            assertThat(e.get("studentPeakLearningRate").asDouble()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(rail.get("value").asText()).isEqualTo(kept ? "student" : "teacher");
        } else if (notWorse) {
            // a tie with both: the final student continues the round-1 student on the teacher's pseudo-labels, and the
            // guard-rail compares it with the better of the teacher and the supervised arm, its fallback
            assertThat(ssl.get("value").asText()).isEqualTo("noisy-student");
            assertThat(e.get("studentStart").asText()).isEqualTo("round-1 student");
            assertThat(e.get("finalTeacher").asText()).isEqualTo(armWon ? "supervised arm" : "teacher");
            assertThat(ssl.get("rationale").asText()).contains("starts from the round-1 student's weights")
                    .contains("was not worse than either");
            assertThat(rail.get("value").asText()).isEqualTo(kept ? "student" : "teacher");
        } else {
            // this data's teacher is perfect on validation: a student only ties it, and wins when its validation loss is lower
            assertThat(ssl.get("value").asText()).isEqualTo("none");
            assertThat(ssl.get("evidence").get("continuation").asBoolean()).isTrue();
            assertThat(ssl.get("rationale").asText()).contains(armWon ? "continues the supervised arm" : "continues the teacher");
            assertThat(ssl.get("evidence").get("finalTeacher").asText()).isEqualTo(armWon ? "supervised arm" : "teacher");
            assertThat(rail.get("value").asText()).isEqualTo(kept ? "continued" : "teacher");
            assertThat(rail.get("rationale").asText()).contains("the " + (armWon ? "supervised arm" : "teacher") + "'s continuation");
        }
        assertThat(Json.mapper().readTree(out.resolve("evaluation.json").toFile()).get("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(out.resolve("teacher.weights")).doesNotExist();
        assertThat(out.resolve("pseudo-labels.json")).doesNotExist();
        assertThat(Files.readString(out.resolve("training-record.json"))).contains("Noisy Student");
    }

    @Test
    void aFirstRoundStudentThatBeatsTheSupervisedArmMakesTheFinalRunAStudent() throws Exception {
        // noisy pixels (sigma 140 grey levels): 40 labeled images per class leave the teacher and the supervised arm at 11
        // of 12 validation images, and this data's round-1 student, trained on 450 more pseudo-labeled images, gets all 12
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 2, 140);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 150, 12, 12, 140);
        Path out = tmp.resolve("run");
        Cli.Outcome o = train(labeled, unlabeled, out, 20);
        assertThat(o.status()).as(o.err()).isZero();
        JsonNode record = Json.mapper().readTree(out.resolve("training-record.json").toFile());
        JsonNode ssl = decision(record, "ssl");
        JsonNode round = ssl.get("evidence").get("rounds").get(0);
        assertThat(round.get("studentScore").asDouble()).isGreaterThan(round.get("supervisedScore").asDouble())
                .isGreaterThan(round.get("teacherScore").asDouble());
        assertThat(round.get("promoted").asBoolean()).isTrue();
        assertThat(ssl.get("value").asText()).isEqualTo("noisy-student");
        JsonNode e = ssl.get("evidence");
        assertThat(e.get("finalTeacher").asText()).startsWith("round-");
        assertThat(e.get("studentPeakLearningRate").asDouble()).isCloseTo(0.003, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(e.get("unlabeled").get("images").asInt()).isEqualTo(450);
        assertThat(ssl.get("rationale").asText()).contains("The final run is the student", "supervised arm", "labeled images alone");
        JsonNode rail = decision(record, "ssl-guard-rail");
        assertThat(rail.get("value").asText()).isEqualTo(expectedGuardRail(ssl, rail));
        assertThat(rail.get("evidence").get("teacherScore").asDouble())
                .isCloseTo(e.get("finalTeacherScore").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
        // its teacher is a round's student, trained on pseudo-labels: falling back to it still uses the unlabeled images
        assertThat(rail.get("evidence").get("teacher").asText()).isEqualTo(e.get("finalTeacher").asText());
        assertThat(rail.get("rationale").asText()).contains("its teacher (the round-");
        if (!kept(rail.get("evidence"))) {
            assertThat(rail.get("rationale").asText()).contains("the unlabeled images are used through them");
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("supervised arm's score");
        assertThat(out.resolve("teacher.weights")).doesNotExist();
        assertThat(out.resolve("pseudo-labels.json")).doesNotExist();
    }

    /**
     * The guard-rail's value that follows the {@code ssl} decision: what the final run trained (a Noisy Student, FixMatch,
     * a fine-tuned encoder, or the teacher continued when SSL was not used) when it beats its teacher, or is not worse on a
     * split too small to tell, else the teacher.
     */
    static String expectedGuardRail(JsonNode ssl, JsonNode rail) {
        String trained = switch (ssl.get("value").asText()) {
            case "noisy-student" -> "student";
            case "fixmatch" -> "fixmatch";
            case "simclr", "barlow-twins" -> "fine-tuned";
            default -> "continued";
        };
        JsonNode e = rail.get("evidence");
        assertThat(e.get("trained").asText()).isEqualTo(trained);
        boolean notWorse = e.path("keptAsNotWorse").asBoolean();
        if (notWorse) { // kept without beating: only on an unresolved split, and only for a model on the unlabeled images
            assertThat(beats(e)).isFalse();
            assertThat(e.get("unresolved").asBoolean()).isTrue();
            assertThat(trained).isNotEqualTo("continued");
        }
        return kept(e) ? trained : "teacher";
    }

    /**
     * Whether the final run is a student: the first round promoted its student (it beat its teacher and the supervised
     * arm), or kept it as not worse than either.
     */
    static boolean studentFinalRun(JsonNode ssl) {
        JsonNode rounds = ssl.get("evidence").get("rounds");
        return rounds != null && rounds.size() > 0 && (rounds.get(0).get("promoted").asBoolean()
                || rounds.get(0).get("keptNotWorse").asBoolean());
    }

    /**
     * Whether the guard-rail's gain interval is wider than 10 points; checks that the record then marks it unresolved and
     * names the fix, and otherwise does neither.
     */
    static boolean resolution(JsonNode rail) {
        JsonNode e = rail.get("evidence");
        boolean wide = e.get("high").asDouble() - e.get("low").asDouble() > 0.10;
        assertThat(e.has("unresolved")).isEqualTo(wide);
        if (wide) {
            assertThat(rail.get("rationale").asText()).contains("cannot tell these two models apart", "--val-fraction");
        } else {
            assertThat(rail.get("rationale").asText()).doesNotContain("cannot tell these two models apart");
        }
        return wide;
    }

    /** Whether the guard-rail kept the final run: it beat its teacher, or was not worse on a split too small to tell. */
    static boolean kept(JsonNode e) {
        return beats(e) || e.path("keptAsNotWorse").asBoolean();
    }

    /** The guard-rail's recorded verdict on the final run against its teacher ({@link #verdict}). */
    static boolean beats(JsonNode e) {
        return verdict(e, "verdict", "student", "teacher");
    }

    /**
     * The verdict recorded under {@code key} in {@code e} (SslGuardRail.compare), checked against the figures it must agree
     * with: {@code <challenger>Score/Loss} against {@code <incumbent>Score/Loss}. A higher score, or an equal one with a
     * lower validation loss, beats; otherwise only a calibrated loss reduction significant at 5% with a score not
     * significantly lower does.
     */
    static boolean verdict(JsonNode e, String key, String challenger, String incumbent) {
        JsonNode v = e.get(key);
        assertThat(v).as(key).isNotNull();
        double s = e.get(challenger + "Score").asDouble();
        double t = e.get(incumbent + "Score").asDouble();
        boolean byScore = s > t || (s == t && e.get(challenger + "Loss").asDouble() < e.get(incumbent + "Loss").asDouble());
        boolean byLoss = !byScore && v.get("calibratedLossGain").asDouble() > 0 && v.get("calibratedLossPValue").asDouble() < 0.05
                && !v.get("scoreSignificantlyLower").asBoolean();
        assertThat(v.get("beats").asBoolean()).as(key + ": " + v).isEqualTo(byScore || byLoss);
        assertThat(v.get("rule").asText()).isEqualTo(byScore ? (s > t ? "higher score" : "equal score, lower loss")
                : byLoss ? "lower calibrated loss" : "not beaten");
        return byScore || byLoss;
    }

    /** Whether a round's {@code challenger} beat each of the {@code rivals} it was compared with ({@code <challenger>Vs<Rival>}). */
    static boolean beatsEach(JsonNode round, String challenger, String... rivals) {
        boolean all = true;
        for (String rival : rivals) {
            String key = challenger + "Vs" + Character.toUpperCase(rival.charAt(0)) + rival.substring(1);
            if (round.has(key)) {
                all &= verdict(round, key, challenger, rival);
            }
        }
        return all && round.has(challenger + "VsTeacher");
    }

    /** A round's bar, the better of the teacher and the supervised arm, as the prefix of its figures. */
    static String bar(JsonNode round) {
        return round.get("bar").asText().equals("supervised arm") ? "supervised" : "teacher";
    }

    /** The {@code ssl} decision of the run in {@code out}. */
    private static JsonNode ssl(Path out) throws java.io.IOException {
        return decision(Json.mapper().readTree(out.resolve("training-record.json").toFile()), "ssl");
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
