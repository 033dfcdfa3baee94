package dev.hone.train;

import dev.hone.loop.PreciseBatchNorm;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.record.Decision;
import dev.hone.tasks.Task;
import java.util.List;
import java.util.Locale;

/**
 * The forward-only work a budgeted run does after training, as one estimate that the budget's plan and its pacer both
 * keep time for: the final choices' candidates on validation (PreciseBN, each weight average, test-time flips; {@link
 * FinalChoices}), the semi-supervised guard-rail's teacher, and the test pass. Before, the plan kept time for the test pass
 * only while the pacer also kept it for the candidates, so a 30-second run planned 47 steps and was re-planned to 8 two
 * seconds into training (a fresh review, 2026-12-08).
 *
 * <p>The candidates the run chooses itself are tried only when their forwards fit {@link #MAX_SHARE} of the budget: on a
 * short budget their few tenths of a point would cost a large share of its training steps (PreciseBN and EMA took 12 of a
 * 30-second run's seconds). Candidates a policy fixes (a replayed {@code "weightAveraging": "ema"}, test-time flips on)
 * are always applied.
 *
 * @param candidates whether the learned candidates (PreciseBN, the averages the policy leaves to validation, flips) are
 *     tried
 * @param validationPasses whole validation passes after training at the most ({@link FinalChoices#validationPasses}), the
 *     guard-rail's teacher included
 * @param testViews predictions per test image: 2 where test-time flips are fixed on or tried, else 1
 * @param candidateSeconds the learned candidates' forwards at the plan's speed, in seconds (0 when there are none)
 * @param budgetSeconds the run's budget in seconds, 0 without one
 * @param trainImagesPerSecond the training speed the estimate was made at, in images per second
 */
record AfterTrainingWork(boolean candidates, int validationPasses, int testViews, double candidateSeconds,
        double budgetSeconds, double trainImagesPerSecond) {
    /**
     * The largest share of the budget the learned candidates' forwards may take. On W1 at 30 minutes they take about 1%
     * (21 s with the whole split compared), and on issue 11's 10-minute U-Net PreciseBN took 2.6% (15.7 s) and gained 14.5
     * points of validation mIoU; a 30-second run's 12 s were 40%.
     */
    static final double MAX_SHARE = 0.1;
    /**
     * The largest share of the budget kept for the test pass, at the plan's speed; beyond it the test pass scores a seeded
     * sample of the test images ({@link EvaluationBudget}), and the summary says so. A test pass's time is estimated at
     * {@link BudgetPlanner#INFERENCE_SPEEDUP} times the training speed, and on a loaded machine forward passes ran twelve
     * times faster than training steps: a 3-minute run on 10,000 test images kept 167 s for them, planned one training step
     * and tested below chance (a fresh review, 2026-12-08). On W1 at 30 minutes the test pass takes about 0.5%.
     */
    static final double MAX_TEST_SHARE = 0.25;

    /**
     * @param policy the plan's regularization policy: its fixed averaging and test-time flips
     * @param decisions the plan's decisions, where a vetoed horizontal flip is recorded ({@link FinalChoices#vetoedFlip})
     * @param batchNorm whether the network has BatchNorm layers PreciseBN can recompute
     * @param trainImages training images (PreciseBN's source)
     * @param batchSize the training batch size
     * @param budgetSeconds the run's budget in seconds, 0 without one: every candidate is then tried
     * @param trainImagesPerSecond the plan's measured training speed, in images per second (0 when unknown)
     * @param teacher whether a semi-supervised teacher is judged against the final model after training
     */
    static AfterTrainingWork of(RegularizationPolicy policy, List<Decision<?>> decisions, Task task, boolean batchNorm,
            int trainImages, int batchSize, int validationImages, int testImages, double budgetSeconds,
            double trainImagesPerSecond, boolean teacher) {
        boolean wholeSplit = FinalChoices.wholeSplit(validationImages, budgetSeconds, trainImagesPerSecond,
                task.spatialTargets());
        String averaging = policy.weightAveraging();
        int allAverages = averaging == null ? 2 : averaging.equals("none") ? 0 : 1;
        int fixedAverages = averaging == null ? 0 : allAverages;
        boolean flipsFixed = Boolean.TRUE.equals(policy.testTimeAugmentation());
        boolean flipsTried = policy.testTimeAugmentation() == null && task.testTimeFlips()
                && FinalChoices.vetoedFlip(decisions) == null;
        int recalibration = batchNorm ? PreciseBatchNorm.images(trainImages, batchSize) : 0;
        int guardRail = teacher ? 1 : 0;
        int all = FinalChoices.validationPasses(validationImages, allAverages, flipsTried, flipsFixed, recalibration, wholeSplit)
                + guardRail;
        // a fixed average still gets its statistics recomputed (SWA's procedure): its recalibration forwards are kept
        int fixed = FinalChoices.validationPasses(validationImages, fixedAverages, false, flipsFixed, 0, wholeSplit) + guardRail
                + (int) Math.ceil((double) fixedAverages * recalibration / Math.max(1, validationImages));
        double extraImages = (double) (all - fixed) * validationImages + (flipsTried ? testImages : 0);
        double seconds = trainImagesPerSecond > 0 ? extraImages / (trainImagesPerSecond * BudgetPlanner.INFERENCE_SPEEDUP) : 0;
        boolean tried = !(budgetSeconds > 0) || seconds <= MAX_SHARE * budgetSeconds;
        return new AfterTrainingWork(tried, tried ? all : fixed, flipsFixed || (tried && flipsTried) ? 2 : 1, seconds,
                budgetSeconds, trainImagesPerSecond);
    }

    /**
     * The work after the final run planned by {@code plan}: its policy and decisions, its batch size, budget and measured
     * speed, on {@code split}'s training, validation and test images.
     */
    static AfterTrainingWork of(TrainOptions o, TrainingPlan plan, Task task, Splitting split, boolean teacher) {
        return of(plan.policy(), plan.decisions(), task, batchNorm(o), split.train().size(), plan.batchSize(),
                split.validation().size(), split.test().size(), plan.budgetSeconds(), plan.measuredImagesPerSecond(), teacher);
    }

    /**
     * Whether the network has BatchNorm layers PreciseBN can recompute, as far as the options tell: every built-in network
     * and a user's block do; a TorchScript module's are out of reach.
     */
    static boolean batchNorm(TrainOptions o) {
        return o.block() != null || o.model() == null || !dev.hone.models.ModelSpec.looksLikeTorchScript(o.model().strip());
    }

    /** Forward-only predictions after training: the test pass's views and the validation passes. */
    long inferenceImages(int validationImages, int testImages) {
        return (long) testViews * testImages + (long) validationPasses * validationImages;
    }

    /**
     * The predictions the budget's plan keeps time for: {@link #inferenceImages}, with the validation passes held to
     * {@link #MAX_SHARE} of the budget and the test pass to {@link #MAX_TEST_SHARE} at the estimate's speed, as the pacer
     * holds them ({@link #maxPassSeconds}, {@link #maxTestSeconds}).
     */
    long plannedImages(int validationImages, int testImages) {
        double passes = (double) validationPasses * validationImages;
        double inference = trainImagesPerSecond * BudgetPlanner.INFERENCE_SPEEDUP;
        double test = (double) testViews * testImages;
        return (long) Math.ceil(trainImagesPerSecond > 0 ? Math.min(test, maxTestSeconds() * inference) : test)
                + (long) Math.ceil(trainImagesPerSecond > 0 ? Math.min(passes, maxPassSeconds() * inference) : passes);
    }

    /** The most seconds the plan and the pacer keep for the test pass: {@link #MAX_TEST_SHARE} of the budget. */
    double maxTestSeconds() {
        return budgetSeconds > 0 ? MAX_TEST_SHARE * budgetSeconds : Double.POSITIVE_INFINITY;
    }

    /** The most seconds the pacer keeps for the validation passes after training: {@link #MAX_SHARE} of the budget. */
    double maxPassSeconds() {
        return budgetSeconds > 0 ? MAX_SHARE * budgetSeconds : Double.POSITIVE_INFINITY;
    }

    /** Why the learned candidates are not tried, for their decisions; null when they are. */
    String notTried() {
        return candidates ? null : String.format(Locale.ROOT, "the budget is too short: their forwards would take about %.0f s,"
                + " %.1f%% of the %.0f s budget, more than the %.0f%% they may take from its training steps", candidateSeconds,
                100 * candidateSeconds / budgetSeconds, budgetSeconds, 100 * MAX_SHARE);
    }
}
