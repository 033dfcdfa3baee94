package dev.hone.metalearn.budget;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How many steps each meta-learning probe may take so that all of them fit the time meta-learning is
 * allowed: a share of a budgeted run, or no limit.
 *
 * <p>Why: on short budgets the probes at their full length took 19-43% of the run (docs/BENCHMARKS.md,
 * W1), time the model did not train. Each probe reads better the longer it runs, but each still
 * reads something at a fraction of its length, so all of them are shortened by one common factor
 * rather than some dropped; a probe is never cut below its minimum, where its reading would be noise.
 * When even the minimums do not fit, the caller tries a smaller set of probes
 * ({@link #firstThatFits}), dropping the optional ones in its order of preference.
 *
 * <p>Costs are measured as the learners go (the throughput probe gives the step time at every
 * batch, each finished probe its own), and what is left is re-planned before each probe, so a probe
 * that ran shorter than planned (a range test that diverged early) leaves its time to the next.
 */
public final class ProbeBudget {
    private final double capSeconds;
    private final long startNanos;

    private ProbeBudget(double capSeconds, long startNanos) {
        this.capSeconds = capSeconds;
        this.startNanos = startNanos;
    }

    /** No budget: every probe runs its default steps. */
    public static ProbeBudget unlimited() {
        return new ProbeBudget(Double.POSITIVE_INFINITY, System.nanoTime());
    }

    /** Meta-learning may take {@code capSeconds} from {@code startNanos} ({@link System#nanoTime}) on. */
    public static ProbeBudget of(double capSeconds, long startNanos) {
        return new ProbeBudget(capSeconds, startNanos);
    }

    public boolean limited() {
        return Double.isFinite(capSeconds);
    }

    public double capSeconds() {
        return capSeconds;
    }

    /**
     * When meta-learning's time ends, on {@link System#nanoTime}: probes past their minimum length stop
     * there. {@link Long#MAX_VALUE} without a budget.
     */
    public long deadlineNanos() {
        return limited() ? startNanos + (long) (capSeconds * 1e9) : Long.MAX_VALUE;
    }

    /** Seconds meta-learning has taken so far. */
    public double spentSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Seconds still allowed ({@code +∞} without a budget; never below 0). */
    public double leftSeconds() {
        return Math.max(0, capSeconds - spentSeconds());
    }

    /**
     * One probe that can run shorter.
     *
     * @param defaultSteps its steps when time allows (today's length without a budget)
     * @param minSteps fewest steps whose reading is still worth having
     * @param secondsPerStep measured or estimated cost of one step
     * @param fixedSeconds cost that does not scale with steps (e.g. a validation pass)
     */
    public record Stage(String name, int defaultSteps, int minSteps, double secondsPerStep, double fixedSeconds) {
        public Stage {
            if (minSteps < 1 || defaultSteps < minSteps || !(secondsPerStep >= 0) || !(fixedSeconds >= 0)) {
                throw new IllegalArgumentException("stage " + name + " needs 1 <= minSteps <= defaultSteps and non-negative"
                        + " costs, got " + minSteps + ", " + defaultSteps + ", " + secondsPerStep + " s/step, " + fixedSeconds + " s");
            }
        }

        /** A stage that always runs all its steps (a timing that needs them all). */
        public static Stage fixed(String name, int steps, double secondsPerStep) {
            return new Stage(name, steps, steps, secondsPerStep, 0);
        }

        double seconds(int steps) {
            return steps * secondsPerStep + fixedSeconds;
        }
    }

    /** Steps per stage, in the stages' order, and the seconds they are expected to take. */
    public record Allocation(List<Stage> stages, int[] steps, double seconds) {
        /** The steps given to the stage called {@code name}, or 0 when it is not in this allocation. */
        public int steps(String name) {
            for (int i = 0; i < stages.size(); i++) {
                if (stages.get(i).name().equals(name)) {
                    return steps[i];
                }
            }
            return 0;
        }

        /** True when every stage got its default steps. */
        public boolean full() {
            for (int i = 0; i < stages.size(); i++) {
                if (steps[i] < stages.get(i).defaultSteps()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Shortens every stage by one common factor so that all fit in {@code seconds}, but none below its
     * minimum (those are held at it and the others share the rest); empty when even the minimums do
     * not fit. With infinite {@code seconds}, every stage gets its default steps.
     */
    public static Optional<Allocation> scale(double seconds, List<Stage> stages) {
        int n = stages.size();
        int[] steps = new int[n];
        if (seconds == Double.POSITIVE_INFINITY) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                steps[i] = stages.get(i).defaultSteps();
                total += stages.get(i).seconds(steps[i]);
            }
            return Optional.of(new Allocation(List.copyOf(stages), steps, total));
        }
        double minimum = 0;
        for (Stage s : stages) {
            minimum += s.seconds(s.minSteps());
        }
        if (minimum > seconds) {
            return Optional.empty();
        }
        boolean[] pinned = new boolean[n];
        double factor = 1;
        // water-filling: a stage whose share would fall below its minimum is held there, the rest rescaled
        for (int round = 0; round <= n; round++) {
            double free = seconds;
            double scalable = 0;
            for (int i = 0; i < n; i++) {
                Stage s = stages.get(i);
                free -= s.fixedSeconds() + (pinned[i] ? s.minSteps() * s.secondsPerStep() : 0);
                scalable += pinned[i] ? 0 : s.defaultSteps() * s.secondsPerStep();
            }
            factor = scalable <= 0 ? 1 : Math.min(1, free / scalable);
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                if (!pinned[i] && factor * stages.get(i).defaultSteps() < stages.get(i).minSteps()) {
                    pinned[i] = true;
                    changed = true;
                }
            }
            if (!changed) {
                break;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            Stage s = stages.get(i);
            steps[i] = pinned[i] ? s.minSteps()
                    : (int) Math.max(s.minSteps(), Math.min(s.defaultSteps(), Math.floor(factor * s.defaultSteps() + 1e-9)));
            total += s.seconds(steps[i]);
        }
        return Optional.of(new Allocation(List.copyOf(stages), steps, total));
    }

    /**
     * The first set of stages, in the caller's order of preference, whose minimums fit in {@code seconds},
     * scaled to fit; the last option is scaled even when it does not fit (its minimums are the least
     * the learners can do).
     */
    public static Allocation firstThatFits(double seconds, List<List<Stage>> options) {
        for (List<Stage> option : options) {
            Optional<Allocation> a = scale(seconds, option);
            if (a.isPresent()) {
                return a.get();
            }
        }
        List<Stage> last = options.get(options.size() - 1);
        int[] steps = new int[last.size()];
        double total = 0;
        for (int i = 0; i < steps.length; i++) {
            steps[i] = last.get(i).minSteps();
            total += last.get(i).seconds(steps[i]);
        }
        return new Allocation(List.copyOf(last), steps, total);
    }

    /** The stages of {@code all} whose names are not in {@code drop}, in order. */
    public static List<Stage> without(List<Stage> all, String... drop) {
        List<Stage> kept = new ArrayList<>();
        for (Stage s : all) {
            if (!List.of(drop).contains(s.name())) {
                kept.add(s);
            }
        }
        return kept;
    }
}
