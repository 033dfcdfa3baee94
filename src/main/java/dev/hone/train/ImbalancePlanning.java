package dev.hone.train;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.hone.loop.PhaseHooks;
import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.Seeds;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.imbalance.ImbalanceLearner;
import dev.hone.metalearn.imbalance.ImbalanceLearner.TrialSize;
import dev.hone.metalearn.imbalance.PixelCounts;
import dev.hone.metalearn.imbalance.PositiveCounts;
import dev.hone.metalearn.imbalance.SegmentationImbalance;
import dev.hone.tasks.Segmentation;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.models.ModelSpec;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the {@code imbalance} decision of a sigmoid task (binary, multi-label) or of segmentation
 * ({@link SegmentationImbalance}: plain, class-weighted or Dice-augmented cross-entropy) to the optimization
 * learners' plan, between them and the regularization search, and gives the task the chosen loss.
 *
 * <p>Fixed with {@code --imbalance}, learned by {@link ImbalanceLearner}'s trials, or by its rule
 * when the data are too few or the trials do not fit: with a budget they get
 * {@link ImbalanceLearner#BUDGET_SHARE} of the time left, and the training steps are re-planned
 * afterwards so the schedule still anneals at the deadline. A single-label task gets no decision:
 * its softmax has no positive class to weight.
 *
 * <p>Only training changes: the validation and test losses stay plain BCE, so they compare across
 * runs and with {@code hone evaluate}, which rebuilds the task from the model descriptor without it.
 */
final class ImbalancePlanning {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    static final String AUTO = "auto";

    private ImbalancePlanning() {}

    /**
     * Checks {@code --imbalance} before any work.
     *
     * @throws HoneException for an unknown value, or a fixed one on a single-label task
     */
    static void validate(TrainOptions o, Task task) {
        String v = o.imbalance();
        if (v == null || v.equals(AUTO)) {
            return;
        }
        if (task instanceof Segmentation) {
            if (!SegmentationImbalance.NAMES.contains(v)) {
                throw HoneException.of("unknown class-imbalance handling '" + v + "' for segmentation", "--imbalance " + v,
                        "use auto, " + String.join(", ", SegmentationImbalance.NAMES));
            }
            return;
        }
        if (!sigmoid(task)) { // first: the fix for an unknown value would name values this task refuses too
            throw HoneException.of("--imbalance applies to binary and multi-label tasks only, and this run's task is " + task.name()
                    + (task instanceof dev.hone.tasks.Detection ? "" : " (one softmax over the classes)"), "--imbalance " + v, "drop --imbalance, or train with --task multi-label");
        }
        if (!ImbalanceLearner.NAMES.contains(v)) {
            boolean segmentationOnly = SegmentationImbalance.NAMES.contains(v);
            throw HoneException.of((segmentationOnly ? "class-imbalance handling '" + v + "' applies to segmentation only,"
                    + " and this run's task is " + task.name() : "unknown class-imbalance handling '" + v + "'"), "--imbalance " + v,
                    "use auto, " + String.join(", ", ImbalanceLearner.NAMES));
        }
    }

    /** {@code plan} with the imbalance decision added (unchanged for a single-label task). */
    static TrainingPlan plan(TrainOptions o, TrainingPlan plan, ModelSpec spec, Shape input, int classes, Task task, Splitting split,
            Normalization norm, Device device, Path scratch, long runStartNanos, PhaseHooks hooks) {
        boolean segmentation = task instanceof Segmentation;
        if (!sigmoid(task) && !segmentation) {
            return plan;
        }
        PositiveCounts counts = segmentation ? null : PositiveCounts.of(task, split.train());
        PixelCounts pixels = segmentation ? PixelCounts.of(split.train()) : null;
        List<Decision<?>> d = new ArrayList<>(plan.decisions());
        if (o.imbalance() != null && !o.imbalance().equals(AUTO)) {
            d.add(log(segmentation ? SegmentationImbalance.user(o.imbalance(), pixels) : ImbalanceLearner.user(o.imbalance(), counts)));
            return plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps());
        }
        double ips = plan.measuredImagesPerSecond();
        Optional<TrialSize> size = Optional.empty();
        String why = whyNoTrials(task, split);
        if (why == null) {
            long finalImages = plan.totalSteps() * plan.effectiveBatch();
            double allowed = ImbalanceLearner.FINAL_SHARE * finalImages;
            double allowance = 0;
            double judging = 0;
            if (plan.budgetSeconds() > 0) {
                double left = plan.budgetSeconds() - elapsed(runStartNanos) - split.test().size() / 1000.0 - 10;
                allowance = Math.max(0, ImbalanceLearner.BUDGET_SHARE * left);
                // each trial also scores the validation images it is judged on; a tenth is kept for building its model
                int trials = (segmentation ? SegmentationImbalance.NAMES : ImbalanceLearner.NAMES).size();
                judging = trials * Math.min(split.validation().size(), ImbalanceLearner.VALIDATION_IMAGES)
                        / (ips * BudgetPlanner.INFERENCE_SPEEDUP);
                allowed = Math.min(allowed, Math.max(0, allowance - judging) * ips * 0.9);
            }
            size = ImbalanceLearner.trialSize(split.train().size(), plan.batchSize(), allowed);
            if (size.isEmpty()) {
                why = String.format(Locale.ROOT, "no room for the imbalance trials: three trials of at least %d steps at batch %d "
                        + "need more than the %.0f training images they may use (%.0f%% of the final training's %d%s)",
                        ImbalanceLearner.MIN_TRIAL_STEPS, plan.batchSize(), allowed, 100 * ImbalanceLearner.FINAL_SHARE, finalImages,
                        plan.budgetSeconds() > 0 ? String.format(Locale.ROOT, ", and at %.0f images/s nine tenths of the %.0f s of the"
                                + " budget they may take, less %.0f s to score them on validation", ips, allowance, judging)
                                : "");
            }
        }
        if (why != null) {
            d.add(log(segmentation ? SegmentationImbalance.fallback(why, pixels) : ImbalanceLearner.fallback(why, counts)));
            return plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps());
        }
        int[] order = EpochOrder.permutation(Seeds.mix(plan.seed(), "imbalance-trials", 0), 0, split.train().size());
        ImageSet trainSubset = split.train().subset(Arrays.copyOf(order, size.get().images()));
        ImageSet judged = split.validation().subset(IntStream.range(0, Math.min(split.validation().size(),
                ImbalanceLearner.VALIDATION_IMAGES)).toArray());
        LOG.info("learner: imbalance trials: {}, {} steps each on {} training images, judged on {} validation images",
                String.join(", ", segmentation ? SegmentationImbalance.NAMES : ImbalanceLearner.NAMES), size.get().steps(),
                trainSubset.size(), judged.size());
        TrialRunner.Setup setup = new TrialRunner.Setup(spec.withBatchNormMomentum(plan.batchNormMomentum()), input, classes, task,
                plan.optimizer(), plan.peakLearningRate(), plan.weightDecay(), plan.batchSize(), size.get().epochs(), plan.seed(), norm,
                device, scratch, hooks);
        d.add(log(segmentation ? SegmentationImbalance.learn(setup, trainSubset, judged, pixels)
                : ImbalanceLearner.learn(setup, trainSubset, judged, counts)));
        if (plan.budgetSeconds() <= 0) {
            return plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps());
        }
        return replanned(o, plan, d, task, split, ips, elapsed(runStartNanos));
    }

    /**
     * {@code task} with the loss of the plan's imbalance decision: what the final training and the
     * regularization search train with. A plan without one (single-label, or saved before the
     * decision existed) leaves the task as it is; the weights are recomputed from the training
     * split, which the run's seed makes the same on resume.
     */
    static Task trainingTask(Task task, TrainingPlan plan, ImageSet train) {
        if (task instanceof Segmentation) {
            return plan.decisions().stream().filter(x -> x.name().equals(ImbalanceLearner.NAME)).findFirst()
                    .map(x -> (Task) new Segmentation(SegmentationImbalance.loss(String.valueOf(x.value()), PixelCounts.of(train))))
                    .orElse(task);
        }
        return plan.decisions().stream().filter(x -> x.name().equals(ImbalanceLearner.NAME) && sigmoid(task)).findFirst()
                .map(x -> ImbalanceLearner.withLoss(task, ImbalanceLearner.loss(String.valueOf(x.value()),
                        PositiveCounts.of(task, train))))
                .orElse(task);
    }

    /** Why the trials cannot judge on these splits, or null when they can. */
    private static String whyNoTrials(Task task, Splitting split) {
        DataSufficiency enough = DataSufficiency.of(split);
        if (!(enough.probes() && enough.judging())) {
            return enough.reason() + ", too few to compare losses";
        }
        if (task instanceof Segmentation) {
            return null; // every validation pixel is a labelled example
        }
        int positives = IntStream.of(PositiveCounts.of(task, split.validation()).positives()).sum();
        if (positives < ImbalanceLearner.MIN_VALIDATION_POSITIVES) {
            return String.format(Locale.ROOT, "the validation split holds %d positive labels, fewer than the %d needed to tell the "
                    + "losses apart: with so few, one image moves the %s by several points", positives,
                    ImbalanceLearner.MIN_VALIDATION_POSITIVES, task.validationMetric());
        }
        return null;
    }

    /** The plan's steps re-planned for the time left after the trials, as the regularization search does after its own. */
    private static TrainingPlan replanned(TrainOptions o, TrainingPlan plan, List<Decision<?>> d, Task task, Splitting split,
            double ips, double spent) {
        BudgetPlanner.Plan b = BudgetPlanner.plan(plan.budgetSeconds(), spent, ips, plan.effectiveBatch(), split.train().size(),
                split.validation().size(), AfterTrainingWork.of(o, plan, task, split, o.unlabeled() != null)
                        .plannedImages(split.validation().size(), split.test().size()));
        d.removeIf(x -> x.name().equals("epochs"));
        int perEpoch = plan.stepsPerEpoch(split.train().size());
        d.add(log(new Decision<>("epochs", b.epochs(), Origin.LEARNED, "budget plan", String.format(Locale.ROOT,
                "%d steps (%.2f epochs) fit the %.0f s budget at the measured %.0f images/s, after %.0f s spent (the imbalance trials "
                        + "included), keeping time for validation, the work after training (the final choices, the test pass) and a %.0f%% margin; the schedule anneals at "
                        + "the last step", b.totalSteps(), (double) b.totalSteps() / perEpoch, plan.budgetSeconds(), ips, spent,
                100 * BudgetPlanner.MARGIN),
                Map.of("totalSteps", b.totalSteps(), "stepsPerEpoch", perEpoch, "budgetSeconds", plan.budgetSeconds(),
                        "spentSeconds", spent, "plannedTrainSeconds", b.trainSeconds(), "imagesPerSecond", ips),
                Duration.ZERO)));
        return plan.with(plan.policy(), d, b.epochs(), b.totalSteps());
    }

    private static boolean sigmoid(Task task) {
        return task instanceof Binary || task instanceof MultiLabel;
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static <T> Decision<T> log(Decision<T> decision) {
        LOG.info("decision: {}", decision.describe());
        return decision;
    }
}
