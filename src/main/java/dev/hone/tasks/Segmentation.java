package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import dev.hone.tasks.metrics.SegmentationMetrics;

/**
 * Semantic segmentation: every pixel shows one of K classes, or is ignored (VOC's object boundaries).
 *
 * <p>Labels are masks (N, H, W) of class indices with {@link #IGNORE} for ignored pixels. The loop's
 * dense targets are one-hot maps (N, K, H, W) whose ignored pixels are all zeros, so label smoothing
 * and MixUp blend them as distributions, and geometric augmentation and CutMix move them with the
 * image ({@link #spatialTargets}); the fill of pixels from outside the image is zeros, i.e. ignored.
 * The head gives (N, K, H, W) logits; the loss is {@link PixelCrossEntropy}; learners maximise
 * validation mIoU ({@link SegmentationMetrics}).
 *
 * <p>{@link Predictions} of a segmentation set keep, per image, the predicted mask and the true mask
 * (H*W class indices as floats, {@link #IGNORE} in the truth for ignored pixels), not K*H*W
 * probabilities: a 4,000-image 64x64 set with 11 classes would otherwise hold 180 million floats.
 *
 * @param pixelLoss the training loss (plain, class-weighted, or with a Dice term)
 */
public record Segmentation(PixelCrossEntropy pixelLoss) implements Task {
    /** The mask value of an ignored pixel, as the data stores it. */
    public static final int IGNORE = 255;

    /** Segmentation with plain per-pixel cross-entropy. */
    public static Segmentation plain() {
        return new Segmentation(PixelCrossEntropy.plain());
    }

    @Override
    public String name() {
        return "segmentation";
    }

    @Override
    public int outputs(int classes) {
        return classes;
    }

    @Override
    public Loss loss() {
        return pixelLoss;
    }

    /**
     * One-hot maps of the masks.
     *
     * @param labels masks (N, H, W), uint8 or an integer type, class indices or {@link #IGNORE}
     * @return (N, K, H, W) float32, all zeros at ignored pixels
     */
    @Override
    public NDArray targets(NDArray labels, int classes) {
        NDArray index = labels.toType(DataType.INT64, false);
        // ignored pixels become class K, whose one-hot column is then dropped
        NDArray clipped = index.minimum(classes);
        NDArray hot = clipped.oneHot(classes + 1); // (N, H, W, K+1)
        return hot.get(":, :, :, :" + classes).transpose(0, 3, 1, 2).toType(DataType.FLOAT32, false);
    }

    @Override
    public NDArray probabilities(NDArray logits) {
        return logits.softmax(1);
    }

    @Override
    public String trainingMeasure() {
        return "pixel accuracy";
    }

    /**
     * Pixels whose arg-max is their class, of the batch's pixels that are not {@link #IGNORE}: summed over
     * an epoch, the pooled pixel accuracy (every counted pixel weighs the same, whatever its image).
     *
     * @param logits (N, K, H, W)
     * @param labels masks (N, H, W), class indices or {@link #IGNORE}
     */
    @Override
    public Tally tally(NDArray logits, NDArray labels) {
        try (NDArray truth = labels.toType(DataType.INT64, false); NDArray predicted = logits.argMax(1);
                NDArray counted = truth.neq(IGNORE); NDArray right = predicted.eq(truth).logicalAnd(counted);
                NDArray r = right.sum(); NDArray c = counted.sum()) {
            return new Tally(r.getLong(), c.getLong());
        }
    }

    /**
     * The masks the step's targets hold: each pixel's most likely class, and {@link #IGNORE} where less than half of the
     * target counts (an ignored pixel's map is all zeros; one downscaled by progressive resizing holds the share of the
     * pixels it covers that count). So the epoch's training pixel accuracy is of the images as the step saw them, moved by
     * augmentation and CutMix, and at the size it trained at.
     *
     * @param labels the batch's masks (N, H, W), unused
     * @param targets (N, K, h, w)
     * @return (N, h, w) int64
     */
    @Override
    public NDArray trainingLabels(NDArray labels, NDArray targets) {
        NDArray classes = targets.argMax(1);
        NDArray counted = targets.sum(new int[] {1}).gte(0.5f);
        NDArray ignored = classes.zerosLike().add(IGNORE);
        return NDArrays.where(counted, classes, ignored);
    }

    @Override
    public boolean independentOutputs() {
        return false;
    }

    @Override
    public boolean spatialTargets() {
        return true;
    }

    /** {@code (1 - eps) y + eps / K} at counted pixels; ignored pixels stay all zeros. */
    @Override
    public NDArray smooth(NDArray targets, float epsilon) {
        long k = targets.getShape().get(1);
        NDArray counted = targets.sum(new int[] {1}, true);
        return targets.mul(1f - epsilon).addi(counted.muli(epsilon / k));
    }

    @Override
    public String validationMetric() {
        return "mIoU";
    }

    /** Not used: segmentation's losses come from {@link #imageLosses}, on the device. */
    @Override
    public double imageLoss(float[] probabilities, float[] target) {
        throw new UnsupportedOperationException("segmentation keeps masks, not probabilities; use imageLosses");
    }

    /** Each image's mean cross-entropy over its counted pixels (0 for an image with none). */
    @Override
    public double[] imageLosses(NDArray probabilities, NDArray targets) {
        NDArray perPixel = targets.mul(probabilities.maximum(1e-12f).log()).sum(new int[] {1}).neg(); // (N, H, W)
        NDArray sums = perPixel.sum(new int[] {1, 2});
        NDArray counted = targets.sum(new int[] {1, 2, 3}).maximum(1e-6f);
        float[] l = sums.div(counted).toFloatArray();
        double[] out = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = l[i];
        }
        return out;
    }

    /** The predicted masks (N, H, W), class indices as float32. */
    @Override
    public NDArray kept(NDArray probabilities) {
        return probabilities.argMax(1).toType(DataType.FLOAT32, false);
    }

    /** The true masks (N, H, W) as float32, {@link #IGNORE} where the target is all zeros. */
    @Override
    public NDArray keptTargets(NDArray targets) {
        NDArray index = targets.argMax(1).toType(DataType.FLOAT32, false);
        NDArray counted = targets.sum(new int[] {1}).gt(0);
        return NDArrays.where(counted, index, index.onesLike().muli(IGNORE));
    }

    /** mIoU over the classes present in the set's truth or prediction. */
    @Override
    public double score(Predictions p) {
        return metrics(p, classes(p)).meanIou();
    }

    /** The pixel confusion of a set's predictions over {@code classes} classes. */
    public static SegmentationMetrics metrics(Predictions p, int classes) {
        return SegmentationMetrics.of(p.probabilities(), p.targets(), classes, IGNORE);
    }

    /** The smallest class count that holds every index of the kept masks. */
    private static int classes(Predictions p) {
        int k = 1;
        for (int i = 0; i < p.targets().length; i++) {
            for (float v : p.probabilities()[i]) {
                k = Math.max(k, (int) v + 1);
            }
            for (float v : p.targets()[i]) {
                if (v != IGNORE) {
                    k = Math.max(k, (int) v + 1);
                }
            }
        }
        return k;
    }

    @Override
    public String toString() {
        return name();
    }
}
