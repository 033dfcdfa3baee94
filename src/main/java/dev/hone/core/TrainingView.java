package dev.hone.core;

import java.util.Optional;

/**
 * A read-only view of the fit loop's state, handed to observers (progress bars, logs, charts,
 * the record writer) so that they cannot change training.
 */
public interface TrainingView {

    /** The current epoch, 1-based; 0 before the first. */
    int epoch();

    int totalEpochs();

    /** Batches done in the current epoch. */
    int batchInEpoch();

    int batchesPerEpoch();

    /** Optimizer steps since the start of training (across epochs and resumes). */
    long globalStep();

    /** The optimizer steps planned now; a budget pacer may re-plan them part-way ({@link TrainingState#replan}). */
    long totalSteps();

    /**
     * The step schedules read (learning rate, momentum, SWA's start, the sample-mixing refinement),
     * 0-based, of {@link #scheduleTotal}: {@link #globalStep} until the total is re-planned; after that
     * the step read against the new total, never lower than where it stood at the re-plan
     * ({@link TrainingState#replan}).
     */
    default long scheduleStep() {
        return globalStep();
    }

    /** The total steps schedules are read against: the total planned when training started. */
    default long scheduleTotal() {
        return totalSteps();
    }

    double learningRate();

    /** The last batch's mean training loss; NaN before the first batch. */
    double lastLoss();

    /** Images in the current batch. */
    int batchSize();

    Optional<String> stopReason();

    /** The last validation pass's mean loss; NaN before the first. */
    double validationLoss();

    /** The last validation pass's accuracy; NaN before the first. */
    double validationAccuracy();

    /** The factor divergence back-offs have applied to the learning rate (1 when none). */
    double learningRateScale();

    /**
     * Whether the optimizer step of this batch was skipped, its gradient not finite, so the weights did not move: read at
     * {@code AFTER_STEP}; false before it.
     */
    default boolean stepSkipped() {
        return false;
    }

    /**
     * Which of the current optimizer step's micro-batches this is, 0-based; always 0 without
     * gradient accumulation. The micro-batches of one step share {@link #globalStep()}, so a
     * technique that seeds its randomness by step should mix this in, or they draw alike.
     */
    default int microBatch() {
        return 0;
    }
}
