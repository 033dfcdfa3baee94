package dev.hone.train;

import dev.hone.loop.FitLoop;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.record.Decision;
import java.util.List;

/**
 * The immutable plan the fit loop runs: resolved values plus the decisions that chose them. It is
 * saved in the work folder, so a resumed run trains to the same plan instead of measuring anew.
 *
 * @param totalSteps optimizer steps the schedule spans (a budget may end the last epoch early)
 * @param batchSize images per forward pass (the micro-batch when gradients are accumulated)
 * @param peakLearningRate the schedule's highest learning rate
 * @param warmupFraction share of steps spent warming up
 * @param batchNormMomentum DJL convention: running = m * running + (1 - m) * batch
 * @param patience epochs without validation improvement before early stopping; 0 for none
 * @param budgetSeconds the whole run's wall-clock budget; 0 for none
 * @param accumulation micro-batches whose gradients make one optimizer step; 1 for none. Plans
 *     written before it existed read as 0, which means 1.
 * @param policy the regularization to train with (null in plans saved before it existed: none)
 */
public record TrainingPlan(long seed, int epochs, long totalSteps, int batchSize, String optimizer, double peakLearningRate,
        double weightDecay, String schedule, double warmupFraction, float batchNormMomentum, int patience,
        double budgetSeconds, List<Decision<?>> decisions, int accumulation, RegularizationPolicy policy) {

    public static final String FILE = "plan.json";

    /** The training speed the budget plan measured, from the epochs decision's evidence; 0 without a budget. */
    double measuredImagesPerSecond() {
        return decisions.stream().filter(x -> x.name().equals("epochs"))
                .map(x -> x.evidence().get("imagesPerSecond")).filter(v -> v instanceof Number)
                .mapToDouble(v -> ((Number) v).doubleValue()).findFirst().orElse(0);
    }

    public TrainingPlan {
        accumulation = Math.max(1, accumulation);
        policy = policy == null ? RegularizationPolicy.NONE : policy;
    }

    /** This plan with the regularization learner's policy, decisions and (for a budget) re-planned steps. */
    public TrainingPlan with(RegularizationPolicy p, List<Decision<?>> d, int newEpochs, long newTotalSteps) {
        return new TrainingPlan(seed, newEpochs, newTotalSteps, batchSize, optimizer, peakLearningRate,
                p.weightDecay() != null ? p.weightDecay() : weightDecay, schedule, warmupFraction, batchNormMomentum, patience,
                budgetSeconds, d, accumulation, p);
    }

    /** Images per optimizer step. */
    public int effectiveBatch() {
        return batchSize * accumulation;
    }

    /** Optimizer steps per epoch on {@code trainSize} images: what the training state counts. */
    public int stepsPerEpoch(int trainSize) {
        return FitLoop.stepsPerEpoch(trainSize, batchSize, accumulation);
    }
}
