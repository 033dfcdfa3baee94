package dev.hone.train;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.hone.loop.PhaseHooks;
import dev.hone.core.HoneException;
import dev.hone.data.Normalization;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.regularization.RegularizationLearner;
import dev.hone.metalearn.regularization.PolicyLabelCheck;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.SmallDataPrior;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.tasks.Task;
import dev.hone.record.Decision;
import dev.hone.record.Json;
import dev.hone.record.Origin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the regularization policy to the optimization learners' plan: replayed from {@code
 * --policy}, switched off by {@code --regularization none}, or searched; where the data or the budget is too
 * small to search, {@link SmallDataPrior}'s rule. With a budget the search
 * gets a share of the time left, and the training steps are re-planned afterwards from the time
 * then left and the chosen policy's measured speed, so the schedule still anneals at the deadline.
 */
final class RegularizationPlanning {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private RegularizationPlanning() {}

    /**
     * The decision when {@code --regularization none} turned regularization off. Not
     * {@link Decision#user}, whose rationale names a flag after the decision, and there is no
     * {@code --regularization-policy}.
     */
    static Decision<String> turnedOff() {
        return new Decision<>("regularization-policy", "none", Origin.USER, "flag",
                "fixed by the user with --regularization none: no augmentation, label smoothing, mixup, cutmix,"
                        + " dropout, weight averaging or test-time augmentation (PreciseBN, which recomputes BatchNorm's"
                        + " statistics and regularizes nothing, is still judged on validation)", Map.of(), Duration.ZERO);
    }

    static TrainingPlan plan(TrainOptions o, TrainingPlan plan, ModelSpec spec, Shape input, int classes, Task task,
            Splitting split, Normalization norm, Device device, Path scratch, long runStartNanos, PhaseHooks hooks) {
        List<Decision<?>> d = new ArrayList<>(plan.decisions());
        if (o.policy() != null) {
            RegularizationPolicy p = PolicyFile.read(o.policy()); // TrainingRun checked it fits the network and images
            Path file = PolicyFile.resolve(o.policy());
            if (p.weightDecay() != null && o.weightDecay() != null) {
                if (!p.weightDecay().equals(o.weightDecay())) {
                    LOG.warn("--weight-decay {} replaces the policy file's {} ({})", o.weightDecay(), p.weightDecay(), file);
                }
                p = p.withWeightDecay(o.weightDecay()); // the flag fixes it, and the policy written back says what trained
            }
            d.add(log(new Decision<>("regularization-policy", p.describe(), Origin.USER, "flag",
                    "replayed from --policy " + file, Map.of("file", file.toString()), Duration.ZERO)));
            if (p.weightDecay() != null && o.weightDecay() == null) {
                Double wd = p.weightDecay();
                d.add(log(new Decision<>("weight-decay", wd, Origin.USER, "policy file", "replayed from --policy " + file
                        + " (without --weight-decay, the policy's value replaces the optimizer's default)", Map.of(), Duration.ZERO)));
            }
            if (!p.augmentation().steps().isEmpty()) {
                Decision<String> checked = PolicyLabelCheck.check(setup(plan, spec, input, classes, task, norm, device, scratch.resolve(
                        "policy-check"), hooks), split.train(), split.validation(), p, file.toString(), plan.budgetSeconds(),
                        plan.measuredImagesPerSecond());
                if (checked != null && checked.evidence().get("warning") != null) {
                    LOG.warn("decision: {}", checked.describe()); // a step that likely changes labels: the summary repeats it
                    d.add(checked);
                } else if (checked != null) {
                    d.add(log(checked));
                }
            }
            return replanned(o, plan, p, d, task, split, runStartNanos, "the replayed policy");
        }
        if ("none".equals(o.regularization())) {
            d.add(log(turnedOff()));
            return replanned(o, plan, RegularizationPolicy.NONE, d, task, split, runStartNanos, "--regularization none");
        }
        DataSufficiency enough = DataSufficiency.of(split);
        if (!(enough.probes() && enough.judging())) {
            double passes = (double) plan.totalSteps() * plan.effectiveBatch() / Math.max(1, split.train().size());
            SmallDataPrior.Chosen c = SmallDataPrior.choose("too little data to search", enough.reason() + ", too few for the regularization search to tell"
                    + " policies apart", passes, ModelFactory.supportsDropout(spec), task, Map.of());
            d.add(log(c.decision()));
            return replanned(o, plan, c.policy(), d, task, split, runStartNanos, "the small-data prior");
        }
        double ips = plan.measuredImagesPerSecond();
        double allowance = 0;
        long finalImages = plan.totalSteps() * plan.effectiveBatch();
        if (plan.budgetSeconds() > 0) {
            double left = plan.budgetSeconds() - elapsed(runStartNanos) - split.test().size() / 1000.0 - 10;
            allowance = Math.max(0, RegularizationLearner.BUDGET_SHARE * left);
            finalImages = (long) ((left - allowance) * ips);
        }
        RegularizationLearner.Result r = RegularizationLearner.learn(setup(plan, spec, input, classes, task, norm, device, scratch, hooks), split.train(), split.validation(),
                ModelFactory.supportsDropout(spec), allowance, ips, finalImages, o.weightDecay() == null);
        r.decisions().forEach(x -> d.add(log(x)));
        RegularizationPolicy p = r.policy();
        if (p.weightDecay() != null && p.weightDecay() != plan.weightDecay()) {
            d.add(log(new Decision<>("weight-decay", p.weightDecay(), Origin.LEARNED, "regularization search",
                    String.format("chosen jointly with the augmentation and soft labels; the optimization learner's %.3g scaled by %.1f",
                            plan.weightDecay(), p.weightDecay() / plan.weightDecay()), Map.of(), Duration.ZERO)));
        }
        if (plan.budgetSeconds() <= 0) {
            return plan.with(p, d, plan.epochs(), plan.totalSteps());
        }
        double spent = elapsed(runStartNanos);
        double speed = ips * r.speedFactor();
        BudgetPlanner.Plan b = budgetPlan(o, plan, p, d, task, split, spent, speed);
        d.removeIf(x -> x.name().equals("epochs"));
        int perEpoch = plan.stepsPerEpoch(split.train().size());
        d.add(RevisedDecision.log("the chosen regularization", plan.totalSteps() != b.totalSteps(), new Decision<>("epochs",
                b.epochs(), Origin.LEARNED, "budget plan", String.format(
                "%d steps (%.2f epochs) fit the %.0f s budget at %.0f images/s (%.0f measured, x%.2f for the chosen regularization), "
                        + "after %.0f s of meta-learning (%.0f s of it the regularization search), keeping time for validation, "
                        + "the work after training (the final choices, the test pass) and a %.0f%% margin; the schedule anneals at the last step",
                b.totalSteps(), (double) b.totalSteps() / perEpoch, plan.budgetSeconds(), speed, ips, r.speedFactor(), spent,
                r.searchSeconds(), 100 * BudgetPlanner.MARGIN),
                Map.of("totalSteps", b.totalSteps(), "stepsPerEpoch", perEpoch, "budgetSeconds", plan.budgetSeconds(),
                        "spentSeconds", spent, "searchSeconds", r.searchSeconds(), "plannedTrainSeconds", b.trainSeconds(),
                        "imagesPerSecond", speed),
                Duration.ZERO)));
        return plan.with(p, d, b.epochs(), b.totalSteps());
    }

    /**
     * The plan with a policy no search chose ({@code --policy}, {@code --regularization none}, a prior), its budgeted steps
     * re-planned for the work after training that policy leaves: the learners before planned it for every candidate, and
     * the pacer keeps time for this policy's.
     */
    private static TrainingPlan replanned(TrainOptions o, TrainingPlan plan, RegularizationPolicy p, List<Decision<?>> d,
            Task task, Splitting split, long runStartNanos, String by) {
        return BudgetReplan.atFullSize(o, plan.with(p, d, plan.epochs(), plan.totalSteps()), task, split, runStartNanos,
                o.unlabeled() != null, by, "this policy leaves (the final choices, the test pass)");
    }

    /** What the search's trials and the policy's label check train with: the optimization learners' choices. */
    private static TrialRunner.Setup setup(TrainingPlan plan, ModelSpec spec, Shape input, int classes, Task task, Normalization norm,
            Device device, Path scratch, PhaseHooks hooks) {
        return new TrialRunner.Setup(spec.withBatchNormMomentum(plan.batchNormMomentum()), input, classes, task, plan.optimizer(),
                plan.peakLearningRate(), plan.weightDecay(), plan.batchSize(), 0, plan.seed(), norm, device, scratch, hooks);
    }

    /** The budget's plan for policy {@code p} at {@code speed}, keeping time for the work after training it leaves. */
    private static BudgetPlanner.Plan budgetPlan(TrainOptions o, TrainingPlan plan, RegularizationPolicy p, List<Decision<?>> d,
            Task task, Splitting split, double spent, double speed) {
        int validation = split.validation().size();
        long after = AfterTrainingWork.of(p, d, task, AfterTrainingWork.batchNorm(o), split.train().size(), plan.batchSize(),
                validation, split.test().size(), plan.budgetSeconds(), speed, o.unlabeled() != null)
                .plannedImages(validation, split.test().size());
        return BudgetPlanner.plan(plan.budgetSeconds(), spent, speed, plan.effectiveBatch(), split.train().size(), validation,
                after);
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static <T> Decision<T> log(Decision<T> decision) {
        LOG.info("decision: {}", decision.describe());
        return decision;
    }
}
