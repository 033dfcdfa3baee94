package dev.hone.optimize;

/**
 * Momentum (or Adam's beta1) as a pure function of progress, the companion of {@link Schedule};
 * {@link MomentumScheduleTechnique} hands it to {@link HoneOptimizer#setMomentum} each batch.
 */
public interface MomentumSchedule {

    /** The momentum for optimizer step {@code step} (0-based) of {@code totalSteps}. */
    double at(long step, long totalSteps);

    /** For the record, e.g. {@code one-cycle-momentum(max=0.95, min=0.85, warmup=0.3)}. */
    String describe();

    /** One-cycle momentum with Smith and Topin's values: 0.95 down to 0.85 and back. */
    static MomentumSchedule oneCycle(double warmupFraction) {
        return oneCycle(warmupFraction, 0.95, 0.85);
    }

    /**
     * Momentum cycled inversely to {@link Schedule#oneCycle}'s learning rate (Smith 2018,
     * arXiv:1803.09820; Smith and Topin 2018): a half cosine from {@code max} down to {@code min}
     * while the learning rate rises, then back up to {@code max} while it falls.
     *
     * <p>Why: the effective step is roughly {@code lr / (1 - momentum)}, so lowering momentum while
     * the learning rate is high keeps that step from growing too fast, and raising it at the end
     * speeds the final descent. Use the same {@code warmupFraction} as the learning-rate schedule.
     */
    static MomentumSchedule oneCycle(double warmupFraction, double max, double min) {
        return new MomentumSchedule() {
            @Override
            public double at(long step, long totalSteps) {
                return oneCycle(step, totalSteps, warmupFraction, max, min);
            }

            @Override
            public String describe() {
                return "one-cycle-momentum(max=" + max + ", min=" + min + ", warmup=" + warmupFraction + ")";
            }
        };
    }

    static double oneCycle(long step, long totalSteps, double warmupFraction, double max, double min) {
        return Schedule.cosineCycle(step, totalSteps, warmupFraction, max, min, max);
    }
}
