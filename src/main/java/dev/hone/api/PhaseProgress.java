package dev.hone.api;

import java.time.Duration;

/**
 * Where a training before the final run stands after an optimizer step: the semi-supervised teacher, the first round's
 * arms, a round's student, self-supervised pretraining and the teacher fine-tuned from it. Together these take most of a
 * semi-supervised run's budget, before the final run's {@link Progress} starts.
 *
 * @param phase what trains, as the log names it: {@code "ssl teacher"}, {@code "ssl round 1, supervised arm"},
 *     {@code "ssl round 1, FixMatch arm"}, {@code "ssl round N, student"}, {@code "ssl pretraining (simclr)"} or
 *     {@code "ssl pretraining (barlow-twins)"}, {@code "ssl fine-tuned teacher"}
 * @param step optimizer steps taken in this phase, from 1
 * @param totalSteps the steps the phase plans now (a budget pacer may re-plan them as the measured speed changes)
 * @param elapsed wall time since the phase's training loop started
 * @param eta the time left in the phase's steps at its pace so far; {@link Duration#ZERO} before a step is timed
 */
public record PhaseProgress(String phase, long step, long totalSteps, Duration elapsed, Duration eta) {

    /** The share of the phase's steps done, from 0 to 1. */
    public double fraction() {
        return totalSteps <= 0 ? 1 : Math.min(1, (double) step / totalSteps);
    }

    static PhaseProgress of(dev.hone.loop.PhaseStatus s) {
        return new PhaseProgress(s.phase(), s.step(), s.totalSteps(), seconds(s.elapsedSeconds()),
                Double.isNaN(s.etaSeconds()) ? Duration.ZERO : seconds(s.etaSeconds()));
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (seconds * 1e9));
    }
}
