package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hone.augment.AugmentationPolicy;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import java.util.List;
import java.util.Map;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.SingleLabel;
import dev.hone.tasks.metrics.MultiLabelMetrics;
import org.junit.jupiter.api.Test;

/** The SSL learner's pure parts: the student's noise and the teacher's pseudo-label accuracy on validation. */
class SslPlanningTest {
    @Test
    void aStudentWithoutNoiseGetsTheRandAugmentAnalogueAndDropout() {
        RegularizationPolicy p = SslPlanning.studentPolicy(RegularizationPolicy.NONE, true, false);
        assertThat(p.augmentation().steps()).extracting(AugmentationPolicy.Step::transform)
                .containsExactly("translate", "zoom", "rotate", "erase");
        assertThat(p.augmentation().steps()).allSatisfy(s -> assertThat(s.magnitude()).isEqualTo(0.5));
        assertThat(p.augmentationsPerBatch()).isEqualTo(2);
        assertThat(p.dropout()).isEqualTo(dev.hone.metalearn.regularization.SmallDataPrior.DROPOUT);
        assertThat(p.stochasticDepth()).isZero();
        assertThat(SslPlanning.studentPolicy(RegularizationPolicy.NONE, false, false).dropout()).isZero();
    }

    @Test
    void aTeacherWithNoiseMayTrainFourTimesAsManyEpochs() {
        assertThat(SslRounds.teacherMaxEpochs(RegularizationPolicy.NONE)).isEqualTo(40);
        assertThat(SslRounds.teacherMaxEpochs(SslPlanning.studentPolicy(RegularizationPolicy.NONE, true, true))).isEqualTo(160);
    }

    @Test
    void aStudentKeepsThePlansOwnAugmentation() {
        RegularizationPolicy augmented = RegularizationPolicy.NONE.withAugmentation(
                new AugmentationPolicy(List.of(new AugmentationPolicy.Step("flip-horizontal", 1))), 0);
        assertThat(SslPlanning.studentPolicy(augmented, true, false)).isEqualTo(augmented);
    }

    @Test
    void aStudentWithResidualBlocksGetsNoisyStudentsStochasticDepth() {
        RegularizationPolicy augmented = RegularizationPolicy.NONE.withAugmentation(
                new AugmentationPolicy(List.of(new AugmentationPolicy.Step("flip-horizontal", 1))), 0);
        assertThat(SslPlanning.studentPolicy(augmented, true, true))
                .isEqualTo(augmented.withStochasticDepth(0.2));
        assertThat(SslPlanning.studentPolicy(RegularizationPolicy.NONE, true, true).stochasticDepth()).isEqualTo(0.2);
        // a policy that already drops blocks keeps its own rate
        assertThat(SslPlanning.studentPolicy(augmented.withStochasticDepth(0.1), true, true).stochasticDepth()).isEqualTo(0.1);
    }

    private static TrainingPlan plan(double budgetSeconds, double imagesPerSecond) {
        var epochs = new dev.hone.record.Decision<>("epochs", 3, dev.hone.record.Origin.LEARNED, "budget plan", "why",
                java.util.Map.of("imagesPerSecond", imagesPerSecond), java.time.Duration.ZERO);
        return new TrainingPlan(42, 3, 400, 64, "adamw", 3e-3, 0.05, "warmup-cosine", 0.1, 0.99f, 0, budgetSeconds,
                List.of(epochs), 1, null);
    }

    @Test
    void aRoundWithoutItsFixMatchArmSaysWhy() {
        Map<String, Object> round = new java.util.LinkedHashMap<>(Map.of("round", 1, "studentSteps", 40, "studentScore", 0.5,
                "teacherScore", 0.4, "promoted", true));
        round.put("fixMatchNotRaced", "FixMatch was not raced: a third of the round's time fits 12 FixMatch steps, fewer than"
                + " the 30 a trial needs");
        assertThat(SslRounds.describe(List.of(round))).contains("became the next teacher (FixMatch was not raced: a third");
    }

    @Test
    void theTeachersPacingDeadlineIsTheTimeItsStepsWerePlannedFor() {
        // 300 steps of 64 images at 150 images/s (128 s), then 6,000 validation and 54,000 unlabeled images at 450/s (133 s)
        assertThat(PhasePacing.seconds(300, 1, plan(1800, 150), 60_000)).isCloseTo(128 + 133.33, within(0.01));
        assertThat(PhasePacing.seconds(300, 1, plan(1800, 150), 6_000)).isCloseTo(128 + 13.33, within(0.01));
        // a FixMatch arm's steps cost 1.34 plain steps at mu 3
        assertThat(PhasePacing.seconds(300, 1.34, plan(1800, 150), 0)).isCloseTo(171.52, within(0.01));
    }

    @Test
    void aPhaseResumedAfterAKillIsPacedIntoTheShareOfItsStepsLeft() {
        // 141.33 s planned, 13.33 of them after the last step: resumed at step 150 of 300, half the steps' 128 s is left
        assertThat(PhasePacing.resumedSeconds(141.33, 13.33, 300, 150)).isCloseTo(64 + 13.33, within(0.01));
        assertThat(PhasePacing.resumedSeconds(141.33, 13.33, 300, 0)).isCloseTo(141.33, within(0.01));
        assertThat(PhasePacing.resumedSeconds(141.33, 13.33, 300, 400)).isCloseTo(13.33, within(0.01));
        // the pacer is made at the first epoch's start, where a resumed loop stands at its first step left
        long[] from = {-1};
        PhasePacing.FromFirstStep pacing = new PhasePacing.FromFirstStep(start -> {
            from[0] = start;
            return new dev.hone.optimize.BudgetPacer(System::nanoTime, System.nanoTime() + 1_000_000_000L,
                    java.time.Duration.ofSeconds(1), new dev.hone.optimize.BudgetPacer.AfterTraining(0, 0, 0, 0), 64);
        });
        dev.hone.core.TrainingState state = new dev.hone.core.TrainingState(4, 10, 40, 0.1);
        assertThat(pacing.matches(dev.hone.core.Event.FIT_START, state.view())).isFalse();
        state.startEpoch(3); // the loop resumed after epoch 2
        assertThat(pacing.matches(dev.hone.core.Event.EPOCH_START, state.view())).isTrue();
        pacing.apply(dev.hone.core.Event.EPOCH_START, state);
        assertThat(from[0]).isEqualTo(20);
        assertThat(pacing.matches(dev.hone.core.Event.EPOCH_START, state.view())).as("made once").isFalse();
        assertThat(pacing.matches(dev.hone.core.Event.BATCH_END, state.view())).isTrue();
    }

    @Test
    void aRoundsArmsShareItsPartOfTheTimeLeftOrThereIsNoRound() {
        // 1,000 s left, 60,000 images to label at a third of 150 images/s (133 s): 0.4 x 867 s x 150 / 64 = 812 steps
        assertThat(SslRounds.steps(plan(1800, 150), 1000, 60_000, 77_000, 1)).isEqualTo(812);
        // the first round shares its time with the supervised arm: 406 steps each, under half an epoch of 77,000 images
        // (602), so no first round; over 20,000 images (half an epoch: 157 steps) there is one
        assertThat(SslRounds.steps(plan(1800, 150), 1000, 60_000, 77_000, 2)).isZero();
        assertThat(SslRounds.steps(plan(1800, 150), 1000, 60_000, 20_000, 2)).isEqualTo(406);
        // 400 s left: 0.4 x 267 s x 150 / 64 = 250 steps, under half an epoch of 77,000 images (602): no round
        assertThat(SslRounds.steps(plan(1800, 150), 400, 60_000, 77_000, 1)).isZero();
        // without a budget, a quarter of the planned steps per arm, when that is half an epoch or more
        assertThat(SslRounds.steps(plan(0, 0), 0, 60_000, 3_000, 1)).isEqualTo(100);
        assertThat(SslRounds.steps(plan(0, 0), 0, 60_000, 3_000, 2)).isEqualTo(100);
        assertThat(SslRounds.steps(plan(0, 0), 0, 60_000, 77_000, 1)).isZero();
    }

    @Test
    void pseudoLabelAccuracyCountsOnlyImagesAboveTheThreshold() {
        float[][] p = {{0.9f, 0.1f}, {0.2f, 0.8f}, {0.55f, 0.45f}, {0.6f, 0.4f}};
        int[] labels = {0, 0, 1, 0};
        // above 0.58: rows 0, 1 and 3; rows 0 and 3 are right
        assertThat(SslRounds.pseudoLabelAccuracy(p, labels, 0.58)).isEqualTo(2.0 / 3);
        assertThat(SslRounds.pseudoLabelAccuracy(p, labels, 0.95)).isNaN();
    }

    @Test
    void theMultiLabelPseudoLabelAccuracyIsSubsetAccuracyAtTheThresholds() {
        // SslRounds.Labeler reports MultiLabelMetrics' subset accuracy: images whose whole label set is right
        float[][] p = {{0.9f, 0.1f}, {0.6f, 0.7f}, {0.3f, 0.2f}};
        boolean[][] truth = {{true, false}, {true, false}, {false, false}};
        // at (0.5, 0.5): image 1 also predicts class 1; at (0.5, 0.75) all three sets are right
        assertThat(MultiLabelMetrics.evaluate(p, truth, new double[] {0.5, 0.5}).subsetAccuracy()).isEqualTo(2.0 / 3);
        assertThat(MultiLabelMetrics.evaluate(p, truth, new double[] {0.5, 0.75}).subsetAccuracy()).isEqualTo(1.0);
        assertThat(MultiLabelMetrics.evaluate(new float[0][], new boolean[0][], new double[] {0.5}).subsetAccuracy()).isZero();
    }

    @Test
    void aChallengerBeatsWithAHigherScoreOrAnEqualScoreAndALowerLoss() {
        assertThat(beats(scored(0.80, 0.9), scored(0.75, 0.5))).isTrue();
        assertThat(beats(scored(0.70, 0.1), scored(0.75, 0.5))).isFalse();
        // 45 of 60 validation images right, both: the lower validation loss decides
        assertThat(beats(scored(0.75, 0.4), scored(0.75, 0.5))).isTrue();
        assertThat(beats(scored(0.75, 0.6), scored(0.75, 0.5))).isFalse();
        assertThat(beats(scored(0.75, 0.5), scored(0.75, 0.5))).as("a full tie keeps the incumbent").isFalse();
        assertThat(SslGuardRail.compare(scored(0.80, 0.9), scored(0.75, 0.5), SingleLabel.INSTANCE, 1).rule()).isEqualTo("higher score");
    }

    @Test
    void aChallengerOneImageBehindWinsOnASignificantlyLowerCalibratedLossButNotOnConfidenceAlone() {
        // 60 validation images of class 0 among 3. The incumbent, over-confident, gets 48 right and ranks the true class last
        // on its 12 errors; the challenger gets 47 right and ranks the true class second on its 13 errors
        int n = 60;
        int[] y = new int[n];
        float[][] timid = new float[n][];
        float[][] incumbent = new float[n][];
        float[][] challenger = new float[n][];
        for (int i = 0; i < n; i++) {
            timid[i] = i < 48 ? new float[] {0.6f, 0.3f, 0.1f} : new float[] {0.1f, 0.6f, 0.3f};
            incumbent[i] = squared(timid[i]);
            challenger[i] = i < 47 ? new float[] {0.6f, 0.3f, 0.1f} : new float[] {0.35f, 0.45f, 0.2f};
        }
        Predictions inc = withScore(incumbent, y);
        Predictions ch = withScore(challenger, y);
        SslGuardRail.Verdict v = SslGuardRail.compare(ch, inc, SingleLabel.INSTANCE, 1);
        assertThat(ch.score()).isLessThan(inc.score());
        assertThat(v.beats()).as(v.describe()).isTrue();
        assertThat(v.rule()).isEqualTo("lower calibrated loss");
        assertThat(v.calibratedLoss().significant()).isTrue();
        assertThat(v.scoreLower()).isFalse();
        assertThat(v.evidence()).containsEntry("beats", true).containsKeys("calibratedLossGain", "calibratedLossPValue");
        // the incumbent's predictions, only less confident (the square roots of its rows): a lower raw loss, the same
        // calibrated one. With the same score the raw loss still decides the tie, as before
        assertThat(rawLoss(timid, y)).isLessThan(rawLoss(incumbent, y));
        assertThat(SslGuardRail.compare(withScore(timid, y), inc, SingleLabel.INSTANCE, 1).rule()).isEqualTo("equal score, lower loss");
        // one image behind with the same ranking otherwise: being less confident does not win
        float[][] behind = timid.clone();
        behind[0] = new float[] {0.1f, 0.6f, 0.3f};
        SslGuardRail.Verdict timidBehind = SslGuardRail.compare(withScore(behind, y), inc, SingleLabel.INSTANCE, 1);
        assertThat(timidBehind.beats()).as(timidBehind.describe()).isFalse();
        assertThat(timidBehind.calibratedLoss().gain()).isNegative();
        // twelve images behind: the score is significantly lower, whatever the calibrated loss
        float[][] worse = challenger.clone();
        for (int i = 20; i < 32; i++) {
            worse[i] = new float[] {0.34f, 0.36f, 0.3f};
        }
        SslGuardRail.Verdict lower = SslGuardRail.compare(withScore(worse, y), inc, SingleLabel.INSTANCE, 1);
        assertThat(lower.scoreLower()).isTrue();
        assertThat(lower.beats()).isFalse();
    }

    @Test
    void aFirstRoundStudentIsNotWorseUnlessItsScoreOrCalibratedLossIsSignificantlyWorse() {
        // 60 class-0 images among 3 classes; the incumbent gets 48 right and ranks the true class second on its errors
        int n = 60;
        int[] y = new int[n];
        float[][] incumbent = new float[n][];
        for (int i = 0; i < n; i++) {
            incumbent[i] = i < 48 ? new float[] {0.6f, 0.3f, 0.1f} : new float[] {0.35f, 0.45f, 0.2f};
        }
        Predictions inc = withScore(incumbent, y);
        // one image behind, the same ranking otherwise: a tie within the noise, so not worse (and not a win)
        float[][] oneBehind = incumbent.clone();
        oneBehind[0] = new float[] {0.35f, 0.45f, 0.2f};
        assertThat(notWorse(withScore(oneBehind, y), inc)).isTrue();
        assertThat(beats(withScore(oneBehind, y), inc)).isFalse();
        // twelve images behind: the score is significantly lower
        float[][] behind = incumbent.clone();
        for (int i = 0; i < 12; i++) {
            behind[i] = new float[] {0.35f, 0.45f, 0.2f};
        }
        assertThat(notWorse(withScore(behind, y), inc)).isFalse();
        // the same score, but the true class ranked last on every error: a significantly higher calibrated loss
        float[][] ranksLast = incumbent.clone();
        for (int i = 48; i < n; i++) {
            ranksLast[i] = new float[] {0.01f, 0.98f, 0.01f};
        }
        assertThat(withScore(ranksLast, y).score()).isEqualTo(inc.score());
        assertThat(notWorse(withScore(ranksLast, y), inc)).isFalse();
        // better on both counts is not worse either
        assertThat(notWorse(inc, withScore(behind, y))).isTrue();
    }

    private static boolean notWorse(Predictions challenger, Predictions incumbent) {
        return SslGuardRail.notWorse(challenger, incumbent, SingleLabel.INSTANCE, 1);
    }

    /** A row's probabilities squared and renormalised: the same ranking, twice the logits. */
    private static float[] squared(float[] row) {
        double sum = 0;
        for (float p : row) {
            sum += p * p;
        }
        float[] out = new float[row.length];
        for (int k = 0; k < row.length; k++) {
            out[k] = (float) (row[k] * row[k] / sum);
        }
        return out;
    }

    private static boolean beats(Predictions challenger, Predictions incumbent) {
        return SslGuardRail.beats(challenger, incumbent, SingleLabel.INSTANCE, 1);
    }

    /** Predictions of class-0 images with their accuracy as the score and their raw mean loss. */
    private static Predictions withScore(float[][] p, int[] y) {
        float[][] t = new float[p.length][3];
        int right = 0;
        for (int i = 0; i < p.length; i++) {
            t[i][y[i]] = 1;
            right += Predictions.argMax(p[i]) == y[i] ? 1 : 0;
        }
        return new Predictions(p, y, t, rawLoss(p, y), (double) right / p.length);
    }

    private static double rawLoss(float[][] p, int[] y) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            s -= Math.log(p[i][y[i]]);
        }
        return s / p.length;
    }

    private static Predictions scored(double score, double meanLoss) {
        return new Predictions(new float[][] {{1f}}, new int[] {0}, new float[][] {{1f}}, meanLoss, score);
    }

    @Test
    void unlabeledImagesTooFewToUseLeaveThePlainRunPlannedWithoutTheGuardRailsPass(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path work) throws java.io.IOException {
        // W1's split at 30 minutes with --regularization none and 3 unlabeled images beside 54,000 labeled ones: --ssl auto
        // does not use them, and 1x1 images stay at full size, so the plain run trains the plan made before SSL
        TrainOptions o = new TrainOptions("d", null, "resnet9", java.nio.file.Path.of("out"), null, null, false, null, null, null,
                null, null, null, null, "30m", null, "none", null, "hone train", false, null, null, null, null, null, null, null,
                "u", null, null, null);
        Splitting split = new Splitting(images(54_000), images(6_000), images(10_000), "test", List.of(), null);
        var epochs = new dev.hone.record.Decision<>("epochs", 24, dev.hone.record.Origin.LEARNED, "budget plan", "fits",
                Map.of("imagesPerSecond", 380.0), java.time.Duration.ZERO);
        TrainingPlan learners = new TrainingPlan(1, 24, 20_000, 64, "adamw", 1e-2, 0.05, "one-cycle", 0.1, 0.9f, 0, 1800,
                List.of(epochs), 1, null);
        ai.djl.ndarray.types.Shape input = new ai.djl.ndarray.types.Shape(1, 1, 1);
        long start = System.nanoTime();
        TrainingPlan before = RegularizationPlanning.plan(o, learners, null, null, 2, SingleLabel.INSTANCE, split, null, null, null,
                start, null);
        before = ResizingPlanning.plan(o, before, input, 1, SingleLabel.INSTANCE, split, start);
        SslPlanning.Result ssl = SslPlanning.plan(o, before, dev.hone.models.ModelSpec.parse("resnet9"), input, 2,
                SingleLabel.INSTANCE, split, null, null, null, unlabeled(work, 3), work, start, dev.hone.loop.PhaseHooks.NONE);
        assertThat(ssl.keptNothing()).isTrue();
        TrainingPlan plain = ResizingPlanning.forPlainRun(o, ssl.plan(), input, 1, SingleLabel.INSTANCE, split, start);
        assertThat(ResizingPlanning.technique(plain, 1, 1)).isNull();
        var planned = plain.decisions().stream().filter(d -> d.name().equals("epochs")).findFirst().orElseThrow();
        double spent = ((Number) planned.evidence().get("spentSeconds")).doubleValue();
        // what TrainingRun's pacer keeps time for: no teacher is judged against the final model (ssl.teacher() is null)
        AfterTrainingWork left = AfterTrainingWork.of(plain.policy(), plain.decisions(), SingleLabel.INSTANCE, true, 54_000, 64,
                6_000, 10_000, 1800, plain.measuredImagesPerSecond(), ssl.teacher() != null);
        long expected = dev.hone.metalearn.budget.BudgetPlanner.plan(1800, spent, 380, 64, 54_000, 6_000,
                left.plannedImages(6_000, 10_000)).totalSteps();
        assertThat(plain.totalSteps()).isBetween(expected - 1, expected + 1);
    }

    private static dev.hone.data.ImageSet images(int n) {
        return new dev.hone.data.ImageSet(new byte[n], new int[n], 1, 1, 1, List.of("a", "b"), i -> "img" + i);
    }

    /** {@code n} distinct 1x1 grey unlabeled images, read as a run reads {@code --unlabeled}. */
    private static dev.hone.data.unlabeled.UnlabeledSet unlabeled(java.nio.file.Path work, int n) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(work.resolve("unlabeled"));
        for (int i = 0; i < n; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(1, 1, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setSample(0, 0, 0, 10 * i);
            javax.imageio.ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
        }
        return dev.hone.data.unlabeled.UnlabeledImages.read(dir, new dev.hone.data.ImageFormat(1, 1, 1), List.of());
    }
}
