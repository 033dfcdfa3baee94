package dev.hone.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.function.BiFunction;

/**
 * Runs a block in inference mode over a resident dataset: BatchNorm uses its running statistics,
 * no autograd graph is built, and nothing is left allocated afterwards.
 */
public final class Evaluator {
    private Evaluator() {}

    public static Predictions predict(Block block, ResidentDataset data, int batchSize) {
        return predict(data, batchSize, (store, images) -> data.task().probabilities(
                block.forward(store, new NDList(images), false).singletonOrThrow()));
    }

    /**
     * As {@link #predict(Block, ResidentDataset, int)}, with the class probabilities of a batch
     * computed by {@code forward} (e.g. averaged over test-time views).
     */
    public static Predictions predict(ResidentDataset data, int batchSize, BiFunction<ParameterStore, NDArray, NDArray> forward) {
        int n = data.size();
        int k = data.numClasses();
        float[][] probabilities = new float[n][];
        int[] labels = new int[n];
        double lossSum = 0;
        int correct = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager batchManager = data.manager().newSubManager()) {
                ResidentDataset.Batch batch = data.range(from, to, batchManager);
                ParameterStore store = new ParameterStore(batchManager, false);
                float[] p = forward.apply(store, batch.images()).toFloatArray();
                long[] y = batch.labels().toLongArray();
                for (int i = 0; i < to - from; i++) {
                    float[] row = new float[k];
                    System.arraycopy(p, i * k, row, 0, k);
                    probabilities[from + i] = row;
                    labels[from + i] = (int) y[i];
                    lossSum += -Math.log(Math.max(row[(int) y[i]], 1e-12f));
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (Predictions.argMax(probabilities[i]) == labels[i]) {
                correct++;
            }
        }
        return new Predictions(probabilities, labels, n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN : (double) correct / n);
    }
}
