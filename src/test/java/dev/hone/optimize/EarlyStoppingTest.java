package dev.hone.optimize;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.record.EpochMetrics;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EarlyStoppingTest {
    @TempDir
    Path tmp;

    private static byte[] weights(Model model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelFactory.writeWeights(model, out);
        return out.toByteArray();
    }

    @Test
    void stopsAfterPatienceEpochsWithoutImprovementAndPutsBackTheBestWeights() {
        Engine.getInstance().setRandomSeed(1);
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(2), new Shape(1, 8, 8), 3);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
            trainer.initialize(new Shape(1, 1, 8, 8));
            EarlyStopping stopping = new EarlyStopping(model, 2, tmp.resolve("best.params"), List.of(), "accuracy");
            TrainingState state = new TrainingState(10, 1, 0.1);
            double[] accuracies = {0.5, 0.7, 0.6, 0.65};
            byte[] best = null;
            for (int epoch = 1; epoch <= accuracies.length && state.stopReason().isEmpty(); epoch++) {
                state.startEpoch(epoch);
                model.getBlock().getParameters().get(0).getValue().getArray().addi(1f); // training changes the weights
                state.setValidation(1 - accuracies[epoch - 1], accuracies[epoch - 1]);
                stopping.apply(Event.VALIDATION_END, state);
                if (epoch == 2) {
                    best = weights(model);
                }
            }
            assertThat(state.stopReason()).hasValueSatisfying(r -> assertThat(r).contains("early stopping").contains("epoch 2"));
            assertThat(state.epoch()).isEqualTo(4);
            stopping.apply(Event.FIT_END, state);
            assertThat(stopping.restoredEpoch()).isEqualTo(2);
            assertThat(weights(model)).isEqualTo(best);
        }
    }

    @Test
    void aResumedRunRemembersTheBestEpochFromTheHistory() {
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(2), new Shape(1, 8, 8), 3)) {
            List<EpochMetrics> history = List.of(new EpochMetrics(1, 1, 0.5, 1, 0.8, 0.1, 1, 1),
                    new EpochMetrics(2, 1, 0.5, 1, 0.7, 0.1, 1, 1));
            EarlyStopping stopping = new EarlyStopping(model, 2, tmp.resolve("best.params"), history, "accuracy");
            TrainingState state = new TrainingState(10, 1, 0.1);
            state.startEpoch(3);
            state.setValidation(1, 0.75);
            stopping.apply(Event.VALIDATION_END, state);
            assertThat(state.stopReason()).hasValueSatisfying(r -> assertThat(r).contains("best 0.8000 at epoch 1"));
        }
    }
}
