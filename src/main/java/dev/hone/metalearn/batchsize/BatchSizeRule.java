package dev.hone.metalearn.batchsize;

import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Chooses the batch size from the gradient noise scale and the device's measured throughput.
 *
 * <p>McCandlish et al. 2018 show that training time (optimizer steps) and compute (examples processed)
 * trade off around the noise scale: batches well below {@code B_simple} waste steps, batches well above
 * it waste examples. So the batch should approach {@code B_simple} but only as far as it keeps paying:
 * <ol>
 *   <li>the <em>plateau</em> is every measured batch whose images/s, smoothed by {@link ThroughputCurve},
 *       is within {@link #PLATEAU_TOLERANCE} of the best (on a CPU the curve is nearly flat, so most
 *       batches are on it);</li>
 *   <li>when {@code B_simple} is below the plateau, ties on it go to the smaller batch: the choice is
 *       the plateau's first batch. The smoothing and the 10% tolerance keep timing noise from moving
 *       that first batch from run to run (it moved between 64 and 128 with raw points and 5%);</li>
 *   <li>the choice is the largest batch on the plateau not above {@code B_simple}; when {@code B_simple}
 *       falls between two plateau batches, it is {@code B_simple} rounded down to a multiple of 8, since
 *       throughput is flat on both sides and the larger one fits;</li>
 *   <li>no batch goes below {@link #MIN_BATCH}, where BatchNorm's batch statistics get too noisy;</li>
 *   <li>when {@code B_simple} is above the largest batch that fits in memory, the batch is the largest
 *       plateau batch that fits, and gradients are accumulated over enough steps to reach about
 *       {@code B_simple} (at most {@link #MAX_ACCUMULATION}).</li>
 * </ol>
 * Without a memory ceiling nothing is accumulated: the batch is capped at the largest plateau batch.
 */
public final class BatchSizeRule {

    /**
     * Batches within this fraction of the best (smoothed) throughput count as equally fast: twice the
     * 2-step timings' run-to-run scatter on a CPU, and midway between where batch 64 (91-100% of the
     * best) and batch 32 (77-87%) land on the recorded curves ({@link ThroughputCurve}).
     */
    public static final double PLATEAU_TOLERANCE = 0.10;
    /** Smallest batch chosen: BatchNorm's per-batch statistics get noisy below it. */
    public static final int MIN_BATCH = 16;
    /** Most micro-batches accumulated into one step; beyond it a step takes too long to be worth it. */
    public static final int MAX_ACCUMULATION = 32;

    private BatchSizeRule() {
    }

    /** One throughput measurement: how many training images per second a batch of this size sustains. */
    public record ThroughputPoint(int batchSize, double imagesPerSecond) {
        public ThroughputPoint {
            if (batchSize <= 0 || !(imagesPerSecond > 0) || !Double.isFinite(imagesPerSecond)) {
                throw new IllegalArgumentException("throughput point needs a positive batch size and a positive finite"
                        + " images/s, got batch " + batchSize + " at " + imagesPerSecond + " images/s");
            }
        }
    }

    /**
     * The chosen batch.
     *
     * @param batchSize images per forward/backward pass
     * @param accumulationSteps passes whose gradients are summed before one optimizer step (1: none)
     * @param rationale one sentence for a person
     */
    public record Choice(int batchSize, int accumulationSteps, String rationale) {
        /** Images per optimizer step. */
        public int effectiveBatch() {
            return batchSize * accumulationSteps;
        }
    }

    /** {@link #choose(double, List, OptionalInt)} with no memory ceiling. */
    public static Choice choose(double bSimple, List<ThroughputPoint> throughput) {
        return choose(bSimple, throughput, OptionalInt.empty());
    }

    /**
     * Chooses the batch.
     *
     * @param bSimple the noise scale; {@code +∞} when noise dominated the probe, 0 when it found no noise
     * @param throughput measured points, any order
     * @param maxFittingBatch the largest batch that fits in memory, when known
     */
    public static Choice choose(double bSimple, List<ThroughputPoint> throughput, OptionalInt maxFittingBatch) {
        return choose(bSimple, throughput, maxFittingBatch, "B_simple = " + formatBSimple(bSimple));
    }

    private static Choice choose(double bSimple, List<ThroughputPoint> throughput, OptionalInt maxFittingBatch,
            String head) {
        if (Double.isNaN(bSimple) || bSimple < 0) {
            throw new IllegalArgumentException("B_simple must be a non-negative number or +infinity, got " + bSimple
                    + "; observe the gradient noise scale for at least one step first");
        }
        int ceiling = maxFittingBatch.orElse(Integer.MAX_VALUE);
        List<ThroughputPoint> usable = ThroughputCurve.smooth(throughput.stream()
                .filter(p -> p.batchSize() >= MIN_BATCH && p.batchSize() <= ceiling)
                .toList());
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("no throughput point between " + MIN_BATCH + " and the memory ceiling "
                    + (maxFittingBatch.isPresent() ? ceiling : "(none)") + " among " + throughput
                    + "; measure throughput at a batch of at least " + MIN_BATCH + " that fits");
        }
        double best = usable.stream().mapToDouble(ThroughputPoint::imagesPerSecond).max().orElseThrow();
        List<ThroughputPoint> plateau = usable.stream()
                .filter(p -> p.imagesPerSecond() >= (1 - PLATEAU_TOLERANCE) * best).toList();
        int plateauMax = plateau.get(plateau.size() - 1).batchSize();
        String plateauText = String.format(Locale.ROOT, "within %.0f%% of the best %.0f images/s, smoothed",
                100 * PLATEAU_TOLERANCE, best);

        double target = Math.max(MIN_BATCH, bSimple);
        if (bSimple == 0) {
            head += " (no measurable gradient noise)";
        }

        ThroughputPoint below = null;
        ThroughputPoint above = null;
        for (ThroughputPoint p : plateau) {
            if (p.batchSize() <= target) {
                below = p;
            } else if (above == null) {
                above = p;
            }
        }
        if (below == null) {
            int b = plateau.get(0).batchSize();
            return new Choice(b, 1, head + ", below the throughput plateau, which starts at " + b + " (" + plateauText
                    + "); smaller batches would leave the device idle, and ties on the plateau go to the smaller batch");
        }
        if (above != null && consecutive(usable, below, above)) {
            int rounded = Math.max(below.batchSize(), (int) Math.floor(target / 8) * 8);
            if (rounded > below.batchSize()) {
                return new Choice(rounded, 1, head + ", rounded down to a multiple of 8; throughput is flat between "
                        + below.batchSize() + " and " + above.batchSize() + " (" + plateauText + ")");
            }
        }
        int b = below.batchSize();
        if (b < plateauMax || Math.floor(target / 8) * 8 <= b) {
            return new Choice(b, 1, head + ", the largest batch not above it on the throughput plateau: " + b
                    + " (" + plateauText + ")");
        }
        // B_simple is beyond every plateau batch that fits
        if (maxFittingBatch.isPresent() && target > ceiling) {
            if (Double.isInfinite(target)) {
                return new Choice(b, 1, head + ", so the largest plateau batch that fits in memory, " + b
                        + ", is used without accumulation: the probe could not bound B_simple");
            }
            int steps = (int) Math.max(1, Math.min(MAX_ACCUMULATION, Math.round(target / b)));
            if (steps == 1) {
                return new Choice(b, 1, head + ", close to the largest plateau batch that fits in memory, " + b
                        + ", so nothing is accumulated");
            }
            return new Choice(b, steps, head + ", above the largest batch that fits in memory (" + ceiling
                    + "), so " + b + " images × " + steps + " accumulated steps reach " + (b * steps)
                    + (steps == MAX_ACCUMULATION ? " (accumulation capped at " + MAX_ACCUMULATION + ")" : ""));
        }
        boolean fallsOff = b < usable.get(usable.size() - 1).batchSize();
        return new Choice(b, 1, head + ", capped by the throughput plateau at " + b + " (" + plateauText
                + (fallsOff ? "; larger batches run slower)" : "; the largest batch measured)"));
    }

    /**
     * Wraps the noise-scale measurement and the rule into the {@code batch-size} decision.
     *
     * @param gns the finished probe
     * @param throughput measured points
     * @param maxFittingBatch the largest batch that fits in memory, when known
     * @param cost time the probe and throughput measurement took
     */
    public static Decision<Integer> decide(GradientNoiseScale gns, List<ThroughputPoint> throughput,
            OptionalInt maxFittingBatch, Duration cost) {
        if (gns.observations() == 0) {
            throw new IllegalArgumentException("the gradient-noise-scale probe has no observations; run it first");
        }
        double bSimple = gns.bSimple();
        GradientNoiseScale.Band band = gns.band();
        String head;
        if (Double.isInfinite(bSimple)) {
            head = "B_simple above any batch tried (noise dominated the gradient at batch "
                    + (long) gns.bBig() + " over " + steps(gns.observations()) + ")";
        } else {
            // the estimate at the probe's end, and the band its smoothed values spanned over the last steps (which need not
            // hold the end value: a band of 13 to 20 beside "20 ± 3" read as a contradiction)
            head = "B_simple = " + formatBSimple(bSimple) + " over " + steps(gns.observations())
                    + (Double.isFinite(band.high()) ? String.format(java.util.Locale.ROOT, " (%d to %d over its last %d)",
                            Math.round(band.low()), Math.round(band.high()), band.steps())
                            : " (its band reaches +∞)");
        }
        Choice choice = choose(bSimple, throughput, maxFittingBatch, head);

        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("bSimple", bSimple);
        evidence.put("band", Map.of("low", band.low(), "median", band.median(), "high", band.high(),
                "steps", band.steps()));
        evidence.put("steps", gns.observations());
        evidence.put("noiseDominated", gns.noiseDominated());
        evidence.put("gradientSquare", gns.gradientSquare());
        evidence.put("traceCovariance", gns.traceCovariance());
        evidence.put("bSmall", gns.bSmall());
        evidence.put("bBig", gns.bBig());
        evidence.put("emaDecay", gns.emaDecay());
        evidence.put("history", List.copyOf(gns.history()));
        List<Map<String, Object>> points = new ArrayList<>();
        for (ThroughputPoint p : throughput) {
            points.add(Map.of("batchSize", p.batchSize(), "imagesPerSecond", p.imagesPerSecond()));
        }
        evidence.put("throughput", points);
        List<Map<String, Object>> smoothed = new ArrayList<>();
        for (ThroughputPoint p : ThroughputCurve.smooth(throughput)) {
            smoothed.add(Map.of("batchSize", p.batchSize(), "imagesPerSecond", p.imagesPerSecond()));
        }
        evidence.put("throughputSmoothed", smoothed);
        maxFittingBatch.ifPresent(c -> evidence.put("memoryCeiling", c));
        evidence.put("accumulationSteps", choice.accumulationSteps());
        evidence.put("effectiveBatch", choice.effectiveBatch());
        return new Decision<>("batch-size", choice.batchSize(), Origin.LEARNED, "gradient-noise-scale",
                choice.rationale(), evidence, cost);
    }

    /** The accumulation steps a {@code batch-size} decision carries in its evidence; 1 when it has none. */
    public static int accumulationOf(Decision<?> batchSize) {
        return batchSize.evidence().get("accumulationSteps") instanceof Number n ? Math.max(1, n.intValue()) : 1;
    }

    private static boolean consecutive(List<ThroughputPoint> sorted, ThroughputPoint a, ThroughputPoint b) {
        return sorted.indexOf(b) == sorted.indexOf(a) + 1;
    }

    private static String steps(int n) {
        return n + (n == 1 ? " step" : " steps");
    }

    static String formatBSimple(double bSimple) {
        return Double.isInfinite(bSimple) ? "+∞ (above any batch tried)" : Long.toString(Math.round(bSimple));
    }
}
