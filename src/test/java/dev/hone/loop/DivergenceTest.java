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

            HoneException error = FitLoop.diverged(result.stopReason(), checkpoints, result.history().size(), null);
            assertThat(error.getMessage()).contains("epoch 1").contains(checkpoints.dir().toString()).contains("Fix:").contains("--lr");
        }
    }

    /**
     * Writes NaN into the first weight's gradient before the chosen steps, as PyTorch's CPU convolution does at random
     * for misaligned channels, and records whether the weights moved across each poisoned step.
     */
    private static final class GradientPoison implements Technique {
        private final Model model;
        private final java.util.function.LongPredicate steps;
        private float[] before;
        final List<Boolean> moved = new ArrayList<>();

        GradientPoison(Model model, java.util.function.LongPredicate steps) {
            this.model = model;
            this.steps = steps;
        }

        @Override public String name() { return "gradient-poison"; }
        @Override public boolean matches(Event e, TrainingView v) {
            return (e == Event.BEFORE_STEP || e == Event.AFTER_STEP) && steps.test(v.globalStep());
        }
        @Override public void apply(Event e, TrainingState s) {
            ai.djl.ndarray.NDArray w = model.getBlock().getParameters().get(0).getValue().getArray();
            if (e == Event.BEFORE_STEP) {
                before = w.toFloatArray();
                try (ai.djl.ndarray.NDArray g = w.getGradient()) {
                    g.muli(Float.NaN);
                }
            } else {
                moved.add(!java.util.Arrays.equals(before, w.toFloatArray()));
            }
        }
    }

    private FitLoop.Result fit(ImageSet set, java.util.function.Function<Model, List<Technique>> techniques, int epochs,
            Checkpoints checkpoints) {
        Normalization norm = Normalization.of(set);
        Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
        SgdNesterov optimizer = new SgdNesterov(0.01f, 0.9f, 0f);
        // width 16: every convolution aligned (ConvolutionChannels), so no native NaN adds to the poisoned steps
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(16), new Shape(1, 12, 12), 3);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                ResidentDataset data = new ResidentDataset(set, norm, Device.cpu())) {
            trainer.initialize(new Shape(1, 1, 12, 12));
            optimizer.bind(model.getBlock());
            FitLoop loop = new FitLoop(model, trainer, optimizer, loss, new EventEngine(techniques.apply(model), List.of()),
                    data, data, 4, 1, checkpoints, m -> { });
            FitLoop.Result result = loop.run(new TrainingState(epochs, FitLoop.batchesPerEpoch(set.size(), 4), 0.01), List.of());
            for (float[] row : Evaluator.predict(model.getBlock(), data, 8).probabilities()) {
                for (float p : row) {
                    assertThat(Float.isFinite(p)).as("live weights predict finite probabilities").isTrue();
                }
            }
            return result;
        }
    }

    @Test
    void aStepWithANonFiniteGradientIsSkippedAndCounted() {
        List<GradientPoison> poison = new ArrayList<>();
        FitLoop.Result result = fit(SyntheticData.set(20, 12, 1), model -> {
            poison.add(new GradientPoison(model, step -> step == 3 || step == 7));
            return List.of(poison.get(0));
        }, 2, new Checkpoints(tmp.resolve("checkpoint")));

        assertThat(result.diverged()).as(result.stopReason()).isFalse();
        assertThat(result.history()).hasSize(2);
        assertThat(poison.get(0).moved).containsExactly(false, false);
        assertThat(result.backoffs()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("skipped-steps");
            assertThat(d.value()).isEqualTo(2);
            assertThat(d.rationale()).contains("2 of the 30 optimizer steps this process ran");
        });
    }

    @Test
    void nonFiniteGradientsManyStepsInARowBackOffAsADivergence() {
        FitLoop.Result result = fit(SyntheticData.set(20, 12, 1), model -> List.of(new GradientPoison(model, step -> step >= 15)),
                2, new Checkpoints(tmp.resolve("checkpoint")));

        assertThat(result.history()).hasSize(1);
        assertThat(result.stopReason()).startsWith("diverged: gradients not finite in " + SkippedSteps.MAX_IN_A_ROW
                + " steps in a row at epoch 2 batch " + SkippedSteps.MAX_IN_A_ROW);
        assertThat(result.backoffs()).filteredOn(d -> d.name().equals("lr-backoff")).hasSize(FitLoop.MAX_BACKOFFS);
    }

    /** Makes one BatchNorm running mean NaN just before the first validation pass: the weights then predict NaN. */
    private static final class RunningMeanPoison implements Technique {
        private final Model model;
        private boolean done;

        RunningMeanPoison(Model model) {
            this.model = model;
        }

        @Override public String name() { return "running-mean-poison"; }
        @Override public boolean matches(Event e, TrainingView v) { return e == Event.VALIDATION_START && !done; }
        @Override public void apply(Event e, TrainingState s) {
            done = true;
            model.getBlock().getParameters().stream().filter(p -> p.getKey().contains("runningMean")).findFirst().orElseThrow()
                    .getValue().getArray().muli(Float.NaN);
        }
    }

    @Test
    void aNonFiniteValidationLossBacksOffInsteadOfBecomingTheCheckpoint() {
        Checkpoints checkpoints = new Checkpoints(tmp.resolve("checkpoint"));
        FitLoop.Result result = fit(SyntheticData.set(20, 12, 1), model -> List.of(new RunningMeanPoison(model)), 1, checkpoints);

        assertThat(result.diverged()).isFalse();
        assertThat(result.history()).singleElement().satisfies(m -> assertThat(Double.isFinite(m.valLoss())).isTrue());
        assertThat(result.backoffs()).singleElement().satisfies(d -> assertThat(d.rationale())
                .startsWith("validation loss NaN after epoch 1: restored the weights of the epoch's start"));
    }

    @Test
    void misalignedConvolutionsAreTheFixOnlyWhenNonFiniteGradientsStoppedTheRun() {
        Checkpoints checkpoints = new Checkpoints(tmp.resolve("checkpoint"));
        String note = "the network has 4 convolutions ...: --width 16";
        assertThat(FitLoop.diverged("diverged: gradients not finite in 10 steps in a row at epoch 1 batch 10", checkpoints, 0, note)
                .getMessage()).endsWith("Fix: " + note);
        assertThat(FitLoop.diverged("diverged: loss NaN at epoch 2 batch 1", checkpoints, 1, note).getMessage())
                .contains("Fix: run again with a lower learning rate").endsWith("; if it diverges again: " + note);
        assertThat(FitLoop.diverged("diverged: loss NaN at epoch 2 batch 1", checkpoints, 1, null).getMessage())
                .endsWith("(e.g. --lr at a tenth of the recorded value)");
    }

    private static final class Json {
        static Checkpoints.Progress read(Path file) {
            return dev.hone.record.Json.read(file, Checkpoints.Progress.class);
        }
    }
}
