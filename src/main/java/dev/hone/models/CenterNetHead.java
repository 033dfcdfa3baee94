package dev.hone.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * CenterNet's output heads (Zhou et al. 2019, "Objects as Points", arXiv:1904.07850, section 4): on
 * stride-4 features {@code (N, C, h, w)}, one branch gives K class heatmap logits and another the box
 * size (width, height) and the centre's sub-cell offset (x, y), each branch a 3x3 convolution to 64
 * channels, a ReLU and a 1x1 convolution, as in the paper's ResNet and DLA variants. Out:
 * {@code (N, K + 4, h, w)}: channels {@code 0..K-1} heatmap logits, then width, height (in output
 * cells, i.e. units of {@value #STRIDE} input pixels), then offset x, offset y (fractions of a cell).
 *
 * <p>The heatmap logits carry a constant {@value #PRIOR_LOGIT} added in the forward pass: the paper's
 * code initializes the heatmap bias so, which makes the initial probability about 0.1 (Lin et al. 2017,
 * arXiv:1708.02002, section 3.3) so that the focal loss of the many background cells does not swamp
 * the first steps. A constant in the forward pass gives the same function without depending on which
 * initializer a trainer applies to biases.
 */
public final class CenterNetHead extends AbstractBlock {
    /** The output stride: one heatmap cell per 4x4 input pixels, as in the paper. */
    public static final int STRIDE = 4;

    /** Channels after the K heatmaps: width, height, offset x, offset y. */
    public static final int BOX_CHANNELS = 4;

    /** The heatmap's prior logit, {@code -ln((1 - 0.1) / 0.1)}, rounded as in the paper's code. */
    public static final float PRIOR_LOGIT = -2.19f;

    /** The channels of each branch's hidden 3x3 convolution ("head_conv" in the paper's code). */
    public static final int HIDDEN = 64;

    private static final byte VERSION = 1;

    private final Block heatmap;
    private final Block box;
    private final int numClasses;

    /**
     * @param numClasses K, the heatmaps
     */
    CenterNetHead(int numClasses) {
        super(VERSION);
        this.numClasses = numClasses;
        this.heatmap = addChildBlock("heatmap", branch(numClasses));
        this.box = addChildBlock("box", branch(BOX_CHANNELS));
    }

    private static Block branch(int outputs) {
        return new SequentialBlock()
                .add(Conv2d.builder().setFilters(HIDDEN).setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).build())
                .add(Activation::relu)
                .add(Conv2d.builder().setFilters(outputs).setKernelShape(new Shape(1, 1)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray heat = heatmap.forward(store, inputs, training, params).singletonOrThrow().add(PRIOR_LOGIT);
        NDArray regression = box.forward(store, inputs, training, params).singletonOrThrow();
        return new NDList(heat.concat(regression, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), numClasses + BOX_CHANNELS, in.get(2), in.get(3))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        heatmap.initialize(manager, dataType, inputShapes);
        box.initialize(manager, dataType, inputShapes);
    }
}
