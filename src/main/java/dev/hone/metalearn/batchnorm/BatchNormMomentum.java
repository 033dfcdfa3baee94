package dev.hone.metalearn.batchnorm;

import dev.hone.record.Decision;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses BatchNorm's running-average momentum from the number of steps in an epoch.
 *
 * <p>The Masterful report lists "Batch Normalization momentum inappropriate for their datasets" among the
 * common mistakes. BatchNorm evaluates with running statistics, an exponential moving average of the batch
 * statistics: in DJL's convention {@code running = m·running + (1 − m)·batch} (DJL hands {@code 1 − m} to
 * PyTorch, whose {@code momentum} is the weight of the new batch, so DJL's 0.9 is PyTorch's default 0.1).
 * That average spans about {@code 1/(1 − m)} steps, and a fixed {@code m} means a very different thing on
 * different datasets:
 * <ul>
 *   <li>with {@code m = 0.99} (Keras's default, a 100-step window) and a 20-step epoch, the initial
 *       statistics (mean 0, variance 1) still weigh {@code 0.99^20 ≈ 82%} after the first epoch, so early
 *       validation numbers are nonsense and the stats lag the weights by five epochs;</li>
 *   <li>with {@code m = 0.9} (a 10-step window) and a 5,000-step epoch, the statistics describe only the
 *       last ten batches, so evaluation carries their sampling noise.</li>
 * </ul>
 * The rule makes the window a quarter of an epoch: {@code m = 1 − 4 / stepsPerEpoch}. Then after one epoch
 * the initial statistics weigh {@code (1 − 4/s)^s ≈ e⁻⁴ ≈ 2%}, and each evaluation averages over the last
 * quarter epoch of (slowly changing) weights. The result is clamped to [{@link #MIN_MOMENTUM},
 * {@link #MAX_MOMENTUM}]: fewer than 10 batches give noisy statistics whatever the dataset, and more than
 * 1,000 steps trail weights that have moved on.
 */
public final class BatchNormMomentum {

    /** The running statistics average over this fraction of an epoch. */
    public static final double WINDOW_FRACTION = 0.25;
    /** Lowest momentum: a 10-step window, PyTorch's and DJL's default. */
    public static final double MIN_MOMENTUM = 0.9;
    /** Highest momentum: a 1,000-step window. */
    public static final double MAX_MOMENTUM = 0.999;

    private BatchNormMomentum() {
    }

    /**
     * The chosen momentum.
     *
     * @param momentum DJL's {@code optMomentum}: weight of the running statistics
     * @param windowSteps the running average's effective window, {@code 1/(1 − momentum)} steps
     * @param stepsPerEpoch optimizer steps in one epoch
     * @param clamped true when the quarter-epoch rule fell outside [0.9, 0.999]
     * @param rationale one sentence for a person
     */
    public record Choice(double momentum, double windowSteps, long stepsPerEpoch, boolean clamped, String rationale) {
        /** Weight the initial running statistics still carry after one epoch, {@code momentum^stepsPerEpoch}. */
        public double initialWeightAfterEpoch() {
            return Math.pow(momentum, stepsPerEpoch);
        }
    }

    /**
     * For an epoch of {@code floor(trainExamples / batchSize)} steps (at least 1), the loop's: it leaves out a last
     * partial batch ({@link dev.hone.loop.FitLoop#batchesPerEpoch}).
     */
    public static Choice forEpoch(long trainExamples, int batchSize) {
        if (trainExamples <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("need a positive training-set size and batch size, got " + trainExamples
                    + " examples in batches of " + batchSize);
        }
        return forStepsPerEpoch(Math.max(1, trainExamples / batchSize));
    }

    /** For an epoch of the given number of optimizer steps. */
    public static Choice forStepsPerEpoch(long stepsPerEpoch) {
        if (stepsPerEpoch <= 0) {
            throw new IllegalArgumentException("steps per epoch must be positive, got " + stepsPerEpoch);
        }
        double wanted = WINDOW_FRACTION * stepsPerEpoch;
        double raw = 1 - 1 / wanted;
        double m = round4(Math.max(MIN_MOMENTUM, Math.min(MAX_MOMENTUM, raw)));
        double window = 1 / (1 - m);
        boolean clamped = raw < MIN_MOMENTUM || raw > MAX_MOMENTUM;
        String rationale;
        if (raw < MIN_MOMENTUM) {
            rationale = String.format(Locale.ROOT, "an epoch is only %d steps, so a quarter-epoch window (%.1f steps)"
                    + " would follow single batches; floored at momentum %s (a %.0f-step window)", stepsPerEpoch,
                    wanted, fmt(m), window);
        } else if (raw > MAX_MOMENTUM) {
            rationale = String.format(Locale.ROOT, "an epoch is %d steps; a quarter-epoch window (%.0f steps) would trail"
                    + " the weights, so capped at momentum %s (a %.0f-step window)", stepsPerEpoch, wanted, fmt(m),
                    window);
        } else {
            rationale = String.format(Locale.ROOT, "running statistics average over about %.0f steps, a quarter of the"
                    + " %d-step epoch, so the initial statistics fade to %.0f%% within the first epoch", window,
                    stepsPerEpoch, 100 * Math.pow(m, stepsPerEpoch));
        }
        return new Choice(m, window, stepsPerEpoch, clamped, rationale);
    }

    /**
     * The {@code batchnorm-momentum} decision, DERIVED by closed form.
     *
     * @param trainExamples images in the training split
     * @param batchSize images per forward pass: with gradient accumulation, the micro-batch, not the
     *     accumulated one, since the running statistics update once per forward pass
     */
    public static Decision<Double> decide(long trainExamples, int batchSize) {
        return decide(trainExamples, batchSize, Long.MAX_VALUE);
    }

    /**
     * As {@link #decide(long, int)} for a run planned for {@code plannedPasses} forward passes: when that
     * is less than an epoch (a short budget on a slow network), the window is a quarter of the run
     * instead, or the running statistics would still carry most of their initial values (mean 0,
     * variance 1) when the run ends, and every evaluation would use them.
     */
    public static Decision<Double> decide(long trainExamples, int batchSize, long plannedPasses) {
        long perEpoch = Math.max(1, trainExamples / Math.max(1, batchSize));
        boolean shortRun = plannedPasses > 0 && plannedPasses < perEpoch;
        Choice c = shortRun ? forStepsPerEpoch(plannedPasses) : forEpoch(trainExamples, batchSize);
        if (shortRun) {
            c = new Choice(c.momentum(), c.windowSteps(), c.stepsPerEpoch(), c.clamped(), String.format(Locale.ROOT,
                    "the run is planned for %d forward passes, less than one %d-step epoch, so the window is a quarter of the run: %s",
                    plannedPasses, perEpoch, c.rationale().replace("an epoch is", "the run is").replace("quarter-epoch", "quarter-run")
                            .replace("-step epoch", "-pass run").replace("within the first epoch", "by the run's end")));
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("trainExamples", trainExamples);
        evidence.put("batchSize", batchSize);
        evidence.put("stepsPerEpoch", perEpoch);
        evidence.put("windowSteps", c.windowSteps());
        evidence.put("clamped", c.clamped());
        if (shortRun) {
            // the window follows the run, not the epoch: what is left of the initial statistics is read at the run's end
            evidence.put("plannedPasses", plannedPasses);
            evidence.put("initialWeightAtRunEnd", c.initialWeightAfterEpoch());
        } else {
            evidence.put("initialWeightAfterEpoch", c.initialWeightAfterEpoch());
        }
        return Decision.derived("batchnorm-momentum", c.momentum(), "closed-form", c.rationale(), evidence);
    }

    private static double round4(double m) {
        return Math.round(m * 1e4) / 1e4;
    }

    private static String fmt(double m) {
        return String.format(Locale.ROOT, "%.4g", m).replaceAll("0+$", "");
    }
}
