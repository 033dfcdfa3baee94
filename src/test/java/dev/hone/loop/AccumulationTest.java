package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.core.Event;
import dev.hone.core.EventEngine;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.optimize.SgdNesterov;
import dev.hone.train.SyntheticData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient accumulation: k micro-batches of b make the same optimizer step as one batch of k·b
 * with the same images, and the schedule's step counter counts optimizer steps.
 */
class AccumulationTest {
    @TempDir
    Path tmp;

    private static final int SIZE = 12;

    /** A linear classifier: no BatchNorm, so micro-batches and one big batch compute the same gradient. */
    private static Model linear() {
        Model model = Model.newInstance("linear");
        model.setBlock(new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(3).build()));
        return model;
    }

    /** Counts events, so the test can see which fire per micro-batch and which per optimizer step. */
    private static final class Counter implements Technique {
        final List<Event> events = new ArrayList<>();
        final List<Long> stepsAtBatchStart = new ArrayList<>();
        final List<Integer> microBatches = new ArrayList<>();
        @Override public String name() { return "counter"; }
        @Override public boolean matches(Event e, TrainingView v) { return true; }
        @Override public void apply(Event e, TrainingState s) {
            events.add(e);
            if (e == Event.BATCH_START) {
                stepsAtBatchStart.add(s.globalStep());
                microBatches.add(s.view().microBatch());
            }
        }
    }

    private record Outcome(float[] weights, TrainingState state, Counter counter) {}

    /** Trains {@code steps} optimizer steps from a seeded initialization and returns the weights. */
    private Outcome train(int batch, int accumulation, int steps, String run) {
        ImageSet set = SyntheticData.set(16, SIZE, 7);
        Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
        SgdNesterov optimizer = new SgdNesterov(0.5f, 0.9f, 0f);
        Counter counter = new Counter();
        Engine.getInstance().setRandomSeed(11);
        try (Model model = linear();
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                ResidentDataset data = new ResidentDataset(set, Normalization.of(set), Device.cpu())) {
            trainer.initialize(new Shape(1, 1, SIZE, SIZE));
            optimizer.bind(model.getBlock());
            int perEpoch = FitLoop.stepsPerEpoch(set.size(), batch, accumulation);
            TrainingState state = new TrainingState(1, perEpoch, steps, 0.5);
            FitLoop loop = new FitLoop(model, trainer, optimizer, loss, new EventEngine(List.of(counter), List.of()), data, data,
                    batch, 3, new Checkpoints(tmp.resolve(run)), m -> { }).optAccumulation(accumulation);
            loop.run(state, List.of());
            List<Float> all = new ArrayList<>();
            for (var p : model.getBlock().getParameters()) {
                Parameter param = p.getValue();
                for (float f : param.getArray().toFloatArray()) {
                    all.add(f);
                }
            }
            float[] w = new float[all.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = all.get(i);
            }
            return new Outcome(w, state, counter);
        }
    }

    @Test
    void twoMicroBatchesOfEightStepLikeOneBatchOfSixteen() {
        Outcome big = train(16, 1, 1, "big");
        Outcome micro = train(8, 2, 1, "micro");
        Outcome half = train(8, 1, 1, "half");
        assertThat(micro.weights()).hasSameSizeAs(big.weights());
        double maxDiff = 0;
        double moved = 0;
        for (int i = 0; i < big.weights().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(big.weights()[i] - micro.weights()[i]));
            moved = Math.max(moved, Math.abs(big.weights()[i] - half.weights()[i]));
        }
        assertThat(maxDiff).isLessThan(1e-5);
        // a single micro-batch of 8 really steps elsewhere, so the comparison is not vacuous
        assertThat(moved).isGreaterThan(1e-3);
        assertThat(micro.state().globalStep()).isEqualTo(1);
    }

    @Test
    void everyMicroBatchIsABatchEventButOnlyTheLastSteps() {
        Outcome micro = train(8, 3, 2, "events");
        List<Event> events = micro.counter().events;
        assertThat(events.stream().filter(e -> e == Event.BATCH_START).count()).isEqualTo(6);
        assertThat(events.stream().filter(e -> e == Event.BATCH_END).count()).isEqualTo(6);
        assertThat(events.stream().filter(e -> e == Event.BEFORE_STEP).count()).isEqualTo(2);
        assertThat(events.stream().filter(e -> e == Event.AFTER_STEP).count()).isEqualTo(2);
        // the schedule reads optimizer steps: the same step for each of a step's micro-batches
        assertThat(micro.counter().stepsAtBatchStart).containsExactly(0L, 0L, 0L, 1L, 1L, 1L);
        // ...and tells them apart by micro-batch, for techniques that seed by step
        assertThat(micro.counter().microBatches).containsExactly(0, 1, 2, 0, 1, 2);
        assertThat(micro.state().globalStep()).isEqualTo(2);
    }

    @Test
    void stepsPerEpochCountOptimizerSteps() {
        assertThat(FitLoop.stepsPerEpoch(100, 8, 1)).isEqualTo(12);
        assertThat(FitLoop.stepsPerEpoch(100, 8, 3)).isEqualTo(4);
        // more accumulation than the set holds is lowered to what fits
        assertThat(FitLoop.stepsPerEpoch(20, 8, 4)).isEqualTo(1);
        assertThat(FitLoop.stepsPerEpoch(100, 8, 0)).isEqualTo(12);
    }

    @Test
    void aStateBuiltForAnotherStepCountIsRefused() {
        assertThatThrownBy(() -> {
            ImageSet set = SyntheticData.set(16, SIZE, 7);
            Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
            SgdNesterov optimizer = new SgdNesterov(0.5f, 0.9f, 0f);
            try (Model model = linear();
                    Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                    ResidentDataset data = new ResidentDataset(set, Normalization.of(set), Device.cpu())) {
                trainer.initialize(new Shape(1, 1, SIZE, SIZE));
                new FitLoop(model, trainer, optimizer, loss, new EventEngine(List.of(), List.of()), data, data, 8, 3,
                        new Checkpoints(tmp.resolve("refused")), m -> { }).optAccumulation(2)
                        .run(new TrainingState(1, FitLoop.batchesPerEpoch(set.size(), 8), 0.1), List.of());
            }
        }).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stepsPerEpoch");
    }
}
