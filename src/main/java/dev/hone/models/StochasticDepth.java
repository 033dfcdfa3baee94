package dev.hone.models;

import ai.djl.nn.Block;
import java.util.List;

/**
 * Stochastic depth (Huang et al. 2016, "Deep Networks with Stochastic Depth", arXiv:1603.09382): in training, each
 * residual block's branch is dropped per image, the deeper blocks more often. The paper's linear decay rule gives block
 * {@code l} of {@code L} the drop rate {@code l / L * finalRate}; Noisy Student (Xie et al. 2020, arXiv:1911.04252) uses
 * a final rate of 0.2 (survival probability 0.8) as one of its student's three noises.
 *
 * <p>It adds no parameters, so a network trained with it saves and loads as the same architecture without it, and
 * evaluation (which never drops) is unchanged.
 */
public final class StochasticDepth {

    /** Noisy Student's final drop rate: a survival probability of 0.8 for the last residual block. */
    public static final double NOISY_STUDENT_FINAL_RATE = 0.2;

    private StochasticDepth() {}

    /**
     * Sets the drop rate of every residual block of {@code network}, in depth order, by the linear decay rule.
     *
     * @param finalRate the last block's drop rate, in [0, 1); 0 turns stochastic depth off
     * @return the number of residual blocks found (0 for a network without any, which is then left as it was)
     * @throws IllegalArgumentException for a rate outside [0, 1)
     */
    public static int apply(Block network, double finalRate) {
        if (!(finalRate >= 0 && finalRate < 1)) {
            throw new IllegalArgumentException("stochastic depth's final drop rate must be in [0, 1): " + finalRate);
        }
        List<Residual> blocks = residuals(network);
        for (int l = 0; l < blocks.size(); l++) {
            blocks.get(l).dropRate(finalRate * (l + 1) / blocks.size());
        }
        return blocks.size();
    }

    /** The drop rates of the network's residual blocks, in depth order. */
    static double[] rates(Block network) {
        return residuals(network).stream().mapToDouble(Residual::dropRate).toArray();
    }

    /** The network's residual blocks, depth-first in the order they were added: the order the input passes through them. */
    private static List<Residual> residuals(Block network) {
        return BlockTree.ofType(network, Residual.class);
    }
}
