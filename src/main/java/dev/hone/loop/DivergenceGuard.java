package dev.hone.loop;

/**
 * Tells a diverging training loss from a healthy one, judged against the loss measured on the
 * network itself rather than a figure derived from the number of classes.
 *
 * <p>A freshly initialised network's loss is whatever its random logits give: for resnet9 on two
 * classes it was measured between 4 and 25, far above ln K = 0.69, so a limit derived from ln K
 * stopped healthy runs before their first step. Here the reference is the loss of the batches
 * seen before the first optimizer step (the fresh network, or the resumed one), taken no lower
 * than ln K. A batch is then diverging when, after at least one step:
 *
 * <ul>
 *   <li>its loss is not finite (NaN or infinite), or
 *   <li>its loss exceeds {@link #EXPLODING} times the reference (a single explosion), or
 *   <li>the smoothed loss (an exponential moving average with {@link #BETA}, bias-corrected as in
 *       Smith's range test, arXiv:1506.01186) has risen above {@link #TRENDING} times the
 *       reference after {@link #TREND_STEPS} steps: the run is worse than the network it started
 *       from and getting there steadily.
 * </ul>
 *
 * <p>Before any step no loss is blamed on the learning rate: a non-finite loss there is reported
 * as a problem of the data or the model ({@link #beforeAnyStep}), which no back-off can fix.
 * The guard holds no DJL types, so its rule is tested in milliseconds.
 */
public final class DivergenceGuard {
    /** A batch loss this many times the reference counts as an explosion. */
    static final double EXPLODING = 10;
    /** A smoothed loss this many times the reference counts as diverging. */
    static final double TRENDING = 4;
    /** Smoothing of the loss trend, as in the learning-rate range test. */
    static final double BETA = 0.9;
    /** Steps before the trend is judged, so that one noisy batch cannot trip it. */
    static final int TREND_STEPS = 10;

    private final double floor;
    private double reference = Double.NaN;
    private double average;
    private int averaged;

    /** @param numClasses K, whose ln K (chance-level cross-entropy) is the lowest reference used */
    public DivergenceGuard(int numClasses) {
        this.floor = Math.log(Math.max(2, numClasses));
    }

    /**
     * Judges one batch's loss.
     *
     * @param loss the batch's mean loss
     * @param stepsTaken optimizer steps taken since this guard started judging (0 before the first)
     * @return why the loss cannot be stepped on (and so the learning rate must come down), or null
     *     when it can
     * @throws NotTrainable when the loss is not finite before any step was taken
     */
    public String judge(double loss, long stepsTaken) {
        if (stepsTaken == 0) {
            if (!Double.isFinite(loss)) {
                throw new NotTrainable(beforeAnyStep(loss));
            }
            reference = Double.isNaN(reference) ? Math.max(floor, loss) : Math.max(reference, loss);
            return null;
        }
        if (!Double.isFinite(loss)) {
            return "loss " + loss;
        }
        double ref = Double.isNaN(reference) ? floor : reference;
        if (loss > EXPLODING * ref) {
            return String.format("loss %.3g, above %.3g (%.0fx the loss %.3g measured before the first step)",
                    loss, EXPLODING * ref, EXPLODING, ref);
        }
        averaged++;
        average = BETA * average + (1 - BETA) * loss;
        double smoothed = average / (1 - Math.pow(BETA, averaged));
        if (averaged >= TREND_STEPS && smoothed > TRENDING * ref) {
            return String.format("smoothed loss %.3g over the last steps, above %.3g (%.0fx the loss %.3g measured before"
                    + " the first step)", smoothed, TRENDING * ref, TRENDING, ref);
        }
        return null;
    }

    /** Forgets the trend (not the reference), for an epoch run again from its starting weights. */
    public void restart() {
        average = 0;
        averaged = 0;
    }

    /** The loss the guard judges against: the pre-step loss, at least ln K; NaN before any batch. */
    public double reference() {
        return reference;
    }

    static String beforeAnyStep(double loss) {
        return "the loss is " + loss + " before any training step, so no learning rate caused it: the inputs or the"
                + " model produce non-finite values. Fix: check the images (all the same value, or not decodable), or the"
                + " model's output";
    }

    /** Thrown when the loss is not finite before any step: no learning rate can fix it. */
    public static final class NotTrainable extends RuntimeException {
        NotTrainable(String message) {
            super(message);
        }
    }
}
