package dev.hone.models;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

/**
 * MobileNetV2 of Sandler et al. 2018 (arXiv:1801.04381): inverted residual blocks with linear
 * bottlenecks and ReLU6.
 *
 * <p>Each block expands the channels t-fold with a 1x1 convolution, filters with a 3x3 depthwise
 * convolution and projects back with a 1x1 convolution without activation (a ReLU on the narrow
 * bottleneck would destroy information); the identity is added when shape allows.
 *
 * <p>{@code width} is the stem's channel count: 32 is the paper's width multiplier 1.0, 16 is 0.5,
 * 48 is 1.5, and every layer scales with it, rounded to a multiple of 8 as in the reference code.
 * With {@code smallStem} the stem convolution keeps stride 1 so that 28x28 or 32x32 images are not
 * halved before the first block.
 *
 * <p>The paper puts dropout before the classifier (rate 0.2 in the reference code for ImageNet). Here
 * the rate is a parameter, 0 by default, because hone's regularization learner picks it together with
 * label smoothing, mixing and augmentation, and how much each helps depends on the others and on the
 * data set's size. {@link #PAPER_DROPOUT} is the paper's value for callers that want it.
 */
public final class MobileNetV2 {

    /** Stem channels at width multiplier 1.0. */
    public static final int DEFAULT_WIDTH = 32;

    /** The dropout rate before the classifier in the paper's reference implementation. */
    public static final double PAPER_DROPOUT = 0.2;

    private static final int LAST_CHANNELS = 1280;

    /** Expansion t, output channels c (at multiplier 1.0), repeats n, first stride s (paper Table 2). */
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1},
        {6, 24, 2, 2},
        {6, 32, 3, 2},
        {6, 64, 4, 2},
        {6, 96, 3, 1},
        {6, 160, 3, 2},
        {6, 320, 1, 1},
    };

    private MobileNetV2() {}

    /**
     * Builds the network (not initialized).
     *
     * @param width stem channels; 0 means {@link #DEFAULT_WIDTH} (multiplier 1.0)
     * @param smallStem keep stride 1 in the stem for small images
     * @param numClasses outputs of the final linear layer
     * @param momentum BatchNorm momentum, DJL convention
     * @param dropout rate of the dropout layer before the classifier, 0 for none
     */
    public static Block build(int width, boolean smallStem, int numClasses, float momentum, double dropout) {
        double multiplier = (width > 0 ? width : DEFAULT_WIDTH) / (double) DEFAULT_WIDTH;
        int in = divisible(DEFAULT_WIDTH * multiplier);
        SequentialBlock net = new SequentialBlock()
                .add(Layers.convBnRelu6(in, 3, smallStem ? 1 : 2, 1, momentum));
        for (int[] s : SETTINGS) {
            int out = divisible(s[1] * multiplier);
            for (int i = 0; i < s[2]; i++) {
                net.add(invertedResidual(in, out, i == 0 ? s[3] : 1, s[0], momentum));
                in = out;
            }
        }
        int last = divisible(LAST_CHANNELS * Math.max(1.0, multiplier));
        net.add(Layers.convBnRelu6(last, 1, 1, 1, momentum))
                .add(Pool.globalAvgPool2dBlock());
        return Layers.classifier(net, numClasses, dropout);
    }

    private static Block invertedResidual(int in, int out, int stride, int expansion, float momentum) {
        int hidden = in * expansion;
        SequentialBlock branch = new SequentialBlock();
        if (expansion != 1) {
            branch.add(Layers.convBnRelu6(hidden, 1, 1, 1, momentum));
        }
        branch.add(Layers.convBnRelu6(hidden, 3, stride, hidden, momentum))
                .add(Layers.convBn(out, 1, 1, momentum));
        return stride == 1 && in == out ? Residual.identity(branch) : branch;
    }

    /** Rounds to the nearest multiple of 8, never dropping more than 10% (reference implementation). */
    static int divisible(double channels) {
        int rounded = Math.max(8, (int) (channels + 4) / 8 * 8);
        return rounded < 0.9 * channels ? rounded + 8 : rounded;
    }
}
