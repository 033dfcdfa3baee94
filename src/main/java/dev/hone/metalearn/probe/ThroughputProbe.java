package dev.hone.metalearn.probe;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.DoubleSupplier;

/**
 * Training throughput (images/s of full steps: forward, backward, optimizer) against batch size,
 * and the largest batch the device holds.
 *
 * <p>Sizes double from 16 until throughput stops improving by {@link #GAIN} for two sizes in a
 * row, memory runs out, or the training set is exhausted; on a CPU the curve is flat early, on a
 * GPU it climbs until the device is full. The weights are restored afterwards.
 *
 * <p>Each size is then timed again in up to {@link #ROUNDS} - 1 further rounds, largest size first,
 * then smallest first, and keeps its fastest figure. Why: the first round runs while the process is
 * still warming up (allocator, kernel caches, CPU clocks), and interference from the rest of the
 * machine only ever slows a step down. On the project's 2-core CPU the single round measured batch 16
 * at 184-353 images/s and batch 64 at 238-472 across starts of one seed, while training then ran at
 * 380-550 images/s at every batch, so the batch-size rule followed the noise. Sizes past the fastest
 * that ran at under half its speed are not timed again: they slow down from memory traffic, not noise,
 * and they are the expensive ones.
 */
public final class ThroughputProbe {
    static final double GAIN = 1.05;
    static final int TIMED_STEPS = 2;
    /** Timing rounds per size, including the first; each size keeps its fastest round. */
    static final int ROUNDS = 3;

    private ThroughputProbe() {}

    /** One measured point; {@code fits} is false when the batch ran out of memory. */
    public record Point(int batchSize, double imagesPerSecond, boolean fits) {}

    public static List<Point> measure(ProbeContext ctx, int maxBatch) {
        return measure(ctx, maxBatch, Double.POSITIVE_INFINITY);
    }

    /**
     * The curve, stopping before a batch or a round whose timing would take the probe past
     * {@code maxSeconds} (projected from the throughput measured so far), so that a short budget is not
     * spent on large batches; at least the first two sizes are measured once.
     */
    public static List<Point> measure(ProbeContext ctx, int maxBatch, double maxSeconds) {
        return measureCurve(ctx, maxBatch, maxSeconds).points();
    }

    private static Curve measureCurve(ProbeContext ctx, int maxBatch, double maxSeconds) {
        long start = System.nanoTime();
        return ctx.probe(() -> {
            int[] order = EpochOrder.permutation(Seeds.mix(ctx.seed(), "throughput-probe", 0), 0, ctx.train().size());
            return curve(b -> time(ctx, order, b), Math.min(maxBatch, ctx.train().size()), maxSeconds,
                    () -> (System.nanoTime() - start) / 1e9);
        });
    }

    /**
     * A throughput curve and where it came from.
     *
     * @param points batch sizes in the order measured
     * @param complete every timing round ran and none was cut short by the time allowance
     * @param reused the cache entry it was read from, or null when it was measured now
     * @param kept the cache file it was written to, or null
     * @param notKept why a curve measured now was not kept (cut short, out of memory, cache off or not writable), or null
     * @param retimed why a cached curve was timed again instead of reused ({@link #stale}), or null
     */
    public record Curve(List<Point> points, boolean complete, ThroughputCache.Entry reused, Path kept, String notKept,
            String retimed) {
        /** One line for a decision's rationale: where the curve came from. */
        public String source() {
            if (reused != null) {
                return "the throughput curve measured on this machine at " + reused.measured() + ", reused from " + reused.file()
                        + " (delete it, or set HONE_CACHE=off, to time again)";
            }
            return "the throughput curve measured now" + (kept != null ? ", kept in " + kept + " for later runs"
                    : notKept != null ? " (not kept: " + notKept + ")" : "") + (retimed != null ? "; " + retimed : "");
        }
    }

    /** Bumped when the probe's method changes (rounds, timed steps), so curves timed the old way are not reused. */
    static final String METHOD = "rounds " + ROUNDS + ", timed steps " + TIMED_STEPS;

    /**
     * The curve from the cache when it holds one for this model on this machine (see {@link ThroughputCache}), else
     * {@link #measure(ProbeContext, int, double)}, kept in the cache when it is complete and never ran out of memory
     * (free device memory depends on what else holds it at the time).
     *
     * @param maxBatch the largest batch to try (the training set's size caps it)
     * @param maxSeconds the probe's time allowance, seconds
     * @param modelKey what sets the speed on the model's side: its spec, parameter count, input shape and loss; the
     *     largest batch, the device, the probe's method and the machine are added here
     */
    public static Curve measureOrReuse(ProbeContext ctx, int maxBatch, double maxSeconds, ThroughputCache cache,
            Map<String, String> modelKey) {
        Map<String, String> parts = new TreeMap<>(modelKey);
        parts.put("maxBatch", Integer.toString(Math.min(maxBatch, ctx.train().size())));
        parts.put("probe", METHOD);
        Map<String, String> key = ThroughputCache.key(parts, ctx.model().getNDManager().getDevice());
        Optional<ThroughputCache.Entry> hit = cache.read(key, Instant.now());
        String stale = null;
        if (hit.isPresent()) {
            stale = stale(ctx, hit.get());
            if (stale == null) {
                return new Curve(hit.get().points(), true, hit.get(), null, null, null);
            }
        }
        Curve measured = measureCurve(ctx, maxBatch, maxSeconds);
        String why = !cache.enabled() ? "the cache is off"
                : !measured.complete() ? "the budget's time allowance cut it short"
                : measured.points().stream().anyMatch(p -> !p.fits()) ? "it ran out of memory, which depends on what else holds"
                        + " the device's memory"
                : null;
        Path kept = why == null ? cache.write(key, measured.points(), Instant.now().truncatedTo(ChronoUnit.SECONDS)).orElse(null)
                : null;
        return new Curve(measured.points(), measured.complete(), null, kept,
                why == null && kept == null ? "the cache folder could not be written" : why, stale);
    }

    /**
     * A cached curve's fastest point is checked by one timing before the curve is reused: when this machine now trains
     * more than {@value #STALE} times as fast, the curve was timed while something else held the machine, and reusing it
     * would plan the run on that slower machine (a curve kept during a loaded afternoon at 11 images/s skipped every probe
     * and semi-supervised learning of a later run on the idle machine, 2026-12-07). A check that is slower is no reason to
     * time again: the first timing of a process is its slowest, and a busy moment would replace a good curve with a
     * slow one; the budget pacer follows the speed the steps then run at.
     *
     * @return why the entry is not reused, or null to reuse it (also when meta-learning's time is up, or the check's batch
     *     fails to run)
     */
    private static String stale(ProbeContext ctx, ThroughputCache.Entry entry) {
        Point fastest = null;
        for (Point p : entry.points()) {
            if (p.fits() && p.batchSize() <= ctx.train().size() && (fastest == null || p.imagesPerSecond() > fastest.imagesPerSecond())) {
                fastest = p;
            }
        }
        if (fastest == null || ctx.timeUp()) {
            return null; // no time left to check: the curve is reused, as before the check
        }
        int batch = fastest.batchSize();
        double now;
        try {
            now = ctx.probe(() -> time(ctx, EpochOrder.permutation(Seeds.mix(ctx.seed(), "throughput-probe", 2), 0,
                    ctx.train().size()), batch));
        } catch (EngineException | OutOfMemoryError e) {
            return null; // the device's memory is held by something else now: the kept curve stands, as the run's pacer follows
        }
        return now > STALE * fastest.imagesPerSecond() ? String.format(java.util.Locale.ROOT, "the cached curve (%s, measured"
                + " %s) gave %.0f images/s at batch %d, and a timing now gave %.0f: it was timed on a busier machine, so it was"
                + " timed again", entry.file(), entry.measured(), fastest.imagesPerSecond(), batch, now) : null;
    }

    /** How many times faster than its cached figure a check must run for the curve to be timed again ({@link #stale}). */
    static final double STALE = 1.5;

    /** Images/s of one timing at a batch size; throws {@link EngineException} or {@link OutOfMemoryError}. */
    @FunctionalInterface
    interface Timer {
        double imagesPerSecond(int batch);
    }

    /**
     * The curve from a timer: the doubling round, then the repeat rounds (see the class comment).
     *
     * @param limit the largest batch to try
     * @param maxSeconds the probe's time allowance, seconds
     * @param elapsed seconds the probe has taken so far
     */
    static Curve curve(Timer timer, int limit, double maxSeconds, DoubleSupplier elapsed) {
        List<Point> points = new ArrayList<>();
        double best = 0;
        int stale = 0;
        boolean complete = true;
        for (int b = 16; b <= limit && stale < 2; b *= 2) {
            double projected = best > 0 ? cost(b, best) : 0;
            if (points.size() >= 2 && elapsed.getAsDouble() + projected > maxSeconds) {
                complete = false;
                break;
            }
            try {
                double ips = timer.imagesPerSecond(b);
                points.add(new Point(b, ips, true));
                stale = ips > best * GAIN ? 0 : stale + 1;
                best = Math.max(best, ips);
            } catch (EngineException | OutOfMemoryError e) {
                points.add(new Point(b, 0, false));
                break;
            }
        }
        List<Integer> again = retimed(points);
        for (int round = 1; round < ROUNDS && !again.isEmpty(); round++) {
            double roundCost = 0;
            for (int i : again) {
                roundCost += cost(points.get(i).batchSize(), points.get(i).imagesPerSecond());
            }
            if (elapsed.getAsDouble() + roundCost > maxSeconds) {
                complete = false;
                break;
            }
            for (int k = 0; k < again.size(); k++) {
                int i = again.get(round % 2 == 1 ? again.size() - 1 - k : k);
                Point p = points.get(i);
                double ips = timer.imagesPerSecond(p.batchSize());
                if (ips > p.imagesPerSecond()) {
                    points.set(i, new Point(p.batchSize(), ips, true));
                }
            }
        }
        return new Curve(points, complete, null, null, null, null);
    }

    /** Indices of the fitting points worth timing again: all up to the fastest, and those after it at half its speed or more. */
    static List<Integer> retimed(List<Point> points) {
        int fastest = -1;
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).fits() && (fastest < 0 || points.get(i).imagesPerSecond() > points.get(fastest).imagesPerSecond())) {
                fastest = i;
            }
        }
        List<Integer> again = new ArrayList<>();
        for (int i = 0; fastest >= 0 && i < points.size(); i++) {
            Point p = points.get(i);
            if (p.fits() && (i <= fastest || p.imagesPerSecond() >= points.get(fastest).imagesPerSecond() / 2)) {
                again.add(i);
            }
        }
        return again;
    }

    /** Seconds one timing of a batch takes at a throughput: the warm-up step and the timed steps. */
    private static double cost(int batch, double imagesPerSecond) {
        return (TIMED_STEPS + 1) * batch / imagesPerSecond;
    }

    /**
     * Throughput at one batch size, timed over {@code steps} steps after two warm-up steps: the figure a
     * budget plan is made from, where the curve's two-step points are too rough (they ran 12% slow). Past the
     * context's deadline ({@link ProbeContext#timeUp}) the timing stops after its first timed step, so on a slow network
     * it costs meta-learning's time left, not its full length.
     */
    public static double measureAt(ProbeContext ctx, int batch, int steps) {
        return timedAt(ctx, batch, steps).imagesPerSecond();
    }

    /** The untimed steps {@link #timedAt} runs before the ones it times: a warm-up call of two, and one more. */
    public static final int WARM_UP_STEPS = 3;

    /** What a timing measured: the steps it timed (after its warm-up) and their throughput, images per second. */
    public record Timing(int steps, double imagesPerSecond) {}

    /** {@link #measureAt}, with the steps it timed (fewer than {@code steps} when meta-learning's time ran out). */
    public static Timing timedAt(ProbeContext ctx, int batch, int steps) {
        return ctx.probe(() -> {
            int[] order = EpochOrder.permutation(Seeds.mix(ctx.seed(), "throughput-probe", 1), 0, ctx.train().size());
            time(ctx, order, batch, 1, false);
            return time(ctx, order, batch, steps, true);
        });
    }

    private static double time(ProbeContext ctx, int[] order, int batch) {
        return time(ctx, order, batch, TIMED_STEPS, false).imagesPerSecond();
    }

    /** @param stopAtDeadline whether the timed steps stop, after the first, once the context's time is up */
    private static Timing time(ProbeContext ctx, int[] order, int batch, int timedSteps, boolean stopAtDeadline) {
        ctx.optimizer().setLearningRate(0); // the weights need not move; the step's cost is what counts
        long start = 0;
        int timed = 0;
        for (int s = 0; s <= timedSteps; s++) {
            if (s == 1) {
                start = System.nanoTime(); // the first step warms kernels and allocator up
            } else if (s > 1 && stopAtDeadline && ctx.timeUp()) {
                break;
            }
            int from = (s * batch) % Math.max(1, ctx.train().size() - batch + 1);
            try (NDManager m = ctx.train().manager().newSubManager()) {
                ResidentDataset.Batch x = ctx.train().batch(order, from, from + batch, m);
                ctx.backward(x);
                ctx.step();
            }
            timed = s;
        }
        return new Timing(timed, timed * batch / ((System.nanoTime() - start) / 1e9));
    }
}
