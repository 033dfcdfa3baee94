package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.core.HoneException;
import dev.hone.optimize.SgdNesterov;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A checkpoint damaged on disk is refused with the file that is damaged and the two ways on, never a parser's message. */
class DamagedCheckpointTest {
    @TempDir
    Path tmp;

    private void withModel(java.util.function.BiConsumer<Model, SgdNesterov> body) {
        try (Model model = Model.newInstance("linear")) {
            model.setBlock(new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(3).build()));
            SgdNesterov optimizer = new SgdNesterov(0.1f, 0.9f, 0f);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer))) {
                trainer.initialize(new Shape(1, 4));
                optimizer.bind(model.getBlock());
                body.accept(model, optimizer);
            }
        }
    }

    private Path saved() {
        Path checkpoint = tmp.resolve(".run.partial").resolve("checkpoint");
        withModel((model, optimizer) -> new Checkpoints(checkpoint).save(model, optimizer,
                new Checkpoints.Progress(2, List.of(), 1, null)));
        return checkpoint;
    }

    @Test
    void aWholeCheckpointRestores() {
        Path checkpoint = saved();
        withModel((model, optimizer) -> assertThat(new Checkpoints(checkpoint).restore(checkpoint, model, optimizer)
                .completedEpochs()).isEqualTo(2));
    }

    @Test
    void truncatedWeightsAreNamedAsDamagedWithTheFix() throws IOException {
        Path checkpoint = saved();
        Path weights = checkpoint.resolve("weights.params");
        byte[] all = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(all, all.length / 2));
        withModel((model, optimizer) -> assertThatThrownBy(() -> new Checkpoints(checkpoint).restore(checkpoint, model, optimizer))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(weights + " is damaged or incomplete")
                .hasMessageContaining("delete " + checkpoint + " to resume from the first epoch")
                .hasMessageContaining("or delete " + tmp.resolve(".run.partial") + " and train again without --resume")
                .hasMessageNotContaining("(null)").hasMessageNotContaining("does not fit"));
    }

    @Test
    void anEmptyProgressFileIsNamedAsDamagedWithTheFix() throws IOException {
        Path checkpoint = saved();
        Path progress = checkpoint.resolve("progress.json");
        Files.write(progress, new byte[0]);
        withModel((model, optimizer) -> assertThatThrownBy(() -> new Checkpoints(checkpoint).restore(checkpoint, model, optimizer))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(progress + " is damaged or incomplete")
                .hasMessageContaining("train again without --resume")
                .hasMessageNotContaining("check that the paths exist"));
    }
}
