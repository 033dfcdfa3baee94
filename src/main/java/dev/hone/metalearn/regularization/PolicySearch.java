package dev.hone.metalearn.regularization;

import dev.hone.augment.AugmentationPolicy;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The search for the regularization policy, each candidate judged by a short training run on a
 * subset (a pretext problem in the paper's sense), never by black-box optimisation.
 *
 * <p>Everything is searched jointly, in three stages:
 * <ol>
 *   <li><b>Singles.</b> Each regularizer on its own: every (transform, magnitude) pair the distance
 *       analysis kept, one per transform at the largest magnitude in the gentler half of the
 *       distance groups (gentlest first), two weight decays and dropout, which race; and label
 *       smoothing, MixUp and CutMix, which do not. The race is successive halving's first rung
 *       (Jamieson and Talwalkar, arXiv:1502.07943): as many as its share of the trial limit allows,
 *       for one epoch, the best {@link #SURVIVORS} going on to a full-length trial. The soft-label
 *       singles all get a full-length trial: a short trial is where a regularizer that slows fitting
 *       looks worst, and they were measured to race last of 17-18 singles on two datasets while
 *       coming first or second in whole runs (docs/BENCHMARKS.md, "Short trials against full runs").</li>
 *   <li><b>Beam search</b> over combinations: the {@link #BEAM} best policies each take the next
 *       best single they lack, and the best one also tries every transform one measured magnitude
 *       stronger (per-transform magnitudes). Two rounds.</li>
 *   <li><b>Decisions on evidence.</b> A full-length candidate replaces the incumbent (first the
 *       plain run) only when the paired bootstrap over the same validation images says its
 *       validation loss is lower, significantly at {@link PairedComparison#LEVEL} one-sided, and
 *       its score (accuracy) is not significantly lower, in the same test of the score (a
 *       non-inferiority check: a strict "not lower" would veto half the candidates whose score is
 *       truly the same). Full-length trials are ranked by validation loss. In
 *       12-epoch continuations on Fashion-MNIST with 10% of the labels, the loss ranked five
 *       candidates as whole runs did (CutMix, shear, plain and the vertical flip in order; only
 *       brightness moved), while accuracy put CutMix third. Otherwise the run trains plain, and says why.</li>
 * </ol>
 * The distance grouping is what collapses the space: one magnitude per transform (the largest still
 * gentle) instead of every pair, and the stronger magnitudes only for transforms that earned a place.
 */
public final class PolicySearch {
    static final double LABEL_SMOOTHING = 0.1;
    static final double MIXUP_ALPHA = 0.2;
    static final double CUTMIX_ALPHA = 1.0;
    static final double[] WEIGHT_DECAY_FACTORS = {0.3, 3.0};
    static final double DROPOUT = 0.2;
    /** The race's first rung, as a share of a full trial: one epoch of a 12-epoch continuation. */
    public static final double RACE_LENGTH = 1.0 / 12;
    /** Raced singles that go on to a full-length trial, besides the soft-label singles, which do not race. */
    static final int SURVIVORS = 2;
    /** Full-length singles aimed at: the survivors and the soft-label singles, or more survivors where there are none. */
    static final int FULL_LENGTH_SINGLES = 5;
    /** Policies the beam keeps from one round to the next. */
    static final int BEAM = 2;
    static final int BEAM_ROUNDS = 2;
    /**
     * Shares of the trial limit the stages may fill, cumulatively: the race up to 15%, the full-length
     * singles up to 75% (but at least two of them where the limit allows), the beam the rest. With the
     * full limit of 8 the race (about 14 singles at a twelfth) fits in its share; with less, fewer
     * singles race, and full-length trials are still left to decide.
     */
    static final double RACE_SHARE = 0.15;
    static final double SINGLES_SHARE = 0.75;

    private PolicySearch() {}

    /** Runs one candidate: a short training on the search subset, scored on validation. */
    public interface Trial {
        /** @param length the share of a full trial to train for: 1, or {@link #RACE_LENGTH} in the race */
        Outcome run(String label, RegularizationPolicy candidate, double length);

        /** The share of a full trial that a run asked for {@code length} really trains (whole epochs round it). */
        default double actualLength(double length) {
            return length;
        }
    }

    /**
     * A trial's validation score (the task's metric; accuracy for single-label) and loss, its wall
     * time, and its predictions on the validation images, which the paired comparison needs.
     */
    public record Outcome(double accuracy, double loss, double seconds, Predictions predictions) {
        public Outcome(double accuracy, double loss, double seconds) {
            this(accuracy, loss, seconds, null);
        }

        /** Higher score, then lower loss: a point estimate, for ranking; acceptance needs {@link PairedComparison}. */
        public boolean beats(Outcome other) {
            if (Math.abs(accuracy - other.accuracy) > 1e-9) {
                return accuracy > other.accuracy;
            }
            return loss < other.loss;
        }
    }

    /**
     * One trial of the search, in order.
     *
     * @param length the share of a full trial it trained for
     * @param comparison against the incumbent of the time, for full-length trials; null in the race
     * @param rejection why a significant loss reduction was not kept (the score's non-inferiority check), else null
     */
    public record Step(String stage, String label, String policy, Outcome outcome, boolean accepted, double length,
            PairedComparison comparison, String rejection) {
        Step unaccepted() {
            return new Step(stage, label, policy, outcome, false, length, comparison, rejection);
        }
    }

    /**
     * What one step of the chosen policy added over the step before it: validation score, and validation loss removed. The
     * steps run from the plain run to the chosen policy, each holding the one before ({@link #contributions}), so the gains add
     * up to the chosen policy's over the plain run.
     */
    public record Contribution(String technique, double accuracyGain, double lossReduction) {}

    /** A candidate that replaced the incumbent, with its scores. */
    record Kept(Candidate candidate, double accuracy, double loss) {}

    /**
     * The chosen policy's contributions: from the last kept candidate (the chosen one) back, each earlier kept candidate
     * whose singles it holds, so that a candidate a later one replaced without holding it (a single that lost to
     * another single) is left out; each step is named by the singles it adds over the step before, or by its own label
     * where it adds none (a stronger magnitude), and its gains are over the step before, the first's over the plain run.
     */
    static List<Contribution> contributions(List<Kept> kept, Outcome plain) {
        if (kept.isEmpty()) {
            return List.of();
        }
        List<Kept> chain = new ArrayList<>(List.of(kept.get(kept.size() - 1)));
        for (int i = kept.size() - 2; i >= 0; i--) {
            if (chain.get(0).candidate().parts().containsAll(kept.get(i).candidate().parts())) {
                chain.add(0, kept.get(i));
            }
        }
        List<Contribution> out = new ArrayList<>();
        double accuracy = plain.accuracy();
        double loss = plain.loss();
        List<String> before = List.of();
        for (Kept k : chain) {
            List<String> previous = before;
            List<String> added = k.candidate().parts().stream().filter(x -> !previous.contains(x)).toList();
            out.add(new Contribution(added.isEmpty() ? k.candidate().label() : String.join(" + ", added), k.accuracy() - accuracy,
                    loss - k.loss()));
            accuracy = k.accuracy();
            loss = k.loss();
            before = k.candidate().parts();
        }
        return out;
    }

    /**
     * @param chosen the policy to train with
     * @param fallbackReason why the search fell back to no regularization, or null
     * @param skipped stages the trial limit left out
     */
    public record Result(RegularizationPolicy chosen, Outcome chosenOutcome, Outcome baseline, List<Step> steps,
            List<Contribution> contributions, String fallbackReason, List<String> skipped) {}

    /**
     * @param baseline the outcome of the plain run (no regularization), already measured at full length
     * @param groups the distance analysis, label-changing pairs already left out of its groups
     * @param baseWeightDecay the optimization learner's weight decay, which the decay candidates scale; NaN where the user
     *     fixed it, so that no candidate changes it
     * @param maxTrials full-length trials the time allows, the baseline excluded; a race trial counts {@link #RACE_LENGTH}
     * @param task the task: its score for the non-inferiority check, and whether its targets take label smoothing, MixUp
     *     and CutMix (not detection's boxes)
     * @param seed the comparisons' resampling seed
     */
    public static Result search(Trial trial, Outcome baseline, DistanceGroups groups, double baseWeightDecay,
            boolean dropoutAvailable, double maxTrials, Task task, long seed) {
        return new Search(trial, baseline, maxTrials, task, seed).run(singles(groups, baseWeightDecay, dropoutAvailable,
                task.softLabels()), groups);
    }

    /**
     * A named candidate: the singles it is made of, and its policy.
     *
     * @param races whether a short trial may eliminate it (not the soft-label singles)
     */
    record Candidate(String label, List<String> parts, RegularizationPolicy policy, boolean races) {
        Candidate(String label, List<String> parts, RegularizationPolicy policy) {
            this(label, parts, policy, true);
        }
    }

    /**
     * Every regularizer on its own: augmentation pairs gentlest first, alternating with label
     * smoothing, stronger decay, MixUp, dropout, CutMix and weaker decay, in that order (no decay where
     * {@code baseWeightDecay} is NaN, fixed by the user).
     */
    static List<Candidate> singles(DistanceGroups groups, double baseWeightDecay, boolean dropoutAvailable, boolean softLabels) {
        List<Candidate> augmentations = new ArrayList<>();
        RegularizationPolicy start = RegularizationPolicy.searchStart();
        for (DistanceGroups.Pair p : gentlePairs(groups)) {
            String label = p.transform() + String.format(" %.2f", p.magnitude());
            augmentations.add(new Candidate(label, List.of(label), start.withAugmentation(AugmentationPolicy.of(
                    dev.hone.augment.Transform.fromId(p.transform()), p.magnitude()), 0)));
        }
        List<Candidate> others = new ArrayList<>();
        if (softLabels) {
            others.add(unraced("label smoothing " + LABEL_SMOOTHING, start.withSoftLabels(LABEL_SMOOTHING, 0, 0)));
        }
        boolean decay = !Double.isNaN(baseWeightDecay); // NaN: fixed by the user
        if (decay) {
            others.add(single(String.format("weight decay x%.1f", WEIGHT_DECAY_FACTORS[1]), start.withWeightDecay(baseWeightDecay
                    * WEIGHT_DECAY_FACTORS[1])));
        }
        if (softLabels) {
            others.add(unraced("mixup alpha " + MIXUP_ALPHA, start.withSoftLabels(0, MIXUP_ALPHA, 0)));
        }
        if (dropoutAvailable) {
            others.add(single("dropout " + DROPOUT, start.withDropout(DROPOUT)));
        }
        if (softLabels) {
            others.add(unraced("cutmix alpha " + CUTMIX_ALPHA, start.withSoftLabels(0, 0, CUTMIX_ALPHA)));
        }
        if (decay) {
            others.add(single(String.format("weight decay x%.1f", WEIGHT_DECAY_FACTORS[0]), start.withWeightDecay(baseWeightDecay
                    * WEIGHT_DECAY_FACTORS[0])));
        }
        // alternate augmentation and the other kinds, so a short race still sees some of each
        return alternate(augmentations, others);
    }

    /** a[0], b[0], a[1], b[1], ..., the longer list's rest at the end. */
    static List<Candidate> alternate(List<Candidate> a, List<Candidate> b) {
        List<Candidate> out = new ArrayList<>();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            if (i < a.size()) {
                out.add(a.get(i));
            }
            if (i < b.size()) {
                out.add(b.get(i));
            }
        }
        return out;
    }

    private static Candidate single(String label, RegularizationPolicy p) {
        return new Candidate(label, List.of(label), p);
    }

    private static Candidate unraced(String label, RegularizationPolicy p) {
        return new Candidate(label, List.of(label), p, false);
    }

    /**
     * One pair per transform: its largest magnitude within the gentler half of the distance groups
     * ({@link DistanceGroups#policyAt}), or its gentlest pair when all are farther; sorted by distance.
     */
    static List<DistanceGroups.Pair> gentlePairs(DistanceGroups groups) {
        Map<String, Double> chosen = new TreeMap<>(groups.policyAt((groups.levels() + 1) / 2));
        groups.groups().forEach(g -> g.forEach(p -> chosen.putIfAbsent(p.transform(), p.magnitude())));
        List<DistanceGroups.Pair> out = new ArrayList<>();
        chosen.forEach((t, m) -> out.add(new DistanceGroups.Pair(t, m, groups.distance(t, m))));
        out.sort(Comparator.comparingDouble(DistanceGroups.Pair::distance).thenComparing(DistanceGroups.Pair::transform));
        return out;
    }

    private static final class Search {
        private final Trial trial;
        private final Outcome baseline;
        private final double maxTrials;
        private final Task task;
        private final long seed;
        private final List<Step> steps = new ArrayList<>();
        private final List<Kept> kept = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();
        private final Map<String, Outcome> tried = new LinkedHashMap<>();
        private double spent;
        private Candidate incumbent = new Candidate("plain", List.of(), RegularizationPolicy.searchStart());
        private Outcome incumbentOutcome;

        Search(Trial trial, Outcome baseline, double maxTrials, Task task, long seed) {
            this.trial = trial;
            this.task = task;
            this.baseline = baseline;
            this.maxTrials = maxTrials;
            this.seed = seed;
            this.incumbentOutcome = baseline;
        }

        /** Whether a trial of {@code length} fits within {@code share} of the trial limit, counting all trials so far. */
        private boolean canRun(String stage, double length, double share) {
            if (spent + length <= share * maxTrials + 1e-9) {
                return true;
            }
            if (!skipped.contains(stage)) {
                skipped.add(stage);
            }
            return false;
        }

        /**
         * Runs a candidate, compares a full-length one with the incumbent, and keeps it when significant.
         * Only the incumbent's and the baseline's predictions are kept (segmentation's masks are large);
         * the outcome returned and recorded is the score alone.
         */
        private Outcome run(String stage, Candidate c, double length) {
            Outcome o = trial.run(c.label(), c.policy(), length);
            double ran = trial.actualLength(length);
            spent += ran;
            boolean full = length >= 1;
            PairedComparison cmp = full ? compare(o, incumbentOutcome) : null;
            String rejection = cmp != null && cmp.significant() ? scoreVeto(o, incumbentOutcome) : null;
            boolean kept = cmp != null && cmp.significant() && rejection == null;
            Outcome score = new Outcome(o.accuracy(), o.loss(), o.seconds());
            steps.add(new Step(stage, c.label(), c.policy().describe(), score, kept, ran, cmp, rejection));
            if (full) {
                tried.put(key(c.policy()), score);
            }
            if (kept) {
                this.kept.add(new Kept(c, o.accuracy(), o.loss()));
                incumbent = c;
                incumbentOutcome = o;
            }
            return score;
        }

        /** The paired comparison of per-image validation losses; null without predictions. */
        private PairedComparison compare(Outcome candidate, Outcome reference) {
            if (candidate.predictions() == null || reference.predictions() == null) {
                return null;
            }
            return PairedComparison.ofLoss(candidate.predictions(), reference.predictions(), seed);
        }

        /** A significantly lower loss, and a score not significantly lower than the reference's ({@link #scoreVeto}). */
        private boolean better(Outcome candidate, PairedComparison cmp, Outcome reference) {
            return cmp != null && cmp.significant() && scoreVeto(candidate, reference) == null;
        }

        /**
         * The non-inferiority check: why a candidate is not kept for all its loss reduction, or null. It is vetoed when the
         * reference's score is significantly above the candidate's, in the paired bootstrap of the task's metric at
         * {@link PairedComparison#LEVEL}, one-sided. A lower score inside the noise (on the footwear data, 4 images of 2,000
         * against a loss reduction with p=0.009) does not veto a significant loss reduction; a lower score without
         * predictions to test does.
         */
        private String scoreVeto(Outcome candidate, Outcome reference) {
            if (candidate.accuracy() >= reference.accuracy() - 1e-9) {
                return null;
            }
            String lower = String.format(java.util.Locale.ROOT, "its loss reduction is significant, but its score %.4f is below"
                    + " the incumbent's %.4f", candidate.accuracy(), reference.accuracy());
            if (candidate.predictions() == null || reference.predictions() == null) {
                return lower + ", with no predictions to test the difference";
            }
            PairedComparison drop = PairedComparison.of(task, reference.predictions(), candidate.predictions(), seed);
            return drop.significant() ? lower + ", significantly (" + drop.describe() + ")" : null;
        }

        Result run(List<Candidate> singles, DistanceGroups groups) {
            List<Candidate> finalists = finalists(singles);
            List<Scored> ranked = new ArrayList<>();
            for (Candidate c : finalists) {
                // at least two full-length singles when the limit allows, so the beam has something to combine
                double share = ranked.size() < 2 ? Math.max(SINGLES_SHARE, (spent + 1) / maxTrials) : SINGLES_SHARE;
                if (!canRun("full-length singles", 1, share)) {
                    break;
                }
                ranked.add(new Scored(c, run("full-length singles", c, 1)));
            }
            ranked.sort(BY_LOSS);
            beam(ranked, groups);
            if (incumbent.parts().isEmpty()) {
                Step best = steps.stream().filter(x -> x.length() >= 1).reduce((x, y) -> lower(y.outcome(), x.outcome()) ? y : x)
                        .orElse(null);
                String reason = best == null ? "no candidate could be trained in the time allowed"
                        : String.format("no candidate beat the plain run significantly (lowest loss %s: %.4f vs plain %.4f, "
                                + "reduction %s; score %.4f vs %.4f)", best.label(), best.outcome().loss(), baseline.loss(),
                                describe(best.comparison()), best.outcome().accuracy(), baseline.accuracy());
                return new Result(RegularizationPolicy.searchStart(), baseline, baseline, steps, List.of(), reason, skipped);
            }
            PairedComparison overPlain = compare(incumbentOutcome, baseline);
            if (overPlain != null && !better(incumbentOutcome, overPlain, baseline)) {
                // nothing is kept: the steps that replaced an incumbent along the way are not the policy trained with
                steps.replaceAll(Step::unaccepted);
                return new Result(RegularizationPolicy.searchStart(), baseline, baseline, steps, List.of(), String.format(
                        "the chosen %s is not significantly better than the plain run (%s)", incumbent.label(), overPlain.describe()),
                        skipped);
            }
            return new Result(incumbent.policy(), incumbentOutcome, baseline, steps, contributions(kept, baseline), null, skipped);
        }

        private static String describe(PairedComparison c) {
            return c == null ? "not compared" : c.describe();
        }

        private record Scored(Candidate candidate, Outcome outcome) {}

        private static final Comparator<Scored> BY_SCORE = (a, b) -> a.outcome().beats(b.outcome()) ? -1
                : b.outcome().beats(a.outcome()) ? 1 : 0;

        /** Lower validation loss first, then higher score: how full-length trials are ranked. */
        private static final Comparator<Scored> BY_LOSS = (a, b) -> lower(a.outcome(), b.outcome()) ? -1
                : lower(b.outcome(), a.outcome()) ? 1 : 0;

        private static boolean lower(Outcome a, Outcome b) {
            if (Math.abs(a.loss() - b.loss()) > 1e-12) {
                return a.loss() < b.loss();
            }
            return a.accuracy() > b.accuracy();
        }

        /**
         * The singles that get a full-length trial, in order: the race's survivors alternating with the
         * soft-label singles (CutMix first, the strongest in whole runs), which never race.
         */
        private List<Candidate> finalists(List<Candidate> singles) {
            List<Candidate> unraced = new ArrayList<>(singles.stream().filter(c -> !c.races()).toList());
            java.util.Collections.reverse(unraced); // built as label smoothing, MixUp, CutMix
            int survivors = Math.max(SURVIVORS, FULL_LENGTH_SINGLES - unraced.size());
            return alternate(race(singles.stream().filter(Candidate::races).toList(), survivors), unraced);
        }

        /**
         * Successive halving's first rung: the singles for {@link #RACE_LENGTH} of a trial, the best
         * {@code survivors} go on. No race when no more than that many fit in its share: it would choose nothing.
         */
        private List<Candidate> race(List<Candidate> singles, int survivors) {
            double each = trial.actualLength(RACE_LENGTH);
            long fit = (long) Math.floor((RACE_SHARE * maxTrials - spent) / each + 1e-9);
            if (Math.min(singles.size(), fit) <= survivors) {
                return singles;
            }
            List<Scored> raced = new ArrayList<>();
            for (Candidate c : singles) {
                if (!canRun("race", each, RACE_SHARE)) {
                    break;
                }
                raced.add(new Scored(c, run("race", c, RACE_LENGTH)));
            }
            raced.sort(BY_SCORE);
            return raced.subList(0, Math.min(survivors, raced.size())).stream().map(Scored::candidate).toList();
        }

        /** Combinations: each of the best policies takes the next best single it lacks; the best also tries stronger magnitudes. */
        private void beam(List<Scored> ranked, DistanceGroups groups) {
            List<Scored> pool = new ArrayList<>(ranked);
            for (int round = 0; round < BEAM_ROUNDS && !pool.isEmpty(); round++) {
                List<Scored> beam = pool.subList(0, Math.min(BEAM, pool.size()));
                List<Candidate> next = new ArrayList<>();
                for (Scored s : beam) {
                    for (Scored add : ranked) {
                        Candidate merged = merge(s.candidate(), add.candidate());
                        if (merged != null && !tried.containsKey(key(merged.policy())) && !contains(next, merged)) {
                            next.add(merged);
                            break;
                        }
                    }
                }
                Candidate stronger = stronger(beam.get(0).candidate(), groups);
                if (stronger != null && !tried.containsKey(key(stronger.policy())) && !contains(next, stronger)) {
                    next.add(stronger);
                }
                if (next.isEmpty()) {
                    return;
                }
                for (Candidate c : next) {
                    if (!canRun("beam round " + (round + 1), 1, 1)) {
                        return;
                    }
                    pool.add(new Scored(c, run("beam round " + (round + 1), c, 1)));
                }
                pool.sort(BY_LOSS);
            }
        }

        private static boolean contains(List<Candidate> list, Candidate c) {
            return list.stream().anyMatch(x -> key(x.policy()).equals(key(c.policy())));
        }
    }

    /**
     * Both candidates' regularizers at once, or null when they overlap or clash: one soft-label
     * method and one weight decay at a time. Augmentations join, every step applied to every batch.
     */
    static Candidate merge(Candidate a, Candidate b) {
        if (b.parts().stream().anyMatch(a.parts()::contains)) {
            return null;
        }
        RegularizationPolicy p = a.policy();
        RegularizationPolicy q = b.policy();
        boolean softA = softLabels(p);
        boolean softB = softLabels(q);
        if ((softA && softB) || (p.weightDecay() != null && q.weightDecay() != null)) {
            return null;
        }
        AugmentationPolicy aug = p.augmentation();
        for (AugmentationPolicy.Step s : q.augmentation().steps()) {
            if (aug.steps().stream().anyMatch(x -> x.transform().equals(s.transform()))) {
                return null;
            }
            aug = aug.with(s.asTransform(), s.magnitude());
        }
        RegularizationPolicy merged = p.withAugmentation(aug, 0)
                .withSoftLabels(softA ? p.labelSmoothing() : q.labelSmoothing(), softA ? p.mixupAlpha() : q.mixupAlpha(),
                        softA ? p.cutmixAlpha() : q.cutmixAlpha())
                .withWeightDecay(p.weightDecay() != null ? p.weightDecay() : q.weightDecay())
                .withDropout(Math.max(p.dropout(), q.dropout()));
        List<String> parts = new ArrayList<>(a.parts());
        parts.addAll(b.parts());
        return new Candidate(a.label() + " + " + b.label(), List.copyOf(parts), merged);
    }

    private static boolean softLabels(RegularizationPolicy p) {
        return p.labelSmoothing() > 0 || p.mixupAlpha() > 0 || p.cutmixAlpha() > 0;
    }

    /** Every transform of the candidate at its next measured magnitude, or null when none has a stronger one. */
    static Candidate stronger(Candidate c, DistanceGroups groups) {
        AugmentationPolicy aug = c.policy().augmentation();
        List<String> raised = new ArrayList<>();
        for (AugmentationPolicy.Step s : c.policy().augmentation().steps()) {
            double next = Double.NaN;
            for (List<DistanceGroups.Pair> g : groups.groups()) {
                for (DistanceGroups.Pair p : g) {
                    boolean stronger = p.transform().equals(s.transform()) && p.magnitude() > s.magnitude() + 1e-9;
                    if (stronger && (Double.isNaN(next) || p.magnitude() < next)) {
                        next = p.magnitude();
                    }
                }
            }
            if (!Double.isNaN(next)) {
                aug = aug.with(s.asTransform(), next);
                raised.add(String.format("%s %.2f", s.transform(), next));
            }
        }
        if (raised.isEmpty()) {
            return null;
        }
        String label = c.label() + ", stronger: " + String.join(", ", raised);
        return new Candidate(label, c.parts(), c.policy().withAugmentation(aug, c.policy().augmentationsPerBatch()));
    }

    /** A policy's identity whatever the order its augmentation steps were added in. */
    static String key(RegularizationPolicy p) {
        List<AugmentationPolicy.Step> sorted = new ArrayList<>(p.augmentation().steps());
        sorted.sort(Comparator.comparing(AugmentationPolicy.Step::transform));
        return p.withAugmentation(new AugmentationPolicy(sorted)).describe();
    }

    /** The steps as JSON-able rows for the record. */
    public static List<Map<String, Object>> table(List<Step> steps) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Step s : steps) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("stage", s.stage());
            row.put("candidate", s.label());
            row.put("policy", s.policy());
            row.put("length", s.length());
            row.put("valAccuracy", s.outcome().accuracy());
            row.put("valLoss", s.outcome().loss());
            row.put("seconds", s.outcome().seconds());
            if (s.comparison() != null) {
                row.put("lossReductionOverIncumbent", s.comparison().gain());
                row.put("lossReductionInterval" + PairedComparison.INTERVAL_PERCENT, List.of(s.comparison().low(), s.comparison().high()));
                row.put("pValue", s.comparison().pValue());
            }
            row.put("kept", s.accepted());
            if (s.rejection() != null) {
                row.put("notKept", s.rejection());
            }
            rows.add(row);
        }
        return rows;
    }
}
