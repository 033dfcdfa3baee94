package dev.hone.optimize;

import ai.djl.ndarray.NDArray;

/**
 * Lion, "EvoLved Sign Momentum" (Chen et al. 2023, "Symbolic Discovery of Optimization
 * Algorithms", arXiv:2302.06675).
 *
 * <p>The update is the sign of an interpolation between momentum and gradient, so every coordinate
 * moves by {@code lr} (before decay): {@code c = b1*m + (1-b1)*g; w -= lr*(sign(c) + decay*w);
 * m = b2*m + (1-b2)*g}. It keeps one state tensor instead of Adam's two, and the paper reports it
 * matching or beating AdamW on image classification, with a gain that grows with the batch size.
 *
 * <p>Because a sign update has a larger norm than Adam's, <b>Lion's learning rate should be 3-10x
 * smaller than AdamW's, and its decoupled weight decay 3-10x larger</b>, keeping {@code lr * decay}
 * about the same (the paper's advice on hyperparameters). Reusing AdamW's settings unchanged makes
 * its steps far too large.
 */
public final class Lion extends HoneOptimizer {
    private float beta1;
    private final float beta2;

    /** The paper's defaults: beta1 0.9, beta2 0.99. */
    public Lion(float learningRate, float weightDecay) {
        this(learningRate, 0.9f, 0.99f, weightDecay);
    }

    public Lion(float learningRate, float beta1, float beta2, float weightDecay) {
        super(learningRate, weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
    }

    @Override
    public String describe() {
        return "lion(beta1=" + beta1 + ", beta2=" + beta2 + ", weight-decay=" + weightDecay() + ")";
    }

    /** Sets beta1, the interpolation used for the update's sign, for the next steps. */
    @Override
    public void setMomentum(double momentum) {
        this.beta1 = (float) momentum;
    }

    @Override
    protected int stateSize() {
        return 1;
    }

    @Override
    protected void step(NDArray weight, NDArray grad, NDArray[] state, long step, float lr, float decay) {
        NDArray momentum = state[0];
        try (NDArray direction = momentum.mul(beta1);
                NDArray fresh = grad.mul(1f - beta1)) {
            direction.addi(fresh).signi();
            // sign(c) does not depend on w, so lr*decay*w can be applied first as a shrink
            if (decay != 0f) {
                weight.muli(1f - lr * decay);
            }
            weight.subi(direction.muli(lr));
        }
        // grad is discarded after the update, so it can hold (1 - b2) * g in place
        momentum.muli(beta2).addi(grad.muli(1f - beta2));
    }
}
