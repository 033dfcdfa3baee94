package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * PreciseBN (Wu and Johnson 2021, arXiv:2105.07576): the running statistics become the plain mean of the sampled batches'
 * statistics, whatever the layer's momentum and its statistics before, and the momentum is put back.
 */
class PreciseBatchNormTest {

    @Test
    void theRunningStatisticsBecomeTheMeanOfTheBatchStatistics() throws Exception {
        try (ResidentDataset data = data(40)) {
            BatchNorm bn = BatchNorm.builder().optMomentum(0.99f).build();
            Block block = new SequentialBlock().add(bn);
            block.initialize(data.manager(), DataType.FLOAT32, new Shape(2, 2, 3, 3));
            // stale statistics, far from the data's
            bn.getParameters().get("runningMean").getArray().set(new float[] {50, -50});
            bn.getParameters().get("runningVar").getArray().set(new float[] {100, 0.01f});
            int[] order = EpochOrder.permutation(5, 0, data.size());

            int batches = PreciseBatchNorm.recalibrate(block, data, order, 8);

            assertThat(batches).as("1,024 images capped by the 40 of the split: five whole batches of 8").isEqualTo(5);
            float[] mean = new float[2];
            float[] var = new float[2];
            try (NDManager m = data.manager().newSubManager()) {
                for (int b = 0; b < 5; b++) {
                    float[] x = data.batch(order, 8 * b, 8 * b + 8, m).images().toFloatArray(); // (8, 2, 3, 3)
                    float[] mu = new float[2];
                    float[] v = new float[2];
                    for (int i = 0; i < x.length; i++) {
                        mu[i / 9 % 2] += x[i] / 72;
                    }
                    for (int i = 0; i < x.length; i++) {
                        // PyTorch keeps the unbiased variance of the batch: n / (n - 1) of the population's, n = 8 * 3 * 3
                        v[i / 9 % 2] += (x[i] - mu[i / 9 % 2]) * (x[i] - mu[i / 9 % 2]) / 71;
                    }
                    for (int c = 0; c < 2; c++) {
                        mean[c] += mu[c] / 5;
                        var[c] += v[c] / 5;
                    }
                }
            }
            assertThat(bn.getParameters().get("runningMean").getArray().toFloatArray()).containsExactly(mean, Offset.offset(1e-4f));
            assertThat(bn.getParameters().get("runningVar").getArray().toFloatArray()).containsExactly(var, Offset.offset(1e-4f));
            var field = BatchNorm.class.getDeclaredField("momentum");
            field.setAccessible(true);
            assertThat(field.getFloat(bn)).as("the layer's own momentum put back").isEqualTo(0.99f);
        }
    }

    @Test
    void layersAreFoundInsideNestedBlocks() {
        Block inner = new SequentialBlock().add(BatchNorm.builder().build()).add(Blocks.batchFlattenBlock());
        Block outer = new SequentialBlock().add(BatchNorm.builder().build()).add(inner).add(Linear.builder().setUnits(2).build());
        assertThat(PreciseBatchNorm.layers(outer)).hasSize(2);
    }

    @Test
    void aNetworkWithoutBatchNormIsLeftAsItIs() {
        try (ResidentDataset data = data(10)) {
            Block block = new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(2).build());
            block.initialize(data.manager(), DataType.FLOAT32, new Shape(2, 2, 3, 3));
            float[] before = block.getParameters().get(0).getValue().getArray().toFloatArray();
            assertThat(PreciseBatchNorm.recalibrate(block, data, EpochOrder.permutation(1, 0, 10), 4)).isZero();
            assertThat(block.getParameters().get(0).getValue().getArray().toFloatArray()).containsExactly(before);
            try (NDManager m = data.manager().newSubManager()) {
                assertThat(block.forward(new ParameterStore(m, false), new NDList(m.ones(new Shape(1, 18))), false)).isNotNull();
            }
        }
    }

    @Test
    void imagesAreWholeBatchesUpToTheCap() {
        assertThat(PreciseBatchNorm.images(54_000, 64)).isEqualTo(1024);
        assertThat(PreciseBatchNorm.images(54_000, 100)).isEqualTo(1000);
        assertThat(PreciseBatchNorm.images(500, 32)).as("a small split: its whole batches").isEqualTo(480);
        assertThat(PreciseBatchNorm.images(20, 32)).as("fewer images than a batch: all of them, once").isEqualTo(20);
        assertThat(PreciseBatchNorm.images(54_000, 2048)).as("a batch larger than the cap: one").isEqualTo(2048);
    }

    /** {@code n} images of 2 channels, 3x3, random pixels. */
    private static ResidentDataset data(int n) {
        Random r = new Random(3);
        byte[] px = new byte[n * 2 * 9];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i % 18 < 9 ? 20 + r.nextInt(60) : 120 + r.nextInt(130));
        }
        ImageSet set = new ImageSet(px, new int[n], 2, 3, 3, List.of("a", "b"), i -> "img" + i);
        return new ResidentDataset(set, new Normalization(new float[] {0.5f, 0.5f}, new float[] {0.25f, 0.25f}), Device.cpu());
    }
}
