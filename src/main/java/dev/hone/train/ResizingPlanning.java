package dev.hone.train;

import ai.djl.ndarray.types.Shape;
import dev.hone.core.HoneException;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.optimize.ProgressiveResizing;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a budgeted run trains with {@link ProgressiveResizing}, and re-plans its steps for the cheaper ones.
 *
 * <p>It is on ({@code --progressive-resizing auto}, the default) when all of these hold, and the decision names the first
 * that does not:
 * <ul>
 *   <li>a {@code --budget}: the steps it saves become more steps; a run of fixed epochs would only end sooner;
 *   <li>no {@code --unlabeled} images: semi-supervised learning plans its own steps, at full size. FixMatch's final run
 *       was measured with resizing (its unlabeled images downscaled to the labeled batch's size before their two views):
 *       on 1% of Fashion-MNIST's labels at 30 minutes it trained 1.6 times the steps and tested 85.61% against 86.19% at
 *       full size, one same-day pair (docs/BENCHMARKS.md, 2026-12-07), so it was not kept;
 *   <li>fewer than {@link #MAX_PASSES} passes over the training images at full size in the budget's plan;
 *   <li>images of at least {@link #MIN_SIDE} pixels a side once downscaled, so that a network's two or three 2x poolings
 *       still leave a map to learn from.
 * </ul>
 * Segmentation's masks are downscaled with the images ({@link ProgressiveResizing}). Detection stays off although the
 * technique scales boxes: on issue 12's 64x64 scenes (docs/BENCHMARKS.md) one pair, whose batch sizes also differed, lost
 * 3.9 points of mAP with it, the ResNet encoder's side multiple of 32 leaving only 32x32 and 64x64 steps there, between
 * which the pacer re-planned 10 times. Larger images, with more sizes between, were not measured.
 * On, the steps are re-planned from the measured speed with their mean cost ({@link ProgressiveResizing#meanCost}), and
 * the budget pacer weighs each step by its cost.
 */
final class ResizingPlanning {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    /** The decision's name, and the flag's. */
    static final String NAME = "progressive-resizing";
    /** The smallest downscaled side, pixels. */
    static final int MIN_SIDE = 16;
    /**
     * The passes over the training images at full size from which the budget's plan stays at full size: 500. Resizing
     * trades resolution for steps, and steps stop paying once the images are seen this often. Measured with hone's budget
     * plans on Fashion-MNIST (docs/BENCHMARKS.md): all labels, 5 passes at 10 minutes, +0.22 points with resizing, and 16
     * to 17 passes at 30 minutes, level; 1% of the labels (540 training images), 144 passes at 3 minutes, +2.89 (82.92%
     * against 80.03%, one run each on two commits), and 1,185 passes at 30 minutes, 1.27 points lost (82.70% against
     * 83.97%, one same-day pair). The threshold is a round number between the last two; nothing between them was measured.
     */
    static final int MAX_PASSES = 500;

    private ResizingPlanning() {}

    /**
     * Checks the flag's value.
     *
     * @throws HoneException for a value other than {@code auto} and {@code off}
     */
    static void validate(String flag) {
        if (flag != null && !flag.equals("auto") && !flag.equals("off")) {
            throw new HoneException("--progressive-resizing " + flag + " is not a choice. Fix: pass auto (the default: hone"
                    + " decides) or off");
        }
    }

    /**
     * The plan with the decision added, and with the steps re-planned when it is on.
     *
     * @param input the training images' shape {@code (C, H, W)}
     * @param sideMultiple the multiple the network pads its input sides up to, 1 for none ({@link ProgressiveResizing})
     * @param runStartNanos when the run started, on {@link System#nanoTime}
     */
    static TrainingPlan plan(TrainOptions o, TrainingPlan plan, Shape input, int sideMultiple, Task task, Splitting split,
            long runStartNanos) {
        return plan(o, plan, input, sideMultiple, task, split, runStartNanos, o.unlabeled() != null);
    }

    /**
     * The plan of a run given {@code --unlabeled} whose semi-supervised learning kept nothing to train from (it chose none,
     * or its teacher trained no epoch, diverged or gave no pseudo-label): the plain run it trains instead is decided
     * again, without the unlabeled images' reason to stay off, from the time left. Before, it kept the decision made for
     * semi-supervised learning and trained at full size (a fresh review, 2026-12-06).
     */
    static TrainingPlan forPlainRun(TrainOptions o, TrainingPlan plan, Shape input, int sideMultiple, Task task, Splitting split,
            long runStartNanos) {
        List<Decision<?>> d = new ArrayList<>(plan.decisions());
        d.removeIf(x -> x.name().equals(NAME));
        TrainingPlan p = plan(o, plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps()), input, sideMultiple, task, split,
                runStartNanos, false);
        // at full size it keeps no time for a guard-rail's pass against a teacher, which the plans before SSL kept (31 steps
        // of W1's 30 minutes)
        return technique(p, (int) input.get(1), (int) input.get(2)) != null ? p : BudgetReplan.atFullSize(o, p, task, split,
                runStartNanos, false, "the plain run without semi-supervised learning", "a plain run leaves (no teacher to judge"
                        + " it against)");
    }

    private static TrainingPlan plan(TrainOptions o, TrainingPlan plan, Shape input, int sideMultiple, Task task, Splitting split,
            long runStartNanos, boolean semiSupervised) {
        List<Decision<?>> d = new ArrayList<>(plan.decisions());
        ProgressiveResizing resizing = new ProgressiveResizing((int) input.get(1), (int) input.get(2), sideMultiple);
        Optional<String> off = reasonOff(o, plan, task, resizing, semiSupervised);
        if (off.isPresent()) {
            boolean user = "off".equals(o.progressiveResizing());
            d.add(log(new Decision<>(NAME, "off", user ? Origin.USER : Origin.DERIVED, user ? "flag" : "rule", off.get(),
                    Map.of(), Duration.ZERO)));
            return plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps());
        }
        double speed = plan.measuredImagesPerSecond();
        double spent = (System.nanoTime() - runStartNanos) / 1e9;
        double cost = resizing.meanCost();
        BudgetPlanner.Plan b = BudgetPlanner.plan(plan.budgetSeconds(), spent, speed, cost, plan.effectiveBatch(),
                split.train().size(), split.validation().size(), AfterTrainingWork.of(o, plan, task, split, semiSupervised)
                        .plannedImages(split.validation().size(), split.test().size()));
        int perEpoch = plan.stepsPerEpoch(split.train().size());
        d.add(log(new Decision<>(NAME, "on", Origin.DERIVED, "rule", String.format(Locale.ROOT,
                "%s; the budget buys %d steps instead of %d (x%.2f): a budgeted %s run whose images stay at least"
                        + " %d pixels a side downscaled (fast.ai's progressive resizing, on Composer's schedule)",
                resizing.describe(), b.totalSteps(), plan.totalSteps(), (double) b.totalSteps() / plan.totalSteps(),
                task.name(), MIN_SIDE),
                Map.of("initialHeight", resizing.height(0), "initialWidth", resizing.width(0), "meanStepCost", cost,
                        "stepsWithout", plan.totalSteps(), "totalSteps", b.totalSteps(), "increment", resizing.increment()),
                Duration.ZERO)));
        d.removeIf(x -> x.name().equals("epochs"));
        d.add(RevisedDecision.log("progressive resizing", plan.totalSteps() != b.totalSteps(), new Decision<>("epochs", b.epochs(),
                Origin.LEARNED, "budget plan", String.format(Locale.ROOT,
                "%d steps (%.2f epochs) fit the %.0f s budget at %.0f images/s for a full-size step, with progressive resizing's"
                        + " steps at %.0f%% of that on average, after %.0f s spent; the schedule anneals at the last step",
                b.totalSteps(), (double) b.totalSteps() / perEpoch, plan.budgetSeconds(), speed, 100 * cost, spent),
                Map.of("totalSteps", b.totalSteps(), "stepsPerEpoch", perEpoch, "budgetSeconds", plan.budgetSeconds(),
                        "spentSeconds", spent, "plannedTrainSeconds", b.trainSeconds(), "imagesPerSecond", speed,
                        "meanStepCost", cost),
                Duration.ZERO)));
        return plan.with(plan.policy(), d, b.epochs(), b.totalSteps());
    }

    /** Why progressive resizing stays off, or empty when it goes on. */
    static Optional<String> reasonOff(TrainOptions o, TrainingPlan plan, Task task, ProgressiveResizing resizing) {
        return reasonOff(o, plan, task, resizing, o.unlabeled() != null);
    }

    private static Optional<String> reasonOff(TrainOptions o, TrainingPlan plan, Task task, ProgressiveResizing resizing,
            boolean semiSupervised) {
        if ("off".equals(o.progressiveResizing())) {
            return Optional.of("fixed by the user with --progressive-resizing off");
        }
        if (plan.budgetSeconds() <= 0) {
            return Optional.of("no --budget: the steps saved would only end the run sooner; with a budget they become more steps");
        }
        if (task.boxTargets()) {
            return Optional.of("a detection task: on 64x64 scenes one 5-minute pair lost 3.9 points of mAP with it (55.1% against"
                    + " 59.0%, its batch sizes differing too), the network's side multiple of 32 leaving only half and full size,"
                    + " between which the budget pacer re-planned 10 times; larger images were not measured");
        }
        if (semiSupervised) {
            return Optional.of("semi-supervised learning plans its own steps, at full size (FixMatch with resizing, 1.6 times the"
                    + " steps, tested 0.58 points lower on 1% of Fashion-MNIST's labels)");
        }
        if (plan.totalSteps() < Defaults.MIN_BUDGET_STEPS) {
            return Optional.of(String.format(Locale.ROOT, "the budget buys only %d steps at full size (fewer than %d): too few for a"
                    + " schedule of sizes, so they all train at the size the model is tested at", plan.totalSteps(),
                    Defaults.MIN_BUDGET_STEPS));
        }
        if (plan.epochs() >= MAX_PASSES) {
            return Optional.of(String.format(Locale.ROOT, "the budget already buys %d passes over the training images at full"
                    + " size (at least %d): more steps would not pay for the lower resolution (on 1%% of Fashion-MNIST's labels,"
                    + " 1,185 passes, resizing cost 1.27 points; at 144 passes it gained)", plan.epochs(), MAX_PASSES));
        }
        if (!(plan.measuredImagesPerSecond() > 0)) {
            return Optional.of("no measured training speed to re-plan the steps with");
        }
        int h = resizing.height(0);
        int w = resizing.width(0);
        if (Math.min(h, w) < MIN_SIDE || !resizing.resizes()) {
            return Optional.of(String.format(Locale.ROOT, "the images would be %dx%d (width x height) downscaled, under %d pixels a"
                    + " side", w, h, MIN_SIDE));
        }
        return Optional.empty();
    }

    /**
     * The technique {@code plan} trains with, for images of {@code height} x {@code width} pixels, or null when it trains
     * at full size; its sides move by the increment the decision recorded (4 pixels in plans that did not record one).
     */
    static ProgressiveResizing technique(TrainingPlan plan, int height, int width) {
        return decision(plan).map(d -> new ProgressiveResizing(height, width, d.evidence().get("increment") instanceof Number n
                ? n.intValue() : ProgressiveResizing.INCREMENT)).orElse(null);
    }

    private static Optional<Decision<?>> decision(TrainingPlan plan) {
        return plan.decisions().stream().filter(x -> x.name().equals(NAME) && "on".equals(x.value())).findFirst();
    }

    private static <T> Decision<T> log(Decision<T> decision) {
        LOG.info("decision: {}", decision.describe());
        return decision;
    }
}
