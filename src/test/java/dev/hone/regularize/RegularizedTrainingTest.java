package dev.hone.regularize;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.core.EventEngine;
import dev.hone.core.TrainingState;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.Checkpoints;
import dev.hone.loop.Evaluator;
import dev.hone.loop.FitLoop;
import dev.hone.loop.ResidentDataset;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.SgdNesterov;
import dev.hone.record.EpochMetrics;
import dev.hone.tasks.Predictions;
import dev.hone.train.SyntheticData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every regularizer of this package together in the real fit loop, two batches of tiny images. */
class RegularizedTrainingTest {
    @TempDir
    Path tmp;

    @Test
    void twoBatchesWithMixingSmoothingDropoutAndEmaTrainAndEvaluate() {
        Engine.getInstance().setRandomSeed(21);
        ImageSet set = SyntheticData.set(8, 12, 3); // 24 images: two batches of 12
        Normalization norm = Normalization.of(set);
        Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
        SgdNesterov optimizer = new SgdNesterov(0.05f, 0.9f, 5e-4f);
        List<EpochMetrics> epochs = new ArrayList<>();
        ModelSpec spec = ModelSpec.of("resnet9").withWidth(4).withDropout(0.2);
        try (Model model = ModelFactory.create(spec, new Shape(1, 12, 12), 3);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                ResidentDataset data = new ResidentDataset(set, norm, Device.cpu());
                WeightAveraging ema = WeightAveraging.ema(model, WeightAveraging.emaDecay(2))) {
            trainer.initialize(new Shape(1, 1, 12, 12));
            optimizer.bind(model.getBlock());
            EventEngine engine = new EventEngine(List.of(new SampleMixing(0.4, 1.0, 1.0, 21), new LabelSmoothing(0.1), ema), List.of());
            FitLoop loop = new FitLoop(model, trainer, optimizer, loss, engine, data, data, 12, 21,
                    new Checkpoints(tmp.resolve("checkpoint")), epochs::add);
            int resident = data.manager().getManagedArrays().size();
            FitLoop.Result result = loop.run(new TrainingState(1, FitLoop.batchesPerEpoch(set.size(), 12), 0.05), List.of());

            assertThat(result.diverged()).isFalse();
            assertThat(epochs).hasSize(1);
            assertThat(epochs.get(0).trainLoss()).isFinite().isPositive();
            assertThat(ema.averagedSteps()).isEqualTo(2);
            // the techniques' tensors ended with their batches
            assertThat(data.manager().getManagedArrays()).hasSize(resident);

            Predictions live = Evaluator.predict(model.getBlock(), data, 24);
            ema.swapIn(model);
            assertThat(Evaluator.predict(model.getBlock(), data, 24).probabilities()[0]).isNotEqualTo(live.probabilities()[0]);
            Predictions averaged = TestTimeAugmentation.predict(model.getBlock(), data, 24);
            ema.swapOut(model);
            assertThat(averaged.meanLoss()).isFinite();
            Predictions again = Evaluator.predict(model.getBlock(), data, 24);
            for (int i = 0; i < set.size(); i++) {
                assertThat(again.probabilities()[i]).containsExactly(live.probabilities()[i]);
            }
        }
    }
}
