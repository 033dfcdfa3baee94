package dev.hone.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * The ImageNet ResNets of He et al. 2015 (arXiv:1512.03385): ResNet-18 and -34 with basic blocks,
 * ResNet-50 with bottlenecks.
 *
 * <p>Downsampling happens on the 3x3 convolution of a bottleneck (the torchvision "v1.5" variant,
 * slightly more accurate than striding the first 1x1), and shortcuts change shape with a 1x1
 * projection plus BatchNorm (option B). The default stem (7x7 stride 2, then 3x3 max-pool stride 2)
 * shrinks the input 4x, which throws away most of a 28x28 or 32x32 image; {@code smallStem} swaps it
 * for a 3x3 stride-1 convolution without pooling, as CIFAR training recipes do.
 */
public final class ResNetV1 {

    /** Base width of the first stage in the paper. */
    public static final int DEFAULT_WIDTH = 64;

    private static final int BOTTLENECK_EXPANSION = 4;

    private ResNetV1() {}

    /**
     * Builds ResNet-{@code depth} (not initialized).
     *
     * @param depth 18, 34 or 50
     * @param width width of the first stage; 0 means {@link #DEFAULT_WIDTH}
     * @param smallStem use the 3x3 stride-1 stem without max-pool
     * @param numClasses outputs of the final linear layer
     * @param momentum BatchNorm momentum, DJL convention
     * @param dropout rate of a dropout layer before the classifier, 0 for none (the paper has none)
     */
    public static Block build(int depth, int width, boolean smallStem, int numClasses, float momentum, double dropout) {
        int[] blocks;
        boolean bottleneck;
        switch (depth) {
            case 18: blocks = new int[] {2, 2, 2, 2}; bottleneck = false; break;
            case 34: blocks = new int[] {3, 4, 6, 3}; bottleneck = false; break;
            case 50: blocks = new int[] {3, 4, 6, 3}; bottleneck = true; break;
            default: throw new IllegalArgumentException("ResNet depth must be 18, 34 or 50: " + depth);
        }
        int w = width > 0 ? width : DEFAULT_WIDTH;
        SequentialBlock net = new SequentialBlock();
        if (smallStem) {
            net.add(Layers.convBnRelu(w, 3, 1, momentum));
        } else {
            net.add(Layers.convBnRelu(w, 7, 2, momentum))
                    .add(Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1)));
        }
        int in = w;
        for (int stage = 0; stage < blocks.length; stage++) {
            int mid = w << stage;
            int out = bottleneck ? mid * BOTTLENECK_EXPANSION : mid;
            for (int i = 0; i < blocks[stage]; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                Block branch = bottleneck
                        ? bottleneck(mid, out, stride, momentum)
                        : basic(out, stride, momentum);
                Block projection = stride != 1 || in != out
                        ? Layers.convBn(out, 1, stride, momentum)
                        : null;
                net.add(Residual.postActivated(branch, projection));
                in = out;
            }
        }
        return Layers.classifier(net.add(Pool.globalAvgPool2dBlock()), numClasses, dropout);
    }

    private static Block basic(int out, int stride, float momentum) {
        return new SequentialBlock()
                .add(Layers.convBnRelu(out, 3, stride, momentum))
                .add(Layers.convBn(out, 3, 1, momentum));
    }

    private static Block bottleneck(int mid, int out, int stride, float momentum) {
        return new SequentialBlock()
                .add(Layers.convBnRelu(mid, 1, 1, momentum))
                .add(Layers.convBnRelu(mid, 3, stride, momentum))
                .add(Layers.convBn(out, 1, 1, momentum));
    }
}
