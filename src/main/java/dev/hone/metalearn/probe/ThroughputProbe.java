package dev.hone.metalearn.probe;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import java.util.ArrayList;
import java.util.List;

/**
 * Training throughput (images/s of full steps: forward, backward, optimizer) against batch size,
 * and the largest batch the device holds.
 *
 * <p>Sizes double from 16 until throughput stops improving by {@link #GAIN} for two sizes in a
 * row, memory runs out, or the training set is exhausted; on a CPU the curve is flat early, on a
 * GPU it climbs until the device is full. The weights are restored afterwards.
 */
public final class ThroughputProbe {
    static final double GAIN = 1.05;
    static final int TIMED_STEPS = 2;

    private ThroughputProbe() {}

    /** One measured point; {@code fits} is false when the batch ran out of memory. */
    public record Point(int batchSize, double imagesPerSecond, boolean fits) {}

    public static List<Point> measure(ProbeContext ctx, int maxBatch) {
        return measure(ctx, maxBatch, Double.POSITIVE_INFINITY);
    }

    /**
     * The curve, stopping before a batch whose timing would take the probe past {@code maxSeconds}
     * (projected from the best throughput so far), so that a short budget is not spent on large
     * batches; at least the first two sizes are measured.
     */
    public static List<Point> measure(ProbeContext ctx, int maxBatch, double maxSeconds) {
        long start = System.nanoTime();
        return ctx.probe(() -> {
            List<Point> points = new ArrayList<>();
            int[] order = EpochOrder.permutation(Seeds.mix(ctx.seed(), "throughput-probe", 0), 0, ctx.train().size());
            double best = 0;
            int stale = 0;
            int limit = Math.min(maxBatch, ctx.train().size());
            for (int b = 16; b <= limit && stale < 2; b *= 2) {
                double projected = best > 0 ? (TIMED_STEPS + 1) * b / best : 0;
                if (points.size() >= 2 && (System.nanoTime() - start) / 1e9 + projected > maxSeconds) {
                    break;
                }
                try {
                    double ips = time(ctx, order, b);
                    points.add(new Point(b, ips, true));
                    stale = ips > best * GAIN ? 0 : stale + 1;
                    best = Math.max(best, ips);
                } catch (EngineException | OutOfMemoryError e) {
                    points.add(new Point(b, 0, false));
                    break;
                }
            }
            return points;
        });
    }

    /**
     * Throughput at one batch size, timed over {@code steps} steps after two warm-up steps: the figure a
     * budget plan is made from, where the curve's two-step points are too rough (they ran 12% slow).
     */
    public static double measureAt(ProbeContext ctx, int batch, int steps) {
        return ctx.probe(() -> {
            int[] order = EpochOrder.permutation(Seeds.mix(ctx.seed(), "throughput-probe", 1), 0, ctx.train().size());
            time(ctx, order, batch, 1);
            return time(ctx, order, batch, steps);
        });
    }

    private static double time(ProbeContext ctx, int[] order, int batch) {
        return time(ctx, order, batch, TIMED_STEPS);
    }

    private static double time(ProbeContext ctx, int[] order, int batch, int timedSteps) {
        ctx.optimizer().setLearningRate(0); // the weights need not move; the step's cost is what counts
        long start = 0;
        for (int s = 0; s <= timedSteps; s++) {
            if (s == 1) {
                start = System.nanoTime(); // the first step warms kernels and allocator up
            }
            int from = (s * batch) % Math.max(1, ctx.train().size() - batch + 1);
            try (NDManager m = ctx.train().manager().newSubManager()) {
                ResidentDataset.Batch x = ctx.train().batch(order, from, from + batch, m);
                ctx.backward(x);
                ctx.trainer().step();
            }
        }
        return timedSteps * batch / ((System.nanoTime() - start) / 1e9);
    }
}
