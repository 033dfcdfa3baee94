package dev.hone.train;

import ai.djl.Model;
import dev.hone.loop.Evaluator;
import dev.hone.loop.PreciseBatchNorm;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.models.ModelFactory;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.regularize.TestTimeAugmentation;
import dev.hone.regularize.WeightAveraging;
import dev.hone.metalearn.regularization.PairedComparison;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import java.util.Arrays;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The choices made after training, on the validation split, in this order: whether the last weights' BatchNorm
 * statistics recomputed from training images help (PreciseBN, {@link PreciseBatchNorm}); which weights to keep (the
 * last, the EMA or the SWA average, each average with its statistics recomputed for its weights, as SWA's paper does);
 * and whether test-time flips help. Each candidate is kept only if it beats the choice so far on validation
 * significantly (a paired bootstrap at the 5% level), so they can never make the reported model worse there. They are
 * compared on a quarter of the split (at least 1,000 images), so that the averages and the flips together cost about
 * one validation pass, or on the whole split when the budget is long enough ({@link #wholeSplit}); PreciseBN forwards
 * up to 1,024 training images for the last weights and again for each average.
 */
final class FinalChoices {
    /** SWA averages the last quarter of the steps, where a decaying schedule's learning rate is low. */
    private static final double SWA_FRACTION = 0.25;
    /** Fewest validation images the after-training candidates are compared on, where the split has them. */
    static final int MIN_COMPARED = 1000;
    private static final long SEED = 17;

    private FinalChoices() {}

    /** The weight averages to keep during training: the policy's, or both EMA and SWA when validation is to choose. */
    static Map<String, WeightAveraging> averages(RegularizationPolicy policy, Model model, long totalSteps) {
        Map<String, WeightAveraging> a = new LinkedHashMap<>();
        String mode = policy.weightAveraging();
        if (mode == null || mode.equals("ema")) {
            a.put("ema", WeightAveraging.ema(model, WeightAveraging.emaDecay(totalSteps)));
        }
        if (mode == null || mode.equals("swa")) {
            a.put("swa", WeightAveraging.swa(model, totalSteps, SWA_FRACTION));
        }
        return a;
    }

    /** The averaging a policy fixes, or null when validation chooses (or there is none). */
    static String fixedAveraging(RegularizationPolicy policy) {
        return policy.weightAveraging() == null || policy.weightAveraging().equals("none") ? null : policy.weightAveraging();
    }

    /**
     * The weights kept ("last", "ema" or "swa"), whether to evaluate with flips, why, and the kept
     * choice's validation predictions (so the final evaluation does not predict the split again).
     */
    record Chosen(String weights, boolean testTimeAugmentation, List<Decision<?>> decisions, Predictions validation) {}

    /**
     * The training images PreciseBN may recompute BatchNorm statistics from: the training split (normalised as
     * trained), the training batch size, and the seed its sample of rows is drawn with.
     */
    record Recalibration(ResidentDataset train, int batchSize, long seed) {
        /** Images it forwards ({@link PreciseBatchNorm#images}). */
        int images() {
            return PreciseBatchNorm.images(train.size(), batchSize);
        }
    }

    /**
     * Share of the budget the candidates may take when they are compared on the whole validation split: on W1 (6,000
     * validation images, 30 minutes, seed 1 at 7b5b5ea) SWA scored +0.27 points over the last weights on a quarter of the
     * split ([-0.40, +0.93]) and PreciseBN +0.13 ([-0.13, +0.40]), intervals on 1,500 images too wide to keep either.
     */
    static final double WHOLE_SPLIT_SHARE = 0.02;
    /** Whole-split predictions the candidates take at the most: EMA, SWA, PreciseBN, flips (twice), and a spare. */
    private static final int MAX_CANDIDATE_PASSES = 6;
    /** PreciseBN's forwards of training images at the most: for the last weights and for each of the two averages. */
    private static final int RECALIBRATIONS = 3;

    /**
     * Whether the candidates are compared on the whole validation split rather than a quarter: when
     * {@value #MAX_CANDIDATE_PASSES} predictions of it and PreciseBN's {@value #RECALIBRATIONS} forwards of up to
     * {@value PreciseBatchNorm#IMAGES} training images, at a third of a training step's cost per image, fit
     * {@value #WHOLE_SPLIT_SHARE} of the budget. The speed is the plan's, measured before training, so the answer is
     * the same for the reserve and for the choices. A run without a budget compares a quarter, and so does a task with
     * per-pixel targets, whose predictions of a whole split (one per pixel and class) would be held several times over.
     *
     * @param budgetSeconds the run's budget in seconds, 0 when it has none
     * @param trainImagesPerSecond the plan's measured training speed in images per second, 0 when unknown
     * @param spatialTargets whether the task's targets are per pixel ({@link Task#spatialTargets})
     */
    static boolean wholeSplit(int validationImages, double budgetSeconds, double trainImagesPerSecond, boolean spatialTargets) {
        if (!(budgetSeconds > 0) || !(trainImagesPerSecond > 0) || spatialTargets) {
            return false;
        }
        double seconds = ((double) MAX_CANDIDATE_PASSES * validationImages + RECALIBRATIONS * PreciseBatchNorm.IMAGES)
                / (trainImagesPerSecond * dev.hone.metalearn.budget.BudgetPlanner.INFERENCE_SPEEDUP);
        return seconds <= WHOLE_SPLIT_SHARE * budgetSeconds;
    }

    /**
     * Validation images the after-training candidates are compared on: the whole split when {@link #wholeSplit}, else a
     * quarter of it, at least {@link #MIN_COMPARED}, so that the averages and the flips (which predict twice) together
     * cost about one validation pass.
     */
    static int comparedImages(int validationImages, boolean wholeSplit) {
        return wholeSplit ? validationImages : Math.min(validationImages, Math.max(MIN_COMPARED, validationImages / 4));
    }

    /**
     * The whole validation passes the final choices may take at the most, for the budget's reserve: the compared share
     * predicted once per average and twice with flips, and a kept candidate's predictions of the whole split when only a
     * share was compared (twice with flips). The last weights' predictions come from the last epoch (a budgeted run has no
     * early stopping).
     *
     * @param averages the averages kept during training (0 to 2)
     * @param flipsTried whether test-time flips will be compared
     * @param flipsFixed whether the policy fixes test-time flips on: the whole split is then predicted flipped (twice)
     * @param recalibrationImages training images PreciseBN forwards ({@link Recalibration#images}), 0 when it is not tried:
     *     it also predicts the compared share once, and forwards them again for each average
     * @param wholeSplit whether the candidates are compared on the whole split ({@link #wholeSplit})
     */
    static int validationPasses(int validationImages, int averages, boolean flipsTried, boolean flipsFixed,
            int recalibrationImages, boolean wholeSplit) {
        double split = Math.max(1, validationImages);
        double compared = comparedImages(validationImages, wholeSplit) / split;
        boolean precise = recalibrationImages > 0;
        int comparisons = (int) Math.ceil(compared * (averages + (flipsTried ? 2 : 0) + (precise ? 1 : 0))
                + (1 + averages) * (double) recalibrationImages / split - 1e-9);
        if (flipsFixed) {
            return comparisons + 2; // the kept weights' flipped predictions of the whole split
        }
        return comparisons + (compared < 1 && (flipsTried || averages > 0 || precise) ? (flipsTried ? 2 : 1) : 0);
    }

    /**
     * Which validation rows the candidates are compared on: all of them in order when they are few or
     * {@link #wholeSplit}, else a seeded sample (a split can be sorted by class, so its first rows can miss classes).
     */
    static int[] comparedRows(int validationImages, long seed, boolean wholeSplit) {
        int n = comparedImages(validationImages, wholeSplit);
        return n == validationImages ? java.util.stream.IntStream.range(0, n).toArray()
                : Arrays.copyOf(dev.hone.loop.EpochOrder.permutation(seed, 2, validationImages), n);
    }

    /**
     * @param compared the {@link #comparedRows} of {@code validation} (or {@code validation} itself),
     *     on which the candidates are compared
     * @param rows those rows' indices in {@code validation}
     * @param averages the averaging techniques that ran ({@code "ema"}, {@code "swa"}), possibly none
     * @param fixedAveraging the policy's averaging when it was fixed (replayed), else null
     * @param fixedTta the policy's test-time augmentation when fixed, else null
     * @param vetoedFlip the horizontal-flip pair the distance analysis vetoed as label-changing ({@link #vetoedFlip}), else
     *     null: flips are then not tried
     * @param lastValidation the model's current weights' validation predictions when the fit loop made
     *     them (its last epoch, not restored by early stopping), else null: they are predicted here
     * @param fixedBy the origin of the policy that fixed averaging and test-time flips: USER when replayed
     *     or {@code --regularization none}, DEFAULT when the policy was none by rule (no search ran)
     * @param time the budget's time left: a candidate whose comparison and the test pass after it (twice as long with flips)
     *     do not fit is not compared, and the record says so
     * @param testImages images in the test set (the pass predicts each once, twice with test-time flips)
     * @param recalibration the training images PreciseBN may recompute BatchNorm statistics from, or null not to try it
     * @param notTried why PreciseBN and the flips, learned candidates, are not tried ({@link AfterTrainingWork#notTried}),
     *     recorded in their decisions (the averages' is {@link #averagesNotTried}); null when they are
     */
    static Chosen choose(Model model, ResidentDataset validation, ResidentDataset compared, int[] rows,
            Map<String, WeightAveraging> averages, String fixedAveraging, Boolean fixedTta, String vetoedFlip, Predictions lastValidation,
            Origin fixedBy, EvaluationBudget time, int testImages, Recalibration recalibration, String notTried) {
        String fixedWhy = fixedBy == Origin.USER ? "fixed by the policy (replayed with --policy, or --regularization none)"
                : "set by the regularization-policy decision (" + fixedBy + "): no search ran, so the policy's value stands";
        Task task = validation.task();
        List<Decision<?>> decisions = new ArrayList<>();
        Predictions lastFull = lastValidation != null ? lastValidation : Evaluator.predict(model.getBlock(), validation, 256);
        Predictions last = rows(task, lastFull, rows);
        long testPredictions = testImages * (Boolean.TRUE.equals(fixedTta) ? 2L : 1L); // the test pass after an average
        // the last weights' statistics first: an average, whose statistics are recomputed, must then beat the last
        // weights at their best, not their stale running statistics
        boolean precise = false;
        Predictions best = last;
        if (notTried != null) {
            decisions.add(!recomputable(model) ? noBatchNorm() : Decision.derived("precise-bn", false, "budget share",
                    "BatchNorm statistics recomputed from training images (PreciseBN) were not tried: " + notTried, Map.of()));
        } else if (recalibration != null) {
            Recalibrated r = recalibrate(model, compared, best, recalibration, time, testPredictions);
            decisions.add(r.decision());
            if (r.decision().value()) {
                precise = true;
                best = r.predictions();
            }
        }
        long averagesStart = System.nanoTime();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("comparedImages", compared.size());
        evidence.put("last", best.score());
        String kept = "last";
        PairedComparison keptBy = null;
        byte[] lastWeights = null;
        List<String> notCompared = new ArrayList<>();
        List<String> recomputedAverages = new ArrayList<>();
        for (Map.Entry<String, WeightAveraging> e : averages.entrySet()) {
            if (!e.getValue().hasAverage()) {
                continue;
            }
            if (!e.getKey().equals(fixedAveraging) && !time.affords(compared.size(), testPredictions)) {
                notCompared.add(e.getKey());
                continue;
            }
            if (lastWeights == null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ModelFactory.writeWeights(model, out);
                lastWeights = out.toByteArray();
            }
            e.getValue().copyInto(model);
            // SWA's procedure (Izmailov et al. 2018): an average's BatchNorm statistics are recomputed for its weights, not
            // averaged along with them, before it is judged
            String statistics = statistics(model, e.getValue(), recalibration, time, compared.size(), testPredictions);
            Predictions averaged = Evaluator.predict(model.getBlock(), compared, 256);
            PairedComparison c = PairedComparison.of(task, averaged, best, SEED);
            evidence.put(e.getKey(), averaged.score());
            evidence.put(e.getKey() + "Statistics", statistics);
            if (statistics.equals(RECOMPUTED)) {
                recomputedAverages.add(e.getKey());
            }
            evidence.put(e.getKey() + "VsKept", c.describe());
            boolean fixed = e.getKey().equals(fixedAveraging);
            if (fixed || (fixedAveraging == null && c.significant())) {
                kept = e.getKey();
                best = averaged;
                keptBy = c;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ModelFactory.writeWeights(model, out);
                lastWeights = out.toByteArray();
                if (fixed) {
                    break;
                }
            }
            ModelFactory.readWeights(model, new ByteArrayInputStream(lastWeights));
        }
        if (!notCompared.isEmpty()) {
            evidence.put("notCompared", notCompared);
        }
        if (!averages.isEmpty()) {
            decisions.add(new Decision<>("weight-averaging", kept, fixedAveraging != null ? fixedBy : Origin.LEARNED,
                    fixedAveraging != null ? "policy" : "paired validation comparison",
                    fixedAveraging != null ? fixedWhy : String.format(
                            "validation %s of the last weights%s and of each average on %d validation images%s; an average is kept"
                                    + " only when a paired bootstrap finds it significantly better at the %.0f%% level (%s, %.4f%s)%s",
                            task.validationMetric(), precise ? " (their BatchNorm statistics recomputed, above)" : "",
                            compared.size(), recomputedAverages.isEmpty() ? ""
                                    : ", " + String.join(" and ", recomputedAverages) + " with BatchNorm statistics recomputed for"
                                    + " the averaged weights (SWA's procedure)", 100 * PairedComparison.LEVEL, kept, best.score(),
                            keptBy == null ? "" : ", " + keptBy.describe(), notCompared.isEmpty() ? "" : "; "
                                    + String.join(" and ", notCompared) + " not compared: " + tooLate(time, compared.size(),
                                    testPredictions)),
                    evidence, since(averagesStart)));
        }
        boolean tta = false;
        Predictions flips = null;
        if (!task.testTimeFlips()) {
            decisions.add(Decision.byDefault("test-time-augmentation", false, "averaging over horizontal flips does not apply to "
                    + task.name() + ": flipping back its outputs is not defined"));
        } else if (fixedTta != null) {
            tta = fixedTta;
            decisions.add(new Decision<>("test-time-augmentation", tta, fixedBy, "policy", fixedWhy,
                    Map.of(), Duration.ZERO));
        } else if (vetoedFlip != null) {
            decisions.add(flipsVetoed(vetoedFlip));
        } else if (notTried != null) {
            decisions.add(Decision.derived("test-time-augmentation", false, "budget share", "averaging over horizontal flips"
                    + " was not compared: " + notTried, Map.of()));
        } else if (!time.affords(2L * compared.size(), 2L * testImages)) {
            decisions.add(Decision.derived("test-time-augmentation", false, "time left of the budget", "averaging over horizontal"
                    + " flips was not compared: " + tooLate(time, 2L * compared.size(), 2L * testImages),
                    Map.of("secondsLeft", Math.max(0, time.secondsLeft()))));
        } else {
            long t = System.nanoTime();
            flips = TestTimeAugmentation.predict(model.getBlock(), compared, 256);
            PairedComparison c = PairedComparison.of(task, flips, best, SEED);
            tta = c.significant();
            decisions.add(new Decision<>("test-time-augmentation", tta, Origin.LEARNED, "paired validation comparison", String.format(
                    "averaging over horizontal flips gave %.4f on %d validation images vs %.4f without (%s); %s", flips.score(),
                    compared.size(), best.score(), c.describe(), tta ? "significant at the 5% level, kept" : c.high() < 0
                            ? "significantly worse (the interval is below 0), not kept" : "not significant, not kept"),
                    Map.of("withFlips", flips.score(), "without", best.score(), "gain", c.gain(), "pValue", c.pValue()), since(t)));
        }
        Predictions keptPredictions;
        if (kept.equals("last") && !tta && !precise) {
            keptPredictions = lastFull;
        } else if (tta) {
            keptPredictions = flips != null && compared == validation ? flips
                    : TestTimeAugmentation.predict(model.getBlock(), validation, 256);
        } else {
            keptPredictions = compared == validation ? best : Evaluator.predict(model.getBlock(), validation, 256);
        }
        return new Chosen(kept, tta, decisions, keptPredictions);
    }

    /**
     * The averaging decision of a policy that leaves it to validation when the averages were not kept during training
     * ({@link AfterTrainingWork#notTried} says why).
     */
    static Decision<String> averagesNotTried(String why) {
        return Decision.derived("weight-averaging", "last", "budget share", "no weight average (EMA, SWA) was kept during"
                + " training to compare with the last weights: " + why, Map.of());
    }

    /** PreciseBN's decision, and the compared share's predictions with the recomputed statistics (null unless kept). */
    private record Recalibrated(Decision<Boolean> decision, Predictions predictions) {}

    /**
     * Recomputes the last weights' BatchNorm statistics from training images (PreciseBN) and keeps them only when the
     * compared share's score is significantly better than with the running statistics training left (a paired bootstrap
     * at the 5% level); otherwise the weights are put back as they were.
     */
    private static Recalibrated recalibrate(Model model, ResidentDataset compared, Predictions best, Recalibration source,
            EvaluationBudget time, long testPredictions) {
        String name = "precise-bn";
        if (!recomputable(model)) {
            return new Recalibrated(noBatchNorm(), null);
        }
        int images = source.images();
        if (!time.affords(images + compared.size(), testPredictions)) {
            return new Recalibrated(Decision.derived(name, false, "time left of the budget", "BatchNorm statistics recomputed"
                    + " from " + images + " training images (PreciseBN) were not compared: " + tooLate(time, images
                    + " training images forwarded and " + compared.size() + " validation predictions", images + compared.size(),
                    testPredictions), Map.of("secondsLeft", Math.max(0, time.secondsLeft()))), null);
        }
        long start = System.nanoTime();
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        ModelFactory.writeWeights(model, saved);
        int batches;
        try {
            batches = recompute(model, source);
        } catch (IllegalStateException e) {
            ModelFactory.readWeights(model, new ByteArrayInputStream(saved.toByteArray()));
            return new Recalibrated(Decision.derived(name, false, "not available", "BatchNorm statistics could not be"
                    + " recomputed: " + e.getMessage(), Map.of()), null);
        }
        Predictions recomputed = Evaluator.predict(model.getBlock(), compared, 256);
        PairedComparison c = PairedComparison.of(compared.task(), recomputed, best, SEED);
        boolean kept = c.significant();
        if (!kept) {
            ModelFactory.readWeights(model, new ByteArrayInputStream(saved.toByteArray()));
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("trainingImages", images);
        evidence.put("batches", batches);
        evidence.put("recomputed", recomputed.score());
        evidence.put("running", best.score());
        evidence.put("gain", c.gain());
        evidence.put("pValue", c.pValue());
        String metric = compared.task().validationMetric();
        return new Recalibrated(new Decision<>(name, kept, Origin.LEARNED, "paired validation comparison", String.format(
                java.util.Locale.ROOT, "BatchNorm statistics recomputed for the last weights from %d training images in %d"
                        + " batches (PreciseBN, Wu and Johnson 2021) gave validation %s %.4f on %d images against %.4f with"
                        + " the running statistics training left (%s); %s", images, batches, metric, recomputed.score(),
                compared.size(), best.score(), c.describe(), kept ? "significant at the 5% level, kept"
                        : c.high() < 0 ? "significantly worse (the interval is below 0), the running statistics kept"
                        : "not significant, the running statistics kept"), evidence, since(start)), kept ? recomputed : null);
    }

    /** The {@code precise-bn} decision for a network without DJL BatchNorm layers ({@link #recomputable}). */
    private static Decision<Boolean> noBatchNorm() {
        return Decision.byDefault("precise-bn", false, "the network has no DJL BatchNorm layer whose statistics could be"
                + " recomputed (a TorchScript module's are out of reach)");
    }

    /** Whether the network has DJL BatchNorm layers whose statistics PreciseBN can recompute. */
    private static boolean recomputable(Model model) {
        return !PreciseBatchNorm.layers(model.getBlock()).isEmpty();
    }

    /**
     * Recomputes the model's BatchNorm statistics from the recalibration's seeded sample of training images.
     *
     * @return the batches forwarded
     * @throws IllegalStateException when DJL's BatchNorm cannot be recomputed ({@link PreciseBatchNorm#recalibrate})
     */
    private static int recompute(Model model, Recalibration source) {
        int[] order = dev.hone.loop.EpochOrder.permutation(source.seed(), 3, source.train().size());
        return PreciseBatchNorm.recalibrate(model.getBlock(), source.train(), order, source.batchSize());
    }

    private static final String RECOMPUTED = "recomputed";

    /**
     * Recomputes an average's BatchNorm statistics, just copied into the model, for its weights (SWA's procedure), where
     * the network has DJL BatchNorm layers and the time left affords it.
     *
     * @return {@value #RECOMPUTED}, or why the averaged statistics stay ("averaged: ...")
     */
    private static String statistics(Model model, WeightAveraging average, Recalibration recalibration, EvaluationBudget time,
            int comparedImages, long testPredictions) {
        if (recalibration == null) {
            return "averaged: PreciseBN is not tried";
        }
        if (!recomputable(model)) {
            return "averaged: no DJL BatchNorm layer to recompute";
        }
        if (!time.affords(recalibration.images() + comparedImages, testPredictions)) {
            return "averaged: no time left to recompute them";
        }
        try {
            recompute(model, recalibration);
            return RECOMPUTED;
        } catch (IllegalStateException e) {
            average.copyInto(model); // the average as it was, whatever a failed pass left
            return "averaged: " + e.getMessage();
        }
    }

    /**
     * The horizontal-flip pair (e.g. {@code "flip-horizontal 1.0"}) that the regularization search's distance analysis
     * vetoed as label-changing, read from the {@code regularization-policy} decision's {@code vetoedPairs}; null when no
     * search ran or it kept the flip.
     */
    static String vetoedFlip(List<Decision<?>> decisions) {
        return decisions.stream().filter(d -> d.name().equals("regularization-policy"))
                .map(d -> d.evidence().get("vetoedPairs")).filter(List.class::isInstance)
                .flatMap(v -> ((List<?>) v).stream()).map(String::valueOf)
                .filter(p -> p.startsWith(dev.hone.augment.Transform.FLIP_HORIZONTAL.id() + " "))
                .findFirst().orElse(null);
    }

    /**
     * The test-time decision when the flip was vetoed: a flip that moves images to another predicted class would average
     * two labels' predictions, so it is not tried (its validation pass is saved).
     */
    static Decision<Boolean> flipsVetoed(String vetoedFlip) {
        return Decision.derived("test-time-augmentation", false, "distance analysis veto", String.format("averaging over"
                + " horizontal flips is not tried: the regularization search's distance analysis vetoed %s as label-changing"
                + " (it moved most validation images to another predicted class), so a flipped view's prediction would be"
                + " another label's", vetoedFlip), Map.of("vetoedFlip", vetoedFlip));
    }

    /** Why a candidate was not compared: its passes and the test pass after them do not fit the time left. */
    private static String tooLate(EvaluationBudget time, long images, long testImages) {
        return tooLate(time, images + " validation predictions", images, testImages);
    }

    /** @param what the candidate's passes, e.g. "1500 validation predictions", whose images number {@code images} */
    private static String tooLate(EvaluationBudget time, String what, long images, long testImages) {
        return String.format(java.util.Locale.ROOT, "its %s and the test pass's %d would take %.0f s at"
                + " the measured %.0f images/s, and %.0f s were left (the budget's %.0f%% grace included)", what, testImages,
                time.seconds(images + testImages), time.imagesPerSecond(), Math.max(0, time.secondsLeft()),
                100 * EvaluationBudget.GRACE);
    }

    /** The given rows of a set's predictions, scored by the task; all of them in order is the set itself. */
    private static Predictions rows(Task task, Predictions p, int[] rows) {
        if (rows.length == p.probabilities().length) {
            return p;
        }
        Predictions sample = p.rows(rows);
        return sample.withScore(task.score(sample));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
