package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.optimize.ProgressiveResizing;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Detection;
import dev.hone.tasks.SingleLabel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When progressive resizing goes on, and the first reason it stays off. */
class ResizingPlanningTest {
    /** A 10-minute plan whose budget decision measured 600 images/s. */
    private static final TrainingPlan BUDGETED = plan(600);

    private static TrainingPlan plan(double budgetSeconds) {
        Decision<Integer> epochs = new Decision<>("epochs", 10, Origin.LEARNED, "budget plan", "fits",
                Map.of("imagesPerSecond", 594.0), Duration.ZERO);
        return new TrainingPlan(42, 10, 8000, 64, "adamw", 1e-2, 0.05, "one-cycle", 0.1, 0.9f, 0, budgetSeconds,
                List.of(epochs), 1, null);
    }

    private static TrainOptions options(String resizing, String unlabeled) {
        return new TrainOptions("d", null, "resnet9", Path.of("out"), null, null, false, null, null, null, null, null, null, null,
                "10m", null, null, null, "hone train", false, null, null, null, null, null, null, null, unlabeled, null, null, resizing);
    }

    private static dev.hone.data.ImageSet images(int n) {
        return new dev.hone.data.ImageSet(new byte[n], new int[n], 1, 1, 1, List.of("a", "b"), i -> "img" + i);
    }

    private static ProgressiveResizing of(int side) {
        return new ProgressiveResizing(side, side);
    }

    @Test
    void onForABudgetedRunOfImagesLargeEnough() {
        assertThat(ResizingPlanning.reasonOff(options(null, null), BUDGETED, SingleLabel.INSTANCE, of(28))).isEmpty();
        assertThat(ResizingPlanning.reasonOff(options("auto", null), BUDGETED, SingleLabel.INSTANCE, of(224))).isEmpty();
        // segmentation's masks are downscaled with the images; detection stays off on a measurement
        assertThat(ResizingPlanning.reasonOff(options(null, null), BUDGETED, dev.hone.tasks.Segmentation.plain(), of(64))).isEmpty();
        assertThat(ResizingPlanning.reasonOff(options(null, null), BUDGETED, Detection.INSTANCE, of(64))).hasValueSatisfying(
                r -> assertThat(r).startsWith("a detection task: on 64x64 scenes one 5-minute pair lost"));
    }

    @Test
    void offNamesTheFirstReason() {
        assertThat(ResizingPlanning.reasonOff(options("off", null), BUDGETED, SingleLabel.INSTANCE, of(28))).hasValueSatisfying(
                r -> assertThat(r).contains("--progressive-resizing off"));
        assertThat(ResizingPlanning.reasonOff(options(null, null), plan(0), SingleLabel.INSTANCE, of(28))).hasValueSatisfying(
                r -> assertThat(r).startsWith("no --budget"));
        assertThat(ResizingPlanning.reasonOff(options(null, "u"), BUDGETED, SingleLabel.INSTANCE, of(28))).hasValueSatisfying(
                r -> assertThat(r).contains("semi-supervised"));
        // a budget that buys a handful of steps trains them all at full size (a review's 1-minute run of photos: 1 step)
        TrainingPlan few = new TrainingPlan(42, 1, 30, 64, "adamw", 1e-2, 0.05, "one-cycle", 0.1, 0.9f, 0, 600,
                BUDGETED.decisions(), 1, null);
        assertThat(ResizingPlanning.reasonOff(options(null, null), few, SingleLabel.INSTANCE, of(28))).hasValueSatisfying(
                r -> assertThat(r).startsWith("the budget buys only 30 steps at full size (fewer than 50)"));
        // a budget that already passes over the images 500 times or more: 1% of Fashion-MNIST's labels at 30 minutes
        TrainingPlan many = new TrainingPlan(42, 1185, 18955, 32, "adamw", 1e-2, 0.05, "one-cycle", 0.1, 0.9f, 0, 1800,
                BUDGETED.decisions(), 1, null);
        assertThat(ResizingPlanning.reasonOff(options(null, null), many, SingleLabel.INSTANCE, of(28))).hasValueSatisfying(
                r -> assertThat(r).startsWith("the budget already buys 1185 passes over the training images at full size"));
        TrainingPlan fewer = new TrainingPlan(42, 499, 499 * 16, 32, "adamw", 1e-2, 0.05, "one-cycle", 0.1, 0.9f, 0, 1800,
                BUDGETED.decisions(), 1, null);
        assertThat(ResizingPlanning.reasonOff(options(null, null), fewer, SingleLabel.INSTANCE, of(28))).isEmpty();
        // 24 pixels would train at 12x12
        assertThat(ResizingPlanning.reasonOff(options(null, null), BUDGETED, SingleLabel.INSTANCE, of(24))).hasValue(
                "the images would be 12x12 (width x height) downscaled, under 16 pixels a side");
    }

    @Test
    void onItReplansTheStepsByTheirMeanCostAndRecordsBoth() {
        TrainingPlan on = ResizingPlanning.plan(options(null, null), BUDGETED, new ai.djl.ndarray.types.Shape(1, 28, 28), 1,
                SingleLabel.INSTANCE, new Splitting(images(54000), images(6000), images(10000), "test", List.of(), null),
                System.nanoTime());
        assertThat(ResizingPlanning.technique(on, 28, 28)).isNotNull();
        assertThat(on.totalSteps()).isGreaterThan(BUDGETED.totalSteps());
        assertThat(on.decisions()).filteredOn(d -> d.name().equals("epochs")).singleElement()
                .satisfies(d -> assertThat(d.evidence()).containsKey("meanStepCost"));
        assertThat(ResizingPlanning.technique(on, 28, 28).height(0)).isEqualTo(16);
        assertThat(ResizingPlanning.technique(BUDGETED, 28, 28)).isNull();
    }

    /**
     * A network that pads its input to a multiple of 32 (a ResNet encoder's U-Net) trains at sides it does not
     * pad: 64x64 images at 32x32, then at full size, never at 36 to 60 pixels, which would cost a full step each; the
     * technique the run builds moves by the increment the decision recorded.
     */
    @Test
    void sidesMoveByTheNetworksSideMultiple() {
        Splitting split = new Splitting(images(20000), images(500), images(4000), "test", List.of(), null);
        TrainingPlan on = ResizingPlanning.plan(options(null, null), BUDGETED, new ai.djl.ndarray.types.Shape(1, 64, 64), 32,
                dev.hone.tasks.Segmentation.plain(), split, System.nanoTime());
        assertThat(on.decisions()).filteredOn(d -> d.name().equals(ResizingPlanning.NAME)).singleElement()
                .satisfies(d -> assertThat(d.rationale()).contains("a budgeted segmentation run"))
                .satisfies(d -> assertThat(d.evidence()).containsEntry("increment", 32));
        ProgressiveResizing r = ResizingPlanning.technique(on, 64, 64);
        for (double f = 0; f <= 1; f += 0.01) {
            assertThat(r.height(f)).isIn(32, 64);
        }
        assertThat(r.height(0.6)).isEqualTo(32);
        assertThat(r.height(0.7)).isEqualTo(64);
        // a U-Net's multiple of 8 at 64 pixels: 32, 40, 48, 56, 64
        assertThat(new ProgressiveResizing(64, 64, 8).height(0.6)).isEqualTo(40);
        assertThat(new ProgressiveResizing(64, 64, 1).height(0.6)).isEqualTo(44);
    }

    @Test
    void aPlainRunAfterSemiSupervisedLearningChoseNoneIsDecidedAgain() {
        TrainOptions o = options(null, "u");
        Splitting split = new Splitting(images(54000), images(6000), images(10000), "test", List.of(), null);
        ai.djl.ndarray.types.Shape input = new ai.djl.ndarray.types.Shape(1, 28, 28);
        TrainingPlan off = ResizingPlanning.plan(o, BUDGETED, input, 1, SingleLabel.INSTANCE, split, System.nanoTime());
        assertThat(ResizingPlanning.technique(off, 28, 28)).isNull();
        TrainingPlan plain = ResizingPlanning.forPlainRun(o, off, input, 1, SingleLabel.INSTANCE, split, System.nanoTime());
        assertThat(ResizingPlanning.technique(plain, 28, 28)).isNotNull();
        assertThat(plain.decisions()).filteredOn(d -> d.name().equals(ResizingPlanning.NAME)).hasSize(1);
        assertThat(plain.totalSteps()).isGreaterThan(BUDGETED.totalSteps());
    }

    @Test
    void anUnknownFlagValueIsRefusedWithTheChoices() {
        ResizingPlanning.validate(null);
        ResizingPlanning.validate("off");
        assertThatThrownBy(() -> ResizingPlanning.validate("on")).isInstanceOf(HoneException.class)
                .hasMessageContaining("auto").hasMessageContaining("off");
    }

    @Test
    void onItPlansForTheWorkAfterTrainingThePacerKeepsForThePlansPolicy() {
        // W1's split at 10 minutes with a policy that fixes EMA and test-time flips (two test views, an average to recalibrate)
        dev.hone.metalearn.regularization.RegularizationPolicy policy =
                dev.hone.metalearn.regularization.RegularizationPolicy.NONE.withEvaluation("ema", true);
        TrainingPlan planned = BUDGETED.with(policy, BUDGETED.decisions(), BUDGETED.epochs(), BUDGETED.totalSteps());
        Splitting split = new Splitting(images(54000), images(6000), images(10000), "test", List.of(), null);
        TrainingPlan on = ResizingPlanning.plan(options(null, null), planned, new ai.djl.ndarray.types.Shape(1, 28, 28), 1,
                SingleLabel.INSTANCE, split, System.nanoTime());
        assertThat(ResizingPlanning.technique(on, 28, 28)).isNotNull();
        Decision<?> epochs = on.decisions().stream().filter(d -> d.name().equals("epochs")).findFirst().orElseThrow();
        double spent = ((Number) epochs.evidence().get("spentSeconds")).doubleValue();
        // what TrainingRun's pacer keeps time for: this policy's work after training at the plan's full-size speed
        AfterTrainingWork left = AfterTrainingWork.of(policy, on.decisions(), SingleLabel.INSTANCE, true, 54000, 64, 6000, 10000,
                600, on.measuredImagesPerSecond(), false);
        assertThat(left.testViews()).isEqualTo(2);
        assertThat(on.measuredImagesPerSecond()).isEqualTo(594.0);
        double cost = new ProgressiveResizing(28, 28, 1).meanCost();
        long expected = dev.hone.metalearn.budget.BudgetPlanner.plan(600, spent, 594, cost, 64, 54000, 6000,
                left.plannedImages(6000, 10000)).totalSteps();
        assertThat(on.totalSteps()).isBetween(expected - 1, expected + 1);
    }
}
