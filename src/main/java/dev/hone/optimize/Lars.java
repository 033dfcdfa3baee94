package dev.hone.optimize;

import ai.djl.ndarray.NDArray;

/**
 * LARS: SGD with momentum and a layer-wise learning rate (You, Gitman and Ginsburg 2017, "Large
 * Batch Training of Convolutional Networks", arXiv:1708.03888).
 *
 * <p>Each layer's step is scaled by {@code local_lr = eta * ||w|| / (||g|| + decay * ||w||)}, the
 * paper's trust ratio, so that no layer's update is large relative to its weights. This is what
 * keeps very large batches (and the large learning rates they need) from diverging in the layers
 * whose gradients are big relative to their weights. The update, as in the paper's Algorithm 1:
 * {@code v = m*v + lr*local_lr*(g + decay*w); w -= v}. Weight decay here is coupled into the
 * gradient as the paper has it, so {@code decay} is the paper's beta, not AdamW's.
 *
 * <p>Parameters of rank at most 1 (biases, BatchNorm) skip both the trust ratio and the decay, as
 * is standard (e.g. in the SimCLR and BYOL code): their norms say little about a safe step. The
 * ratio falls back to 1 when a norm is 0. {@code eta} is small (0.001), so the base learning rate is
 * correspondingly large; the paper scales it with the batch size. Each parameter reads two norms
 * back to the host, one small synchronization per layer.
 */
public final class Lars extends HoneOptimizer {
    private float momentum;
    private final float eta;

    /** The paper's defaults: momentum 0.9, trust coefficient eta 0.001. */
    public Lars(float learningRate, float weightDecay) {
        this(learningRate, 0.9f, 0.001f, weightDecay);
    }

    public Lars(float learningRate, float momentum, float eta, float weightDecay) {
        super(learningRate, weightDecay);
        this.momentum = momentum;
        this.eta = eta;
    }

    /**
     * The layer's local learning rate {@code eta * ||w|| / (||g|| + decay * ||w||)}, or 1 when
     * either norm is 0 (a zero layer or a zero gradient gives no scale to trust).
     */
    public static double localLearningRate(double weightNorm, double gradNorm, double eta, double decay) {
        return weightNorm > 0 && gradNorm > 0 ? eta * weightNorm / (gradNorm + decay * weightNorm) : 1.0;
    }

    @Override
    public String describe() {
        return "lars(momentum=" + momentum + ", eta=" + eta + ", weight-decay=" + weightDecay() + ")";
    }

    /** Sets the momentum coefficient {@code m} for the next steps. */
    @Override
    public void setMomentum(double momentum) {
        this.momentum = (float) momentum;
    }

    @Override
    protected int stateSize() {
        return 1;
    }

    @Override
    protected void step(NDArray weight, NDArray grad, NDArray[] state, long step, float lr, float decay) {
        boolean vector = weight.getShape().dimension() <= 1;
        float layerDecay = vector ? 0f : decay;
        double local = vector ? 1.0 : localLearningRate(Norms.l2(weight), Norms.l2(grad), eta, layerDecay);
        // grad is discarded after the update, so it can hold the step in place
        if (layerDecay != 0f) {
            try (NDArray decayed = weight.mul(layerDecay)) {
                grad.addi(decayed);
            }
        }
        NDArray velocity = state[0];
        velocity.muli(momentum).addi(grad.muli((float) (lr * local)));
        weight.subi(velocity);
    }
}
