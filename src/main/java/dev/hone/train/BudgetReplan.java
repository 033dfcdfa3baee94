package dev.hone.train;

import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A budgeted plan's steps planned again at full size, at its measured speed, for the work after training it leaves
 * ({@link AfterTrainingWork}): for a plan whose policy or teacher changed after the learners planned it (a policy no search
 * chose; a plain run after unused unlabeled images), so that it keeps the time the pacer will keep.
 */
final class BudgetReplan {
    private BudgetReplan() {}

    /**
     * @param plan the plan with its policy and decisions as they now stand
     * @param teacher whether a semi-supervised teacher is judged against the final model after training
     * @param by what revised the plan, for the log ("the replayed policy")
     * @param leaves who leaves the work after training, for the rationale ("this policy", "a plain run (no teacher ...)")
     * @return {@code plan} when nothing changes (no budget, no speed, the same steps), else it with a revised {@code epochs}
     */
    static TrainingPlan atFullSize(TrainOptions o, TrainingPlan plan, Task task, Splitting split, long runStartNanos,
            boolean teacher, String by, String leaves) {
        double speed = plan.measuredImagesPerSecond();
        if (plan.budgetSeconds() <= 0 || speed <= 0) {
            return plan;
        }
        double spent = (System.nanoTime() - runStartNanos) / 1e9;
        BudgetPlanner.Plan b = BudgetPlanner.plan(plan.budgetSeconds(), spent, speed, plan.effectiveBatch(), split.train().size(),
                split.validation().size(), AfterTrainingWork.of(o, plan, task, split, teacher).plannedImages(split.validation().size(),
                        split.test().size()));
        if (b.totalSteps() == plan.totalSteps()) {
            return plan;
        }
        List<Decision<?>> d = new ArrayList<>(plan.decisions());
        d.removeIf(x -> x.name().equals("epochs"));
        int perEpoch = plan.stepsPerEpoch(split.train().size());
        d.add(RevisedDecision.log(by, true, new Decision<>("epochs", b.epochs(), Origin.LEARNED, "budget plan", String.format(
                Locale.ROOT, "%d steps (%.2f epochs) fit the %.0f s budget at %.0f images/s after %.0f s spent, keeping time for"
                        + " validation, the work after training %s and a %.0f%% margin; the schedule anneals at the last step",
                b.totalSteps(), (double) b.totalSteps() / perEpoch, plan.budgetSeconds(), speed, spent, leaves,
                100 * BudgetPlanner.MARGIN),
                Map.of("totalSteps", b.totalSteps(), "stepsPerEpoch", perEpoch, "budgetSeconds", plan.budgetSeconds(),
                        "spentSeconds", spent, "plannedTrainSeconds", b.trainSeconds(), "imagesPerSecond", speed), Duration.ZERO)));
        return plan.with(plan.policy(), d, b.epochs(), b.totalSteps());
    }
}
