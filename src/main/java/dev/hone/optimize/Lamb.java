package dev.hone.optimize;

import ai.djl.ndarray.NDArray;

/**
 * LAMB: Adam with a layer-wise trust ratio (You et al. 2019, "Large Batch Optimization for Deep
 * Learning: Training BERT in 76 minutes", arXiv:1904.00962).
 *
 * <p>Each step takes the bias-corrected Adam direction plus decoupled weight decay, {@code r =
 * m_hat / (sqrt(v_hat) + eps) + decay * w}, and rescales it per layer by {@code ||w|| / ||r||}, so
 * that every layer moves by about the same fraction of its own size whatever its gradient scale.
 * That is what lets the learning rate, and so the batch size, grow far beyond where Adam diverges;
 * at small batches it behaves much like AdamW. The ratio falls back to 1 when either norm is 0
 * (a freshly zeroed layer would otherwise never move). The paper's clipping function on
 * {@code ||w||} is the identity here, as in most implementations.
 *
 * <p>Each parameter reads two norms back to the host, one small synchronization per layer.
 */
public final class Lamb extends HoneOptimizer {
    private float beta1;
    private final float beta2;
    private final float epsilon;

    /** The paper's defaults: beta1 0.9, beta2 0.999, epsilon 1e-6. */
    public Lamb(float learningRate, float weightDecay) {
        this(learningRate, 0.9f, 0.999f, 1e-6f, weightDecay);
    }

    public Lamb(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        super(learningRate, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /**
     * The layer's trust ratio {@code ||w|| / ||r||}, or 1 when either norm is 0 (nothing to scale
     * against).
     */
    public static double trustRatio(double weightNorm, double updateNorm) {
        return weightNorm > 0 && updateNorm > 0 ? weightNorm / updateNorm : 1.0;
    }

    @Override
    public String describe() {
        return "lamb(beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + epsilon
                + ", weight-decay=" + weightDecay() + ")";
    }

    /** Sets beta1 for the next steps; the bias correction uses the current beta1, as in PyTorch. */
    @Override
    public void setMomentum(double momentum) {
        this.beta1 = (float) momentum;
    }

    @Override
    protected int stateSize() {
        return 2;
    }

    @Override
    protected void step(NDArray weight, NDArray grad, NDArray[] state, long step, float lr, float decay) {
        NDArray mean = state[0];
        NDArray variance = state[1];
        try (NDArray g2 = grad.square()) {
            variance.muli(beta2).addi(g2.muli(1f - beta2));
        }
        // grad is discarded after the update, so it can hold (1 - b1) * g in place
        mean.muli(beta1).addi(grad.muli(1f - beta1));
        double correction1 = 1 - Math.pow(beta1, step);
        double correction2 = 1 - Math.pow(beta2, step);
        try (NDArray varianceHat = variance.div(correction2);
                NDArray denominator = varianceHat.sqrt();
                NDArray update = mean.div(correction1)) {
            update.divi(denominator.addi(epsilon));
            if (decay != 0f) {
                try (NDArray decayed = weight.mul(decay)) {
                    update.addi(decayed);
                }
            }
            double trust = trustRatio(Norms.l2(weight), Norms.l2(update));
            weight.subi(update.muli((float) (lr * trust)));
        }
    }
}
