package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;

/**
 * Binary cross-entropy on logits, one independent sigmoid per output, with optional positive
 * weights and focal modulation: the loss of binary and multi-label classification.
 *
 * <p>For logit x, target y in [0, 1] (soft targets allowed) and p = sigmoid(x):
 * {@code l = w * y * softplus(-x) * (1 - p)^gamma + (1 - y) * softplus(x) * p^gamma}, averaged
 * over images and outputs. With w = 1 and gamma = 0 this is plain BCE, computed from logits with
 * softplus for stability (DJL's {@code SigmoidBinaryCrossEntropyLoss} with {@code fromSigmoid=true}
 * returns the negated loss, hence hone's own). Positive weighting follows PyTorch's {@code
 * BCEWithLogitsLoss(pos_weight)}; the focal term is Lin et al. 2017, "Focal Loss for Dense Object
 * Detection", arXiv:1708.02002.
 */
public final class SigmoidLoss extends Loss {
    private final float[] positiveWeights;
    private final float gamma;

    /**
     * @param positiveWeights w per output (length K, or 1 for binary), or null for 1 everywhere
     * @param gamma the focal exponent; 0 for plain (weighted) BCE
     */
    public SigmoidLoss(float[] positiveWeights, float gamma) {
        super(gamma > 0 ? "focal-bce" : positiveWeights != null ? "weighted-bce" : "bce");
        this.positiveWeights = positiveWeights == null ? null : positiveWeights.clone();
        this.gamma = gamma;
    }

    /** Plain binary cross-entropy on logits. */
    public static SigmoidLoss plain() {
        return new SigmoidLoss(null, 0);
    }

    /** Labels and predictions of shape (N, K): targets in [0, 1] and logits. */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray x = predictions.singletonOrThrow();
        NDArray y = labels.singletonOrThrow().reshape(x.getShape());
        NDArray positive = y.mul(Activation.softPlus(x.neg()));
        NDArray negative = y.neg().add(1).mul(Activation.softPlus(x));
        if (gamma > 0) {
            NDArray p = Activation.sigmoid(x);
            positive = positive.mul(p.neg().add(1).pow(gamma));
            negative = negative.mul(p.pow(gamma));
        }
        if (positiveWeights != null) {
            NDArray w = x.getManager().create(positiveWeights).reshape(1, positiveWeights.length);
            positive = positive.mul(w);
        }
        return positive.add(negative).mean();
    }

    /** The positive weights (null when none) and the focal exponent, for the record. */
    public float[] positiveWeights() {
        return positiveWeights == null ? null : positiveWeights.clone();
    }

    public float gamma() {
        return gamma;
    }

    /** One output's loss from its probability p and target y, as {@link #evaluate} would give it. */
    public double of(double p, double y, int output) {
        double q = Math.min(Math.max(p, 1e-12), 1 - 1e-12);
        double w = positiveWeights == null ? 1 : positiveWeights[output];
        return -(w * y * Math.log(q) * Math.pow(1 - q, gamma) + (1 - y) * Math.log(1 - q) * Math.pow(q, gamma));
    }
}
