package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.core.EventEngine;
import dev.hone.core.TrainingState;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.optimize.ProgressiveResizing;
import dev.hone.optimize.SgdNesterov;
import dev.hone.record.EpochMetrics;
import dev.hone.train.SyntheticData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each epoch records the sizes progressive resizing trained it at, so a low validation figure is explained. */
class TrainedSizeTest {
    @TempDir
    Path tmp;

    private static final int SIZE = 16;

    @Test
    void epochsOnDownscaledImagesSayTheirSizesAndFullSizeEpochsSayNothing() {
        ImageSet set = SyntheticData.set(16, SIZE, 7);
        // global pooling takes any image size, as the convolutional networks progressive resizing serves do
        Block pooled = new SequentialBlock()
                .add(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                .add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
        List<String> sizes = history(set, dev.hone.tasks.SingleLabel.INSTANCE, pooled, 0.1f).stream()
                .map(EpochMetrics::trainedAt).toList();

        // 8x8 until half the schedule, growing to full size by 80% in sides of multiples of 4, full size for the last 20%
        assertThat(sizes).containsExactly("8x8", "8x8", "8x8 to 12x12", "12x12 to 16x16", null);
    }

    /**
     * Segmentation and detection train through the loop at the downscaled sizes: the masks shrink with the images, the
     * boxes are scaled, and each epoch's training figure is tallied against the targets at the size the step trained on
     * (tallied against the stored full-size labels, the first downscaled step failed on the shapes).
     */
    @Test
    void masksAndBoxesShrinkWithTheImagesAndTheirTalliesFollow() {
        int n = 16;
        ImageSet images = SyntheticData.set(6, SIZE, 3).subset(java.util.stream.IntStream.range(0, n).toArray());
        byte[] masks = new byte[n * SIZE * SIZE];
        float[][] boxes = new float[n][];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < SIZE * SIZE; p++) {
                int y = p / SIZE;
                int x = p % SIZE;
                masks[i * SIZE * SIZE + p] = (byte) (y < 4 ? 255 : x < SIZE / 2 ? 1 : 0); // an ignored band on top
            }
            boxes[i] = new float[] {i % 2, 2, 4, 10, 12, 0};
        }
        // 4 steps an epoch: the third epoch's last step is at 55% of the schedule, still 8x8 (9.3 pixels rounded)
        assertThat(trainedSizes(images.withMasks(masks), dev.hone.tasks.Segmentation.plain()))
                .containsExactly("8x8", "8x8", "8x8", "12x12 to 16x16", null);
        assertThat(trainedSizes(images.withBoxes(boxes), dev.hone.tasks.Detection.INSTANCE))
                .containsExactly("8x8", "8x8", "8x8", "12x12 to 16x16", null);
    }

    /** The sizes each of five epochs trained at, for a fully convolutional model of the task's maps. */
    private List<String> trainedSizes(ImageSet set, dev.hone.tasks.Task task) {
        // a 3x3 convolution keeps the size for segmentation; a stride of 4 gives CenterNet's output for detection
        int stride = task.boxTargets() ? dev.hone.models.CenterNetHead.STRIDE : 1;
        Block dense = new SequentialBlock().add(ai.djl.nn.convolutional.Conv2d.builder().setKernelShape(new Shape(3, 3))
                .optPadding(new Shape(1, 1)).optStride(new Shape(stride, stride)).setFilters(task.outputs(set.numClasses())).build());
        List<EpochMetrics> history = history(set, task, dense, 0.01f);
        assertThat(history).allSatisfy(m -> assertThat(m.trainAccuracy()).isBetween(0.0, 1.0));
        return history.stream().map(EpochMetrics::trainedAt).toList();
    }

    /** Five epochs of {@code block} on {@code set} for {@code task} under progressive resizing, batches of 4. */
    private List<EpochMetrics> history(ImageSet set, dev.hone.tasks.Task task, Block block, float lr) {
        Loss loss = task.loss();
        SgdNesterov optimizer = new SgdNesterov(lr, 0.9f, 0f);
        Engine.getInstance().setRandomSeed(11);
        try (Model model = Model.newInstance(task.name())) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                    ResidentDataset data = new ResidentDataset(set, Normalization.of(set), Device.cpu(), task)) {
                trainer.initialize(new Shape(1, 1, SIZE, SIZE));
                optimizer.bind(model.getBlock());
                int perEpoch = FitLoop.stepsPerEpoch(set.size(), 4, 1);
                TrainingState state = new TrainingState(5, perEpoch, 5L * perEpoch, lr);
                FitLoop loop = new FitLoop(model, trainer, optimizer, loss,
                        new EventEngine(List.of(new ProgressiveResizing(SIZE, SIZE)), List.of()), data, data, 4, 3,
                        new Checkpoints(tmp.resolve(task.name())), m -> { });
                return loop.run(state, List.of()).history();
            }
        }
    }
}
