package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.unlabeled.UnlabeledImages;
import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.ssl.FixMatchSettings;
import dev.hone.ssl.PseudoLabelSelection;
import dev.hone.tasks.SingleLabel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The final runs semi-supervised planning ends with plan their budgeted steps for the work after training that
 * TrainingRun's pacer keeps time for: their policy's final choices, the guard-rail's pass over validation when a teacher
 * is judged against the final model, and the test pass, at a plain step's speed.
 */
class SslFinalRunsTest {
    private static final int TRAIN = 5400;
    private static final int VALIDATION = 6000;
    private static final int TEST = 10_000;
    private static final double BUDGET = 1800;
    private static final double IMAGES_PER_SECOND = 400;

    @TempDir
    Path work;

    private static ImageSet images(int n) {
        return new ImageSet(new byte[n], new int[n], 1, 1, 1, List.of("a", "b"), i -> "img" + i);
    }

    private static final Splitting SPLIT = new Splitting(images(TRAIN), images(VALIDATION), images(TEST), "test", List.of(), null);

    /** 30 minutes at 400 images/s, batch 64, as the learners and the regularization search left it. */
    private static TrainingPlan plan() {
        Decision<Integer> epochs = new Decision<>("epochs", 1000, Origin.LEARNED, "budget plan", "fits",
                Map.of("imagesPerSecond", IMAGES_PER_SECOND), Duration.ZERO);
        return new TrainingPlan(42, 1000, 9000, 64, "adamw", 3e-3, 0.05, "one-cycle", 0.1, 0.9f, 0, BUDGET, List.of(epochs), 1,
                null);
    }

    /** {@code n} distinct 1x1 grey unlabeled images, read as a run reads {@code --unlabeled}. */
    private UnlabeledSet unlabeled(int n) throws IOException {
        Path dir = Files.createDirectories(work.resolve("unlabeled"));
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_GRAY);
            img.getRaster().setSample(0, 0, 0, 10 * i);
            ImageIO.write(img, "png", dir.resolve(i + ".png").toFile());
        }
        return UnlabeledImages.read(dir, new ImageFormat(1, 1, 1), List.of());
    }

    private SslFinalRuns.Setting setting() throws IOException {
        TrainingPlan plan = plan();
        long now = System.nanoTime();
        return new SslFinalRuns.Setting(plan, new ArrayList<>(plan.decisions()), SingleLabel.INSTANCE, SPLIT, unlabeled(20), 300,
                work, now, now, true);
    }

    private static SslRounds.Teacher teacher() {
        return new SslRounds.Teacher(0.8, null, null, new float[][] {{1f, 2f}, {3f}});
    }

    /** Three pseudo-labeled images and a student set of 30,000 images (labeled copies and pseudo-labels). */
    private static SslRounds.Labels labels() {
        PseudoLabelSelection s = new PseudoLabelSelection(new int[] {0, 1, 2}, new float[][] {{0.9f, 0.1f}, {0.2f, 0.8f},
                {0.95f, 0.05f}}, new int[] {0, 1, 0}, new int[] {2, 1}, new int[] {2, 1}, new int[] {2, 1}, 2, new int[10], 0.3,
                true);
        return new SslRounds.Labels(s, 5, images(30_000), 0.9, null);
    }

    /**
     * The steps TrainingRun plans {@code r}'s final run for, built as TrainingRun builds its pacer's work after training:
     * the final set (the student's, else the labeled images), the plan's policy and decisions, a plain step's speed
     * (FixMatch's plan records its labeled images a second), and the guard-rail's pass when a teacher is kept.
     */
    private static long pacersSteps(SslPlanning.Result r) {
        TrainingPlan plan = r.plan();
        int train = r.studentSet() != null ? r.studentSet().size() : TRAIN;
        int mu = r.unlabeledPool() != null ? SslFixMatch.of(plan.decisions()).ratio() : 0;
        double ips = plan.measuredImagesPerSecond();
        double plain = SslFixMatch.plainImagesPerSecond(ips, mu);
        AfterTrainingWork after = AfterTrainingWork.of(plan.policy(), plan.decisions(), SingleLabel.INSTANCE, true, train,
                plan.batchSize(), VALIDATION, TEST, plan.budgetSeconds(), plain, r.teacher() != null);
        // the pacer's seconds after training at the plain speed, as the images that take as long at the plan's speed
        long images = (long) Math.ceil(after.plannedImages(VALIDATION, TEST) * ips / plain);
        Decision<?> epochs = plan.decisions().stream().filter(d -> d.name().equals("epochs")).findFirst().orElseThrow();
        double spent = ((Number) epochs.evidence().get("spentSeconds")).doubleValue();
        return BudgetPlanner.plan(plan.budgetSeconds(), spent, ips, plan.effectiveBatch(), train, VALIDATION, images).totalSteps();
    }

    @Test
    void theNoisyStudentIsPlannedForItsNoiseItsLargerSetAndTheGuardRailsPass() throws IOException {
        // a student chosen after the rounds: it trains with noise on 30,000 images and is judged against its teacher
        RegularizationPolicy noisy = SslPlanning.studentPolicy(RegularizationPolicy.NONE, true, true);
        SslPlanning.Result r = SslFinalRuns.noisyStudent(setting(), teacher(), null, null, labels(), List.of(), noisy);
        assertThat(r.studentSet().size()).isEqualTo(30_000);
        assertThat(r.teacher()).isNotNull();
        assertThat(r.plan().policy()).isEqualTo(noisy);
        assertThat(r.plan().measuredImagesPerSecond()).isEqualTo(IMAGES_PER_SECOND);
        long expected = pacersSteps(r);
        assertThat(r.plan().totalSteps()).isBetween(expected - 1, expected + 1);
    }

    @Test
    void fixMatchIsPlannedInLabeledImagesForTheWorkAfterTrainingAtAPlainStepsSpeed() throws IOException {
        // --ssl fixmatch from the teacher: its steps train mu unlabeled images per labeled one, at the paper's settings
        FixMatchSettings paper = FixMatchSettings.paper();
        SslPlanning.Result r = SslFinalRuns.fixMatch(setting(), teacher(), null, null, List.of(), 0, paper);
        assertThat(r.unlabeledPool()).isNotNull();
        assertThat(r.teacher()).isNotNull();
        assertThat(SslFixMatch.of(r.plan().decisions()).ratio()).isEqualTo(paper.ratio()).isPositive();
        assertThat(r.plan().batchSize()).isEqualTo(SslFixMatch.labeledBatch(64, paper.ratio()));
        assertThat(r.plan().measuredImagesPerSecond())
                .isCloseTo(SslFixMatch.labeledImagesPerSecond(IMAGES_PER_SECOND, paper.ratio()), within(1e-9));
        long expected = pacersSteps(r);
        assertThat(r.plan().totalSteps()).isBetween(expected - 1, expected + 1);
    }

    @Test
    void theTeachersContinuationIsPlannedForTheGuardRailsPassToo() throws IOException {
        // no round fitted: the teacher continues on the labeled images alone and is judged against itself after training
        SslPlanning.Result r = SslFinalRuns.continuation(setting(), teacher(), null, labels(), List.of(), "auto");
        assertThat(r.studentSet()).isNull();
        assertThat(r.teacher()).isNotNull();
        long expected = pacersSteps(r);
        assertThat(r.plan().totalSteps()).isBetween(expected - 1, expected + 1);
    }

    @Test
    void theSupervisedPlanAfterSemiSupervisedLearningKeepsNoTimeForAGuardRail() throws IOException {
        // the teacher trained no epoch: the plan for the labeled images alone, with no teacher to judge against
        SslPlanning.Result r = new SslPlanning.Result(setting().supervised());
        assertThat(r.teacher()).isNull();
        long expected = pacersSteps(r);
        assertThat(r.plan().totalSteps()).isBetween(expected - 1, expected + 1);
    }
}
