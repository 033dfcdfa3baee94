package dev.hone.train;

import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.optimize.BudgetPacer;
import java.time.Duration;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces a budgeted run's semi-supervised phase (the teacher, a round's arm) into the seconds its steps were planned for
 * at the speed measured before training: a {@link BudgetPacer} on the phase's trial, ending that many seconds after its
 * first epoch starts (a phase resumed after a kill: the share of them its steps left take), which shortens the phase when its steps run slower but never lengthens it (its steps are also an equal-compute
 * share, or capped at its epochs). Without it a machine that slowed down after the plan was made ran each phase at the
 * planned steps: a 2-minute run took 558 s under a 30-fold slowdown (docs/BENCHMARKS.md).
 */
final class PhasePacing {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private final String phase;
    private final long planned;
    private final double seconds;
    private final BudgetPacer[] pacer = new BudgetPacer[1];
    private final long[] lastStep = new long[1];

    private PhasePacing(String phase, long planned, double seconds) {
        this.phase = phase;
        this.planned = planned;
        this.seconds = seconds;
    }

    /**
     * Adds the pacer to {@code runner}, for its next run; null (nothing added) without a budget or a measured speed.
     *
     * @param phase the phase's name for the log, e.g. {@code "the teacher"}
     * @param steps the optimizer steps planned
     * @param stepCost one step's cost in plain steps of the plan's batch (FixMatch's are dearer: {@link SslFixMatch#stepCost})
     * @param monitorImages the images of the per-epoch check the trial runs between epochs
     * @param afterImages the images predicted after the last step (the validation pass, pseudo-labeling)
     */
    static PhasePacing add(TrialRunner runner, TrainingPlan plan, String phase, long steps, double stepCost, int monitorImages,
            int afterImages) {
        double ips = plan.measuredImagesPerSecond();
        if (plan.budgetSeconds() <= 0 || ips <= 0 || steps <= 0) {
            return null;
        }
        PhasePacing p = new PhasePacing(phase, steps, seconds(steps, stepCost, plan, afterImages));
        double after = seconds(0, stepCost, plan, afterImages);
        runner.withTechnique(block -> new LastStep(p.lastStep));
        runner.withTechnique(block -> new FromFirstStep(start -> {
            double seconds = resumedSeconds(p.seconds, after, steps, start);
            long end = System.nanoTime() + (long) (seconds * 1e9);
            return p.pacer[0] = new BudgetPacer(System::nanoTime, end, Duration.ofMillis((long) (seconds * 1000)),
                    new BudgetPacer.AfterTraining(monitorImages, afterImages, 0, 0), plan.effectiveBatch()).atMost(steps);
        }));
        return p;
    }

    /**
     * The seconds {@code steps} of {@code stepCost} plain steps were planned for at the plan's measured speed, with
     * {@code afterImages} predicted after them (inference at three times the training speed).
     */
    static double seconds(long steps, double stepCost, TrainingPlan plan, int afterImages) {
        double ips = plan.measuredImagesPerSecond();
        return steps * stepCost * plan.effectiveBatch() / ips + afterImages / (3 * ips);
    }

    /**
     * The seconds of a phase planned for {@code plannedSeconds} ({@code afterSeconds} of them after its last step) that
     * starts at step {@code start} of {@code steps}: a phase resumed after a kill has only its steps left to train, and
     * their share of the steps' seconds.
     */
    static double resumedSeconds(double plannedSeconds, double afterSeconds, long steps, long start) {
        return (plannedSeconds - afterSeconds) * Math.max(0, steps - start) / steps + afterSeconds;
    }

    /**
     * The steps the phase trained: the planned ones, or, when the pacer shortened it, its last global step (the steps
     * before a resume included); logs the re-plan.
     */
    long steps() {
        if (pacer[0] == null || pacer[0].replans().isEmpty() || lastStep[0] <= 0) {
            return planned;
        }
        LOG.info("ssl: {}'s steps were re-planned {} time(s), last to {}, to end within the {} s planned for it (its steps ran"
                + " at another speed than the one measured before training); it trained {} steps, {} planned before it started", phase, pacer[0].replans().size(),
                pacer[0].lastTotal(), String.format(Locale.ROOT, "%.0f", seconds), lastStep[0], planned);
        return lastStep[0];
    }

    /** {@link #steps()} of {@code pacing}, or {@code planned} when there was none. */
    static long steps(PhasePacing pacing, long planned) {
        return pacing == null ? planned : pacing.steps();
    }

    /**
     * The pacer, made at the first epoch's start, once a resumed trial's first step is known (the loop positions its state
     * there, after {@code FIT_START}): {@code pacer} gives it from that step (0 for a fresh start). It then hears
     * {@code FIT_START}, as a pacer made before the loop would have.
     */
    static final class FromFirstStep implements Technique {
        private final java.util.function.LongFunction<BudgetPacer> pacer;
        private BudgetPacer made;

        FromFirstStep(java.util.function.LongFunction<BudgetPacer> pacer) {
            this.pacer = pacer;
        }

        @Override
        public String name() {
            return "budget-pacer";
        }

        @Override
        public boolean matches(Event event, TrainingView view) {
            return made == null ? event == Event.EPOCH_START : made.matches(event, view);
        }

        @Override
        public void apply(Event event, TrainingState state) {
            if (made == null) {
                made = pacer.apply(state.globalStep());
                made.apply(Event.FIT_START, state);
                return;
            }
            made.apply(event, state);
        }
    }

    /** Keeps the global step after each batch: the steps a trial trained, those before a resume included. */
    private record LastStep(long[] at) implements Technique {
        @Override
        public String name() {
            return "last-step";
        }

        @Override
        public boolean matches(Event event, TrainingView view) {
            return event == Event.BATCH_END;
        }

        @Override
        public void apply(Event event, TrainingState state) {
            at[0] = state.globalStep();
        }
    }
}
