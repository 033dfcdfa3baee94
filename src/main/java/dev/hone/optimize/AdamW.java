package dev.hone.optimize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter, arXiv:1711.05101).
 *
 * <p>Runs on the engine's fused Adam kernel, with the moments held here so they can be
 * checkpointed. The bias corrections are folded into the step size:
 * {@code lr * sqrt(1 - b2^t) / (1 - b1^t)}, with epsilon added to {@code sqrt(v)} as DJL does.
 */
public final class AdamW extends HoneOptimizer {
    private float beta1;
    private final float beta2;
    private final float epsilon;

    public AdamW(float learningRate, float weightDecay) {
        this(learningRate, 0.9f, 0.999f, 1e-8f, weightDecay);
    }

    public AdamW(float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {
        super(learningRate, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public String describe() {
        return "adamw(beta1=" + beta1 + ", beta2=" + beta2 + ", weight-decay=" + weightDecay() + ")";
    }

    /**
     * Sets beta1 for the next steps. The bias correction then uses the current beta1, {@code
     * 1 - beta1^t}, as PyTorch's Adam does under a cycled momentum; it is exact only for a constant
     * beta1.
     */
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
        double corrected = lr * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
        weight.getNDArrayInternal().adamUpdate(
                new NDList(weight, grad, state[0], state[1]), new NDList(weight),
                lr, (float) corrected, decay, 1f, -1f, beta1, beta2, epsilon, false, true);
    }
}
