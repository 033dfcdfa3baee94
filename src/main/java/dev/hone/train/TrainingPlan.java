package dev.hone.train;

import dev.hone.metalearn.Decision;
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
 */
public record TrainingPlan(long seed, int epochs, long totalSteps, int batchSize, String optimizer, double peakLearningRate,
        double weightDecay, String schedule, double warmupFraction, float batchNormMomentum, int patience,
        double budgetSeconds, List<Decision<?>> decisions) {

    public static final String FILE = "plan.json";
}
