package dev.hone.optimize;

/**
 * A learning rate as a pure function of progress, so it can be tested, plotted and resumed
 * without state.
 */
public interface Schedule {

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
        return new Schedule() {
            @Override
            public double at(long step, long totalSteps) {
                return warmupCosine(step, totalSteps, peak, warmupFraction);
            }

            @Override
            public String describe() {
                return "warmup-cosine(peak=" + peak + ", warmup=" + warmupFraction + ")";
            }
        };
    }

    static double warmupCosine(long step, long totalSteps, double peak, double warmupFraction) {
        long warmup = Math.max(1, Math.round(totalSteps * warmupFraction));
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        double progress = (double) (step - warmup) / Math.max(1, totalSteps - warmup);
        return peak * 0.5 * (1 + Math.cos(Math.PI * Math.min(1.0, progress)));
    }
}
