package dev.hone.optimize;

import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a budgeted run's schedule on the time actually left: after every step it measures the
 * seconds per step over the last steps (a twentieth of the run as last re-planned, at least 5; the time of
 * validation passes between them is left out), and re-plans the total steps so that the
 * remaining steps, the validation passes still to come and the work after training (the final
 * choices on validation, the test evaluation, writing the outputs) end at the budget. The schedules
 * follow the new total, going back only to give steps a slow patch took their schedule back ({@link TrainingState#replan}),
 * so a run that slows down
 * part-way still anneals to its last step instead of being cut off at its peak learning rate (issue 14: a 10-minute run on a machine that
 * another process started using stopped at epoch 4 of 18).
 *
 * <p>Inference speed is measured on each validation pass (the median of the last {@value #VALIDATIONS_AVERAGED} passes),
 * replacing the planner's estimate for the work after training. Changes below {@link #TOLERANCE} of the steps left,
 * either way, are ignored, so timing noise does not move the schedule. If time runs out anyway, it stops the run at the
 * deadline (the safety net the earlier budget guard was).
 *
 * <p>Where steps differ in cost along the schedule ({@link ProgressiveResizing}), a step cost relative to a full one is
 * given as a function of the schedule's share ({@link #withStepCost}): the window's time divided by the sum of its steps'
 * costs reads the full-size step, and the steps left are summed by their costs. The window holds steps whose costs are
 * within a factor {@link #MAX_COST_RATIO} of each other (it starts again at a larger change), so it reads a full-size step
 * with the cost model's error at about one size only: exactly where its steps are of one size, whatever that error, and the
 * error is read again once the window's steps are of the next size. A ramp over many sizes (images of 64 pixels or more,
 * whose sides grow 4 pixels at a time) is still paced while its sizes change, a few at a time.
 */
public final class BudgetPacer implements Technique {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    /**
     * Change of the total, relative to the steps left, below which no re-plan is made ({@link #worthReplanning}). Relative
     * to the total, a slowdown late in a run was never re-planned: two W1 runs whose full-size steps ran 10% to 20% slower
     * than their last re-plan measured were stopped by the deadline 393 and 661 steps before their total, at 0.16% and
     * 3.4% of the peak rate; and with fewer steps re-planned by the steps left but more still by the total, the steps a
     * late slow patch took away were never given back: three W1 runs ended 71 to 136 s early (progressive resizing,
     * 2026-12-06).
     */
    public static final double TOLERANCE = 0.05;
    /** Change of the total, relative to the total, below which no re-plan is made however few steps are left. */
    static final double MIN_CHANGE = 0.01;
    /** Share of the time left held back for noise, as the budget planner does. */
    static final double MARGIN = 0.02;
    /**
     * The speed is measured over the last 1/WINDOWS of the planned steps, and at least MIN_WINDOW steps.
     * On the shared 2-core machine, 12-step windows of a W1 run read 0.9 to 1.3 s per step and moved
     * the total back and forth by up to 15%; 20ths of the run and a 5% tolerance keep such noise out.
     */
    private static final int WINDOWS = 20;
    private static final int MIN_WINDOW = 5;
    /**
     * Steps after the loop starts whose times no window holds, a precaution: a fresh process runs its first steps with
     * cold kernels and allocator (the throughput probe leaves its first step out of its timing for that reason), and a
     * resumed run, whose plan is read back rather than measured, starts with them; no run measured here was misled by
     * them. (A resumed 2-minute run whose total swung from 29 to 212 steps and back, and whose time left rose from 28 to
     * 56 s, was not this: its steps ran at 1.8 s until step 26 and at 0.3 s five steps later on a machine shared with other
     * jobs, and its 5-step window followed them.) A plan of a few steps keeps fewer, so that it can still be re-planned.
     */
    static final int WARM_UP_STEPS = 2;
    /**
     * A window that has not filled yet re-plans when the steps it holds, at least {@link #MIN_WINDOW}, would multiply or
     * divide the steps left by more than this factor. The first twentieth of a run planned at a speed k times off takes
     * k/20 of its budget before the first full window re-plans it: 60% for a 2-minute segmentation run that planned 904
     * steps from a cached speed 12 times too high and had not re-planned 24 steps later (a fresh review, 2026-12-06).
     * Below the factor the full window waits: windows of a few steps read speeds that swing from step to step.
     */
    static final double EARLY_FACTOR = 4;
    /**
     * The largest ratio between the costs of two steps in one window. The pixel share misread 16x16 steps of 28x28 images,
     * 0.33 of a full step, by up to 18% (they ran at 0.37 to 0.42): a window that mixed them with 20x20 steps (0.51, a ratio
     * of 1.56) would carry that error into the larger size's reading. Sides 4 pixels apart on images of 64 pixels or more
     * differ by at most 27% in pixels, so their ramp's sizes share windows and are paced while the sizes change.
     */
    static final double MAX_COST_RATIO = 1.4;
    /** Re-plans kept in the record, the first half and the newest half of them; the rest are counted. */
    static final int KEPT = 50;

    /**
     * Forward-only passes run about this many times faster per image than training steps (the budget
     * planner's figure), until a validation pass measures it.
     */
    static final double INFERENCE_SPEEDUP = 3.0;

    /**
     * The work after training, whose time must be left: images per validation pass, test predictions (the test images,
     * twice where test-time flips may be used), the whole validation passes the final choices may take at the most (each
     * average's and the flips' comparisons, a kept candidate's predictions of the whole split, the semi-supervised
     * guard-rail's teacher), the seconds to write the outputs, and the most seconds kept for those validation passes:
     * on a machine slower than planned they would otherwise take the time of the training steps they follow (a loaded
     * 1-minute run whose first steps ran 8 times slower than planned kept 45 s for them and trained 8 steps), where the
     * final choices compare only the candidates that fit the time left; and the most seconds kept for the test pass, which
     * scores a seeded sample of the test images when the rest does not fit (a loaded 3-minute run kept 167 s of its 180 for
     * 10,000 test images at three times its training speed, trained one step, and then predicted them at twelve times it).
     */
    public record AfterTraining(int validationImages, int testImages, int finalValidationPasses, double outputSeconds,
            double maxFinalPassSeconds, double maxTestSeconds) {
        /** Without a limit on the final choices' passes or the test pass. */
        public AfterTraining(int validationImages, int testImages, int finalValidationPasses, double outputSeconds) {
            this(validationImages, testImages, finalValidationPasses, outputSeconds, Double.POSITIVE_INFINITY);
        }

        /** Without a limit on the test pass. */
        public AfterTraining(int validationImages, int testImages, int finalValidationPasses, double outputSeconds,
                double maxFinalPassSeconds) {
            this(validationImages, testImages, finalValidationPasses, outputSeconds, maxFinalPassSeconds, Double.POSITIVE_INFINITY);
        }
    }

    /** One re-plan: at which step, from and to which total, at what measured speed and time left. */
    public record Replan(long atStep, long fromSteps, long toSteps, double secondsPerStep, double secondsLeft) {}

    private final LongSupplier clock;
    private final long endNanos;
    private final Duration budget;
    private final AfterTraining after;
    private final int imagesPerStep;
    private final DoubleUnaryOperator stepCost;
    /** A full-size step's seconds as timed before training, or NaN ({@link #withFullStepSeconds}). */
    private final double fullStepSeconds;
    /** The most steps a re-plan may set ({@link #atMost}); {@code Long.MAX_VALUE} for no cap. */
    private final long maxTotal;
    /**
     * The machine's slowdown since training started, read on windows of one size below full: the latest reading of the size
     * over its first ({@code sizeFirstReading}), times the drift when that size began ({@code sizeBaseDrift}), so that a
     * slowdown at any size carries to the larger ones (assuming none at the change of size itself); at least 1.
     */
    private double drift = 1;
    private double sizeCost = Double.NaN;
    private double sizeFirstReading = Double.NaN;
    private double sizeBaseDrift = 1;
    private double inferenceImagesPerSecond = Double.NaN;
    /** The window: the last steps' seconds and costs relative to a full-size step, rings of the window's length. */
    private double[] stepSeconds;
    private double[] stepCosts;
    /** Steps the window has taken in since it last started again; it is full once this reaches its length. */
    private int held;
    /** Steps still to be taken before the window holds any ({@link #WARM_UP_STEPS} after the loop starts). */
    private int warmUpLeft;
    /** When the last step ended, on the clock that stops during validation passes. */
    private long lastStepEnd;
    /** Time spent in validation passes so far: step times are measured on a clock that stops during them. */
    private long pausedNanos;
    private long validationStartNanos;
    /** The median of the last {@link #VALIDATIONS_AVERAGED} validation passes' seconds; NaN before the first. */
    private double validationSeconds = Double.NaN;
    private final java.util.ArrayDeque<Double> lastValidations = new java.util.ArrayDeque<>();
    /**
     * Validation passes whose median sizes the passes to come and the work after training: one pass slowed by the rest of
     * the machine is ignored, a lasting change is followed from the second pass on. One pass's time sized them before, and
     * in a short run on a shared machine, where the work after training is a large share of the budget, a 30-second
     * binary run re-planned its total 37 times in 186 steps, swinging at epochs' ends (339, 176, 263, 245, 256, 202, ...)
     * (a fresh review, 2026-12-06).
     */
    static final int VALIDATIONS_AVERAGED = 3;
    private final List<Replan> replans = new ArrayList<>();
    private final java.util.ArrayDeque<Replan> newest = new java.util.ArrayDeque<>();
    private int dropped;
    private long lastTotal = -1;
    /** The total the console last heard of; it hears again when the total moves by {@link #LOGGED_CHANGE} from it. */
    private long lastLogged;
    private static final double LOGGED_CHANGE = 0.1;

    /**
     * @param clock nanoseconds, as {@link System#nanoTime}
     * @param endNanos when the whole run must end, on {@code clock}
     * @param budget the whole run's wall-clock budget, named in the message when the deadline stops the run
     * @param after what must still run after the last step (validation and test images, final passes, writing the
     *     outputs), whose time is held back from training
     * @param imagesPerStep images per optimizer step (batch times accumulation), to estimate inference speed
     *     from training speed until a validation pass measures it
     */
    public BudgetPacer(LongSupplier clock, long endNanos, Duration budget, AfterTraining after, int imagesPerStep) {
        this(clock, endNanos, budget, after, imagesPerStep, f -> 1, Double.NaN, Long.MAX_VALUE);
    }

    private BudgetPacer(LongSupplier clock, long endNanos, Duration budget, AfterTraining after, int imagesPerStep,
            DoubleUnaryOperator stepCost, double fullStepSeconds, long maxTotal) {
        this.maxTotal = maxTotal;
        this.clock = clock;
        this.endNanos = endNanos;
        this.budget = budget;
        this.after = after;
        this.imagesPerStep = imagesPerStep;
        this.stepCost = stepCost;
        this.fullStepSeconds = fullStepSeconds;
    }

    /**
     * This pacer, for steps whose cost varies along the schedule.
     *
     * @param cost a step's cost at a share of the schedule in [0, 1], relative to a full-size step, in (0, 1]
     */
    public BudgetPacer withStepCost(DoubleUnaryOperator cost) {
        return new BudgetPacer(clock, endNanos, budget, after, imagesPerStep, cost, fullStepSeconds, maxTotal);
    }

    /**
     * This pacer, never re-planning more than {@code steps} steps in all: for a phase whose steps are capped for another
     * reason than time (a semi-supervised teacher's epochs), which the pacer may shorten to fit its time but not lengthen.
     */
    public BudgetPacer atMost(long steps) {
        return new BudgetPacer(clock, endNanos, budget, after, imagesPerStep, stepCost, fullStepSeconds, Math.max(1, steps));
    }

    /**
     * This pacer, with the seconds of a full-size step as timed before training (the budget plan's throughput): until its
     * window holds full-size steps, the steps left are timed from the window's ({@link ExtrapolatedSteps}), a full-size one
     * at this long scaled by how the machine's speed has drifted since training began (read size by size), and no less
     * than the window's steps took; a window that mixes full-size steps with smaller ones reads a full-size step through
     * the cost model, no faster than this. The cost model only extrapolates from smaller steps, and on a
     * CPU it can be far off: on 96x96 images 48x48 steps ran 23 times faster than full-size ones, not the 4 times their
     * pixels say, so the pacer read full-size steps at 0.65 s where the plan had timed 2.7 s, planned 4.5 times the steps,
     * and left 21 of 309 at full size (a fresh review, 2026-12-06).
     *
     * @param seconds seconds per full-size optimizer step; NaN, infinite or at most 0 for none
     */
    public BudgetPacer withFullStepSeconds(double seconds) {
        return new BudgetPacer(clock, endNanos, budget, after, imagesPerStep, stepCost,
                seconds > 0 && Double.isFinite(seconds) ? seconds : Double.NaN, maxTotal);
    }

    @Override
    public String name() {
        return "budget-pacer";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.FIT_START || event == Event.BATCH_END || event == Event.VALIDATION_START
                || event == Event.VALIDATION_END || event == Event.VALIDATION_ABORTED;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        long now = clock.getAsLong();
        switch (event) {
            case FIT_START -> {
                // a plan of a few steps keeps the steps for its first window and one re-plan before its end
                warmUpLeft = (int) Math.min(WARM_UP_STEPS, Math.max(0, state.totalSteps() - state.globalStep()
                        - windowLength(state.totalSteps()) - 1));
                lastLogged = state.totalSteps();
                stepSeconds = new double[windowLength(state.totalSteps())];
                stepCosts = new double[stepSeconds.length];
                held = 0;
                lastStepEnd = now;
            }
            case VALIDATION_START -> validationStartNanos = now;
            case VALIDATION_ABORTED -> pausedNanos += now - validationStartNanos; // no step's time, and no reading of speed
            case VALIDATION_END -> {
                double seconds = (now - validationStartNanos) / 1e9;
                pausedNanos += now - validationStartNanos;
                if (seconds > 0) {
                    lastValidations.addLast(seconds);
                    if (lastValidations.size() > VALIDATIONS_AVERAGED) {
                        lastValidations.removeFirst();
                    }
                    validationSeconds = median(lastValidations);
                    if (after.validationImages() > 0) {
                        inferenceImagesPerSecond = after.validationImages() / validationSeconds;
                    }
                }
            }
            case BATCH_END -> {
                // the step just taken stood one step before the schedule's position now
                double cost = stepCost.applyAsDouble(share(Math.max(0, state.scheduleStep() - 1), state.scheduleTotal()));
                boolean warmingUp = warmUpLeft > 0;
                if (warmingUp) {
                    warmUpLeft--;
                } else {
                    if (held > 0 && !sharesWindow(cost, oldestCostKept())) {
                        held = 0; // a step of another size: the window starts again from this one
                    }
                    stepSeconds[held % stepSeconds.length] = (now - pausedNanos - lastStepEnd) / 1e9;
                    stepCosts[held % stepCosts.length] = cost;
                    held++;
                }
                lastStepEnd = now - pausedNanos;
                if (now > trainingDeadline() && state.globalStep() < state.totalSteps()) { // a late last step completed the plan
                    state.requestStop(String.format(Locale.ROOT, "time budget of %d s reached before the planned last step "
                            + "(steps ran slower than measured): training's share ran out, the rest kept for what follows"
                            + " training (the final choices, the test pass)", budget.toSeconds()));
                } else if (!warmingUp && state.globalStep() < state.totalSteps()
                        && (held >= stepSeconds.length || held >= MIN_WINDOW)) {
                    replan(now, state);
                }
            }
            default -> { }
        }
    }

    /**
     * When training must end so that the work after it fits before the budget's end; before any speed
     * is measured, the budget's end less the output time.
     */
    long trainingDeadline() {
        return trainingDeadline(inferenceImagesPerSecond);
    }

    /** As {@link #trainingDeadline()}, with the work after training timed at {@code inference} images per second. */
    long trainingDeadline(double inference) {
        if (Double.isNaN(inference)) {
            return endNanos - (long) (after.outputSeconds() * 1e9);
        }
        double finalPasses = Math.min(after.finalValidationPasses() * (double) after.validationImages() / inference,
                after.maxFinalPassSeconds());
        double afterSeconds = Math.min(after.testImages() / inference, after.maxTestSeconds()) + finalPasses + after.outputSeconds();
        return endNanos - (long) (afterSeconds * 1e9);
    }

    private void replan(long now, TrainingState state) {
        // seconds per full-size step: per step when every step costs the same; a window not yet full holds its first steps
        int filled = Math.min(held, stepSeconds.length);
        boolean early = filled < stepSeconds.length;
        double seconds = 0;
        double costs = 0;
        double minCost = Double.POSITIVE_INFINITY;
        double maxCost = 0;
        for (int i = 0; i < filled; i++) {
            seconds += stepSeconds[i];
            costs += stepCosts[i];
            minCost = Math.min(minCost, stepCosts[i]);
            maxCost = Math.max(maxCost, stepCosts[i]);
        }
        double secondsPerStep = seconds / costs;
        // what this reading would set; a window not yet full sets it only when it re-plans, so that a few steps' reading
        // does not become the first size's reference or the estimate of the work after training
        double newDrift = drift;
        double newSizeCost = sizeCost;
        double newSizeFirst = sizeFirstReading;
        double newSizeBase = sizeBaseDrift;
        // the steps left are timed by their cost at a full step's seconds, except where the window holds no full-size step
        // and the timing before training is known: then from what the window's steps took (ExtrapolatedSteps)
        ExtrapolatedSteps measured = null;
        if (minCost < 1 && !Double.isNaN(fullStepSeconds)) {
            if (minCost == maxCost) {
                // steps of one size: how the machine's speed has moved since that size's first window
                if (minCost != newSizeCost) {
                    newSizeCost = minCost;
                    newSizeFirst = secondsPerStep;
                    newSizeBase = drift;
                }
                // never below 1: a first window slowed by a passing load (1.6 s, then 0.14 s a step, loaded) made later
                // full-size steps look ten times faster than timed, and the plan overran; a faster machine is believed once
                // full-size steps are timed
                newDrift = Math.max(1, newSizeBase * secondsPerStep / newSizeFirst);
            }
            if (maxCost < 1) {
                measured = new ExtrapolatedSteps(seconds / filled, maxCost, fullStepSeconds * newDrift);
                secondsPerStep = measured.fullStepSeconds();
            } else {
                // full-size steps beside smaller ones: read through the cost model, no faster than the timing before training
                secondsPerStep = Math.max(secondsPerStep, fullStepSeconds * newDrift);
            }
        }
        double inference = Double.isNaN(validationSeconds) ? imagesPerStep / secondsPerStep * INFERENCE_SPEEDUP
                : inferenceImagesPerSecond;
        double perValidation = Double.isNaN(validationSeconds) ? after.validationImages() / inference : validationSeconds;
        double left = (trainingDeadline(inference) - now) / 1e9 * (1 - MARGIN);
        long total = state.totalSteps();
        // the validation passes still to come, and the steps' costs, depend on the total; a few rounds settle them, and
        // where they swing across an epoch's end, the smaller total, reckoned with the larger one's passes, fits
        long before = total;
        for (int round = 0; round < 4; round++) {
            before = total;
            long passes = Math.max(1, ceilDiv(total, state.batchesPerEpoch()) - state.epoch() + 1);
            // the schedules stand where the re-plan leaves them: after a slow patch, back where the steps given back start
            double position = state.positionAfterReplan(total) / Math.max(1, state.scheduleTotal());
            double perStep = measured != null ? mean(state.globalStep(), total, position, measured::seconds)
                    : secondsPerStep * mean(state.globalStep(), total, position, c -> c);
            total = state.globalStep() + Math.max(1, (long) Math.floor((left - passes * perValidation) / perStep));
        }
        total = Math.min(Math.min(total, before), maxTotal);
        // a cut leaves a window's steps to read the speed again: a slow patch that passes gives them back, and one that
        // stays is stopped at the deadline (a loaded 3-minute run cut to 26 steps at step 25 ended with 118 s unused)
        total = Math.max(total, Math.min(state.totalSteps(), state.globalStep() + MIN_WINDOW + 1));
        long planned = state.totalSteps();
        if (early && !farOff(planned - state.globalStep(), total - state.globalStep())) {
            return;
        }
        drift = newDrift;
        sizeCost = newSizeCost;
        sizeFirstReading = newSizeFirst;
        sizeBaseDrift = newSizeBase;
        inferenceImagesPerSecond = inference;
        if (!worthReplanning(planned, total, state.globalStep())) {
            return;
        }
        long now2 = state.replan(total);
        if (now2 == planned) {
            return;
        }
        Replan r = new Replan(state.globalStep(), planned, now2, secondsPerStep, left);
        lastTotal = now2;
        resizeWindow(windowLength(now2));
        if (replans.size() < KEPT / 2) {
            replans.add(r);
        } else {
            newest.addLast(r);
            if (newest.size() > KEPT - KEPT / 2) {
                newest.removeFirst();
                dropped++;
            }
        }
        if (Math.abs(now2 - lastLogged) >= LOGGED_CHANGE * lastLogged) {
            // the console hears of large moves; the record keeps the first and the newest re-plans
            // "was" is the total the console last showed: the smaller re-plans between are in the record only
            LOG.info(String.format(Locale.ROOT, "budget: re-planned to %d steps (was %d) at step %d: %.3f s per step, %.0f s left%s",
                    now2, lastLogged, state.globalStep(), secondsPerStep, left, measured == null ? "" : String.format(Locale.ROOT,
                            " (a full-size step as timed before training, x%.2f for the machine's drift; the last steps, at"
                                    + " %.0f%% of its pixels, took %.3f s)", drift, 100 * measured.windowMaxCost(),
                            measured.windowSeconds())));
            lastLogged = now2;
        }
    }

    /** Whether {@code steps} left differ from the {@code planned} left by more than {@link #EARLY_FACTOR} either way. */
    static boolean farOff(long planned, long steps) {
        return Math.max(planned, steps) > EARLY_FACTOR * Math.max(1, Math.min(planned, steps));
    }

    /**
     * Whether a re-plan from {@code planned} to {@code total} steps at {@code step} is more than timing noise: when the
     * change, either way, is above {@link #TOLERANCE} of the steps left and {@link #MIN_CHANGE} of the total. A slowdown
     * late in a run must still anneal before the deadline, and the steps it took away are given back when the machine
     * recovers. Each re-plan holds {@link #MARGIN} of the time then left back, so more steps late in a run still end
     * inside the budget.
     */
    static boolean worthReplanning(long planned, long total, long step) {
        return Math.abs(planned - total) > Math.max(TOLERANCE * (planned - step), MIN_CHANGE * planned);
    }

    /**
     * The mean of {@code ofCost} over the relative costs of the steps from {@code step} to {@code total}, read as the schedule
     * will read them after a re-plan to {@code total}: at {@code step / total} of it, but never before {@code position},
     * where the re-plan leaves it ({@link TrainingState#positionAfterReplan}). With the identity, their mean relative cost.
     */
    private double mean(long step, long total, double position, DoubleUnaryOperator ofCost) {
        int samples = 64;
        double sum = 0;
        for (int i = 0; i < samples; i++) {
            double g = step + (total - step) * (i + 0.5) / samples;
            sum += ofCost.applyAsDouble(stepCost.applyAsDouble(Math.max(position, share((long) g, total))));
        }
        return sum / samples;
    }

    /**
     * The steps left timed from a window of smaller steps than full size: a step no larger than the window's largest takes
     * what the window's steps took on average ({@code windowSeconds}); a larger one is interpolated linearly in its cost
     * between that and a full-size step as timed before training, scaled by the machine's drift ({@code fullStepSeconds}),
     * never below the window's (more pixels take no less time). Steps of fixed overhead stay flat, steps whose time follows
     * their pixels follow them, and steps cheaper than their pixels (96x96 images' 48x48 steps, 23 times faster than
     * full-size ones) are timed above what they take, so the plan errs short, and gives steps back as sizes grow. Read
     * through the pixel share alone, steps whose time is mostly fixed overhead made full-size steps look as many times
     * slower as they have more pixels: on a loaded machine 16x16 steps of 28x28 images ran about as slowly as full-size
     * ones, so a 3-minute run's first window read a full step at 4.6 s, cut 45 steps to 15 and ended after 41 s at 18%
     * test accuracy, where the same run without resizing trained 73 steps to 73% (a fresh review, 2026-12-08).
     */
    record ExtrapolatedSteps(double windowSeconds, double windowMaxCost, double fullStepSeconds) {
        /** A step's seconds at {@code cost} relative to a full-size step. */
        double seconds(double cost) {
            if (cost <= windowMaxCost || windowMaxCost >= 1) {
                return windowSeconds;
            }
            double full = Math.max(windowSeconds, fullStepSeconds);
            return windowSeconds + (full - windowSeconds) * (cost - windowMaxCost) / (1 - windowMaxCost);
        }
    }

    private static double share(long step, long total) {
        return total <= 0 ? 1 : Math.min(1, (double) step / total);
    }

    /**
     * A twentieth of the run, at least {@link #MIN_WINDOW} steps, but half the run where that is fewer (at least 2): a
     * plan of 5 steps, made from a throughput probe that timed a cold model, was never re-planned, and a 1-minute U-Net
     * run trained its 5 steps at several times the probe's speed and ended at 34 s (a fresh review, 2026-12-06).
     */
    static int windowLength(long totalSteps) {
        return (int) Math.max(Math.min(MIN_WINDOW, Math.max(2, totalSteps / 2)), totalSteps / WINDOWS);
    }

    /**
     * Makes the window {@code length} steps long when that differs from its length by more than a quarter, keeping its
     * newest steps: a plan the first steps moved far (a throughput probe's reading 3 times too slow on 64x64 images made a
     * window of 1.7% of the re-planned run) is measured over a twentieth of the run again, so timing noise stays under
     * the tolerance as {@link #WINDOWS} intends. A longer window fills before the next re-plan.
     */
    private void resizeWindow(int length) {
        if (Math.abs(length - stepSeconds.length) <= stepSeconds.length / 4) {
            return;
        }
        int kept = Math.min(Math.min(held, stepSeconds.length), length);
        double[] seconds = new double[length];
        double[] costs = new double[length];
        for (int i = 0; i < kept; i++) {
            int from = (held - kept + i) % stepSeconds.length;
            seconds[i] = stepSeconds[from];
            costs[i] = stepCosts[from];
        }
        stepSeconds = seconds;
        stepCosts = costs;
        held = kept;
    }

    /**
     * The cost of the oldest step the window keeps once the next step is taken in: the first since it started again, or
     * when it is full, the one after the step the next one replaces.
     */
    private double oldestCostKept() {
        return held < stepCosts.length ? stepCosts[0] : stepCosts[(held + 1) % stepCosts.length];
    }

    /** Whether steps of costs {@code a} and {@code b} may share a window: within a factor {@link #MAX_COST_RATIO}. */
    static boolean sharesWindow(double a, double b) {
        return Math.max(a, b) <= MAX_COST_RATIO * Math.min(a, b);
    }

    /**
     * The re-plans made, oldest first: all of them, or when there were more than {@value #KEPT}, the first and the newest
     * {@value #KEPT} / 2 ({@link #dropped} counts those between).
     */
    public List<Replan> replans() {
        List<Replan> all = new ArrayList<>(replans);
        all.addAll(newest);
        return List.copyOf(all);
    }

    /** Re-plans made between the first and the newest ones kept. */
    public int dropped() {
        return dropped;
    }

    /**
     * Images per second of forward-only passes: as the last validation passes measured it (their median), else estimated
     * from the step times at {@link #INFERENCE_SPEEDUP} times the training speed; NaN before either.
     */
    public double inferenceImagesPerSecond() {
        return inferenceImagesPerSecond;
    }

    /** When the whole run must end, on the pacer's clock. */
    public long endNanos() {
        return endNanos;
    }

    /** The total of steps the last re-plan set; -1 before the first. */
    public long lastTotal() {
        return lastTotal;
    }

    private static double median(java.util.Collection<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
