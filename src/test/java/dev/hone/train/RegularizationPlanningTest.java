package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.SingleLabel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegularizationPlanningTest {

    @Test
    void turningRegularizationOffNamesTheFlagThatExists() {
        Decision<String> d = RegularizationPlanning.turnedOff();
        assertThat(d.name()).isEqualTo("regularization-policy");
        assertThat(d.value()).isEqualTo("none");
        assertThat(d.origin()).isEqualTo(Origin.USER);
        assertThat(d.rationale()).startsWith("fixed by the user with --regularization none: no augmentation")
                .doesNotContain("--regularization-policy");
    }

    private static dev.hone.data.ImageSet images(int n) {
        return new dev.hone.data.ImageSet(new byte[n], new int[n], 1, 1, 1, List.of("a", "b"), i -> "img" + i);
    }

    @Test
    void withoutASearchTheBudgetIsReplannedForTheWorkAfterTrainingThePolicyLeaves() {
        // W1's split at 30 minutes and 380 images/s; the learners planned 20,000 steps, keeping time for every candidate
        TrainOptions none = new TrainOptions("d", null, "resnet9", Path.of("out"), null, null, false, null, null, null, null,
                null, null, null, "30m", null, "none", null, "hone train", false, null, null, null, null, null, null, null, null,
                null, null, null);
        Splitting split = new Splitting(images(54_000), images(6_000), images(10_000), "test", List.of(), null);
        Decision<Integer> epochs = new Decision<>("epochs", 24, Origin.LEARNED, "budget plan", "fits",
                Map.of("imagesPerSecond", 380.0), Duration.ZERO);
        TrainingPlan planned = new TrainingPlan(1, 24, 20_000, 64, "adamw", 1e-2, 0.05, "one-cycle", 0.1, 0.9f, 0, 1800,
                List.of(epochs), 1, null);
        TrainingPlan p = RegularizationPlanning.plan(none, planned, null, null, 2, SingleLabel.INSTANCE, split, null, null, null,
                System.nanoTime(), null);
        assertThat(p.policy()).isEqualTo(RegularizationPolicy.NONE);
        // the steps TrainingRun's pacer will keep time for: the work after training that --regularization none leaves
        // (PreciseBN only: no averages, no flips, one test view)
        AfterTrainingWork left = AfterTrainingWork.of(RegularizationPolicy.NONE, p.decisions(), SingleLabel.INSTANCE, true, 54_000,
                64, 6_000, 10_000, 1800, 380, false);
        assertThat(left.testViews()).isEqualTo(1);
        long expected = BudgetPlanner.plan(1800, 0, 380, 64, 54_000, 6_000, left.plannedImages(6_000, 10_000)).totalSteps();
        assertThat(p.totalSteps()).isBetween(expected - 5, expected);
        assertThat(p.decisions().stream().filter(d -> d.name().equals("epochs")).findFirst().orElseThrow().rationale())
                .contains("the work after training this policy leaves");
    }

    /** The plan TrainingRun's pacer keeps time for, for {@code policy} on a split of these sizes at 380 images/s. */
    private static long stepsFor(RegularizationPolicy policy, List<Decision<?>> decisions, int train, int validation, int test) {
        AfterTrainingWork left = AfterTrainingWork.of(policy, decisions, SingleLabel.INSTANCE, true, train, 64, validation, test,
                1800, 380, false);
        return BudgetPlanner.plan(1800, 0, 380, 64, train, validation, left.plannedImages(validation, test)).totalSteps();
    }

    private static TrainingPlan learnersPlan() {
        Decision<Integer> epochs = new Decision<>("epochs", 24, Origin.LEARNED, "budget plan", "fits",
                Map.of("imagesPerSecond", 380.0), Duration.ZERO);
        return new TrainingPlan(1, 24, 20_000, 64, "adamw", 1e-2, 0.05, "one-cycle", 0.1, 0.9f, 0, 1800, List.of(epochs), 1, null);
    }

    @Test
    void aReplayedPolicyAndTheSmallDataPriorReplanForTheirOwnWorkAfterTraining(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path file = tmp.resolve("policy.json");
        java.nio.file.Files.writeString(file, "{\"formatVersion\": 1, \"cutmixAlpha\": 1.0, \"weightAveraging\": \"ema\"}");
        TrainOptions replay = new TrainOptions("d", null, "resnet9", Path.of("out"), null, null, false, null, null, null, null,
                null, null, null, "30m", null, null, file, "hone train", false, null, null, null, null, null, null, null, null,
                null, null, null);
        Splitting w1 = new Splitting(images(54_000), images(6_000), images(10_000), "test", List.of(), null);
        TrainingPlan replayed = RegularizationPlanning.plan(replay, learnersPlan(), null, null, 2, SingleLabel.INSTANCE, w1, null,
                null, null, System.nanoTime(), null);
        assertThat(replayed.policy().weightAveraging()).isEqualTo("ema");
        long expected = stepsFor(replayed.policy(), replayed.decisions(), 54_000, 6_000, 10_000);
        assertThat(replayed.totalSteps()).isBetween(expected - 5, expected);

        // 90 training and 8 validation images: too few to search, so the small-data prior
        TrainOptions auto = new TrainOptions("d", null, "resnet9", Path.of("out"), null, null, false, null, null, null, null,
                null, null, null, "30m", null, null, null, "hone train", false, null, null, null, null, null, null, null, null,
                null, null, null);
        Splitting small = new Splitting(images(90), images(8), images(100), "test", List.of(), null);
        TrainingPlan prior = RegularizationPlanning.plan(auto, learnersPlan(), dev.hone.models.ModelSpec.parse("resnet9"), null,
                2, SingleLabel.INSTANCE, small, null, null, null, System.nanoTime(), null);
        assertThat(prior.policy().augmentation().isEmpty()).isFalse();
        long priorSteps = stepsFor(prior.policy(), prior.decisions(), 90, 8, 100);
        assertThat(prior.totalSteps()).isBetween(priorSteps - 5, priorSteps);
    }

    @Test
    void aSearchThatFallsBackToThePriorReplansForThePriorsWorkAfterTraining(@org.junit.jupiter.api.io.TempDir Path tmp) {
        // 300 training images, enough to probe but too few for a warm-up of 100 steps at batch 64: the search returns the
        // prior without a trial, and the budget is re-planned after it as after a search
        TrainOptions auto = new TrainOptions("d", null, "resnet9", Path.of("out"), null, null, false, null, null, null, null,
                null, null, null, "30m", null, null, null, "hone train", false, null, null, null, null, null, null, null, null,
                null, null, null);
        Splitting split = new Splitting(images(300), images(100), images(10_000), "test", List.of(), null);
        TrainingPlan p = RegularizationPlanning.plan(auto, learnersPlan(), dev.hone.models.ModelSpec.parse("resnet9"), null, 2,
                SingleLabel.INSTANCE, split, null, null, tmp, System.nanoTime(), dev.hone.loop.PhaseHooks.NONE);
        Decision<?> chosen = p.decisions().stream().filter(d -> d.name().equals("regularization-policy")).findFirst().orElseThrow();
        assertThat(chosen.rationale()).startsWith("the search may train on");
        Decision<?> epochs = p.decisions().stream().filter(d -> d.name().equals("epochs")).findFirst().orElseThrow();
        assertThat(epochs.rationale()).contains("the regularization search");
        double spent = ((Number) epochs.evidence().get("spentSeconds")).doubleValue();
        // what TrainingRun's pacer keeps time for: the chosen policy's work after training at the speed the plan records
        assertThat(p.measuredImagesPerSecond()).isEqualTo(380.0);
        AfterTrainingWork left = AfterTrainingWork.of(p.policy(), p.decisions(), SingleLabel.INSTANCE, true, 300, 64, 100, 10_000,
                1800, 380, false);
        long expected = BudgetPlanner.plan(1800, spent, 380, 64, 300, 100, left.plannedImages(100, 10_000)).totalSteps();
        assertThat(p.totalSteps()).isBetween(expected - 1, expected + 1);
    }
}
