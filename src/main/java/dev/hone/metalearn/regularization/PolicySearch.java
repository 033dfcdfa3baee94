package dev.hone.metalearn.regularization;

import dev.hone.augment.AugmentationPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Greedy search for the regularization policy, each candidate judged by a short training run on
 * a subset (a pretext problem in the paper's sense), never by black-box optimisation.
 *
 * <p>Stages run in order, each keeping what the earlier ones chose, so the regularizers are chosen
 * together rather than one knob at a time: (1) the augmentation's distance level (a grid over the
 * levels); (2) pruning the most distant transforms of that level, one at a time (a transform that
 * changes the label hurts and is dropped here); (3) soft labels: label smoothing, MixUp or CutMix on
 * top; (4) weight decay and dropout. A candidate is kept only if it beats the current policy on
 * validation accuracy (validation loss breaks ties). Finally the guard-rail: the result must beat
 * no regularization, or the search falls back to none and says why.
 */
public final class PolicySearch {
    /** Transforms tried for removal, most distant first. */
    static final int PRUNED = 2;
    static final double LABEL_SMOOTHING = 0.1;
    static final double MIXUP_ALPHA = 0.2;
    static final double CUTMIX_ALPHA = 1.0;
    static final double[] WEIGHT_DECAY_FACTORS = {0.3, 3.0};
    static final double DROPOUT = 0.2;
    /**
     * Steps of a level each batch draws (RandAugment's N = 2): a level pools many transforms, and
     * applying all of them to every image at once distorts far more than any one of them; measured
     * on Fashion-MNIST, all of level 1 at once cost 2 points in the trials where the plain run had 86.3%.
     */
    static final int PER_BATCH = 2;

    private PolicySearch() {}

    /** Runs one candidate: a short training on the search subset, scored on validation. */
    public interface Trial {
        Outcome run(String label, RegularizationPolicy candidate);
    }

    /** A trial's validation accuracy and loss, and its wall time. */
    public record Outcome(double accuracy, double loss, double seconds) {
        public boolean beats(Outcome other) {
            if (Math.abs(accuracy - other.accuracy) > 1e-9) {
                return accuracy > other.accuracy;
            }
            return loss < other.loss;
        }
    }

    /** One trial of the search, in order. */
    public record Step(String stage, String label, String policy, Outcome outcome, boolean accepted) {}

    /** What one accepted technique added to validation accuracy over the policy before it. */
    public record Contribution(String technique, double accuracyGain) {}

    /**
     * @param chosen the policy to train with
     * @param fallbackReason why the search fell back to no regularization, or null
     */
    public record Result(RegularizationPolicy chosen, Outcome chosenOutcome, Outcome baseline, List<Step> steps,
            List<Contribution> contributions, String fallbackReason, List<String> skipped) {}

    /**
     * @param baseline the outcome of the plain run (no regularization), already measured
     * @param baseWeightDecay the optimization learner's weight decay, scaled in stage 4
     * @param maxTrials trials the time allows, the baseline excluded
     */
    public static Result search(Trial trial, Outcome baseline, DistanceGroups groups, double baseWeightDecay,
            boolean dropoutAvailable, int maxTrials) {
        return search(trial, baseline, groups, baseWeightDecay, dropoutAvailable, maxTrials, true);
    }

    /**
     * As {@link #search(Trial, Outcome, DistanceGroups, double, boolean, int)}.
     *
     * @param softLabels whether the task's targets take label smoothing, MixUp and CutMix (stage 3);
     *     without, the stage is left out (detection's boxes)
     */
    public static Result search(Trial trial, Outcome baseline, DistanceGroups groups, double baseWeightDecay,
            boolean dropoutAvailable, int maxTrials, boolean softLabels) {
        return new Search(trial, baseline, maxTrials, softLabels).run(groups, baseWeightDecay, dropoutAvailable);
    }

    private static final class Search {
        private final Trial trial;
        private final Outcome baseline;
        private final int maxTrials;
        private final boolean softLabels;
        private final List<Step> steps = new ArrayList<>();
        private final List<Contribution> contributions = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();
        private RegularizationPolicy current = RegularizationPolicy.searchStart();
        private Outcome currentOutcome;

        Search(Trial trial, Outcome baseline, int maxTrials, boolean softLabels) {
            this.trial = trial;
            this.softLabels = softLabels;
            this.baseline = baseline;
            this.maxTrials = maxTrials;
            this.currentOutcome = baseline;
        }

        private boolean canRun(String stage) {
            if (steps.size() < maxTrials) {
                return true;
            }
            if (!skipped.contains(stage)) {
                skipped.add(stage);
            }
            return false;
        }

        private Outcome run(String stage, String label, RegularizationPolicy candidate) {
            Outcome o = trial.run(label, candidate);
            steps.add(new Step(stage, label, candidate.describe(), o, false));
            return o;
        }

        private void accept(String technique, RegularizationPolicy candidate, Outcome o) {
            Step last = steps.remove(steps.size() - 1);
            steps.add(new Step(last.stage(), last.label(), last.policy(), last.outcome(), true));
            contributions.add(new Contribution(technique, o.accuracy() - currentOutcome.accuracy()));
            current = candidate;
            currentOutcome = o;
        }

        Result run(DistanceGroups groups, double baseWeightDecay, boolean dropoutAvailable) {
            levels(groups);
            prune(groups);
            if (softLabels) {
                best("soft labels", List.of(
                        new Named("label smoothing " + LABEL_SMOOTHING, current.withSoftLabels(LABEL_SMOOTHING, 0, 0)),
                        new Named("mixup alpha " + MIXUP_ALPHA, current.withSoftLabels(0, MIXUP_ALPHA, 0)),
                        new Named("cutmix alpha " + CUTMIX_ALPHA, current.withSoftLabels(0, 0, CUTMIX_ALPHA))));
            }
            List<Named> decay = new ArrayList<>();
            for (double f : WEIGHT_DECAY_FACTORS) {
                decay.add(new Named(String.format("weight decay x%.1f", f), current.withWeightDecay(baseWeightDecay * f)));
            }
            best("weight decay", decay);
            if (dropoutAvailable) {
                best("dropout", List.of(new Named("dropout " + DROPOUT, current.withDropout(DROPOUT))));
            }
            boolean improved = !contributions.isEmpty() && currentOutcome.beats(baseline);
            if (!improved) {
                String reason = contributions.isEmpty()
                        ? "no regularizer beat the plain run on validation"
                        : "the chosen policy did not beat the plain run on validation";
                return new Result(RegularizationPolicy.searchStart(), baseline, baseline, steps, List.of(),
                        String.format("%s (plain %.4f)", reason, baseline.accuracy()), skipped);
            }
            return new Result(current, currentOutcome, baseline, steps, contributions, null, skipped);
        }

        /**
         * Stage 1: a grid over the distance levels, the best kept. Every level is tried, not only
         * while each helps, so the most distant pairs (where a label-changing transform lands) are
         * always measured once rather than left unseen.
         */
        private void levels(DistanceGroups groups) {
            List<Named> candidates = new ArrayList<>();
            for (int level = 1; level <= groups.levels(); level++) {
                candidates.add(new Named("augmentation level " + level,
                        current.withAugmentation(RegularizationPolicy.augmentationOf(groups.policyAt(level)), PER_BATCH)));
            }
            best("augmentation level", candidates);
        }

        /** Stage 2: drop the most distant transforms one at a time when that helps. */
        private void prune(DistanceGroups groups) {
            List<AugmentationPolicy.Step> chosen = new ArrayList<>(current.augmentation().steps());
            chosen.sort(Comparator.comparingDouble((AugmentationPolicy.Step s) -> groups.distance(s.transform(), s.magnitude())).reversed());
            for (AugmentationPolicy.Step s : chosen.subList(0, Math.min(PRUNED, chosen.size()))) {
                if (chosen.size() < 2 || !canRun("pruning")) {
                    return;
                }
                List<AugmentationPolicy.Step> kept = new ArrayList<>(current.augmentation().steps());
                kept.removeIf(k -> k.transform().equals(s.transform()));
                RegularizationPolicy candidate = current.withAugmentation(new AugmentationPolicy(kept));
                Outcome o = run("pruning", "without " + s.transform(), candidate);
                if (o.beats(currentOutcome)) {
                    accept("removing " + s.transform(), candidate, o);
                }
            }
        }

        private record Named(String label, RegularizationPolicy policy) {}

        /** Stages 3 and 4: try each alternative on top of the current policy; keep the best if it helps. */
        private void best(String stage, List<Named> candidates) {
            Named winner = null;
            Outcome winning = currentOutcome;
            for (Named c : candidates) {
                if (!canRun(stage)) {
                    break;
                }
                Outcome o = run(stage, c.label(), c.policy());
                if (o.beats(winning)) {
                    winner = c;
                    winning = o;
                }
            }
            if (winner != null) {
                int index = indexOf(winner.label());
                Step s = steps.remove(index);
                steps.add(index, new Step(s.stage(), s.label(), s.policy(), s.outcome(), true));
                contributions.add(new Contribution(winner.label(), winning.accuracy() - currentOutcome.accuracy()));
                current = winner.policy();
                currentOutcome = winning;
            }
        }

        private int indexOf(String label) {
            for (int i = steps.size() - 1; i >= 0; i--) {
                if (steps.get(i).label().equals(label)) {
                    return i;
                }
            }
            throw new IllegalStateException(label);
        }
    }

    /** The steps as JSON-able rows for the record. */
    public static List<Map<String, Object>> table(List<Step> steps) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Step s : steps) {
            rows.add(Map.of("stage", s.stage(), "candidate", s.label(), "policy", s.policy(), "valAccuracy", s.outcome().accuracy(),
                    "valLoss", s.outcome().loss(), "seconds", s.outcome().seconds(), "kept", s.accepted()));
        }
        return rows;
    }
}
