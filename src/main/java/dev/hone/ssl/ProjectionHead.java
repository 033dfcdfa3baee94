package dev.hone.ssl;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;

/**
 * The MLP that maps backbone features to the space where a self-supervised loss ({@link NtXent},
 * {@link BarlowTwins}) is computed; it is thrown away after pretraining and the backbone kept.
 *
 * <p>{@code layers - 1} blocks of Linear(hidden, no bias) -> BatchNorm -> ReLU, then Linear(output)
 * with a bias. In: (N, F) features; out: (N, output). The bias before a BatchNorm is left out because
 * the norm's shift cancels it, as in the papers' code.
 *
 * <ul>
 *   <li>SimCLR (Chen et al. 2020, arXiv:2002.05709, section 2.1): two layers, hidden as wide as the
 *       features (2048 for ResNet-50), output 128. The v1 paper has no BatchNorm in the head; its
 *       released code and SimCLRv2 (arXiv:2006.10029) add it.
 *   <li>Barlow Twins (Zbontar et al. 2021, arXiv:2103.03230, section 3): three layers of 8192, and
 *       accuracy keeps improving with the width (its Figure 4), so {@code
 *       optLayers(3).optHidden(8192).optOutput(8192)}.
 * </ul>
 *
 * <p>The defaults, {@value #DEFAULT_LAYERS} layers, hidden {@value #DEFAULT_HIDDEN}, output {@value
 * #DEFAULT_OUTPUT}, are SimCLR's shape sized for the small backbones hone trains on a CPU; wide
 * Barlow Twins heads cost a D x D cross-correlation per step.
 */
public final class ProjectionHead {
    /** Linear layers by default: SimCLR's one hidden layer plus the output layer. */
    public static final int DEFAULT_LAYERS = 2;

    /** Hidden width by default, the feature width of a ResNet-18/34. */
    public static final int DEFAULT_HIDDEN = 512;

    /** Output width by default, SimCLR's 128. */
    public static final int DEFAULT_OUTPUT = 128;

    private ProjectionHead() {}

    /** A builder with the defaults above. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sizes of a projection head, DJL style ({@code optX} optional). */
    public static final class Builder {
        private int layers = DEFAULT_LAYERS;
        private int hidden = DEFAULT_HIDDEN;
        private int output = DEFAULT_OUTPUT;

        private Builder() {}

        /** Linear layers in all, at least 1 (1 is a plain linear projection, SimCLR's "linear" ablation). */
        public Builder optLayers(int layers) {
            if (layers < 1) {
                throw new IllegalArgumentException("a projection head needs at least 1 linear layer: " + layers);
            }
            this.layers = layers;
            return this;
        }

        /** Width of each hidden layer, at least 1. */
        public Builder optHidden(int hidden) {
            if (hidden < 1) {
                throw new IllegalArgumentException("projection hidden width must be at least 1: " + hidden);
            }
            this.hidden = hidden;
            return this;
        }

        /** Width of the output, the embedding the loss sees, at least 1. */
        public Builder optOutput(int output) {
            if (output < 1) {
                throw new IllegalArgumentException("projection output width must be at least 1: " + output);
            }
            this.output = output;
            return this;
        }

        /** The head, uninitialised: (N, F) in, (N, output) out. BatchNorm needs N >= 2 in training. */
        public Block build() {
            SequentialBlock head = new SequentialBlock();
            for (int i = 0; i < layers - 1; i++) {
                head.add(Linear.builder().setUnits(hidden).optBias(false).build())
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock());
            }
            return head.add(Linear.builder().setUnits(output).build());
        }
    }
}
