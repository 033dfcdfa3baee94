package dev.hone.regularize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.hone.loop.Predictions;
import dev.hone.loop.ResidentDataset;

/**
 * Test-time augmentation: each image's class probabilities are the mean of the softmax of the image
 * and of its mirror image.
 *
 * <p>Only the horizontal flip: it costs one extra forward pass, keeps the label of most natural images,
 * and is the augmentation training pipelines use most, so the network has usually seen mirrored
 * images. It can hurt where left and right matter (digits, text, some medical images), so the caller
 * keeps it only if it helps on the validation split. Probabilities, not logits, are averaged, so each
 * row is again a distribution, as {@link Predictions} expects.
 */
public final class TestTimeAugmentation {
    private TestTimeAugmentation() {}

    /** NCHW images mirrored left to right; the result belongs to {@code images}' manager. */
    public static NDArray horizontalFlip(NDArray images) {
        return images.flip(3);
    }

    /**
     * The mean of the two views' softmax, row by row; the result belongs to {@code logits}' manager.
     *
     * @param logits N x K outputs for the images
     * @param flippedLogits N x K outputs for their mirror images
     */
    public static NDArray meanProbabilities(NDArray logits, NDArray flippedLogits) {
        try (NDArray p = logits.softmax(1); NDArray q = flippedLogits.softmax(1)) {
            return p.add(q).divi(2f);
        }
    }

    /**
     * Predicts every image of {@code data} as {@link dev.hone.loop.Evaluator#predict} does (inference
     * mode, nothing left allocated), with the flip averaged in.
     */
    public static Predictions predict(Block block, ResidentDataset data, int batchSize) {
        int n = data.size();
        int k = data.numClasses();
        float[][] probabilities = new float[n][];
        int[] labels = new int[n];
        double lossSum = 0;
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager batchManager = data.manager().newSubManager()) {
                ResidentDataset.Batch batch = data.range(from, to, batchManager);
                ParameterStore store = new ParameterStore(batchManager, false);
                NDArray logits = block.forward(store, new NDList(batch.images()), false).singletonOrThrow();
                NDArray flipped = block.forward(store, new NDList(horizontalFlip(batch.images())), false).singletonOrThrow();
                float[] p = meanProbabilities(logits, flipped).toFloatArray();
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
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (Predictions.argMax(probabilities[i]) == labels[i]) {
                correct++;
            }
        }
        return new Predictions(probabilities, labels, n == 0 ? Double.NaN : lossSum / n, n == 0 ? Double.NaN : (double) correct / n);
    }
}
