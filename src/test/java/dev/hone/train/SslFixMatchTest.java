package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.models.ModelSpec;
import dev.hone.tasks.SingleLabel;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.ssl.FixMatchSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The first round's FixMatch arm: it continues a teacher with FixMatch's batches, and is as repeatable as the other arms. */
class SslFixMatchTest {
    private static final FixMatchSettings PAPER = FixMatchSettings.paper();

    @TempDir
    Path tmp;

    @Test
    void theArmContinuesTheTeacherWithFixMatchAndTheSameSeedGivesTheSameArm() {
        ImageSet train = SyntheticData.set(20, 12, 1);
        ImageSet validation = SyntheticData.set(8, 12, 2);
        ImageSet unlabeled = SyntheticData.set(30, 12, 3);
        Normalization norm = Normalization.of(train);
        TrialRunner.Setup setup = new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 12, 12), 3,
                SingleLabel.INSTANCE, "adamw", 3e-3, 0.05, 16, 10, 5L, norm, Engine.getInstance().defaultDevice(), tmp.resolve("s"));
        try (ResidentDataset t = new ResidentDataset(train, norm, setup.device());
                ResidentDataset v = new ResidentDataset(validation, norm, setup.device());
                ResidentDataset pool = new ResidentDataset(unlabeled, norm, setup.device())) {
            SslRounds.Teacher teacher = SslRounds.Teacher.train(new TrialRunner(setup, t, v, v), RegularizationPolicy.NONE, null, 40, null);
            SslFixMatch.Arm first = SslFixMatch.train(new TrialRunner(setup, t, v, v), teacher.weights(), 3, RegularizationPolicy.NONE,
                    pool, SingleLabel.INSTANCE, norm, 5L, 8, new FixMatchSettings(2, 0.7f, List.of(), "test"));
            SslFixMatch.Arm second = SslFixMatch.train(new TrialRunner(setup, t, v, v), teacher.weights(), 3, RegularizationPolicy.NONE,
                    pool, SingleLabel.INSTANCE, norm, 5L, 8, new FixMatchSettings(2, 0.7f, List.of(), "test"));
            assertThat(first.model()).isNotNull();
            assertThat(first.maskRate()).as("the technique ran in the arm's batches").isBetween(0.0, 1.0);
            assertThat(first.imagesPerSecond()).isPositive();
            assertThat(first.model().weights()).as("it trained away from the teacher").isNotEqualTo(teacher.weights());
            assertThat(second.model().score()).isEqualTo(first.model().score());
            assertThat(second.model().validation().meanLoss()).isEqualTo(first.model().validation().meanLoss());
            assertThat(second.maskRate()).isEqualTo(first.maskRate());
            Map<String, Object> round = new LinkedHashMap<>();
            first.record(round);
            assertThat(round).containsEntry("fixMatchSteps", 8L).containsKeys("fixMatchScore", "fixMatchLoss", "fixMatchMaskRate");
            Map<?, ?> settings = (Map<?, ?>) round.get("fixMatchSettings");
            assertThat(settings.get("ratio")).isEqualTo(2);
            assertThat(settings.get("threshold")).isEqualTo(0.7);
        }
    }

    @Test
    void theArmWinsOnlyWhenItBeatsTheBarAndTheStudentAndTheRecordSaysWhy() {
        SslRounds.Teacher better = teacher(new int[] {1, 1, 1, 0}, 0.5);
        SslRounds.Teacher worse = teacher(new int[] {1, 1, 0, 0}, 0.5);
        SslRounds.Teacher tiedLowerLoss = teacher(new int[] {1, 1, 1, 0}, 0.4);
        assertThat(new SslFixMatch.Arm(better, 10, 0.5, 1, PAPER).wins(SingleLabel.INSTANCE, 1, worse, worse)).isTrue();
        // a student that trained no epoch
        assertThat(new SslFixMatch.Arm(better, 10, 0.5, 1, PAPER).wins(SingleLabel.INSTANCE, 1, worse, null)).isTrue();
        assertThat(new SslFixMatch.Arm(better, 10, 0.5, 1, PAPER).wins(SingleLabel.INSTANCE, 1, worse, tiedLowerLoss)).isFalse();
        assertThat(new SslFixMatch.Arm(better, 10, 0.5, 1, PAPER).wins(SingleLabel.INSTANCE, 1, tiedLowerLoss, worse)).isFalse();
        // a tie goes to the lower loss
        assertThat(new SslFixMatch.Arm(tiedLowerLoss, 10, 0.5, 1, PAPER).wins(SingleLabel.INSTANCE, 1, better, worse)).isTrue();
        assertThat(new SslFixMatch.Arm(null, 10, Double.NaN, 0, PAPER).wins(SingleLabel.INSTANCE, 1, worse, worse)).isFalse();
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("studentSteps", 1635L);
        round.put("studentScore", 0.7833);
        round.put("supervisedScore", 0.7333);
        new SslFixMatch.Arm(better, 1167, 0.61, 47, PAPER).record(round);
        assertThat(SslFixMatch.chosen(round, 320, 0.75)).contains("320 steps", "0.7500", "FixMatch (1167 steps) scored 0.7500",
                "0.7333 for the teacher continued", "0.7833 for Noisy Student's student (1635 steps");
    }

    @Test
    void aTeacherWhosePseudoLabelsAreRightUnder85PercentIsWeakAndTheDecisionSaysWhyFixMatchIsChosen() {
        // the 1% runs' teachers were 80-82% right, the 10% runs' 91-93%
        assertThat(SslFixMatch.weakTeacher(0.817)).isTrue();
        assertThat(SslFixMatch.weakTeacher(0.849)).isTrue();
        assertThat(SslFixMatch.weakTeacher(SslFixMatch.WEAK_TEACHER)).isFalse();
        assertThat(SslFixMatch.weakTeacher(0.925)).isFalse();
        assertThat(SslFixMatch.weakTeacher(Double.NaN)).as("not measured (multi-label, or no confident image)").isFalse();
        assertThat(SslFixMatch.chosenForWeakTeacher(1280, 0.8, 0.817, 60)).contains("trained 1280 steps", "score 0.8000",
                "81.7% of the validation images (of 60) its confidence puts above the pseudo-label threshold 0.3", "under the 85%",
                "without the first round's race");
    }

    /** A trained model whose validation predictions get these images right (1) or wrong (0), at this mean loss. */
    private static SslRounds.Teacher teacher(int[] right, double loss) {
        int n = right.length;
        float[][] probabilities = new float[n][];
        float[][] targets = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            probabilities[i] = right[i] == 1 ? new float[] {0.9f, 0.1f} : new float[] {0.1f, 0.9f};
            targets[i] = new float[] {1, 0};
        }
        double score = java.util.Arrays.stream(right).average().orElse(0);
        dev.hone.tasks.Predictions p = new dev.hone.tasks.Predictions(probabilities, labels, targets, loss, score);
        return new SslRounds.Teacher(score, p, null, new float[0][]);
    }

    @Test
    void aFixMatchBatchIsAboutThePlansBatchSoAStepCostsAPlainOneAndTheWeakViewsForward() {
        assertThat(SslFixMatch.labeledBatch(64, 7)).isEqualTo(8); // 8 labeled + 56 unlabeled = the plan's 64
        assertThat(SslFixMatch.labeledBatch(16, 7)).isEqualTo(2);
        assertThat(SslFixMatch.labeledBatch(4, 7)).isEqualTo(1); // never empty
        assertThat(SslFixMatch.labeledBatch(64, 3)).isEqualTo(16); // 16 + 48
        assertThat(SslFixMatch.steps(1400, 7)).isEqualTo(1000); // a FixMatch step at mu 7 costs 1.4 plain ones, as measured
        assertThat(SslFixMatch.stepCost(1)).as("fewer weak views to predict").isLessThan(SslFixMatch.stepCost(7));
        // labeled images a second: 1/(1+mu) of the batch, at the step's cost
        assertThat(SslFixMatch.labeledImagesPerSecond(516, 7)).isCloseTo(516 / 8.0 / SslFixMatch.stepCost(7),
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theFinalRunAndItsResumeReadTheChosenSettingsFromTheSslDecision() {
        FixMatchSettings chosen = new FixMatchSettings(3, 0.98f, List.of(), "measured");
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("fixMatch", SslFixMatch.settings(64, chosen));
        Decision<?> ssl = new Decision<>("ssl", "fixmatch", Origin.LEARNED, "test", "why", evidence, java.time.Duration.ZERO);
        FixMatchSettings read = SslFixMatch.of(List.of(ssl));
        assertThat(read.ratio()).isEqualTo(3);
        assertThat(read.threshold()).isEqualTo(0.98f);
        assertThat(SslFixMatch.of(List.of()).ratio()).as("a plan that chose none: the paper's").isEqualTo(7);
        assertThat(SslFixMatch.settings(64, chosen)).containsEntry("labeledBatch", 16);
    }
}
