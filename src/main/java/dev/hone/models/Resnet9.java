package dev.hone.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * The benchmark reference network ("resnet9"), layer for layer as in {@code tools/peer-fashion-mnist.py}, the benchmarks' PyTorch peer.
 *
 * <pre>
 * cbr(C-&gt;w), cbr(w-&gt;2w), maxpool 2,
 * residual(cbr(2w-&gt;2w), cbr(2w-&gt;2w)),
 * cbr(2w-&gt;4w), maxpool 2,
 * residual(cbr(4w-&gt;4w), cbr(4w-&gt;4w)),
 * global max pool, [dropout,] linear(4w-&gt;classes)
 * </pre>
 *
 * <p>Every cbr is a 3x3 padding-1 bias-free convolution, BatchNorm and ReLU. Its throughput is
 * compared with a PyTorch script on the same network, so it carries no extra ops: the residual is a
 * bare {@code x + f(x)}. Default width 32 gives the reference's 32-64-128 channels. The dropout layer
 * exists only when a rate above 0 is asked for, so the benchmark network stays as it is.
 */
public final class Resnet9 {

    /** Base width of the reference network. */
    public static final int DEFAULT_WIDTH = 32;

    private Resnet9() {}

    /**
     * Builds the network (not initialized).
     *
     * @param width base channel width; 0 means {@link #DEFAULT_WIDTH}
     * @param numClasses outputs of the final linear layer
     * @param momentum BatchNorm momentum, DJL convention
     * @param dropout rate of the dropout layer before the classifier, 0 for none
     */
    public static Block build(int width, int numClasses, float momentum, double dropout) {
        int w = width > 0 ? width : DEFAULT_WIDTH;
        SequentialBlock net = new SequentialBlock()
                .add(Layers.convBnRelu(w, 3, 1, momentum))
                .add(Layers.convBnRelu(2 * w, 3, 1, momentum))
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(residual(2 * w, momentum))
                .add(Layers.convBnRelu(4 * w, 3, 1, momentum))
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(residual(4 * w, momentum))
                .add(Pool.globalMaxPool2dBlock());
        return Layers.classifier(net, numClasses, dropout);
    }

    private static Block residual(int channels, float momentum) {
        return Residual.identity(new SequentialBlock()
                .add(Layers.convBnRelu(channels, 3, 1, momentum))
                .add(Layers.convBnRelu(channels, 3, 1, momentum)));
    }
}
