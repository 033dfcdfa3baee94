package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Per-pixel softmax cross-entropy on dense targets that skips ignored pixels, optionally weighted
 * per class and optionally with a soft Dice term: the loss of semantic segmentation.
 *
 * <p>For logits x (N, K, H, W) and targets y (N, K, H, W), one distribution per pixel or all zeros
 * for an ignored pixel: {@code l = sum_pixels sum_k -w_k y_k log softmax(x)_k / sum_pixels sum_k w_k y_k}.
 * With w = 1 this is PyTorch's {@code cross_entropy(ignore_index=...)} with its mean over the counted
 * pixels; with class weights it is PyTorch's weighted mean. Soft targets (label smoothing, MixUp) are
 * allowed. DJL's {@code SoftmaxCrossEntropyLoss} has no ignore index, hence hone's own, written with
 * {@code logSoftmax}.
 *
 * <p>The Dice term is the soft Dice loss of V-Net (Milletari et al. 2016, arXiv:1606.04797), averaged
 * over the classes present in the batch's targets: {@code 1 - (2 sum p y + 1) / (sum p + sum y + 1)}
 * with p the softmax, over counted pixels only. It resists very imbalanced masks (a small foreground).
 */
public final class PixelCrossEntropy extends Loss {
    private final float[] classWeights;
    private final float diceWeight;

    /**
     * @param classWeights w per class (length K), or null for 1 everywhere
     * @param diceWeight the weight of the Dice term added to the cross-entropy; 0 for none
     */
    public PixelCrossEntropy(float[] classWeights, float diceWeight) {
        super(diceWeight > 0 ? "cross-entropy+dice" : classWeights != null ? "weighted-cross-entropy" : "cross-entropy");
        this.classWeights = classWeights == null ? null : classWeights.clone();
        this.diceWeight = diceWeight;
    }

    /** Plain per-pixel cross-entropy. */
    public static PixelCrossEntropy plain() {
        return new PixelCrossEntropy(null, 0);
    }

    /** Labels (N, K, H, W) dense targets and predictions (N, K, H, W) logits; a scalar loss. */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray x = predictions.singletonOrThrow();
        NDArray y = labels.singletonOrThrow();
        NDArray weighted = y;
        if (classWeights != null) {
            weighted = y.mul(x.getManager().create(classWeights).reshape(1, classWeights.length, 1, 1));
        }
        NDArray total = weighted.sum();
        NDArray loss = weighted.mul(x.logSoftmax(1)).sum().neg().div(total.maximum(1e-6f));
        if (diceWeight > 0) {
            loss = loss.add(dice(x.softmax(1), y).mul(diceWeight));
        }
        return loss;
    }

    /**
     * Soft Dice loss over the classes present in {@code y}, each pixel's prediction weighed by the share of it that counts
     * (the sum of its target): pixels with no target are left out, and a pixel that progressive resizing or MixUp made
     * part ignored counts by its part, so a confident right prediction there scores a perfect Dice.
     */
    static NDArray dice(NDArray p, NDArray y) {
        NDArray counted = y.sum(new int[] {1}, true);
        int[] pixels = {0, 2, 3};
        NDArray intersection = p.mul(y).sum(pixels);
        NDArray sizes = p.mul(counted).sum(pixels).add(y.sum(pixels));
        NDArray perClass = intersection.mul(2).add(1).div(sizes.add(1)).neg().add(1); // (K)
        NDArray present = y.sum(pixels).gt(0).toType(p.getDataType(), false);
        return perClass.mul(present).sum().div(present.sum().maximum(1f));
    }

    /** The class weights (null when none), for the record. */
    public float[] classWeights() {
        return classWeights == null ? null : classWeights.clone();
    }

    public float diceWeight() {
        return diceWeight;
    }
}
