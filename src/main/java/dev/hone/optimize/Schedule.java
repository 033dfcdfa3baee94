package dev.hone.optimize;

/**
 * A learning rate as a pure function of progress, so it can be tested, plotted and resumed
 * without state.
 */
public interface Schedule {

    /** The schedules hone offers, by the name {@code --schedule} and the record use. */
    java.util.List<String> NAMES = java.util.List.of("warmup-cosine", "one-cycle", "linear-decay");
    /** One-cycle's rising share, divisor and final divisor: PyTorch's {@code OneCycleLR} defaults. */
    double ONE_CYCLE_WARMUP = 0.3;
    double ONE_CYCLE_DIV = 25;
    double ONE_CYCLE_FINAL_DIV = 1e4;

    /**
     * The schedule called {@code name} (one of {@link #NAMES}) peaking at {@code peak}, as a run
     * trains it: one-cycle with its own warmup ({@link #ONE_CYCLE_WARMUP}), the others with
     * {@code warmupFraction}.
     */
    static Schedule of(String name, double peak, double warmupFraction) {
        return switch (name) {
            case "one-cycle" -> oneCycle(peak, ONE_CYCLE_WARMUP, ONE_CYCLE_DIV, ONE_CYCLE_FINAL_DIV);
            case "linear-decay" -> linearDecay(peak, warmupFraction);
            case "warmup-cosine" -> warmupCosine(peak, warmupFraction);
            default -> throw new IllegalArgumentException("unknown schedule '" + name + "'; use one of " + NAMES);
        };
    }

    /** The momentum schedule that goes with {@code name}: one-cycle's cycling, or none (null). */
    static MomentumSchedule momentumFor(String name) {
        return name.equals("one-cycle") ? MomentumSchedule.oneCycle(ONE_CYCLE_WARMUP) : null;
    }

    /** The learning rate for optimizer step {@code step} (0-based) of {@code totalSteps}. */
    double at(long step, long totalSteps);

    /** For the record, e.g. {@code warmup-cosine(peak=0.2, warmup=0.1)}. */
    String describe();

    /**
     * Linear warmup from ~0 to {@code peak} over the first {@code warmupFraction} of training, then
     * a half cosine down to zero at the end.
     *
     * <p>Warmup keeps the first large steps from wrecking a freshly initialized network (Goyal et al.
     * 2017); annealing to zero makes the final weights settle (Loshchilov and Hutter, SGDR), which is
     * why a budgeted run must know its total steps in advance.
     */
    static Schedule warmupCosine(double peak, double warmupFraction) {
        return named("warmup-cosine(peak=" + peak + ", warmup=" + warmupFraction + ")",
                (step, total) -> warmupCosine(step, total, peak, warmupFraction));
    }

    static double warmupCosine(long step, long totalSteps, double peak, double warmupFraction) {
        return warmupThen(step, totalSteps, peak, warmupFraction, progress -> 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    /**
     * One-cycle (Smith and Topin 2018, "Super-Convergence", arXiv:1708.07120): a half cosine rising
     * from {@code peak / divFactor} to {@code peak} over the first {@code warmupFraction} of
     * training, then a half cosine falling to {@code peak / (divFactor * finalDivFactor)} at the
     * last step.
     *
     * <p>The high middle phase acts as a regularizer and lets a network train in fewer epochs; the
     * very low end settles it. Pair it with {@link MomentumSchedule#oneCycle} so momentum falls
     * while the learning rate rises. Follows PyTorch's {@code OneCycleLR} (cosine annealing, two
     * phases), whose usual settings are warmup 0.3, divFactor 25, finalDivFactor 1e4.
     */
    static Schedule oneCycle(double peak, double warmupFraction, double divFactor, double finalDivFactor) {
        return named("one-cycle(peak=" + peak + ", warmup=" + warmupFraction + ", div=" + divFactor
                + ", final-div=" + finalDivFactor + ")",
                (step, total) -> oneCycle(step, total, peak, warmupFraction, divFactor, finalDivFactor));
    }

    static double oneCycle(long step, long totalSteps, double peak, double warmupFraction, double divFactor,
            double finalDivFactor) {
        double start = peak / divFactor;
        return cosineCycle(step, totalSteps, warmupFraction, start, peak, start / finalDivFactor);
    }

    /**
     * The shape shared by one-cycle's learning rate and momentum: a half cosine from {@code start}
     * at step 0 to {@code middle} at step {@code warmupFraction * totalSteps - 1}, then a half
     * cosine to {@code end} at the last step, {@code totalSteps - 1}, held after it (as PyTorch's
     * {@code OneCycleLR} places its phases).
     */
    static double cosineCycle(long step, long totalSteps, double warmupFraction, double start, double middle,
            double end) {
        double turn = Math.max(0, warmupFraction * totalSteps - 1);
        double last = totalSteps - 1;
        if (step <= turn) {
            return cosineBetween(start, middle, turn == 0 ? 1 : step / turn);
        }
        double span = last - turn;
        return cosineBetween(middle, end, span <= 0 ? 1 : Math.min(1, (step - turn) / span));
    }

    /** Half a cosine from {@code from} (progress 0) to {@code to} (progress 1). */
    private static double cosineBetween(double from, double to, double progress) {
        return to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    /**
     * Linear warmup from ~0 to {@code peak} over the first {@code warmupFraction} of training, then
     * a straight line down to zero at the end, the schedule BERT was trained with (Devlin et al.
     * 2018) and the usual one for LAMB and for fine-tuning.
     *
     * <p>It uses {@link #warmupCosine}'s steps: the warmup reaches {@code peak} at its last step
     * and zero is reached at {@code totalSteps}, just after the last step, so no step is wasted at a
     * learning rate of zero.
     */
    static Schedule linearDecay(double peak, double warmupFraction) {
        return named("linear-decay(peak=" + peak + ", warmup=" + warmupFraction + ")",
                (step, total) -> linearDecay(step, total, peak, warmupFraction));
    }

    static double linearDecay(long step, long totalSteps, double peak, double warmupFraction) {
        return warmupThen(step, totalSteps, peak, warmupFraction, progress -> 1 - progress);
    }

    /**
     * Linear warmup to {@code peak} (reached at the warmup's last step), then {@code peak} times
     * {@code decay(progress)} with progress running from 0 after the warmup to 1 at {@code totalSteps}.
     */
    private static double warmupThen(long step, long totalSteps, double peak, double warmupFraction,
            java.util.function.DoubleUnaryOperator decay) {
        long warmup = Math.max(1, Math.round(totalSteps * warmupFraction));
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        double progress = (double) (step - warmup) / Math.max(1, totalSteps - warmup);
        return peak * decay.applyAsDouble(Math.min(1.0, progress));
    }

    /** The pure function of (step, total steps) a schedule wraps. */
    @FunctionalInterface
    interface Curve {
        double at(long step, long totalSteps);
    }

    private static Schedule named(String description, Curve curve) {
        return new Schedule() {
            @Override
            public double at(long step, long totalSteps) {
                return curve.at(step, totalSteps);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }
}
