package dev.hone.optimize;

import ai.djl.ndarray.NDArray;

/**
 * SGD with Nesterov momentum and decoupled weight decay.
 *
 * <p>The PyTorch form (Sutskever et al. 2013): {@code b = m*b + g; w -= lr*(g + m*b)}. DJL's fused
 * SGD has no Nesterov term, hence this class. Weight decay is applied as {@code w *= 1 - lr*wd}
 * (Loshchilov and Hutter), which for SGD matches coupled L2 of the same coefficient up to momentum.
 */
public final class SgdNesterov extends HoneOptimizer {
    private float momentum;

    public SgdNesterov(float learningRate, float momentum, float weightDecay) {
        super(learningRate, weightDecay);
        this.momentum = momentum;
    }

    @Override
    public String describe() {
        return "sgd(nesterov, momentum=" + momentum + ", weight-decay=" + weightDecay() + ")";
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
        if (decay != 0f) {
            weight.muli(1f - lr * decay);
        }
        NDArray buffer = state[0];
        buffer.muli(momentum).addi(grad);
        try (NDArray look = buffer.mul(momentum)) {
            // grad is discarded after the update, so it can hold the step in place
            weight.subi(grad.addi(look).muli(lr));
        }
    }
}
