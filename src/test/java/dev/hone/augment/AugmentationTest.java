package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.core.Event;
import dev.hone.core.EventEngine;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.Checkpoints;
import dev.hone.loop.FitLoop;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.SgdNesterov;
import dev.hone.train.SyntheticData;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The technique: when it runs, what it replaces, which seed it uses, and that batches leave nothing behind. */
class AugmentationTest {
    private static final long RUN_SEED = 31;

    @TempDir
    Path tmp;

    @Test
    void declaresItselfAndRunsOnlyAtBatchStartWithANonEmptyPolicy() {
        Augmentation on = new Augmentation(AugmentationPolicy.of(Transform.ZOOM, 0.5), Images.GREY, RUN_SEED);
        Augmentation off = new Augmentation(AugmentationPolicy.NONE, Images.GREY, RUN_SEED);
        TrainingState state = new TrainingState(1, 1, 0.1);
        assertThat(on.name()).isEqualTo("augmentation");
        assertThat(on.traits()).isEqualTo(Set.of(Technique.Trait.AUGMENTS_INPUTS));
        for (Event e : Event.values()) {
            assertThat(on.matches(e, state.view())).isEqualTo(e == Event.BATCH_START);
            assertThat(off.matches(e, state.view())).isFalse();
        }
    }

    @Test
    void batchStartReplacesTheInputsWithTheAugmenterOutputForTheStepsSeed() {
        AugmentationPolicy policy = AugmenterTest.heavy(3);
        Augmentation technique = new Augmentation(policy, Images.RGB, RUN_SEED);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = Images.normalised(m, Images.pixels(4, 3, 8, 8, 1), Images.RGB, 4, 8, 8);
            float[] atStep5 = null;
            for (int run = 0; run < 2; run++) { // a fresh state at the same step, as after resuming
                TrainingState state = new TrainingState(3, 5, 0.1);
                state.startEpoch(2); // global step 5
                state.beginBatch(x, m.zeros(new Shape(4, 3)));
                technique.apply(Event.BATCH_START, state);
                assertThat(state.inputs()).isNotSameAs(x);
                float[] y = state.inputs().toFloatArray();
                assertThat(y).containsExactly(new Augmenter(Images.RGB).apply(x, policy, Seeds.mix(RUN_SEED, "augment", 5)).toFloatArray());
                if (atStep5 != null) {
                    assertThat(y).containsExactly(atStep5);
                }
                atStep5 = y;
            }
            TrainingState next = new TrainingState(3, 5, 0.1);
            next.startEpoch(2);
            next.endBatch(0); // global step 6
            next.beginBatch(x, m.zeros(new Shape(4, 3)));
            technique.apply(Event.BATCH_START, next);
            assertThat(next.inputs().toFloatArray()).isNotEqualTo(atStep5);
        }
    }

    @Test
    void twentyBatchesLeaveNothingBehindForGreyAndColour() {
        for (Normalization norm : new Normalization[] {Images.GREY, Images.RGB}) {
            int c = norm.mean().length;
            EventEngine engine = new EventEngine(List.of(new Augmentation(AugmenterTest.heavy(c), norm, RUN_SEED)), List.of());
            TrainingState state = new TrainingState(1, 20, 0.1);
            state.startEpoch(1);
            try (NDManager resident = NDManager.newBaseManager()) {
                NDArray data = Images.normalised(resident, Images.pixels(8, c, 10, 12, 2), norm, 8, 10, 12);
                int residentArrays = resident.getManagedArrays().size();
                for (int b = 0; b < 20; b++) {
                    try (NDManager batch = resident.newSubManager()) {
                        NDArray x = data.duplicate();
                        x.attach(batch);
                        state.beginBatch(x, batch.zeros(new Shape(8, 3)));
                        int before = batch.getManagedArrays().size();
                        engine.fire(Event.BATCH_START, state);
                        assertThat(batch.getManagedArrays()).hasSize(before + 1).contains(state.inputs());
                        assertThat(state.inputs().getShape()).isEqualTo(new Shape(8, c, 10, 12));
                        assertThat(state.inputs().getDataType()).isEqualTo(DataType.FLOAT32);
                        state.endBatch(0);
                    }
                    assertThat(resident.getManagedArrays()).hasSize(residentArrays);
                }
            }
        }
    }

    @Test
    void aShortFitWithAugmentationTrainsGreyAndColourImages() {
        for (int channels : new int[] {1, 3}) {
            ImageSet set = channels == 1 ? SyntheticData.set(16, 12, 1) : colour(48, 12);
            Normalization norm = Normalization.of(set);
            Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
            SgdNesterov optimizer = new SgdNesterov(0.05f, 0.9f, 0f);
            List<Technique> techniques = List.of(new Augmentation(AugmenterTest.heavy(channels), norm, RUN_SEED));
            try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(4), new Shape(channels, 12, 12), 3);
                    Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                    ResidentDataset data = new ResidentDataset(set, norm, Device.cpu())) {
                trainer.initialize(new Shape(1, channels, 12, 12));
                optimizer.bind(model.getBlock());
                int residentArrays = data.manager().getManagedArrays().size();
                FitLoop loop = new FitLoop(model, trainer, optimizer, loss, new EventEngine(techniques, List.of()), data, data,
                        16, RUN_SEED, new Checkpoints(tmp.resolve("c" + channels)), metrics -> { });
                FitLoop.Result result = loop.run(new TrainingState(1, FitLoop.batchesPerEpoch(set.size(), 16), 0.05), List.of());
                assertThat(result.history()).hasSize(1);
                assertThat(result.history().get(0).trainLoss()).isFinite();
                assertThat(data.manager().getManagedArrays()).hasSize(residentArrays);
            }
        }
    }

    /** Random colour images in three classes. */
    private static ImageSet colour(int n, int size) {
        Random r = new Random(5);
        byte[] px = new byte[n * 3 * size * size];
        r.nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new ImageSet(px, labels, 3, size, size, SyntheticData.CLASSES, i -> "random#" + i);
    }
}
