package dev.hone.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

/**
 * FixMatch's unlabeled loss: the prediction on a weakly augmented view, where confident, becomes a
 * hard pseudo-label for the same image strongly augmented.
 *
 * <p>From Sohn et al. 2020, "FixMatch: Simplifying Semi-Supervised Learning with Consistency and
 * Confidence", arXiv:2001.07685, section 2.2, equation 4. For the mu*B unlabeled images of a step,
 * with {@code q_b = softmax(weak_b)} and {@code y_b = argmax q_b}:
 *
 * <pre>{@code
 * l_u = (1 / (mu*B)) sum_b 1[max q_b >= tau] * H(y_b, softmax(strong_b))
 * }</pre>
 *
 * <p>The sum is divided by all unlabeled images, not only the confident ones, so the loss starts
 * near 0 while the model is unsure and grows as more images pass: the paper's implicit curriculum.
 * The paper's threshold is {@link #PAPER_THRESHOLD}; its total loss is {@code l_s + lambda_u * l_u}
 * with lambda_u = 1 and mu = 7. This is the paper's basic form: no distribution alignment, no
 * per-class thresholds.
 *
 * <p>The weak logits are detached here ({@code stopGradient}), so even if the caller computed them
 * with gradient recording on, gradients reach the model only through the strong view's logits.
 *
 * <p>{@link #multiLabelLoss} carries the same rule over to independent sigmoid outputs, one decision
 * per (image, class) pair; that variant is hone's extension, not in the paper.
 */
public final class FixMatch {
    /** The paper's confidence threshold tau (section 2.2, and its ablation in section 5.2). */
    public static final float PAPER_THRESHOLD = 0.95f;

    private FixMatch() {}

    /**
     * The unlabeled loss of one batch, with what produced it.
     *
     * @param loss the scalar l_u, differentiable in the strong logits only
     * @param mask float32 1 where the weak prediction was confident enough, 0 elsewhere: (N) for
     *     single-label, (N, K) for multi-label
     * @param pseudoLabels the targets the strong view was held to: int64 class indices (N) for
     *     single-label; float32 0/1 targets (N, K) for multi-label, meaningful only where mask is 1
     */
    public record Consistency(NDArray loss, NDArray mask, NDArray pseudoLabels) {
        /**
         * The share of images (single-label) or (image, class) pairs (multi-label) that passed, in
         * [0, 1]. Reads the value back from the device, so call it when logging, not every step.
         */
        public double maskRate() {
            try (NDArray rate = mask.mean()) {
                return rate.getFloat();
            }
        }
    }

    /**
     * The single-label FixMatch loss (equation 4).
     *
     * @param weakLogits logits on the weakly augmented views, (N, K), float32; detached here
     * @param strongLogits logits on the strongly augmented views of the same images, (N, K), float32
     * @param threshold tau in (0, 1]: an image counts when its largest softmax probability is >= tau
     * @return l_u (in {@code strongLogits}'s manager), its mask (N) and pseudo-labels (N) (in {@code
     *     weakLogits}'s)
     * @throws IllegalArgumentException if the shapes differ, are not (N, K) with N >= 1 and K >= 2, or
     *     tau is outside (0, 1]
     */
    public static Consistency loss(NDArray weakLogits, NDArray strongLogits, float threshold) {
        check(weakLogits, strongLogits, 2);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("FixMatch threshold must be in (0, 1]: " + threshold);
        }
        long n = strongLogits.getShape().get(0);
        int k = (int) strongLogits.getShape().get(1);
        NDArray q = weakLogits.stopGradient().softmax(1);
        NDArray labels = q.argMax(1);
        NDArray mask = q.max(new int[] {1}).gte(threshold).toType(DataType.FLOAT32, false);
        NDArray crossEntropy = strongLogits.logSoftmax(1).mul(labels.oneHot(k)).sum(new int[] {1}).neg();
        return new Consistency(crossEntropy.mul(mask).sum().div(n), mask, labels);
    }

    /**
     * FixMatch for independent sigmoid outputs: each (image, class) pair whose weak probability p is
     * at least tau or at most 1 - tau gets the target round(p), and the strong logits are held to it by
     * binary cross-entropy on logits; the masked sum is divided by all N * K pairs, as equation 4
     * divides by all images.
     *
     * @param weakLogits logits on the weakly augmented views, (N, K), float32; detached here
     * @param strongLogits logits on the strongly augmented views, (N, K), float32
     * @param threshold tau in (0.5, 1]
     * @return l_u (in {@code strongLogits}'s manager), its mask (N, K) and 0/1 targets (N, K) (in
     *     {@code weakLogits}'s)
     * @throws IllegalArgumentException if the shapes differ, are not (N, K) with N, K >= 1, or tau is
     *     outside (0.5, 1]
     */
    public static Consistency multiLabelLoss(NDArray weakLogits, NDArray strongLogits, float threshold) {
        check(weakLogits, strongLogits, 1);
        if (!(threshold > 0.5f && threshold <= 1)) {
            throw new IllegalArgumentException("multi-label FixMatch threshold must be in (0.5, 1], so that a pair is"
                    + " confidently positive or negative but not both: " + threshold);
        }
        NDArray p = Activation.sigmoid(weakLogits.stopGradient());
        NDArray targets = p.gte(0.5f).toType(DataType.FLOAT32, false);
        NDArray mask = p.gte(threshold).logicalOr(p.lte(1 - threshold)).toType(DataType.FLOAT32, false);
        NDArray bce = targets.mul(Activation.softPlus(strongLogits.neg()))
                .add(targets.neg().add(1f).mul(Activation.softPlus(strongLogits)));
        return new Consistency(bce.mul(mask).sum().div(strongLogits.size()), mask, targets);
    }

    private static void check(NDArray weak, NDArray strong, int minClasses) {
        Shape w = weak.getShape();
        Shape s = strong.getShape();
        if (w.dimension() != 2 || !w.equals(s)) {
            throw new IllegalArgumentException("FixMatch needs weak- and strong-view logits of one shape (N, K), one row"
                    + " per unlabeled image; got " + w + " and " + s);
        }
        if (s.get(0) < 1 || s.get(1) < minClasses) {
            throw new IllegalArgumentException("FixMatch needs at least 1 image and " + minClasses + " outputs, got " + s);
        }
    }
}
