package dev.hone.api;

import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;

/**
 * Hears a training run as it goes: each decision hone makes, the progress of the trainings before the final run
 * (semi-supervised learning) and of the final run, with ETAs, each finished epoch, and the end of the fit loop. Every
 * method has an empty default, so a listener implements only what it needs.
 *
 * <p>Listeners only read: nothing they do changes training. They are called on the thread that runs
 * {@link HoneTrainer#fit()}, between batches, so a slow listener slows training; an exception a
 * listener throws ends the run with that exception. To stop a run, call {@link HoneTrainer#cancel()}
 * (from any thread, a listener included).
 *
 * <p>The command line's progress bar and log are one implementation of this interface.
 */
public interface TrainingListener {

    /**
     * A value hone chose (or you fixed), with its origin, method, rationale and evidence, e.g.
     * {@code batch-size = 512, LEARNED by gradient-noise-scale}. The data decisions (seed, task, splits,
     * normalization, device) arrive once the data are read, before meta-learning starts; those of
     * meta-learning once planning ends; the final choices (weights, test-time flips, decision
     * thresholds, learning-rate back-offs) once the run ends, in the record's order. A resumed run
     * reports its saved plan's decisions again.
     */
    default void onDecision(Decision<?> decision) {}

    /** The final run's progress after each optimizer step (not during meta-learning or validation). */
    default void onProgress(Progress progress) {}

    /**
     * The progress of a training before the final run, after each of its optimizer steps: the semi-supervised teacher,
     * rounds and pretraining, which take most of a semi-supervised run's budget (the short trials of the regularization
     * search and the imbalance learner report none).
     */
    default void onPhaseProgress(PhaseProgress progress) {}

    /**
     * One epoch's metrics (training loss and accuracy, validation loss and the task's validation
     * metric, learning rate, seconds and images per second), once its checkpoint is written.
     */
    default void onEpoch(EpochMetrics metrics) {}

    /**
     * The fit loop ended, before the final evaluation.
     *
     * @param stopReason {@code completed} when training ran its plan; else what stopped it early: early
     *     stopping, the budget, or {@code cancelled by the caller} (the record's {@code stopReason} says it in full)
     */
    default void onTrainingEnd(String stopReason) {}
}
