package dev.hone.metalearn.regularization;

import dev.hone.data.ImageSet;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.record.ChartSpec;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The regularization meta-learner: a plain warm-up on a subset of the training split, the distance
 * analysis of every (transform, magnitude) pair on its features (vetoing pairs that change the
 * predicted class), then the joint {@link PolicySearch} (a race of single regularizers, a beam
 * search over their combinations, and paired tests) over augmentation, soft labels, weight decay
 * and dropout. Each candidate continues the warm-up's weights for {@link #CONTINUATION_TO_WARM_UP} times as many epochs, scored on
 * up to {@link #VALIDATION_IMAGES} images (training images outside the subset where those
 * outnumber the validation split's, else validation images), against a plain continuation of the
 * same length. Where too little training or fewer than {@link #MIN_SCORING_IMAGES} scoring images
 * leave the search unable to tell policies apart, or the final run passes over its images fewer than
 * {@link #MIN_SEARCH_PASSES} times (fewer than a trial does), {@link SmallDataPrior}'s rule decides instead:
 * the small-data prior, {@link CutMixPrior}'s CutMix, or nothing.
 *
 * <p>Why continue rather than start afresh: regularization pays off late, once a network fits its
 * data. Trials from scratch, a few hundred steps long, were measured on Fashion-MNIST to prefer no
 * augmentation at every distance level (86.7% plain vs 83.8-85.9%), while the final run trains for
 * ten thousand steps. Continuing a model that has already fit its subset puts each candidate where
 * regularization acts.
 *
 * <p>Why continue so long: continuations half as long as the warm-up did not predict whole runs on
 * two datasets (docs/BENCHMARKS.md, "Short trials against full runs"). On Fashion-MNIST with 10% of
 * the labels, CutMix, the best of seven whole runs, trailed the plain continuation after 1 and 4
 * epochs (validation loss 0.4185 vs 0.3980, 0.3535 vs 0.3466) and led it after 12 (0.3225 vs 0.3644,
 * the plain model overfitting by then), where the validation loss ranked the five candidates
 * measured as whole runs did but one.
 *
 * <p>Its cost is bounded: it trains on at most {@link #SEARCH_TO_FINAL} times the images of the
 * final training (the paper allows 1.5x), and with a budget it gets {@link #BUDGET_SHARE} of the
 * time left (a third of the final training), the trial size derived from the measured speed.
 */
public final class RegularizationLearner {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    /** Share of the budget left after the optimization learners that the search may spend. */
    public static final double BUDGET_SHARE = 0.25;
    /** Epochs of each trial over its subset: the final run's passes over the data, within these bounds. */
    static final int MIN_TRIAL_EPOCHS = 5;
    static final int MAX_TRIAL_EPOCHS = 8;
    /** A trial's epochs (continuing the warm-up) per warm-up epoch: 12 after an 8-epoch warm-up. */
    static final double CONTINUATION_TO_WARM_UP = 1.5;
    /**
     * Full-length trials the search can use after the plain run: about 14 singles raced for one epoch
     * (together a bit more than one trial), 5 singles at full length, and the beam's two or so.
     */
    static final int MAX_TRIALS = 8;
    /** Below this many search trials the comparison says too little to act on. */
    static final int MIN_TRIALS = 3;
    /**
     * Below this many warm-up steps the trials say nothing: in the 2-minute demo, 40 steps left the
     * plain run at 43% validation accuracy and the search picked a policy that cost 2 points.
     */
    static final int MIN_WARM_UP_STEPS = 100;
    static final int MAX_SUBSET = 6000;
    /**
     * The continuations' peak learning rate, as a share of the optimization learner's. A continuation
     * fine-tunes a model that already fits its subset: re-warming to the from-scratch peak threw the
     * warm start away in short trials (measured on 1,024 Fashion-MNIST images: one-epoch continuations
     * at the full peak fell from 78% to 19-54% validation accuracy).
     */
    static final double CONTINUATION_LEARNING_RATE = 0.3;
    /**
     * The search trains on at most this many times the final training's images: inside the paper's
     * 1.5x, and with a budget the time share binds first.
     */
    static final double SEARCH_TO_FINAL = 1.0;
    static final int MIN_SUBSET = 512;
    /** Images each trial is scored on: 2,000 resolve a gain of about one point at the 5% level. */
    static final int VALIDATION_IMAGES = 2000;
    /**
     * Below this many scoring images the search cannot tell policies apart, and the small-data prior's rule decides.
     * 2,000 images resolve about one point, so 200 resolve about three: the prior's measured gain over no
     * regularization on 540 Fashion-MNIST images (83.59% against 80.45%). There, the search scored on the 60
     * validation images of 1% of the labels found no candidate significant (p=0.052 for a loss reduction of 0.17) and
     * trained plain, 3 to 6.5 points below the prior (docs/BENCHMARKS.md, issue 10).
     */
    static final int MIN_SCORING_IMAGES = 200;
    /**
     * Below this many passes of the final run over its training images (the search's allowance given back) the search
     * does not run: each trial makes {@link #MAX_TRIAL_EPOCHS} warm-up and 12 continued epochs over its subset, 20 passes,
     * and would rank policies for a longer training than the final run's. On W1 at 30 minutes, a machine that trained 9 to
     * 12 final epochs after the search's 333 to 370 s scored 93.91% (two seeds) against 93.96% for the plain run, while
     * CutMix alone, with no search, scored 94.31% at 13 epochs ({@link CutMixPrior}; docs/BENCHMARKS.md, issue 14). With
     * 20 and more passes, on faster days, the search gained +0.55 points over the plain run (three seeds).
     */
    static final int MIN_SEARCH_PASSES = 20;
    static final int DISTANCE_IMAGES = 512;
    public static final int MONITOR_IMAGES = 64;

    private RegularizationLearner() {}

    /**
     * What the learner chose: the policy, the decisions that explain it, the search's wall time, and
     * the chosen policy's training speed relative to the plain run's (augmentation costs time, and a
     * budget plan must know how much).
     */
    public record Result(RegularizationPolicy policy, List<Decision<?>> decisions, double searchSeconds, double speedFactor) {}

    /**
     * @param setup the optimization learners' choices (optimizer, learning rate, decay, batch)
     * @param allowanceSeconds time the search may take, or 0 for no budget
     * @param imagesPerSecond measured training speed at the chosen batch
     * @param finalTrainingImages images the final training will see, which bounds the search's cost; a negative count
     *     (a budget already overrun by meta-learning) counts as 0
     */
    public static Result learn(TrialRunner.Setup setup, ImageSet train, ImageSet validation, boolean dropoutAvailable,
            double allowanceSeconds, double imagesPerSecond, long finalTrainingImages) {
        return learn(setup, train, validation, dropoutAvailable, allowanceSeconds, imagesPerSecond, finalTrainingImages, true);
    }

    /**
     * As {@link #learn(TrialRunner.Setup, ImageSet, ImageSet, boolean, double, double, long)}.
     *
     * @param searchWeightDecay whether the search may try other weight decays: not when the user fixed it
     */
    public static Result learn(TrialRunner.Setup setup, ImageSet train, ImageSet validation, boolean dropoutAvailable,
            double allowanceSeconds, double imagesPerSecond, long finalTrainingImages, boolean searchWeightDecay) {
        finalTrainingImages = Math.max(0, finalTrainingImages);
        long start = System.nanoTime();
        // as many passes over the subset as the final training makes over the data, so the trials overfit as much as it would
        int epochs = (int) Math.max(MIN_TRIAL_EPOCHS, Math.min(MAX_TRIAL_EPOCHS, Math.round((double) finalTrainingImages / train.size())));
        double trials = MAX_TRIALS;
        // the search trains at most SEARCH_TO_FINAL times the images of the final training, and with a budget fits its allowance
        double images = SEARCH_TO_FINAL * finalTrainingImages;
        if (allowanceSeconds > 0) {
            images = Math.min(images, allowanceSeconds * imagesPerSecond * 0.8);
        }
        int continued = (int) Math.round(CONTINUATION_TO_WARM_UP * epochs);
        // the warm-up, the plain continuation and the trials; the distance analysis costs about one more continuation
        int subset = (int) Math.min(Math.min(train.size(), MAX_SUBSET), images / (epochs + (trials + 2.0) * continued));
        // at least MIN_SUBSET images, and enough for the warm-up's MIN_WARM_UP_STEPS at the batch size, in whole multiples of 256
        int forSteps = (int) Math.ceil((double) MIN_WARM_UP_STEPS * setup.batchSize() / epochs / 256) * 256;
        int smallest = Math.min(train.size(), Math.max(MIN_SUBSET, forSteps));
        if (subset < smallest) {
            subset = smallest;
            trials = Math.min(MAX_TRIALS, Math.floor((images / subset - epochs) / continued) - 2);
        } else if (subset < train.size()) {
            // whole multiples of 256, so small differences in measured speed between runs of one seed rarely change the subset
            subset = Math.max(smallest, subset / 256 * 256);
        }
        long warmUpSteps = (long) subset * epochs / Math.max(1, Math.min(setup.batchSize(), subset));
        // without a search the final run gets the allowance back: the passes a prior trains
        double passes = (Math.max(0, finalTrainingImages) + Math.max(0, allowanceSeconds) * imagesPerSecond) / train.size();
        // the trials never see the training images outside their subset: where those outnumber the validation
        // images, they score the trials instead, resolving smaller gains and leaving validation to the final run
        int heldOut = Math.max(0, Math.min(train.size() - subset, VALIDATION_IMAGES));
        int validationScored = Math.min(validation.size(), VALIDATION_IMAGES);
        boolean scoreOnHeldOut = heldOut > validationScored;
        int scoring = Math.max(heldOut, validationScored);
        if (trials < MIN_TRIALS || warmUpSteps < MIN_WARM_UP_STEPS) {
            // which bound set the images: the final training's (SEARCH_TO_FINAL of them) or the budget's allowance
            String bound = images < SEARCH_TO_FINAL * finalTrainingImages
                    ? String.format(java.util.Locale.ROOT, "what its %.0f s of the budget allow, %.2fx the %d images the final run"
                            + " would train after a search", allowanceSeconds, images / Math.max(1, finalTrainingImages),
                            finalTrainingImages)
                    : String.format(java.util.Locale.ROOT, "%.1fx the %d images the final run would train after a search",
                            SEARCH_TO_FINAL, Math.max(0, finalTrainingImages));
            String why = String.format("the search may train on %.0f images (%s), too few for the plain run and %d candidates"
                    + " of %d images x %d epochs of at least %d steps", Math.max(0, images), bound, MIN_TRIALS, subset, epochs,
                    MIN_WARM_UP_STEPS);
            return prior("too little training to search", why, passes, dropoutAvailable, setup.task(),
                    Map.of("allowanceSeconds", allowanceSeconds, "finalTrainingImages", finalTrainingImages));
        }
        if (scoring < MIN_SCORING_IMAGES) {
            String why = String.format("the search would score its trials on %d images, fewer than the %d that resolve a gain"
                    + " of about 3 points", scoring, MIN_SCORING_IMAGES);
            return prior("too few images to score the search", why, passes, dropoutAvailable, setup.task(),
                    Map.of("scoringImages", scoring, "finalTrainingImages", finalTrainingImages));
        }
        if (passes < MIN_SEARCH_PASSES) {
            String why = String.format("each trial would pass over its subset %d times, more than the final run passes over"
                    + " its images, so the trials would rank policies for a longer training than the final run's", MIN_SEARCH_PASSES);
            return prior("too few passes to search", why, passes, dropoutAvailable, setup.task(),
                    Map.of("allowanceSeconds", allowanceSeconds, "finalTrainingImages", finalTrainingImages));
        }
        int[] order = EpochOrder.permutation(setup.seed(), 0, train.size());
        ImageSet trainSubset = train.subset(Arrays.copyOf(order, subset));
        // a seeded sample, not the first images: a split can be sorted by class (folders are read one class at a time)
        int[] first = Arrays.copyOf(EpochOrder.permutation(setup.seed(), 1, validation.size()), validationScored);
        String scoredOn = scoreOnHeldOut ? "training images outside the subset" : "validation images";
        ImageSet valSubset = scoreOnHeldOut ? train.subset(Arrays.copyOfRange(order, subset, subset + heldOut)) : validation.subset(first);
        ImageSet monitorSubset = validation.subset(Arrays.copyOf(first, Math.min(first.length, MONITOR_IMAGES)));
        LOG.info("learner: regularization search on {} training images: a {}-epoch warm-up, then up to {} trials continuing it for "
                + "{} epochs, scored on {} {}", subset, epochs, (int) trials + 1, continued, valSubset.size(), scoredOn);
        TrialRunner.Setup trialSetup = setup.withEpochs(epochs);
        try (ResidentDataset t = new ResidentDataset(trainSubset, setup.norm(), setup.device(), setup.task());
                ResidentDataset v = new ResidentDataset(valSubset, setup.norm(), setup.device(), setup.task());
                ResidentDataset monitor = new ResidentDataset(monitorSubset, setup.norm(), setup.device(), setup.task())) {
            TrialRunner runner = new TrialRunner(trialSetup, t, v, monitor).withPhase("the regularization search");
            DistanceGroups[] groups = new DistanceGroups[1];
            float[][][] warm = new float[1][][];
            PolicySearch.Outcome warmUp = runner.run(RegularizationPolicy.searchStart(), model -> {
                groups[0] = DistanceAnalysis.measure(model.getBlock(), v, setup.norm(), (int) setup.input().get(0), DISTANCE_IMAGES,
                        setup.seed());
                warm[0] = TrialRunner.capture(model);
            });
            runner.continueFrom(warm[0], continued, CONTINUATION_LEARNING_RATE);
            PolicySearch.Outcome plain = runner.run("plain", RegularizationPolicy.searchStart(), 1);
            String metric = setup.task().validationMetric(); // ROC-AUC for a binary task, not accuracy
            LOG.info(String.format("learner: warm-up val %s %.4f (%.0f s); plain continuation: val %s %.4f, loss %.4f "
                    + "(%.0f s); %d pairs in %d distance groups, the gentlest = %s; vetoed as label-changing: %s", metric, warmUp.accuracy(),
                    warmUp.seconds(), metric, plain.accuracy(), plain.loss(), plain.seconds(), groups[0].pairs().size(), groups[0].levels(),
                    groups[0].policyAt(1), groups[0].vetoed().stream().map(p -> p.transform() + " " + p.magnitude()).toList()));
            PolicySearch.Result r = PolicySearch.search((label, p, length) -> {
                PolicySearch.Outcome o = runner.run(label, p, length);
                LOG.info(String.format("learner: trial %-40s %s val %s %.4f, loss %.4f (%.0f s)", label,
                        length < 1 ? "(race)" : "      ", metric, o.accuracy(), o.loss(), o.seconds()));
                return o;
            }, plain, groups[0], searchWeightDecay ? setup.weightDecay() : Double.NaN, dropoutAvailable, trials, setup.task(), setup.seed());
            double seconds = (System.nanoTime() - start) / 1e9;
            // speeds: the warm-up's first, then the plain continuation's, then each trial's
            List<Double> speeds = runner.imagesPerSecond().subList(1, runner.imagesPerSecond().size());
            Decision<String> d = decision(metric, r, groups[0], subset, epochs, continued, warmUp, valSubset.size(), scoredOn, seconds,
                    allowanceSeconds,
                    speeds);
            return new Result(r.chosen(), List.of(d), seconds, speedFactor(r, speeds));
        }
    }

    /** {@link SmallDataPrior}'s choice when the search cannot run, as this learner's result: no trial, no search time. */
    private static Result prior(String rule, String why, double passes, boolean dropoutAvailable, Task task,
            Map<String, Object> evidence) {
        SmallDataPrior.Chosen c = SmallDataPrior.choose(rule, why, passes, dropoutAvailable, task, evidence);
        return new Result(c.policy(), List.of(c.decision()), 0, 1);
    }

    /** The chosen trial's training speed over the plain run's, from the trials' measured images/s. */
    static double speedFactor(PolicySearch.Result r, List<Double> speeds) {
        int chosen = 0;
        for (int i = 0; i < r.steps().size(); i++) {
            if (r.steps().get(i).accepted()) {
                chosen = i + 1;
            }
        }
        if (r.fallbackReason() != null || chosen >= speeds.size() || speeds.get(0) <= 0) {
            return 1;
        }
        return Math.max(0.5, Math.min(1, speeds.get(chosen) / speeds.get(0)));
    }

    private static Decision<String> decision(String metric, PolicySearch.Result r, DistanceGroups groups, int subset, int epochs, int continued,
            PolicySearch.Outcome warmUp, int valImages, String scoredOn, double seconds, double allowance, List<Double> speeds) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        List<Map<String, Object>> table = new ArrayList<>();
        for (DistanceGroups.Pair p : groups.pairs()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("transform", p.transform());
            row.put("magnitude", p.magnitude());
            row.put("distance", p.distance());
            row.put("group", groups.groupOf(p.transform(), p.magnitude()));
            if (!Double.isNaN(p.classChange())) {
                row.put("classChange", p.classChange());
                row.put("vetoed", p.vetoed());
            }
            table.add(row);
        }
        evidence.put("distances", table);
        evidence.put("plainValAccuracy", r.baseline().accuracy());
        evidence.put("plainValLoss", r.baseline().loss());
        evidence.put("chosenValAccuracy", r.chosenOutcome().accuracy());
        evidence.put("trials", PolicySearch.table(r.steps()));
        evidence.put("significanceLevel", PairedComparison.LEVEL);
        evidence.put("vetoedPairs", groups.vetoed().stream().map(p -> p.transform() + " " + p.magnitude()).toList());
        evidence.put("pairsMeasured", groups.pairs().size());
        evidence.put("candidatesTried", r.steps().size());
        evidence.put("policiesWithoutGrouping", policiesWithoutGrouping(groups));
        List<Map<String, Object>> contributions = new ArrayList<>();
        r.contributions().forEach(c -> contributions.add(Map.of("technique", c.technique(), "valAccuracyGain", c.accuracyGain(),
                "valLossReduction", c.lossReduction())));
        evidence.put("contributions", contributions);
        evidence.put("contributionsChained", true); // rows along the chosen policy's steps (older records: each kept change)
        evidence.put("skippedStages", r.skipped());
        evidence.put("subsetImages", subset);
        evidence.put("warmUpEpochs", epochs);
        evidence.put("warmUpValAccuracy", warmUp.accuracy());
        evidence.put("trialEpochs", continued);
        evidence.put("scoredImages", valImages);
        evidence.put("scoredOn", scoredOn);
        evidence.put("searchSeconds", seconds);
        evidence.put("allowanceSeconds", allowance);
        evidence.put("trialImagesPerSecond", speeds);
        evidence.put(ChartSpec.EVIDENCE_KEY, List.of(distanceChart(groups), trialChart(r, metric)));
        String rationale = r.fallbackReason() != null
                ? "guard-rail: " + r.fallbackReason() + "; training without regularization"
                : String.format("validation loss %.4f vs %.4f and score %.4f vs %.4f for the plain run, each step's loss "
                        + "reduction significant in a paired bootstrap at the %.0f%% level on %d %s with a score not significantly"
                        + " lower, over %d full-length trials and %d one-epoch race trials, besides the plain run,"
                        + " on %d images continuing a %d-epoch warm-up for %d epochs; the chosen policy's steps from the plain"
                        + " run, each over the step before it (a candidate a later one replaced is left out): %s",
                        r.chosenOutcome().loss(), r.baseline().loss(), r.chosenOutcome().accuracy(), r.baseline().accuracy(),
                        100 * PairedComparison.LEVEL, valImages, scoredOn, r.steps().stream().filter(s -> s.length() > 0.5).count(),
                        r.steps().stream().filter(s -> s.length() <= 0.5).count(), subset, epochs, continued,
                        r.contributions().stream().map(c -> String.format("%s: loss %+.4f, score %+.4f", c.technique(),
                                -c.lossReduction(), c.accuracyGain())).toList());
        return new Decision<>("regularization-policy", r.chosen().describe(), Origin.LEARNED, "distance-grouped race and beam search",
                rationale, evidence, Duration.ofMillis((long) (seconds * 1000)));
    }

    /**
     * How many augmentation policies the measured pairs allow without the grouping: each transform
     * off or at one of its magnitudes (not counting soft labels, decay and dropout, which multiply
     * it by 24). The search tries one magnitude per transform alone, and combinations only of the best.
     */
    static double policiesWithoutGrouping(DistanceGroups groups) {
        Map<String, Integer> magnitudes = new LinkedHashMap<>();
        groups.pairs().stream().filter(p -> !p.vetoed()).forEach(p -> magnitudes.merge(p.transform(), 1, Integer::sum));
        return magnitudes.values().stream().mapToDouble(m -> m + 1).reduce(1, (a, b) -> a * b);
    }

    /** Distance against magnitude, one line per transform. */
    private static ChartSpec distanceChart(DistanceGroups groups) {
        Map<String, List<DistanceGroups.Pair>> byTransform = new LinkedHashMap<>();
        groups.pairs().forEach(p -> byTransform.computeIfAbsent(p.transform(), k -> new ArrayList<>()).add(p));
        Map<String, double[][]> series = new LinkedHashMap<>();
        byTransform.forEach((t, ps) -> series.put(t, new double[][] {
                ps.stream().mapToDouble(DistanceGroups.Pair::magnitude).toArray(),
                ps.stream().mapToDouble(DistanceGroups.Pair::distance).toArray()}));
        return new ChartSpec("Frechet distance of each (transform, magnitude) pair", "magnitude", "simplified Frechet distance",
                false, null, series);
    }

    /** The task's validation metric ({@code metric}: accuracy, ROC-AUC, ...) of each trial in search order; trial 0 is the plain run. */
    private static ChartSpec trialChart(PolicySearch.Result r, String metric) {
        int n = r.steps().size() + 1;
        double[] x = new double[n];
        double[] y = new double[n];
        y[0] = r.baseline().accuracy();
        for (int i = 1; i < n; i++) {
            x[i] = i;
            y[i] = r.steps().get(i - 1).outcome().accuracy();
        }
        return ChartSpec.of("regularization search: validation " + metric + " per trial (0 = plain)", "trial", "validation " + metric,
                false, null, "trial", x, y);
    }
}
