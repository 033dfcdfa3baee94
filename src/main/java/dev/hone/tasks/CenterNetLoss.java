package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.loss.Loss;
import dev.hone.models.CenterNetHead;

/**
 * CenterNet's training loss (Zhou et al. 2019, arXiv:1904.07850, equations 1 to 3):
 * {@code L = L_k + 0.1 L_size + L_off}, each a sum over the batch divided by its number of objects.
 *
 * <ul>
 *   <li>{@code L_k}, the penalty-reduced pixel-wise focal loss on the heatmaps (alpha = 2, beta = 4):
 *       {@code -(1 - p)^2 log p} at centre cells, {@code -(1 - y)^4 p^2 log(1 - p)} elsewhere, with p
 *       the sigmoid of the logit clamped to [1e-4, 1 - 1e-4] as in the paper's code, and y the
 *       Gaussian target ({@link CenterNetTargets}).
 *   <li>{@code L_size}: L1 between the predicted and true width and height, in cells, at centre cells.
 *   <li>{@code L_off}: L1 between the predicted and true sub-cell centre offsets, at centre cells.
 * </ul>
 *
 * <p>Labels are the boxes (N, B, 6) ({@link Detection#targets}); predictions the head's
 * (N, K + 4, h, w) outputs. The weights and exponents are the paper's; no learner changes them.
 */
public final class CenterNetLoss extends Loss {
    /** The focal exponent on the prediction, the paper's alpha. */
    static final float ALPHA = 2;
    /** The penalty reduction's exponent on the Gaussian target, the paper's beta. */
    static final float BETA = 4;
    /** The size loss's weight, the paper's lambda_size. */
    static final float SIZE_WEIGHT = 0.1f;
    /** The offset loss's weight, the paper's lambda_off. */
    static final float OFFSET_WEIGHT = 1;
    /** The probability clamp of the paper's code. */
    static final float CLAMP = 1e-4f;

    /** The loss with the paper's constants. */
    public CenterNetLoss() {
        super("CenterNetLoss");
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.singletonOrThrow();
        int k = (int) logits.getShape().get(1) - CenterNetHead.BOX_CHANNELS;
        NDArray heat = logits.get(new NDIndex(":, :{}", k)).getNDArrayInternal().sigmoid();
        NDArray regression = logits.get(new NDIndex(":, {}:", k));
        CenterNetTargets targets = encode(labels.singletonOrThrow(), logits, k);
        return perImage(heat, regression, targets).sum().div(Math.max(1, targets.total()));
    }

    /** The targets of a batch of boxes for outputs shaped as {@code outputs}. */
    static CenterNetTargets encode(NDArray boxes, NDArray outputs, int classes) {
        return CenterNetTargets.of(boxes, classes, (int) outputs.getShape().get(2), (int) outputs.getShape().get(3),
                CenterNetHead.STRIDE, outputs.getManager());
    }

    /**
     * Each image's summed loss terms, not yet divided by an object count.
     *
     * @param heat heatmap probabilities (N, K, h, w)
     * @param regression sizes and offsets (N, 4, h, w)
     * @return (N) float32
     */
    static NDArray perImage(NDArray heat, NDArray regression, CenterNetTargets t) {
        NDArray p = heat.clip(CLAMP, 1 - CLAMP);
        NDArray positive = t.heatmap().eq(1f).toType(p.getDataType(), false);
        NDArray negative = positive.neg().add(1f);
        NDArray posLoss = p.neg().add(1f).pow(ALPHA).mul(p.log()).mul(positive);
        NDArray negLoss = t.heatmap().neg().add(1f).pow(BETA).mul(p.pow(ALPHA)).mul(p.neg().add(1f).log()).mul(negative);
        NDArray focal = posLoss.add(negLoss).sum(new int[] {1, 2, 3}).neg();
        NDArray l1 = regression.sub(t.regression()).abs().mul(t.centres());
        NDArray size = l1.get(new NDIndex(":, :2")).sum(new int[] {1, 2, 3});
        NDArray offset = l1.get(new NDIndex(":, 2:")).sum(new int[] {1, 2, 3});
        return focal.add(size.mul(SIZE_WEIGHT)).add(offset.mul(OFFSET_WEIGHT));
    }
}
