package dev.hone.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Task;
import java.util.function.BiFunction;

/**
 * Runs a block in inference mode over a resident dataset: BatchNorm uses its running statistics,
 * no autograd graph is built, and nothing is left allocated afterwards.
 */
public final class Evaluator {
    /** The largest inference batch for per-pixel outputs. */
    static final int DENSE_BATCH = 32;
    /**
     * On a CPU, the most pixels (images x height x width) one inference batch holds. Larger batches
     * spill the activations out of the CPU's caches and run several times slower per image. Measured
     * with DJL 0.35.1 on 2 cores, resnet9 in inference mode: 64x64 images at 276 images/s in batches of
     * 16, 268 in 32, 40 in 64 and 21 in 256; 28x28 images at 419 in batches of 128 and 215 in 256. So a
     * batch holds at most 32 images of 64x64, or 167 of 28x28. A GPU has no such cliff and keeps the
     * batch it is given.
     */
    static final long CPU_BATCH_PIXELS = 32L * 64 * 64;

    private Evaluator() {}

    public static Predictions predict(Block block, ResidentDataset data, int batchSize) {
        return predict(data, batchSize, (store, images) -> data.task().probabilities(
                block.forward(store, new NDList(images), false).singletonOrThrow()));
    }

    /**
     * As {@link #predict(Block, ResidentDataset, int)}, with the probabilities of a batch computed by
     * {@code forward} (e.g. averaged over test-time views); the mean loss and the score are the
     * dataset's task's ({@link Task#imageLosses}, {@link Task#score}); the rows kept are {@link Task#kept}'s.
     */
    public static Predictions predict(ResidentDataset data, int batchSize, BiFunction<ParameterStore, NDArray, NDArray> forward) {
        int n = data.size();
        Task task = data.task();
        batchSize = cpuCapped(batchSize, data);
        if (task.spatialTargets()) {
            // per-pixel activations of a large batch overflow the CPU's caches: a U-Net on 64x64 images
            // infers 25 images/s in batches of 32 and 17 in batches of 256 (2 cores)
            batchSize = Math.min(batchSize, DENSE_BATCH);
        }
        float[][] probabilities = new float[n][];
        float[][] targets = new float[n][];
        int[] labels = new int[n];
        double[] imageLosses = new double[n];
        double lossSum = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager batchManager = data.manager().newSubManager()) {
                ResidentDataset.Batch batch = data.range(from, to, batchManager);
                ParameterStore store = new ParameterStore(batchManager, false);
                NDArray padded = forward.apply(store, BatchPadding.atLeastTwo(batch.images()));
                NDArray probs = BatchPadding.firstRows(padded, to - from);
                NDArray dense = data.targets(batch);
                double[] losses = task.imageLosses(probs, dense);
                float[] p = task.kept(probs).toFloatArray();
                float[] t = task.keptTargets(dense).toFloatArray();
                long[] y = batch.labels().getShape().dimension() == 1 ? batch.labels().toLongArray() : new long[to - from];
                int pk = p.length / (to - from);
                int tk = t.length / (to - from);
                for (int i = 0; i < to - from; i++) {
                    probabilities[from + i] = java.util.Arrays.copyOfRange(p, i * pk, (i + 1) * pk);
                    targets[from + i] = java.util.Arrays.copyOfRange(t, i * tk, (i + 1) * tk);
                    labels[from + i] = (int) y[i];
                    imageLosses[from + i] = losses[i];
                    lossSum += losses[i];
                }
            }
        }
        Predictions unscored = new Predictions(probabilities, labels, targets, n == 0 ? Double.NaN : lossSum / n, Double.NaN,
                imageLosses);
        return unscored.withScore(n == 0 ? Double.NaN : task.score(unscored));
    }

    /**
     * {@code batchSize} capped, on a CPU, to {@link #CPU_BATCH_PIXELS} pixels per batch (at least one
     * image).
     *
     * @param batchSize images per inference batch asked for
     * @param data the images, whose device and {@code (H, W)} set the cap
     */
    static int cpuCapped(int batchSize, ResidentDataset data) {
        if (!data.manager().getDevice().isGpu()) {
            long pixels = Math.max(1, data.pixelsPerImage());
            return (int) Math.max(1, Math.min(batchSize, CPU_BATCH_PIXELS / pixels));
        }
        return batchSize;
    }
}
