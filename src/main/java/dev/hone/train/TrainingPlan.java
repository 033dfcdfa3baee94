package dev.hone.train;

import dev.hone.metalearn.Decision;
import java.util.List;

/**
 * The immutable plan the fit loop runs: resolved values plus the decisions that chose them.
 *
 * @param peakLearningRate the schedule's highest learning rate
 * @param warmupFraction share of steps spent warming up
 */
public record TrainingPlan(long seed, int epochs, int batchSize, String optimizer, double peakLearningRate,
        double momentum, double weightDecay, double warmupFraction, List<Decision<?>> decisions) {}
