package dev.hone.metalearn.regularization;

import dev.hone.augment.AugmentationPolicy;
import dev.hone.data.ImageSet;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.SingleLabel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A replayed policy ({@code --policy}) checked against the data, as the search's distance analysis checks its pairs
 * ({@link DistanceAnalysis}, the Masterful paper's): a plain model trained briefly on up to {@value #SUBSET} training
 * images predicts up to {@value RegularizationLearner#DISTANCE_IMAGES} validation images with and without each of the
 * policy's augmentation steps, and a step that moves most of them, or most of one class's, to another predicted class
 * ({@link DistanceGroups#LABEL_CHANGE}) likely changes their labels on this data: a horizontal flip on arrows that point
 * left or right. A policy found on other data can hold such a step, and the run would train towards chance on those
 * classes without a word. The policy is the user's, so it is trained as given; the check warns, names the step and the
 * file to edit, and records its figures.
 */
public final class PolicyLabelCheck {
    /** Training images the plain model trains on. */
    static final int SUBSET = 1024;
    /** The largest share of the budget the check may take; above it the policy is not checked, and the record says so. */
    static final double MAX_BUDGET_SHARE = 0.05;

    private PolicyLabelCheck() {}

    /**
     * The {@code policy-check} decision, or null when the policy has no augmentation step to check.
     *
     * @param setup the optimization learners' choices; the plain model trains {@link #epochs} epochs at its batch size
     * @param file the policy file, named in the warning
     * @param budgetSeconds the run's budget, or 0 for none
     * @param imagesPerSecond the measured training speed, to bound the check's time within a budget
     */
    public static Decision<String> check(TrialRunner.Setup setup, ImageSet train, ImageSet validation, RegularizationPolicy policy,
            String file, double budgetSeconds, double imagesPerSecond) {
        List<AugmentationPolicy.Step> steps = policy.augmentation().steps();
        if (steps.isEmpty()) {
            return null;
        }
        if (!(setup.task() instanceof SingleLabel || setup.task() instanceof Binary)) {
            return notChecked("a class change is defined for single-label and binary classification, not " + setup.task().name());
        }
        if (validation.size() < DistanceAnalysis.MIN_CLASS_IMAGES) {
            // a share of a handful of images would warn by chance (one of two images moved reads as 100%)
            return notChecked(String.format(Locale.ROOT, "only %d validation images, fewer than the %d a class-change share is"
                    + " read on", validation.size(), DistanceAnalysis.MIN_CLASS_IMAGES));
        }
        int subset = Math.min(train.size(), SUBSET);
        int epochs = epochs(subset, setup.batchSize());
        double seconds = (double) subset * epochs / Math.max(1e-9, imagesPerSecond);
        if (budgetSeconds > 0 && seconds > MAX_BUDGET_SHARE * budgetSeconds) {
            return notChecked(String.format(Locale.ROOT, "training the plain model would take about %.0f s, more than %.0f%% of the"
                    + " %.0f s budget", seconds, 100 * MAX_BUDGET_SHARE, budgetSeconds));
        }
        long start = System.nanoTime();
        int[] order = EpochOrder.permutation(setup.seed(), 0, train.size());
        int[] scored = Arrays.copyOf(EpochOrder.permutation(setup.seed(), 1, validation.size()),
                Math.min(validation.size(), RegularizationLearner.DISTANCE_IMAGES));
        List<DistanceGroups.Pair> pairs = new ArrayList<>();
        double[] warmAccuracy = new double[1];
        try (ResidentDataset t = new ResidentDataset(train.subset(Arrays.copyOf(order, subset)), setup.norm(), setup.device(), setup.task());
                ResidentDataset v = new ResidentDataset(validation.subset(scored), setup.norm(), setup.device(), setup.task());
                ResidentDataset monitor = new ResidentDataset(validation.subset(Arrays.copyOf(scored,
                        Math.min(scored.length, RegularizationLearner.MONITOR_IMAGES))), setup.norm(), setup.device(), setup.task())) {
            TrialRunner runner = new TrialRunner(setup.withEpochs(epochs), t, v, monitor).withPhase("the policy's label check");
            PolicySearch.Outcome o = runner.run(RegularizationPolicy.searchStart(), model -> pairs.addAll(
                    DistanceAnalysis.measure(model.getBlock(), v, setup.norm(), v.size(), setup.seed(), steps)));
            warmAccuracy[0] = o.accuracy();
        } catch (dev.hone.core.HoneException | IllegalArgumentException | IllegalStateException | ai.djl.engine.EngineException e) {
            // a check must not stop a run the policy itself does not stop (a network the distance analysis cannot read)
            return notChecked("the check failed: " + e.getMessage());
        }
        if (pairs.stream().noneMatch(p -> Double.isFinite(p.classChange()))) {
            return notChecked("no step's class change could be measured (the plain model got no validation image right)");
        }
        return decision(pairs, file, subset, epochs, scored.length, warmAccuracy[0], setup.task().validationMetric(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The plain model's epochs over its subset: the search's warm-up length, and at least its fewest steps. */
    static int epochs(int subset, int batchSize) {
        int perEpoch = dev.hone.loop.FitLoop.batchesPerEpoch(subset, Math.max(1, Math.min(batchSize, subset)));
        return Math.max(RegularizationLearner.MIN_TRIAL_EPOCHS,
                (int) Math.ceil((double) RegularizationLearner.MIN_WARM_UP_STEPS / perEpoch));
    }

    /** The decision from the measured pairs; warns of each step that changes the predicted class. */
    static Decision<String> decision(List<DistanceGroups.Pair> pairs, String file, int subset, int epochs, int scored,
            double warmScore, String metric, Duration cost) {
        List<DistanceGroups.Pair> vetoed = pairs.stream().filter(DistanceGroups.Pair::vetoed).toList();
        Map<String, Object> evidence = new LinkedHashMap<>();
        List<Map<String, Object>> table = new ArrayList<>();
        for (DistanceGroups.Pair p : pairs) {
            table.add(Map.of("transform", p.transform(), "magnitude", p.magnitude(), "distance", p.distance(),
                    "classChange", p.classChange(), "vetoed", p.vetoed()));
        }
        evidence.put("steps", table);
        evidence.put("trainImages", subset);
        evidence.put("epochs", epochs);
        evidence.put("scoredImages", scored);
        evidence.put("plainModelScore", warmScore);
        evidence.put("labelChangeAbove", DistanceGroups.LABEL_CHANGE);
        String measured = pairs.stream().map(p -> String.format(Locale.ROOT, "%s %.2f %.0f%%", p.transform(), p.magnitude(),
                100 * p.classChange())).collect(Collectors.joining(", "));
        String how = String.format(Locale.ROOT, "a plain model trained %d epochs on %d training images (validation %s %.4f)"
                + " predicted %d validation images with and without each step of the policy; the share of those it got right"
                + " whose class a step changed, over all or in one class, the larger: %s", epochs, subset, metric, warmScore, scored,
                measured);
        if (vetoed.isEmpty()) {
            return new Decision<>("policy-check", "passed", Origin.DERIVED, "distance analysis", how + "; none above "
                    + Math.round(100 * DistanceGroups.LABEL_CHANGE) + "%, so no step is taken for label-changing", evidence, cost);
        }
        String names = vetoed.stream().map(p -> String.format(Locale.ROOT, "%s %.2f", p.transform(), p.magnitude()))
                .collect(Collectors.joining(", "));
        String moved = vetoed.stream().map(p -> String.format(Locale.ROOT, "%s %.2f moved %.0f%%", p.transform(), p.magnitude(),
                100 * p.classChange())).collect(Collectors.joining(", "));
        String warning = String.format(Locale.ROOT, "in the replayed policy, %s of the validation images a briefly trained model"
                + " got right (or of one class's) to another predicted class, above the %d%% at which the search vetoes a step: on"
                + " this data it likely changes what an image shows, as a horizontal flip does to an arrow pointing left. The"
                + " policy is trained as given. Fix: remove %s from %s, or train without --policy so that the search vetoes it",
                moved, Math.round(100 * DistanceGroups.LABEL_CHANGE), vetoed.size() == 1 ? "that step" : "those steps", file);
        evidence.put("warning", warning);
        return new Decision<>("policy-check", "label-changing: " + names, Origin.DERIVED, "distance analysis", how + ". " + warning,
                evidence, cost);
    }

    private static Decision<String> notChecked(String why) {
        return new Decision<>("policy-check", "not checked", Origin.DERIVED, "rule", "the replayed policy's steps were not checked"
                + " for changing labels: " + why, Map.of(), Duration.ZERO);
    }
}
