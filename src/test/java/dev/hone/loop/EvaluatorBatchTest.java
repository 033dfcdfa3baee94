package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.tasks.Predictions;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * The CPU cap on inference batches: large images get small batches, and the predictions do not depend on it; a batch of
 * one image is padded to two ({@link BatchPadding}).
 */
class EvaluatorBatchTest {

    @Test
    void capsTheBatchByPixelsOnCpu() {
        try (ResidentDataset large = data(3, 64); ResidentDataset small = data(3, 28); ResidentDataset huge = data(1, 300)) {
            assertThat(Evaluator.cpuCapped(256, large)).isEqualTo(32);
            assertThat(Evaluator.cpuCapped(256, small)).isEqualTo(167);
            assertThat(Evaluator.cpuCapped(100, small)).isEqualTo(100);
            assertThat(Evaluator.cpuCapped(256, huge)).isEqualTo(1);
        }
    }

    @Test
    void everyImageIsPredictedOnceWhateverTheChunks() {
        try (ResidentDataset set = data(70, 64)) {
            Block block = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(2).build());
            block.initialize(set.manager(), DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 64, 64));
            Predictions p = Evaluator.predict(block, set, 256); // chunks of 32, 32 and 6
            assertThat(p.probabilities().length).isEqualTo(70);
            Predictions oneByOne = Evaluator.predict(block, set, 1);
            for (int i = 0; i < 70; i++) {
                assertThat(p.labels()[i]).isEqualTo(i % 2);
                assertThat(p.probabilities()[i]).containsExactly(oneByOne.probabilities()[i], Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void aOneImageBatchReachesTheNetworkAsTwoAndComesBackAsOne() {
        try (ResidentDataset set = data(3, 28)) {
            List<Long> seen = new java.util.ArrayList<>();
            Block block = new SequentialBlock().add(new ai.djl.nn.LambdaBlock(x -> {
                seen.add(x.head().getShape().get(0));
                return x;
            })).add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(2).build());
            block.initialize(set.manager(), DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1, 28, 28));
            Predictions whole = Evaluator.predict(block, set, 3);
            seen.clear();
            Predictions single = Evaluator.predict(block, set, 2); // chunks of 2 and 1
            assertThat(seen).containsExactly(2L, 2L);
            assertThat(single.probabilities().length).isEqualTo(3);
            assertThat(single.probabilities()[2]).containsExactly(whole.probabilities()[2], Offset.offset(1e-5f));
            assertThat(single.meanLoss()).isCloseTo(whole.meanLoss(), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    private static ResidentDataset data(int n, int side) {
        return new ResidentDataset(set(n, side), new Normalization(new float[] {0.5f}, new float[] {0.25f}), Device.cpu());
    }

    private static ImageSet set(int n, int side) {
        byte[] px = new byte[n * side * side];
        int[] labels = new int[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i * 37) % 251);
        }
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
        }
        return new ImageSet(px, labels, 1, side, side, List.of("a", "b"), i -> "img-" + i + ".png");
    }
}
