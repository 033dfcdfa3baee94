package dev.hone.train;

import dev.hone.metalearn.batchsize.BatchSizeRule;
import dev.hone.metalearn.batchsize.GradientNoiseScale;
import dev.hone.metalearn.probe.NoiseScaleProbe;
import dev.hone.metalearn.probe.ProbeContext;
import dev.hone.metalearn.probe.ThroughputProbe;
import dev.hone.record.ChartSpec;
import dev.hone.record.Decision;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * The batch-size learner: the gradient-noise-scale probe on the probe model, then {@link BatchSizeRule}
 * with the throughput curve and, when the curve ran out of memory, the largest batch that fit, so that
 * a noise scale above it is reached by gradient accumulation. The curve may come from this machine's
 * {@link dev.hone.metalearn.probe.ThroughputCache}; the evidence's {@code throughputSource} says which.
 */
final class BatchSizeLearner {
    private BatchSizeLearner() {}

    /**
     * The batch: the user's, or the rule's for a split too small to probe, or the noise-scale probe's reading; null when
     * the probe was stopped before its minimum steps (meta-learning had taken twice its share: a machine far slower than
     * its throughput curve), for the caller's rule.
     */
    static Decision<Integer> decide(TrainOptions o, ProbeContext ctx, ThroughputProbe.Curve curve,
            Duration throughputCost, ProbeLengths lengths, int validationImages) {
        if (o.batchSize() != null) {
            return Decision.user("batch-size", o.batchSize());
        }
        List<ThroughputProbe.Point> throughput = curve == null ? List.of() : curve.points();
        int bigBatch = Defaults.NOISE_SMALL_BATCH * Defaults.NOISE_ACCUMULATE;
        if (ctx.train().size() < bigBatch) {
            // the noise-scale probe compares gradients over batches of bigBatch images; a smaller set cannot fill one
            int fallback = Math.max(1, Math.min(Defaults.BATCH_SIZE, ctx.train().size() / 2));
            return Decision.byDefault("batch-size", fallback, String.format("the training split has %d images, fewer than the %d "
                    + "the gradient-noise-scale probe needs; half the split per batch (at most %d)", ctx.train().size(), bigBatch,
                    Defaults.BATCH_SIZE));
        }
        long t = System.nanoTime();
        // the range tests and trials are costed at the usual batch until the rule has chosen
        lengths.estimate(throughput, Defaults.BATCH_SIZE, 1);
        int steps = lengths.plan(true, o.learningRate() == null, o.learningRate() == null && o.optimizer() == null,
                o.schedule() == null, validationImages).steps(ProbeLengths.NOISE);
        int minSteps = Math.min(steps, Defaults.NOISE_MIN_STEPS);
        // past its minimum once meta-learning's time is up; before it once meta-learning has taken twice its share
        long overrun = lengths.time().limited() ? (long) (lengths.time().capSeconds() * 1e9) : Long.MAX_VALUE;
        GradientNoiseScale gns = NoiseScaleProbe.measure(ctx, Defaults.NOISE_SMALL_BATCH, Defaults.NOISE_ACCUMULATE,
                steps, minSteps, 0.02 * Defaults.NOISE_SMALL_BATCH * Defaults.NOISE_ACCUMULATE / 128, overrun);
        // fewer steps than planned when meta-learning's time ran out (a machine slower than measured)
        lengths.ran(ProbeLengths.NOISE, gns.observations(), Defaults.NOISE_STEPS);
        lengths.measuredNoiseProbe(OptimizationLearners.since(t).toNanos() / 1e9, gns.observations());
        if (gns.observations() < minSteps && ctx.pastDeadlineBy(overrun)) {
            return null; // stopped by the overrun, too few observations to read: the caller sets the batch by rule
        }
        List<BatchSizeRule.ThroughputPoint> points = throughput.stream().filter(ThroughputProbe.Point::fits)
                .map(p -> new BatchSizeRule.ThroughputPoint(p.batchSize(), p.imagesPerSecond())).toList();
        Decision<Integer> learned = BatchSizeRule.decide(gns, points, memoryCeiling(throughput), throughputCost.plus(
                OptimizationLearners.since(t)));
        Map<String, Object> evidence = new LinkedHashMap<>(learned.evidence());
        if (curve != null) {
            evidence.put("throughputSource", curve.source());
        }
        throughput.stream().filter(p -> !p.fits()).findFirst().ifPresent(p -> evidence.put("outOfMemoryAt", p.batchSize()));
        double[] x = IntStream.rangeClosed(1, gns.history().size()).asDoubleStream().toArray();
        double[] history = gns.history().stream().mapToDouble(Double::doubleValue).toArray();
        GradientNoiseScale.Band band = gns.band();
        Map<String, double[][]> noise = new LinkedHashMap<>();
        noise.put("B_simple (EMA)", new double[][] {x, history});
        noise.put("band: 10th percentile", new double[][] {x, Arrays.stream(x).map(v -> band.low()).toArray()});
        noise.put("band: 90th percentile", new double[][] {x, Arrays.stream(x).map(v -> band.high()).toArray()});
        Map<String, double[][]> speed = new LinkedHashMap<>();
        speed.put("images/s", new double[][] {points.stream().mapToDouble(BatchSizeRule.ThroughputPoint::batchSize).toArray(),
                points.stream().mapToDouble(BatchSizeRule.ThroughputPoint::imagesPerSecond).toArray()});
        List<BatchSizeRule.ThroughputPoint> smoothed = dev.hone.metalearn.batchsize.ThroughputCurve.smooth(points);
        speed.put("smoothed", new double[][] {smoothed.stream().mapToDouble(BatchSizeRule.ThroughputPoint::batchSize).toArray(),
                smoothed.stream().mapToDouble(BatchSizeRule.ThroughputPoint::imagesPerSecond).toArray()});
        evidence.put(ChartSpec.EVIDENCE_KEY, List.of(
                new ChartSpec("gradient noise scale B_simple over the probe", "probe step", "B_simple", false, null, noise),
                throughputChart(speed, learned.value())));
        String rationale = curve != null && (curve.reused() != null || curve.retimed() != null) ? learned.rationale() + "; " + curve.source()
                : learned.rationale();
        return new Decision<>(learned.name(), learned.value(), learned.origin(), learned.method(), rationale,
                evidence, learned.cost());
    }

    /**
     * The largest batch that fit when the throughput curve ran out of memory (a GPU); empty when it
     * never did, so the rule caps the batch at the throughput plateau instead of accumulating.
     */
    static OptionalInt memoryCeiling(List<ThroughputProbe.Point> throughput) {
        if (throughput.stream().allMatch(ThroughputProbe.Point::fits)) {
            return OptionalInt.empty();
        }
        return throughput.stream().filter(ThroughputProbe.Point::fits).mapToInt(ThroughputProbe.Point::batchSize).max();
    }

    /**
     * {@code rule} (a batch set by rule when the probes do not fit) with the throughput curve measured before it, as a
     * chart marked at the rule's batch, so the record and the report still show the machine's speed at each batch.
     */
    static Decision<Integer> withThroughput(Decision<Integer> rule, List<ThroughputProbe.Point> throughput) {
        List<ThroughputProbe.Point> fit = throughput.stream().filter(ThroughputProbe.Point::fits).toList();
        if (fit.isEmpty()) {
            return rule;
        }
        Map<String, Object> evidence = new LinkedHashMap<>(rule.evidence() == null ? Map.of() : rule.evidence());
        Map<String, double[][]> speed = new LinkedHashMap<>();
        speed.put("images/s", new double[][] {fit.stream().mapToDouble(ThroughputProbe.Point::batchSize).toArray(),
                fit.stream().mapToDouble(ThroughputProbe.Point::imagesPerSecond).toArray()});
        evidence.put(ChartSpec.EVIDENCE_KEY, List.of(throughputChart(speed, rule.value())));
        return new Decision<>(rule.name(), rule.value(), rule.origin(), rule.method(), rule.rationale(), evidence, rule.cost());
    }

    /** The report's chart of images/s against batch size (log axis), the chosen batch marked. */
    private static ChartSpec throughputChart(Map<String, double[][]> speed, int chosen) {
        return new ChartSpec("training throughput against batch size", "batch size", "images/s", true, (double) chosen, speed);
    }
}
