package dev.hone.train;

import dev.hone.metalearn.Decision;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import java.util.List;

/**
 * The immutable plan the fit loop runs: resolved values plus the decisions that chose them. It is
 * saved in the work folder, so a resumed run trains to the same plan instead of measuring anew.
 *
 * @param totalSteps optimizer steps the schedule spans (a budget may end the last epoch early)
 * @param peakLearningRate the schedule's highest learning rate
 * @param warmupFraction share of steps spent warming up
 * @param batchNormMomentum DJL convention: running = m * running + (1 - m) * batch
 * @param patience epochs without validation improvement before early stopping; 0 for none
 * @param budgetSeconds the whole run's wall-clock budget; 0 for none
 * @param policy the regularization to train with (null in plans saved before it existed: none)
 */
public record TrainingPlan(long seed, int epochs, long totalSteps, int batchSize, String optimizer, double peakLearningRate,
        double weightDecay, String schedule, double warmupFraction, float batchNormMomentum, int patience,
        double budgetSeconds, List<Decision<?>> decisions, RegularizationPolicy policy) {

    public static final String FILE = "plan.json";

    public TrainingPlan {
        policy = policy == null ? RegularizationPolicy.NONE : policy;
    }

    /** This plan with the regularization learner's policy, decisions and (for a budget) re-planned steps. */
    public TrainingPlan with(RegularizationPolicy p, List<Decision<?>> d, int newEpochs, long newTotalSteps) {
        return new TrainingPlan(seed, newEpochs, newTotalSteps, batchSize, optimizer, peakLearningRate,
                p.weightDecay() != null ? p.weightDecay() : weightDecay, schedule, warmupFraction, batchNormMomentum, patience,
                budgetSeconds, d, p);
    }
}
