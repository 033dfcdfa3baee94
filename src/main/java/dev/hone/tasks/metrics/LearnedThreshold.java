package dev.hone.tasks.metrics;

/**
 * A decision threshold learned on validation scores, with the counts it gives there and why it was chosen.
 *
 * @param threshold score {@code >= threshold} is predicted positive
 * @param counts the validation confusion counts at that threshold
 * @param outcome whether the target was met, or why a fallback was taken
 * @param reason one line for the record and the console, e.g. "F1 0.812 (precision 0.800, recall 0.824) at
 *     0.4300 on 120 validation samples, 34 positive"
 */
public record LearnedThreshold(double threshold, ConfusionMatrix counts, Outcome outcome, String reason) {
    /** How the threshold came about. */
    public enum Outcome {
        /** The target was met; the threshold is the best one for it. */
        LEARNED,
        /** No threshold reaches the precision floor; the one with the highest precision is used. */
        FLOOR_UNREACHABLE,
        /** The class has no positive in validation, so nothing can be learned; the default 0.5 is kept. */
        NO_POSITIVE,
        /**
         * The class has fewer validation positives than {@link ThresholdSearch#MIN_POSITIVES}: a threshold placed among so
         * few scores would follow them (on 30 images, thresholds of 1e-6 were learned), so the default 0.5 is kept.
         */
        TOO_FEW_POSITIVES
    }
}
