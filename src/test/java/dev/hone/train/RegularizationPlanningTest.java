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
}
