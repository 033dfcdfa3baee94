package dev.hone.models;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * Segmentation networks in the U-Net shape of Ronneberger et al. 2015 (arXiv:1505.04597): an encoder
 * that halves the resolution level by level, a decoder that doubles it back, and at each decoder
 * level the encoder's features of the same resolution concatenated in ("skip connections"). The
 * output is one logit per class and pixel: {@code (N, C, H, W)} in, {@code (N, K, H, W)} out, at the
 * input resolution.
 *
 * <p>Two encoders share the decoder:
 * <ul>
 *   <li>{@code unet} ({@link #build}): the paper's encoder scaled down for small images. Four levels
 *       of two 3x3 convolutions (bias-free, BatchNorm, ReLU; the paper predates BatchNorm and used
 *       unpadded convolutions, here they are padded so the output keeps the input size) at
 *       {@code w, 2w, 4w, 8w} channels, {@code w} = 32 by default, with a 2x2 max-pool between
 *       levels: three poolings, features at strides 1, 2, 4 and 8. At width 32 with C input channels
 *       and K classes it has {@code 2,141,376 + 288 C + 33 K} trainable parameters (2,142,027 for one
 *       channel and 11 classes): 1.17M in the encoder, 0.97M in the decoder. (The paper's network,
 *       64 to 1024 channels over five levels, has 31M.)
 *   <li>{@code unet-resnet18}, {@code unet-resnet34} ({@link #onResNet}): the stem and four stages
 *       of hone's {@link ResNetV1} as the encoder, its features at strides 2 (the stem), 4, 8, 16 and
 *       32 (the last stage is the bottom), as in the "ResNet-UNet" of Iglovikov and Shvets 2018
 *       (TernausNet, arXiv:1801.05746) and the segmentation_models library. The decoder has five
 *       levels, the last one (stride 2 to 1) without a skip, of {@code 4w, 2w, w, w/2, w/4} channels
 *       ({@code w} = 64 by default: 256 down to 16). With the small stem the features sit at strides
 *       1, 1, 2, 4 and 8 and the decoder has three levels. About 15.1M (ResNet-18) and 25.2M
 *       (ResNet-34) parameters at the default width.
 * </ul>
 *
 * <p>Each decoder level: nearest-neighbour upsampling x2 (each pixel becomes a 2x2 block), a 3x3
 * convolution + BatchNorm + ReLU to the level's width, concatenation with the encoder's features
 * (skip first, as in the paper), then two 3x3 convolutions + BatchNorm + ReLU. The paper's learned
 * 2x2 "up-convolution" is a transposed convolution, which DJL's PyTorch engine does not implement;
 * resizing then convolving is the usual replacement and avoids its checkerboard artefacts (Odena et
 * al. 2016, "Deconvolution and Checkerboard Artifacts", who recommend nearest-neighbour resizing).
 * Nearest rather than bilinear because the convolution after it learns the smoothing anyway, as in
 * the segmentation_models library, and because on CPU bilinear took about twice as long forward and
 * backward (measured at batch 32 on 2 threads: roughly a tenth of a unet training step for bilinear,
 * a twentieth for nearest). A final 1x1
 * convolution with bias gives the K logits.
 *
 * <p>Input sides that are not a multiple of the bottom stride (8 for {@code unet}, 32 for the ResNet
 * encoders, 8 with their small stem) are padded with zeros on the right and bottom (zero is the mean
 * pixel after hone's normalization) and the logits are cropped back, so every size from 1x1 up works
 * and the pixels keep their positions; the padding costs compute on odd sizes only.
 *
 * <p>{@code dropout} is spatial dropout (Tompson et al. 2015, arXiv:1411.4280) before the 1x1
 * classifier: in training each feature map of each image is zeroed with that probability and the kept
 * ones scaled by {@code 1/(1 - rate)}; neighbouring pixels are too correlated for element-wise dropout
 * to regularize. It adds no block, so a network's parameter names do not depend on the rate.
 */
public final class UNet extends AbstractBlock {

    /** Width of the first level of {@code unet}. */
    public static final int DEFAULT_WIDTH = 32;

    /** Encoder levels of {@code unet}: three 2x2 poolings. */
    public static final int LEVELS = 4;

    private static final byte VERSION = 1;

    /**
     * DJL's interpolation modes are numbered as {@link Image.Interpolation} (0 nearest, 1 bilinear,
     * 2 area, 3 bicubic), not as PyTorch's; the PyTorch engine maps them to PyTorch's.
     */
    private static final int NEAREST = Image.Interpolation.NEAREST.ordinal();

    private final List<Block> stages = new ArrayList<>();
    private final List<Block> ups = new ArrayList<>();
    private final List<Block> fuses = new ArrayList<>();
    private final int[] skips;
    private final Block head;
    private final int numClasses;
    private final int multiple;
    private final int outputStride;
    private final float dropout;

    /**
     * @param encoder the encoder's stages, run in order; every output is a feature map
     * @param strides each stage's output stride relative to the input, non-decreasing powers of two
     * @param widths channels of each decoder level, from the bottom up; one level per halving of the
     *     bottom stride back to 1
     */
    private UNet(List<Block> encoder, int[] strides, int[] widths, int numClasses, float momentum, double dropout) {
        this(encoder, strides, widths, 1, Conv2d.builder().setFilters(numClasses).setKernelShape(new Shape(1, 1)).build(),
                numClasses, dropout, momentum);
    }

    /**
     * @param outputStride the decoder stops at this stride (1: per-pixel logits; 4: CenterNet's maps)
     * @param head the block after the last decoder level, giving {@code outputs} channels
     */
    private UNet(List<Block> encoder, int[] strides, int[] widths, int outputStride, Block head, int outputs, double dropout,
            float momentum) {
        super(VERSION);
        int bottom = strides[strides.length - 1];
        if (Integer.bitCount(bottom) != 1 || Integer.bitCount(outputStride) != 1 || outputStride > bottom
                || widths.length != Integer.numberOfTrailingZeros(bottom / outputStride)) {
            throw new IllegalArgumentException("one decoder width per halving of stride " + bottom + " down to "
                    + outputStride + ": " + widths.length);
        }
        for (int i = 0; i < encoder.size(); i++) {
            stages.add(addChildBlock("down" + i, encoder.get(i)));
        }
        skips = new int[widths.length];
        int stride = bottom;
        for (int level = 0; level < widths.length; level++) {
            stride /= 2;
            skips[level] = -1;
            for (int i = 0; i < strides.length - 1; i++) {
                if (strides[i] == stride) {
                    skips[level] = i; // the deepest features at this resolution
                }
            }
            ups.add(addChildBlock("up" + level, Layers.convBnRelu(widths[level], 3, 1, momentum)));
            fuses.add(addChildBlock("fuse" + level, new SequentialBlock()
                    .add(Layers.convBnRelu(widths[level], 3, 1, momentum))
                    .add(Layers.convBnRelu(widths[level], 3, 1, momentum))));
        }
        this.head = addChildBlock("head", head);
        this.numClasses = outputs;
        this.outputStride = outputStride;
        this.multiple = bottom;
        this.dropout = (float) dropout;
    }

    /**
     * Builds {@code unet} (not initialized).
     *
     * @param width channels of the first level; 0 means {@link #DEFAULT_WIDTH}
     * @param numClasses K, the logits per pixel
     * @param momentum BatchNorm momentum, DJL convention
     * @param dropout spatial dropout rate before the 1x1 classifier, 0 for none
     */
    public static UNet build(int width, int numClasses, float momentum, double dropout) {
        int w = width > 0 ? width : DEFAULT_WIDTH;
        List<Block> encoder = new ArrayList<>();
        int[] strides = new int[LEVELS];
        int[] widths = new int[LEVELS - 1];
        for (int level = 0; level < LEVELS; level++) {
            SequentialBlock stage = new SequentialBlock();
            if (level > 0) {
                stage.add(Pool.maxPool2dBlock(new Shape(2, 2)));
            }
            encoder.add(stage.add(doubleConv(w << level, momentum)));
            strides[level] = 1 << level;
        }
        for (int level = 0; level < LEVELS - 1; level++) {
            widths[level] = w << (LEVELS - 2 - level); // the width of the encoder level it meets
        }
        return new UNet(encoder, strides, widths, numClasses, momentum, dropout);
    }

    /**
     * Builds a U-Net on the stages of ResNet-{@code depth} (not initialized).
     *
     * @param depth 18 or 34 (50 works too, with 4x wider skips)
     * @param width width of the first ResNet stage; 0 means {@link ResNetV1#DEFAULT_WIDTH}
     * @param smallStem the ResNet's 3x3 stride-1 stem without max-pool (features at strides 1 to 8)
     * @param numClasses K, the logits per pixel
     * @param momentum BatchNorm momentum, DJL convention
     * @param dropout spatial dropout rate before the 1x1 classifier, 0 for none
     */
    public static UNet onResNet(int depth, int width, boolean smallStem, int numClasses, float momentum,
            double dropout) {
        ResNetStages resnet = ResNetStages.of(depth, width, smallStem, momentum);
        return new UNet(resnet.blocks(), resnet.strides(), resnet.decoderWidths(1), numClasses, momentum, dropout);
    }

    /**
     * The stem and stages of hone's {@link ResNetV1} as encoder levels, with their output strides.
     *
     * @param blocks the stem, then each stage (the first with the stem's max-pool, if any)
     * @param strides each level's output stride: 2, 4, 8, 16, 32 (1, 1, 2, 4, 8 with the small stem)
     * @param width the first stage's width
     */
    private record ResNetStages(List<Block> blocks, int[] strides, int width) {
        static ResNetStages of(int depth, int width, boolean smallStem, float momentum) {
            int w = width > 0 ? width : ResNetV1.DEFAULT_WIDTH;
            ResNetV1.Encoder resnet = ResNetV1.encoder(depth, w, smallStem, momentum);
            List<Block> encoder = new ArrayList<>();
            encoder.add(new SequentialBlock().add(resnet.stem()));
            List<Integer> strides = new ArrayList<>();
            int stride = smallStem ? 1 : 2;
            strides.add(stride);
            for (int s = 0; s < resnet.stages().size(); s++) {
                SequentialBlock stage = new SequentialBlock();
                if (s == 0 && resnet.pool() != null) {
                    stage.add(resnet.pool());
                    stride *= 2;
                } else if (s > 0) {
                    stride *= 2;
                }
                resnet.stages().get(s).forEach(stage::add);
                encoder.add(stage);
                strides.add(stride);
            }
            return new ResNetStages(encoder, strides.stream().mapToInt(Integer::intValue).toArray(), w);
        }

        /** The decoder's widths from the bottom up to {@code outputStride}: 4w, 2w, w, w/2, ... */
        int[] decoderWidths(int outputStride) {
            int[] widths = new int[Integer.numberOfTrailingZeros(strides[strides.length - 1] / outputStride)];
            for (int level = 0; level < widths.length; level++) {
                widths[level] = Math.max(1, (4 * width) >> level);
            }
            return widths;
        }
    }

    /**
     * Builds CenterNet ("Objects as Points", Zhou et al. 2019, arXiv:1904.07850) on the stages of
     * ResNet-{@code depth} (not initialized): the encoder of {@link #onResNet}, the same decoder
     * stopped at stride {@value CenterNetHead#STRIDE} (the paper's ResNet variant upsamples the
     * stride-32 features to stride 4 with three up-convolutions of 256, 128 and 64 channels; here
     * nearest-neighbour upsampling plus a 3x3 convolution of the same widths, with the encoder's
     * features of each resolution concatenated in), then {@link CenterNetHead}. {@code (N, C, H, W)} in,
     * {@code (N, K + 4, ceil(H / 4), ceil(W / 4))} out.
     *
     * @param depth 18, 34 or 50
     * @param width width of the first ResNet stage; 0 means {@link ResNetV1#DEFAULT_WIDTH}
     * @param smallStem the ResNet's 3x3 stride-1 stem without max-pool
     * @param numClasses K, the heatmaps
     * @param momentum BatchNorm momentum, DJL convention
     * @param dropout spatial dropout rate before the head, 0 for none
     */
    public static UNet centerNet(int depth, int width, boolean smallStem, int numClasses, float momentum, double dropout) {
        ResNetStages resnet = ResNetStages.of(depth, width, smallStem, momentum);
        return new UNet(resnet.blocks(), resnet.strides(), resnet.decoderWidths(CenterNetHead.STRIDE), CenterNetHead.STRIDE,
                new CenterNetHead(numClasses),
                numClasses + CenterNetHead.BOX_CHANNELS, dropout, momentum);
    }

    private static Block doubleConv(int channels, float momentum) {
        return new SequentialBlock()
                .add(Layers.convBnRelu(channels, 3, 1, momentum))
                .add(Layers.convBnRelu(channels, 3, 1, momentum));
    }

    /** The input sides are padded up to a multiple of this (the encoder's bottom stride). */
    public int sideMultiple() {
        return multiple;
    }

    /**
     * Nearest-neighbour x2 upsampling of {@code (N, C, H, W)} to {@code (N, C, 2H, 2W)}: one native op
     * ({@code torch.nn.functional.interpolate}), differentiable, as fast as two {@code repeat}s or
     * faster.
     */
    static NDArray upsample(NDArray x) {
        Shape s = x.getShape();
        return x.getNDArrayInternal().interpolation(new long[] {2 * s.get(2), 2 * s.get(3)}, NEAREST, false);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        long height = input.getShape().get(2);
        long width = input.getShape().get(3);
        long padH = padding(height);
        long padW = padding(width);
        NDArray x = padH == 0 && padW == 0 ? input : input.pad(new Shape(0, padW, 0, padH), 0);
        NDArray[] features = new NDArray[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            x = stages.get(i).forward(store, new NDList(x), training, params).singletonOrThrow();
            features[i] = x;
        }
        for (int level = 0; level < ups.size(); level++) {
            x = ups.get(level).forward(store, new NDList(upsample(x)), training, params).singletonOrThrow();
            if (skips[level] >= 0) {
                x = features[skips[level]].concat(x, 1);
            }
            x = fuses.get(level).forward(store, new NDList(x), training, params).singletonOrThrow();
        }
        if (training && dropout > 0) {
            x = spatialDropout(x);
        }
        x = head.forward(store, new NDList(x), training, params).singletonOrThrow();
        if (padH != 0 || padW != 0) {
            x = x.get(new NDIndex(":, :, :{}, :{}", outputSide(height), outputSide(width)));
        }
        return new NDList(x);
    }

    /** The output side for an input side: {@code ceil(side / outputStride)}. */
    private long outputSide(long side) {
        return (side + outputStride - 1) / outputStride;
    }

    private long padding(long side) {
        return (multiple - side % multiple) % multiple;
    }

    /** Zeroes whole feature maps, {@code (N, C)} of them, and scales the rest to keep the expectation. */
    private NDArray spatialDropout(NDArray x) {
        Shape s = x.getShape();
        NDArray keep = x.getManager()
                .randomUniform(0f, 1f, new Shape(s.get(0), s.get(1), 1, 1), x.getDataType(), x.getDevice())
                .gte(dropout)
                .toType(x.getDataType(), false)
                .div(1 - dropout);
        return x.mul(keep);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), numClasses, outputSide(in.get(2)), outputSide(in.get(3)))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape x = new Shape(in.get(0), in.get(1), in.get(2) + padding(in.get(2)), in.get(3) + padding(in.get(3)));
        Shape[] features = new Shape[stages.size()];
        for (int i = 0; i < stages.size(); i++) {
            x = initialized(stages.get(i), manager, dataType, x);
            features[i] = x;
        }
        for (int level = 0; level < ups.size(); level++) {
            x = initialized(ups.get(level), manager, dataType,
                    new Shape(x.get(0), x.get(1), 2 * x.get(2), 2 * x.get(3)));
            if (skips[level] >= 0) {
                x = new Shape(x.get(0), features[skips[level]].get(1) + x.get(1), x.get(2), x.get(3));
            }
            x = initialized(fuses.get(level), manager, dataType, x);
        }
        head.initialize(manager, dataType, x);
    }

    private static Shape initialized(Block block, NDManager manager, DataType dataType, Shape input) {
        block.initialize(manager, dataType, input);
        return block.getOutputShapes(new Shape[] {input})[0];
    }
}
