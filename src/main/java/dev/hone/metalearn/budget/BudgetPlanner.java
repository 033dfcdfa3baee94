package dev.hone.metalearn.budget;

/**
 * Plans how many optimizer steps fit a wall-clock budget, from measured throughput, so the schedule
 * can anneal exactly at the end instead of being cut off.
 *
 * <p>The whole run must fit: time already spent (data loading, meta-learning), then training, a
 * validation pass per epoch, the forward-only work after training (the final choices on validation and the test
 * evaluation, which the budget's pacer keeps time for too) and writing the outputs. Inference runs about
 * {@link #INFERENCE_SPEEDUP} times faster per image than a training step (no backward pass, no
 * optimizer), and {@link #MARGIN} of the remainder is held back for noise in the measurements.
 */
public final class BudgetPlanner {
    /** Forward-only passes cost about a third of a training step per image. */
    public static final double INFERENCE_SPEEDUP = 3.0;
    /**
     * Share of the remaining time held back for noise. Small, because the throughput it plans from (8
     * steps timed at the chosen batch) already runs about 4% below whole training epochs: with 5%, a
     * 10-minute run ended at 545 s.
     */
    public static final double MARGIN = 0.02;
    /** Writing the model, record and report. */
    public static final double OUTPUT_SECONDS = 5;

    private BudgetPlanner() {}

    /**
     * @param totalSteps optimizer steps to plan the schedule over (at least one)
     * @param epochs epochs they span (the last may be partial)
     * @param trainSeconds the time they are expected to take
     */
    public record Plan(long totalSteps, int epochs, double trainSeconds, double reservedSeconds) {}

    /**
     * @param budgetSeconds the whole run's budget
     * @param spentSeconds time already used before training starts
     * @param imagesPerSecond measured training throughput at the chosen batch size
     * @param afterTrainingImages forward-only predictions after training: the test images (twice with test-time flips)
     *     and the final choices' validation passes
     */
    public static Plan plan(double budgetSeconds, double spentSeconds, double imagesPerSecond, int batchSize,
            int trainSize, int validationSize, long afterTrainingImages) {
        return plan(budgetSeconds, spentSeconds, imagesPerSecond, 1, batchSize, trainSize, validationSize, afterTrainingImages);
    }

    /**
     * As {@link #plan(double, double, double, int, int, int, int)}, for training steps that cost on average {@code
     * stepCost} of a step at the measured speed (e.g. 0.6 with progressive resizing); validation and testing run at full
     * size.
     *
     * @param stepCost the steps' mean cost relative to a step at {@code imagesPerSecond}, in (0, 1]
     */
    public static Plan plan(double budgetSeconds, double spentSeconds, double imagesPerSecond, double stepCost, int batchSize,
            int trainSize, int validationSize, long afterTrainingImages) {
        int batchesPerEpoch = Math.max(1, trainSize / batchSize);
        double stepSeconds = batchSize / imagesPerSecond * stepCost;
        double validationSeconds = validationSize / (imagesPerSecond * INFERENCE_SPEEDUP);
        double afterSeconds = afterTrainingImages / (imagesPerSecond * INFERENCE_SPEEDUP);
        double available = (budgetSeconds - spentSeconds - afterSeconds - OUTPUT_SECONDS) * (1 - MARGIN);
        // each epoch costs its steps plus one validation pass
        double epochSeconds = batchesPerEpoch * stepSeconds + validationSeconds;
        double fullEpochs = Math.floor(available / epochSeconds);
        double rest = available - fullEpochs * epochSeconds - validationSeconds;
        long partialSteps = rest > 0 ? (long) Math.floor(rest / stepSeconds) : 0;
        long steps = Math.max(1, (long) fullEpochs * batchesPerEpoch + Math.min(partialSteps, batchesPerEpoch - 1));
        int epochs = (int) Math.max(1, Math.ceil((double) steps / batchesPerEpoch));
        double train = steps * stepSeconds + epochs * validationSeconds;
        return new Plan(steps, epochs, train, budgetSeconds - spentSeconds - train);
    }
}
