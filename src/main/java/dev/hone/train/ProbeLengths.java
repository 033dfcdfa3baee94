package dev.hone.train;

import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.budget.ProbeBudget.Allocation;
import dev.hone.metalearn.budget.ProbeBudget.Stage;
import dev.hone.metalearn.budget.ProbeBudget;
import dev.hone.metalearn.probe.ThroughputProbe;
import dev.hone.record.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The probes' lengths for one run: their costs as measured so far, re-planned against the time
 * meta-learning has left before each probe ({@link ProbeBudget}), and a record of what each ran.
 *
 * <p>The step costs start from the throughput curve (seconds per image at each batch) and are
 * replaced by the probes' own measurements as they finish. When time is short the optimizer
 * comparison goes first, then the schedule trials; the noise-scale probe, the range test and the
 * budget timing run, at worst at their minimum lengths, except on a machine far slower than planned: a range test due once
 * the probes before it took all of meta-learning's time, and whose minimum would take it past twice its share, gives way
 * to the rule's rate ({@link #spentAll}), and the noise-scale probe stops before its minimum once meta-learning has taken
 * twice its share ({@link #cutShort}).
 */
final class ProbeLengths {
    static final String NOISE = "noise-scale probe";
    static final String RANGE = "range test";
    static final String COMPARE = "optimizer comparison";
    static final String SCHEDULE = "schedule trials";
    static final String TIMING = "budget timing";

    private final ProbeBudget time;
    private final String budgetText;
    private final double budgetSeconds;
    private double noiseStep;
    private double trainStep;
    private double timingStep;
    private double inferencePerImage;
    /** The noise-scale probe's measured seconds per step over the curve's estimate ({@link #measuredNoiseProbe}), or 1. */
    private double slowdown = 1;
    private final Map<String, Object> ran = new LinkedHashMap<>();
    /** The probes that gave way to a machine slower than planned ({@link #spentAll}, {@link #cutShort}). */
    private final List<String> gaveWay = new ArrayList<>();

    /**
     * @param budgetText the budget as the user gave it, for the record; null without one
     * @param budgetSeconds the same in seconds (0 without one), from which meta-learning's share was set
     */
    ProbeLengths(ProbeBudget time, String budgetText, double budgetSeconds) {
        this.time = time;
        this.budgetText = budgetText;
        this.budgetSeconds = budgetSeconds;
    }

    ProbeBudget time() {
        return time;
    }

    /** Costs read off the throughput curve; {@code batch} is the micro-batch the range test and trials will use. */
    void estimate(List<ThroughputProbe.Point> throughput, int batch, int accumulation) {
        double noiseSpeed = OptimizationLearners.speedAt(throughput, Defaults.NOISE_SMALL_BATCH);
        double speed = OptimizationLearners.speedAt(throughput, batch);
        noiseStep = perStep(Defaults.NOISE_SMALL_BATCH * Defaults.NOISE_ACCUMULATE, noiseSpeed);
        trainStep = perStep(batch * accumulation, speed);
        timingStep = perStep(batch, speed);
        inferencePerImage = perStep(1, speed * BudgetPlanner.INFERENCE_SPEEDUP);
    }

    /**
     * The noise-scale probe's measured time: its seconds per step over the curve's estimate say how much slower than its
     * curve the machine runs now, for {@link #spentAll}.
     */
    void measuredNoiseProbe(double seconds, int steps) {
        if (steps > 0 && seconds > 0 && noiseStep > 0) {
            slowdown = seconds / steps / noiseStep;
        }
    }

    /** A range test's measured seconds per step replaces the estimate for the steps that follow. */
    void measuredTrainStep(double seconds, int steps) {
        if (steps > 0 && seconds > 0) {
            trainStep = seconds / steps;
        }
    }

    /**
     * The lengths of the probes still to run, planned against the time left: all of them if they fit,
     * else without the optimizer comparison, else without the schedule trials too.
     */
    Allocation plan(boolean noise, boolean range, boolean compare, boolean schedule, int validationImages) {
        List<Stage> all = new ArrayList<>();
        if (noise) {
            all.add(new Stage(NOISE, Defaults.NOISE_STEPS, Defaults.NOISE_MIN_STEPS, noiseStep, 0));
        }
        if (range) {
            all.add(new Stage(RANGE, Defaults.RANGE_TEST_STEPS, Defaults.RANGE_TEST_MIN_STEPS, trainStep, 0));
        }
        if (compare) {
            all.add(new Stage(COMPARE, Defaults.RANGE_TEST_STEPS, Defaults.RANGE_TEST_MIN_STEPS, trainStep, 0));
        }
        if (schedule) {
            int n = dev.hone.optimize.Schedule.NAMES.size();
            all.add(new Stage(SCHEDULE, Defaults.SCHEDULE_STEPS, Defaults.SCHEDULE_MIN_STEPS, n * trainStep,
                    n * validationImages * inferencePerImage));
        }
        if (time.limited()) {
            all.add(Stage.fixed(TIMING, Defaults.PLAN_TIMED_STEPS + ThroughputProbe.WARM_UP_STEPS, timingStep));
        }
        return ProbeBudget.firstThatFits(time.leftSeconds(), List.of(all, ProbeBudget.without(all, COMPARE),
                ProbeBudget.without(all, COMPARE, SCHEDULE)));
    }

    /** Whether timing the final batch ({@link #TIMING}: its warm-up steps and the timed ones) fits meta-learning's time left. */
    boolean timingFits() {
        return !time.limited() || timingStep * (Defaults.PLAN_TIMED_STEPS + ThroughputProbe.WARM_UP_STEPS) <= time.leftSeconds();
    }

    /** Notes the steps a probe ran (or that it was skipped, with 0) against its full length. */
    void ran(String probe, int steps, int defaultSteps) {
        ran.put(probe, Map.of("steps", steps, "fullLength", defaultSteps));
    }

    /**
     * Why {@code what} is left out when the probes before it took all of meta-learning's time (a machine slower than its
     * throughput curve, or one that slowed down) and its minimum of {@code minSteps} training steps, at the curve's speed
     * times the slowdown the noise-scale probe measured, would take meta-learning past twice its share (where the
     * noise-scale probe too gives way, {@link #cutShort}), for the decision that falls back to a rule; null while it fits
     * that, without a budget, or while time is left. Starting it then would overrun the share further, and take the time
     * from training; a probe that merely cost more than its estimate on an ordinary machine still leaves room for it.
     */
    String spentAll(String what, int minSteps) {
        double minimum = minSteps * trainStep * Math.max(1, slowdown);
        if (!time.limited() || time.leftSeconds() > 0 || time.spentSeconds() + minimum <= 2 * time.capSeconds()) {
            return null;
        }
        gaveWay.add(what + " skipped");
        return String.format(Locale.ROOT, "no time for %s: meta-learning may take %.1f s of the %s budget, the probes before"
                + " it took %.1f s, and its %d steps at the least would take about %.1f s more (the machine ran slower than its"
                + " throughput curve predicted)", what, time.capSeconds(), budgetText, time.spentSeconds(), minSteps, minimum);
    }

    /**
     * Why {@code probe} was stopped before its minimum length, once meta-learning had taken twice its share, for the
     * decisions that fall back to rules.
     */
    String cutShort(String probe) {
        Object ran = this.ran.get(probe) instanceof Map<?, ?> m ? m.get("steps") : "?";
        gaveWay.add("the " + probe + " stopped after " + ran + " steps, below its minimum");
        return String.format(Locale.ROOT, "the %s was stopped after %s steps, below its minimum: meta-learning may take %.1f s of"
                + " the %s budget and had taken %.1f s (the machine ran slower than its throughput curve predicted)", probe, ran,
                time.capSeconds(), budgetText, time.spentSeconds());
    }

    /** Why a probe was left out, for the decision that falls back to a rule. */
    String noTimeFor(String what) {
        return String.format(Locale.ROOT, "no time for %s: meta-learning may take %.1f s of the %s budget, and the %.1f s left "
                + "did not hold it beside the required probes at their minimum lengths", what, time.capSeconds(), budgetText,
                time.leftSeconds());
    }

    /** The record of meta-learning's time: what it was allowed, what it took, and each probe's length. */
    Decision<String> decision() {
        double spent = time.spentSeconds();
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("spentSeconds", spent);
        evidence.put("probes", new LinkedHashMap<>(ran));
        boolean none = ran.values().stream().noneMatch(v -> v instanceof Map<?, ?> m && ((Number) m.get("steps")).intValue() > 0);
        if (!time.limited()) {
            return none ? Decision.derived("meta-learning", String.format(Locale.ROOT, "%.1f s", spent), "no probes",
                    "no noise-scale, range-test or schedule probe ran: the values they learn were given, or set by rule", evidence)
                    : Decision.derived("meta-learning", String.format(Locale.ROOT, "%.1f s", spent), "full-length probes",
                    "no budget, so every probe that ran ran its full length", evidence);
        }
        evidence.put("allowedSeconds", time.capSeconds());
        if (spent > time.capSeconds() + 0.5) {
            evidence.put("overSeconds", spent - time.capSeconds());
        }
        boolean shortened = ran.values().stream().anyMatch(v -> v instanceof Map<?, ?> m
                && ((Number) m.get("steps")).intValue() < ((Number) m.get("fullLength")).intValue());
        String bound = time.capSeconds() <= Defaults.META_LEARNING_SHARE * budgetSeconds + 1e-6
                ? String.format(Locale.ROOT, "%.0f%% of it", 100 * Defaults.META_LEARNING_SHARE)
                : String.format(Locale.ROOT, "%.0f%% of it would be under the %.0f s floor%s", 100 * Defaults.META_LEARNING_SHARE,
                        Defaults.META_LEARNING_FLOOR_SECONDS, time.capSeconds() < Defaults.META_LEARNING_FLOOR_SECONDS - 1e-6
                                ? String.format(Locale.ROOT, ", and %.0f%% is the most it may take",
                                        100 * Defaults.META_LEARNING_MAX_SHARE) : "");
        return Decision.derived("meta-learning", String.format(Locale.ROOT, "%.1f s", spent), "probe lengths scaled to the budget",
                String.format(Locale.ROOT, "meta-learning may take %.1f s of the %s budget (%s); it took %.1f s%s%s",
                        time.capSeconds(), budgetText, bound, spent, spent > time.capSeconds() + 0.5 ? String.format(Locale.ROOT,
                                ", %.1f s over its share (the training after it is planned in what is left)",
                                spent - time.capSeconds()) : "",
                        !gaveWay.isEmpty() ? ", the machine running slower than planned: " + String.join("; ", gaveWay)
                                : none ? ": no noise-scale, range-test or schedule probe ran, as the values they learn were given or"
                                        + " set by rule"
                                : shortened ? ", its probes shortened by one factor"
                                        + (spent > time.capSeconds() + 0.5 ? "" : " to fit") + ", none below its minimum length"
                                : ", every probe that ran at full length"),
                evidence);
    }

    private static double perStep(int images, double imagesPerSecond) {
        return imagesPerSecond > 0 ? images / imagesPerSecond : 0;
    }
}
