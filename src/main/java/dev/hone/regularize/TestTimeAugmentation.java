package dev.hone.regularize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import dev.hone.loop.Evaluator;
import dev.hone.loop.ResidentDataset;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.SingleLabel;
import dev.hone.tasks.Task;

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
     * @param flippedLogits N x K outputs for their mirror images; per-pixel outputs (N, K, H, W) are
     *     mirrored back before averaging
     */
    public static NDArray meanProbabilities(NDArray logits, NDArray flippedLogits) {
        return meanProbabilities(SingleLabel.INSTANCE, logits, flippedLogits);
    }

    /** As {@link #meanProbabilities(NDArray, NDArray)}, with {@code task}'s probabilities (softmax or sigmoid). */
    public static NDArray meanProbabilities(Task task, NDArray logits, NDArray flippedLogits) {
        try (NDArray p = task.probabilities(logits); NDArray flipped = task.probabilities(flippedLogits);
                NDArray q = task.spatialTargets() ? flipped.flip(3) : flipped.duplicate()) {
            return p.add(q).divi(2f);
        }
    }

    /**
     * Predicts every image of {@code data} as {@link dev.hone.loop.Evaluator#predict} does (inference
     * mode, nothing left allocated), with the flip averaged in.
     */
    public static Predictions predict(Block block, ResidentDataset data, int batchSize) {
        return Evaluator.predict(data, batchSize, (store, images) -> meanProbabilities(data.task(),
                block.forward(store, new NDList(images), false).singletonOrThrow(),
                block.forward(store, new NDList(horizontalFlip(images)), false).singletonOrThrow()));
    }
}
