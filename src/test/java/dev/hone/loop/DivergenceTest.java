package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.core.Event;
import dev.hone.core.EventEngine;
import dev.hone.core.HoneException;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.SgdNesterov;
import dev.hone.record.EpochMetrics;
import dev.hone.train.SyntheticData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A non-finite loss stops training before the step that would spread it, keeping the last checkpoint. */
class DivergenceTest {
    @TempDir
    Path tmp;

    /** Turns the loss into NaN from epoch 2 on, as an exploding run would. */
    private static final class Poison implements Technique {
        @Override public String name() { return "poison"; }
        @Override public boolean matches(Event e, TrainingView v) { return e == Event.AFTER_LOSS && v.epoch() == 2; }
        @Override public void apply(Event e, TrainingState s) { s.setLoss(s.loss().mul(Float.NaN)); }
    }

    @Test
    void nanLossStopsTheRunAndKeepsTheLastGoodCheckpoint() throws Exception {
        ImageSet set = SyntheticData.set(20, 12, 1);
        Normalization norm = Normalization.of(set);
        Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
        SgdNesterov optimizer = new SgdNesterov(0.05f, 0.9f, 0f);
        Checkpoints checkpoints = new Checkpoints(tmp.resolve("checkpoint"));
        List<EpochMetrics> seen = new ArrayList<>();
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 12, 12), 3);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                ResidentDataset data = new ResidentDataset(set, norm, Device.cpu())) {
            trainer.initialize(new Shape(1, 1, 12, 12));
            optimizer.bind(model.getBlock());
            FitLoop loop = new FitLoop(model, trainer, optimizer, loss, new EventEngine(List.of(new Poison()), List.of()),
                    data, data, 8, 1, checkpoints, seen::add);
            FitLoop.Result result = loop.run(new TrainingState(3, FitLoop.batchesPerEpoch(set.size(), 8), 0.05), List.of());

            assertThat(result.stopReason()).startsWith("diverged").contains("NaN").contains("epoch 2 batch 1");
            assertThat(result.history()).hasSize(1);
            assertThat(seen).hasSize(1);
            Checkpoints.Progress kept = Json.read(checkpoints.dir().resolve("progress.json"));
            assertThat(kept.completedEpochs()).isEqualTo(1);
            // no step was taken with the poisoned loss, so the live weights still predict finite probabilities
            for (float[] row : Evaluator.predict(model.getBlock(), data, 8).probabilities()) {
                for (float p : row) {
                    assertThat(Float.isFinite(p)).isTrue();
                }
            }

            HoneException error = FitLoop.diverged(result.stopReason(), checkpoints, result.history().size());
            assertThat(error.getMessage()).contains("epoch 1").contains(checkpoints.dir().toString()).contains("Fix:").contains("--lr");
        }
    }

    private static final class Json {
        static Checkpoints.Progress read(Path file) {
            return dev.hone.record.Json.read(file, Checkpoints.Progress.class);
        }
    }
}
