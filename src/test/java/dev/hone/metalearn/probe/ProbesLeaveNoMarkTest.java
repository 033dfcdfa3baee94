package dev.hone.metalearn.probe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.SgdNesterov;
import dev.hone.train.SyntheticData;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every probe restores the weights, BatchNorm statistics and optimizer state exactly. */
class ProbesLeaveNoMarkTest {

    private static byte[] state(Model model, SgdNesterov optimizer) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelFactory.writeWeights(model, bytes);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            optimizer.saveState(out);
        }
        return bytes.toByteArray();
    }

    /** What runs in a probe's context: the model, the context, its training data and the order of its images. */
    interface Probed {
        void run(Model model, ProbeContext ctx, ResidentDataset data, int[] order) throws Exception;
    }

    /** A resnet9 of {@code width} on 120 synthetic 12x12 images, with SGD-Nesterov, in a probe's context. */
    static void inContext(int width, SgdNesterov optimizer, Probed body) throws Exception {
        ImageSet set = SyntheticData.set(40, 12, 3);
        Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
        Engine.getInstance().setRandomSeed(1);
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(width), new Shape(1, 12, 12), 3);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                ResidentDataset data = new ResidentDataset(set, Normalization.of(set), Device.cpu())) {
            trainer.initialize(new Shape(1, 1, 12, 12));
            optimizer.bind(model.getBlock());
            body.run(model, new ProbeContext(model, trainer, optimizer, loss, data, 5), data,
                    EpochOrder.permutation(1, 1, set.size()));
        }
    }

    private static void check(Consumer<ProbeContext> probe) throws Exception {
        SgdNesterov optimizer = new SgdNesterov(0.01f, 0.9f, 5e-4f);
        inContext(4, optimizer, (model, ctx, data, order) -> {
            // one real step first, so the optimizer has momentum to lose and BatchNorm statistics moved
            try (NDManager m = data.manager().newSubManager()) {
                ctx.backward(data.batch(order, 0, 16, m));
                ctx.trainer().step();
            }
            byte[] before = state(model, optimizer);
            probe.accept(ctx);
            assertThat(state(model, optimizer)).isEqualTo(before);
        });
    }

    @Test
    void rangeTestLeavesNoMark() throws Exception {
        check(ctx -> assertThat(RangeTestProbe.sweep(ctx, 16, 1e-4, 10, 20).losses()).isNotEmpty());
    }

    @Test
    void throughputProbeLeavesNoMark() throws Exception {
        check(ctx -> assertThat(ThroughputProbe.measure(ctx, 64)).isNotEmpty());
    }

    /** A complete curve is kept; the next call with the same key reads it instead of timing again. */
    @Test
    void aKeptCurveIsReusedWithoutTiming(@TempDir Path dir) throws Exception {
        ThroughputCache cache = new ThroughputCache(dir);
        Map<String, String> key = Map.of("model", "resnet9 width 4");
        check(ctx -> {
            ThroughputProbe.Curve first = ThroughputProbe.measureOrReuse(ctx, 32, Double.POSITIVE_INFINITY, cache, key);
            assertThat(first.complete()).isTrue();
            assertThat(first.reused()).isNull();
            assertThat(first.kept()).exists();
            assertThat(first.source()).contains("measured now, kept in " + first.kept());

            ThroughputProbe.Curve second = ThroughputProbe.measureOrReuse(ctx, 32, Double.POSITIVE_INFINITY, cache, key);
            assertThat(second.reused()).isNotNull();
            assertThat(second.points()).isEqualTo(first.points());
            assertThat(second.source()).contains("reused from " + first.kept());

            // figures no timing could give come back as they were kept: nothing was timed
            List<ThroughputProbe.Point> made = List.of(new ThroughputProbe.Point(16, 12345, true),
                    new ThroughputProbe.Point(32, 23456, true));
            Map<String, String> full = new java.util.TreeMap<>(key);
            full.put("maxBatch", "32");
            full.put("probe", ThroughputProbe.METHOD);
            assertThat(cache.write(ThroughputCache.key(full, Device.cpu()), made, Instant.now())).contains(first.kept());
            assertThat(ThroughputProbe.measureOrReuse(ctx, 32, Double.POSITIVE_INFINITY, cache, key).points()).isEqualTo(made);

            // a curve this machine now beats by far was timed while something else held it: timed again, and kept
            List<ThroughputProbe.Point> slow = List.of(new ThroughputProbe.Point(16, 0.01, true),
                    new ThroughputProbe.Point(32, 0.02, true));
            cache.write(ThroughputCache.key(full, Device.cpu()), slow, Instant.now());
            ThroughputProbe.Curve retimed = ThroughputProbe.measureOrReuse(ctx, 32, Double.POSITIVE_INFINITY, cache, key);
            assertThat(retimed.reused()).isNull();
            assertThat(retimed.points()).isNotEqualTo(slow);
            assertThat(retimed.kept()).isEqualTo(first.kept());
            assertThat(retimed.source()).contains("gave 0 images/s at batch 32").contains("timed again");
        });
    }

    /** A curve the time allowance cut short is used by its run but not kept for later ones. */
    @Test
    void aCurveCutShortIsNotKept(@TempDir Path dir) throws Exception {
        ThroughputCache cache = new ThroughputCache(dir);
        check(ctx -> {
            ThroughputProbe.Curve cut = ThroughputProbe.measureOrReuse(ctx, 64, 0, cache, Map.of("model", "resnet9 width 4"));
            assertThat(cut.complete()).isFalse();
            assertThat(cut.points()).hasSize(2); // the first two sizes are always measured
            assertThat(cut.kept()).isNull();
            assertThat(cut.source()).contains("not kept: the budget's time allowance cut it short");
        });
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void noiseScaleProbeLeavesNoMark() throws Exception {
        check(ctx -> assertThat(NoiseScaleProbe.measure(ctx, 8, 4, 5, 0.01).observations()).isEqualTo(5));
    }

    /**
     * A step whose loss is not finite is no reading of the noise scale: no observation is made (a native fault's NaN, or
     * a diverging network), and the probe still leaves no mark.
     */
    @Test
    void noiseScaleProbeSkipsStepsWhoseLossIsNotFinite() throws Exception {
        SgdNesterov optimizer = new SgdNesterov(0.01f, 0.9f, 5e-4f);
        inContext(4, optimizer, (model, ctx, data, order) -> {
            NDArray first = model.getBlock().getParameters().valueAt(0).getArray();
            float[] nan = new float[(int) first.size()];
            java.util.Arrays.fill(nan, Float.NaN);
            first.set(nan);
            byte[] before = state(model, optimizer);
            assertThat(NoiseScaleProbe.measure(ctx, 8, 4, 5, 0.01).observations()).isZero();
            assertThat(state(model, optimizer)).isEqualTo(before);
        });
    }

    /** Past meta-learning's deadline a probe stops at its minimum length, and still leaves no mark. */
    @Test
    void probesPastTheDeadlineStopAtTheirMinimumLength() throws Exception {
        check(ctx -> {
            ProbeContext late = new ProbeContext(ctx.model(), ctx.trainer(), ctx.optimizer(), ctx.loss(), ctx.train(), ctx.seed(),
                    System.nanoTime() - 1);
            assertThat(late.timeUp()).isTrue();
            assertThat(ctx.timeUp()).isFalse();
            // a sweep this gentle does not diverge, so only the deadline can stop it early
            assertThat(RangeTestProbe.sweep(late, 16, 1, 1e-6, 1e-5, 20, 6).losses()).hasSize(6);
            assertThat(RangeTestProbe.sweep(ctx, 16, 1, 1e-6, 1e-5, 20, 6).losses()).hasSize(20);
            assertThat(NoiseScaleProbe.measure(late, 8, 4, 10, 3, 0.01, Long.MAX_VALUE).observations()).isEqualTo(3);
            // past the deadline by more than the overrun it may take: stopped before its minimum, for a rule to stand in
            assertThat(NoiseScaleProbe.measure(late, 8, 4, 10, 3, 0.01, 0).observations()).isZero();
            assertThat(NoiseScaleProbe.measure(ctx, 8, 4, 10, 3, 0.01, 0).observations()).as("no deadline").isEqualTo(10);
            // the budget plan's timing of its batch: one timed step past the deadline, all of them before it
            assertThat(ThroughputProbe.timedAt(late, 8, 5).steps()).isEqualTo(1);
            assertThat(ThroughputProbe.timedAt(ctx, 8, 5).steps()).isEqualTo(5);
            assertThat(ThroughputProbe.timedAt(late, 8, 5).imagesPerSecond()).isPositive();
        });
    }

    /** A cancelled run's probe stops at its next batch (a signal waits for it), and still leaves no mark. */
    @Test
    void aCancelledProbeStopsAtItsNextBatch() throws Exception {
        check(ctx -> {
            java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
            ProbeContext cancelled = new ProbeContext(ctx.model(), ctx.trainer(), ctx.optimizer(), ctx.loss(), ctx.train(),
                    ctx.seed(), Long.MAX_VALUE, () -> polls.incrementAndGet() > 3);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RangeTestProbe.sweep(cancelled, 16, 1, 1e-6, 1e-5, 20, 6))
                    .isInstanceOf(dev.hone.loop.PhaseCancelledException.class);
            assertThat(polls.get()).isEqualTo(4); // three batches ran, the fourth was refused before its forward pass
        });
    }

    @Test
    void accumulatedRangeTestLeavesNoMark() throws Exception {
        check(ctx -> assertThat(RangeTestProbe.sweep(ctx, 8, 2, 1e-4, 10, 12).losses()).isNotEmpty());
    }

    @Test
    void scheduleTrialLeavesNoMark() throws Exception {
        check(ctx -> {
            ScheduleProbe.Trial t = ScheduleProbe.run(ctx, ctx.train(), dev.hone.optimize.Schedule.of("linear-decay", 0.05, 0.1),
                    null, 8, 2, 4);
            assertThat(t.trainLosses()).hasSize(4);
            assertThat(t.validationLoss()).isFinite();
        });
    }

    @Test
    void aProbeThatFailsStillRestores() throws Exception {
        check(ctx -> {
            try {
                ctx.probe(() -> {
                    ctx.optimizer().setLearningRate(1);
                    try (NDManager m = ctx.train().manager().newSubManager()) {
                        ctx.backward(ctx.train().batch(EpochOrder.permutation(2, 1, ctx.train().size()), 0, 16, m));
                        ctx.trainer().step(); // the weights and momentum really change here
                    }
                    throw new IllegalStateException("probe failed");
                });
            } catch (IllegalStateException expected) {
                // the snapshot must have been restored on the way out
            }
        });
    }
}
