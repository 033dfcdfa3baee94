package dev.hone.loop;

import java.util.Locale;

/**
 * Where a training inside a longer phase stands after an optimizer step: the semi-supervised teacher, a round's arm or
 * student, self-supervised pretraining. The steps left follow re-plans (a budget pacer's).
 *
 * @param phase what trains, e.g. {@code "ssl teacher"} or {@code "ssl pretraining (barlow-twins)"}
 * @param step optimizer steps taken in this phase's training, from 1
 * @param totalSteps the steps it plans now
 * @param elapsedSeconds wall time since the phase's training loop started, in seconds
 * @param etaSeconds the steps left at the speed measured since then, in seconds; NaN before a step is timed
 */
public record PhaseStatus(String phase, long step, long totalSteps, double elapsedSeconds, double etaSeconds) {

    /** The share of the phase's steps done, from 0 to 1. */
    public double fraction() {
        return totalSteps <= 0 ? 1 : Math.min(1, (double) step / totalSteps);
    }

    /** The log's line, e.g. {@code "ssl teacher: step 1,200 of 3,450 (35%), 251 s in, ETA 471 s"}. */
    public String line() {
        String eta = Double.isNaN(etaSeconds) ? "ETA unknown" : String.format(Locale.ROOT, "ETA %.0f s", etaSeconds);
        return String.format(Locale.ROOT, "%s: step %,d of %,d (%.0f%%), %.0f s in, %s", phase, step, totalSteps,
                totalSteps <= 0 ? 0 : 100.0 * step / totalSteps, elapsedSeconds, eta);
    }
}
