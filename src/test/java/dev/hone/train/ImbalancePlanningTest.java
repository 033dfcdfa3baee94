package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.models.ModelSpec;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.SigmoidLoss;
import dev.hone.tasks.SingleLabel;
import dev.hone.tasks.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code --imbalance} flag, the fallback before any trial, and the loss the final training gets. */
class ImbalancePlanningTest {
    private static final TrainingPlan PLAN = new TrainingPlan(42, 3, 30, 32, "adamw", 1e-3, 0.05, "warmup-cosine", 0.1, 0.9f, 0, 0,
            List.of(), 1, null);

    private static TrainOptions options(String imbalance) {
        return new TrainOptions("d", null, "resnet9", Path.of("out"), null, null, false, null, null, null, null, null, null, null,
                null, null, null, null, "hone train", false, null, null, null, null, imbalance, null, null, null, null, null, null);
    }

    /** {@code n} images, every {@code every}-th of class 1. */
    private static ImageSet binary(int n, int every) {
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % every == 0 ? 1 : 0;
        }
        return new ImageSet(new byte[n * 4], labels, 1, 2, 2, List.of("ok", "defect"), i -> "#" + i);
    }

    private static TrainingPlan plan(TrainOptions o, Splitting split, Path scratch) {
        return ImbalancePlanning.plan(o, PLAN, ModelSpec.of("resnet9").withWidth(4), new Shape(1, 2, 2), 2, Binary.of(1), split,
                Normalization.of(split.train()), Device.cpu(), scratch, System.nanoTime(), dev.hone.loop.PhaseHooks.NONE);
    }

    private static Decision<?> imbalance(TrainingPlan plan) {
        return plan.decisions().stream().filter(d -> d.name().equals("imbalance")).findFirst().orElseThrow();
    }

    @Test
    void theFlagIsParsedAndAFixedValueIsRecordedAsUserAndTrainedWith(@TempDir Path scratch) {
        CommandLine.ParseResult parsed = new CommandLine(new dev.hone.cli.Main()).parseArgs("train", "--data", "d", "--model",
                "resnet9", "--out", "o", "--imbalance", "focal");
        assertThat(parsed.subcommand().matchedOptionValue("--imbalance", "")).isEqualTo("focal");

        Splitting split = new Splitting(binary(400, 20), binary(100, 20), binary(100, 20), "held-out", List.of(), null);
        TrainingPlan p = plan(options("positive-weight"), split, scratch);
        Decision<?> d = imbalance(p);
        assertThat(d.origin()).isEqualTo(Origin.USER);
        assertThat(d.value()).isEqualTo("positive-weight");
        assertThat(d.rationale()).startsWith("fixed by the user with --imbalance").contains("19 for 'defect'");
        Task trained = ImbalancePlanning.trainingTask(Binary.of(1), p, split.train());
        assertThat(((SigmoidLoss) trained.loss()).positiveWeights()).containsExactly(19f); // 380 negatives / 20 positives
        assertThat(p.totalSteps()).isEqualTo(PLAN.totalSteps());
        assertThat(options("focal").identityFields()).containsEntry("imbalance", "focal");
        assertThat(options("auto").identityFields()).doesNotContainKey("imbalance");
    }

    @Test
    void tooFewValidationPositivesFallBackToTheRuleBeforeAnyTrial(@TempDir Path scratch) {
        // 5% positives, 5 of them in validation: too few to judge, so the rule weights the positives
        Splitting split = new Splitting(binary(400, 20), binary(100, 20), binary(100, 20), "held-out", List.of(), null);
        Decision<?> d = imbalance(plan(options(null), split, scratch));
        assertThat(d.origin()).isEqualTo(Origin.DEFAULT);
        assertThat(d.value()).isEqualTo("positive-weight");
        assertThat(d.rationale()).startsWith("the validation split holds 5 positive labels, fewer than the 10")
                .contains("has 5.0% positives (20 of 400), under 10%");
        // a plan without the decision (saved before it existed) trains with the task as it is
        Task task = Binary.of(1);
        assertThat(ImbalancePlanning.trainingTask(task, PLAN, split.train())).isSameAs(task);
    }

    @Test
    void badValuesAndSingleLabelTasksAreRefusedUpFront() {
        assertThatThrownBy(() -> ImbalancePlanning.validate(options("smote"), Binary.of(1))).isInstanceOf(HoneException.class)
                .hasMessageContaining("unknown class-imbalance handling 'smote'").hasMessageContaining("positive-weight, focal");
        assertThatThrownBy(() -> ImbalancePlanning.validate(options("focal"), SingleLabel.INSTANCE))
                .isInstanceOf(HoneException.class).hasMessageContaining("binary and multi-label tasks only");
        ImbalancePlanning.validate(options("auto"), SingleLabel.INSTANCE);
        ImbalancePlanning.validate(options(null), Binary.of(0));
        assertThat(ImbalancePlanning.plan(options(null), PLAN, ModelSpec.of("resnet9"), new Shape(1, 2, 2), 3, SingleLabel.INSTANCE,
                null, null, Device.cpu(), null, 0, dev.hone.loop.PhaseHooks.NONE)).isSameAs(PLAN);
    }

    /** {@code n} 12x12 images, every fourth of class 1 ("defect": a bright 4x4 spot), the rest plain noise. */
    private static ImageSet spotted(int n) {
        java.util.Random r = new java.util.Random(n);
        byte[] px = new byte[n * 144];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4 == 0 ? 1 : 0;
            for (int p = 0; p < 144; p++) {
                boolean spot = labels[i] == 1 && p / 12 >= 4 && p / 12 < 8 && p % 12 >= 4 && p % 12 < 8;
                px[i * 144 + p] = (byte) ((spot ? 200 : 40) + r.nextInt(30));
            }
        }
        return new ImageSet(px, labels, 1, 12, 12, List.of("ok", "defect"), i -> "#" + i);
    }

    @Test
    void afterItsTrialsTheBudgetIsReplannedForTheWorkAfterTrainingThePacerKeeps(@TempDir Path scratch) {
        // 160 training images (40 positive), 80 validation (20 positive) and 10,000 test images at 30 minutes and 50 images/s:
        // the trials run (20 steps each at batch 4), then the steps are re-planned for the time left
        Splitting split = new Splitting(spotted(160), spotted(80), spotted(10_000), "held-out", List.of(), null);
        Decision<Integer> epochs = new Decision<>("epochs", 6, Origin.LEARNED, "budget plan", "fits",
                Map.of("imagesPerSecond", 50.0), Duration.ZERO);
        TrainingPlan budgeted = new TrainingPlan(42, 6, 240, 4, "adamw", 3e-3, 0.05, "warmup-cosine", 0.1, 0.9f, 0, 1800,
                List.of(epochs), 1, null);
        TrainingPlan p = ImbalancePlanning.plan(options(null), budgeted, ModelSpec.of("resnet9").withWidth(4), new Shape(1, 12, 12),
                2, Binary.of(1), split, Normalization.of(split.train()), Device.cpu(), scratch, System.nanoTime(),
                dev.hone.loop.PhaseHooks.NONE);
        assertThat(imbalance(p).origin()).isEqualTo(Origin.LEARNED);
        Decision<?> replanned = p.decisions().stream().filter(d -> d.name().equals("epochs")).findFirst().orElseThrow();
        double spent = ((Number) replanned.evidence().get("spentSeconds")).doubleValue();
        // what TrainingRun's pacer keeps time for with this plan: its policy's work after training at its recorded speed
        AfterTrainingWork left = AfterTrainingWork.of(p.policy(), p.decisions(), Binary.of(1), true, 160, 4, 80, 10_000, 1800,
                p.measuredImagesPerSecond(), false);
        assertThat(p.measuredImagesPerSecond()).isEqualTo(50.0);
        long expected = BudgetPlanner.plan(1800, spent, 50, 4, 160, 80, left.plannedImages(80, 10_000)).totalSteps();
        assertThat(p.totalSteps()).isBetween(expected - 1, expected + 1);
    }
}
