package dev.hone.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;

import java.util.ArrayList;
import java.util.List;

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
     * The layers of ResNet-{@code depth} before its pooling and classifier, in the order the
     * classifier runs them.
     *
     * @param stem the first convolution (7x7 stride 2, or 3x3 stride 1 with {@code smallStem}); its
     *     output is {@code (N, width, H/2, W/2)}, or {@code (N, width, H, W)} for the small stem
     * @param pool the 3x3 stride-2 max-pool after the stem, null for the small stem
     * @param stages the residual blocks of the four stages; stage s ends at stride {@code 4 * 2^s} of
     *     the input (the small stem: {@code 2^s})
     * @param channels output channels of each stage ({@code width * 2^s}, times 4 with bottlenecks)
     */
    record Encoder(Block stem, Block pool, List<List<Block>> stages, int[] channels) {}

    /**
     * Builds the stem and stages of ResNet-{@code depth} (not initialized), for the classifier here
     * and for the U-Net encoders of {@code UNet}.
     *
     * @param depth 18, 34 or 50
     * @param width width of the first stage; 0 means {@link #DEFAULT_WIDTH}
     * @param smallStem use the 3x3 stride-1 stem without max-pool
     * @param momentum BatchNorm momentum, DJL convention
     */
    static Encoder encoder(int depth, int width, boolean smallStem, float momentum) {
        int[] blocks;
        boolean bottleneck;
        switch (depth) {
            case 18: blocks = new int[] {2, 2, 2, 2}; bottleneck = false; break;
            case 34: blocks = new int[] {3, 4, 6, 3}; bottleneck = false; break;
            case 50: blocks = new int[] {3, 4, 6, 3}; bottleneck = true; break;
            default: throw new IllegalArgumentException("ResNet depth must be 18, 34 or 50: " + depth);
        }
        int w = width > 0 ? width : DEFAULT_WIDTH;
        Block stem = smallStem ? Layers.convBnRelu(w, 3, 1, momentum) : Layers.convBnRelu(w, 7, 2, momentum);
        Block pool = smallStem ? null : Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1));
        List<List<Block>> stages = new ArrayList<>();
        int[] channels = new int[blocks.length];
        int in = w;
        for (int stage = 0; stage < blocks.length; stage++) {
            int mid = w << stage;
            int out = bottleneck ? mid * BOTTLENECK_EXPANSION : mid;
            List<Block> residuals = new ArrayList<>();
            for (int i = 0; i < blocks[stage]; i++) {
                int stride = stage > 0 && i == 0 ? 2 : 1;
                Block branch = bottleneck
                        ? bottleneck(mid, out, stride, momentum)
                        : basic(out, stride, momentum);
                Block projection = stride != 1 || in != out
                        ? Layers.convBn(out, 1, stride, momentum)
                        : null;
                residuals.add(Residual.postActivated(branch, projection));
                in = out;
            }
            stages.add(List.copyOf(residuals));
            channels[stage] = out;
        }
        return new Encoder(stem, pool, List.copyOf(stages), channels);
    }

    /**
     * Builds ResNet-{@code depth} (not initialized).
     *
     * <p>Every layer is a direct child of one sequential block, in the order stem, [max-pool],
     * residual blocks, pooling, [dropout,] linear: the parameter names that saved models hold
     * ({@code ResNetV1LayoutTest} pins them).
     *
     * @param depth 18, 34 or 50
     * @param width width of the first stage; 0 means {@link #DEFAULT_WIDTH}
     * @param smallStem use the 3x3 stride-1 stem without max-pool
     * @param numClasses outputs of the final linear layer
     * @param momentum BatchNorm momentum, DJL convention
     * @param dropout rate of a dropout layer before the classifier, 0 for none (the paper has none)
     */
    public static Block build(int depth, int width, boolean smallStem, int numClasses, float momentum, double dropout) {
        Encoder encoder = encoder(depth, width, smallStem, momentum);
        SequentialBlock net = new SequentialBlock().add(encoder.stem());
        if (encoder.pool() != null) {
            net.add(encoder.pool());
        }
        for (List<Block> stage : encoder.stages()) {
            stage.forEach(net::add);
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
