package dev.hone.models;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * The CIFAR ResNets of He et al. 2015 (arXiv:1512.03385, section 4.2): ResNet-20 and ResNet-56.
 *
 * <p>A 3x3 stem with 16 filters, then three stages of {@code n} basic blocks (n = 3 for 20 layers, 9 for
 * 56) at 16, 32 and 64 channels, the last two starting with stride 2, then global average pooling and
 * the classifier: 6n + 2 weighted layers.
 *
 * <p>Shortcuts that change shape use the paper's option A: subsample by 2 and zero-pad the new
 * channels. It adds no parameters, which is what the paper used on CIFAR and what its parameter
 * counts (0.27M for ResNet-20, 0.85M for ResNet-56) assume; a 1x1 projection (option B) would add
 * weights at only two places and be hard to tell apart in accuracy, so matching the paper wins.
 * {@code width} scales the 16-32-64 channel plan (0 keeps 16).
 */
public final class CifarResNet {

    /** Channels of the first stage in the paper. */
    public static final int DEFAULT_WIDTH = 16;

    private CifarResNet() {}

    /**
     * Builds ResNet-{@code depth} for small images (not initialized).
     *
     * @param depth 20 or 56 (any 6n + 2 works)
     * @param width first-stage channels; 0 means {@link #DEFAULT_WIDTH}
     * @param numClasses outputs of the final linear layer
     * @param momentum BatchNorm momentum, DJL convention
     * @param dropout rate of a dropout layer before the classifier, 0 for none (the paper has none)
     */
    public static Block build(int depth, int width, int numClasses, float momentum, double dropout) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("CIFAR ResNet depth must be 6n + 2: " + depth);
        }
        int n = (depth - 2) / 6;
        int w = width > 0 ? width : DEFAULT_WIDTH;
        SequentialBlock net = new SequentialBlock().add(Layers.convBnRelu(w, 3, 1, momentum));
        for (int stage = 0; stage < 3; stage++) {
            int channels = w << stage;
            for (int i = 0; i < n; i++) {
                boolean down = stage > 0 && i == 0;
                Block branch = new SequentialBlock()
                        .add(Layers.convBnRelu(channels, 3, down ? 2 : 1, momentum))
                        .add(Layers.convBn(channels, 3, 1, momentum));
                net.add(down ? Residual.zeroPadded(branch) : Residual.postActivated(branch, null));
            }
        }
        return Layers.classifier(net.add(Pool.globalAvgPool2dBlock()), numClasses, dropout);
    }
}
