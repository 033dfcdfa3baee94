package dev.hone.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * A residual connection: {@code shortcut(x) + branch(x)}, optionally followed by ReLU.
 *
 * <p>One small block serves every built-in network. ResNet9 and MobileNetV2 add the identity with no
 * activation after the sum ({@code x + f(x)}), the ResNet v1 family applies ReLU after it (He et al.
 * 2015). The shortcut is either the identity, a block (1x1 projection), or the parameter-free
 * "option A" of the CIFAR ResNets: subsample by 2 and zero-pad the new channels.
 *
 * <p>In training, the branch may be dropped per image with a rate set by {@link StochasticDepth} (Huang et al. 2016,
 * "Deep Networks with Stochastic Depth", arXiv:1603.09382, in its per-sample "drop path" form): a dropped image gets
 * {@code shortcut(x)} alone, a kept one {@code shortcut(x) + branch(x) / (1 - rate)}, so that evaluation, which never
 * drops, needs no rescaling.
 */
final class Residual extends AbstractBlock {

    private static final byte VERSION = 1;

    /** How the input reaches the sum. */
    enum Shortcut { IDENTITY, PROJECTION, ZERO_PAD }

    private final Block branch;
    private final Block projection;
    private final Shortcut shortcut;
    private final boolean reluAfter;
    private double dropRate;

    private Residual(Block branch, Block projection, Shortcut shortcut, boolean reluAfter) {
        super(VERSION);
        this.branch = addChildBlock("branch", branch);
        this.projection = projection == null ? null : addChildBlock("shortcut", projection);
        this.shortcut = shortcut;
        this.reluAfter = reluAfter;
    }

    /** {@code x + branch(x)}, nothing after the sum. */
    static Residual identity(Block branch) {
        return new Residual(branch, null, Shortcut.IDENTITY, false);
    }

    /** {@code relu(shortcut(x) + branch(x))}; a null projection means the identity. */
    static Residual postActivated(Block branch, Block projection) {
        Shortcut kind = projection == null ? Shortcut.IDENTITY : Shortcut.PROJECTION;
        return new Residual(branch, projection, kind, true);
    }

    /** {@code relu(zeroPad(x[:, :, ::2, ::2]) + branch(x))}: the CIFAR ResNets' option A. */
    static Residual zeroPadded(Block branch) {
        return new Residual(branch, null, Shortcut.ZERO_PAD, true);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray f = branch.forward(store, inputs, training, params).singletonOrThrow();
        if (training && dropRate > 0) {
            f = dropPath(f);
        }
        NDArray sum = f.add(shortcut(store, x, f, training, params));
        return new NDList(reluAfter ? Activation.relu(sum) : sum);
    }

    /** The rate at which training drops the branch, per image; 0 (the default) never drops it. */
    void dropRate(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("stochastic depth's drop rate must be in [0, 1): " + rate);
        }
        this.dropRate = rate;
    }

    double dropRate() {
        return dropRate;
    }

    /** {@code f} times a per-image mask of 0 (rate) or {@code 1 / (1 - rate)}; f is (N, C, H, W). */
    private NDArray dropPath(NDArray f) {
        long[] dims = new long[f.getShape().dimension()];
        Arrays.fill(dims, 1);
        dims[0] = f.getShape().get(0);
        Shape perImage = new Shape(dims);
        NDArray keep = f.getManager().randomUniform(0f, 1f, perImage, f.getDataType(), f.getDevice())
                .gte(dropRate).toType(f.getDataType(), false).div(1 - dropRate);
        return f.mul(keep);
    }

    private NDArray shortcut(
            ParameterStore store, NDArray x, NDArray f, boolean training, PairList<String, Object> p) {
        switch (shortcut) {
            case PROJECTION:
                return projection.forward(store, new NDList(x), training, p).singletonOrThrow();
            case ZERO_PAD:
                NDArray sub = x.get(":, :, ::2, ::2");
                long missing = f.getShape().get(1) - sub.getShape().get(1);
                if (missing == 0) {
                    return sub;
                }
                Shape padShape = new Shape(sub.getShape().get(0), missing,
                        sub.getShape().get(2), sub.getShape().get(3));
                return sub.concat(sub.getManager().zeros(padShape, sub.getDataType()), 1);
            default:
                return x;
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return branch.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        branch.initialize(manager, dataType, inputShapes);
        if (projection != null) {
            projection.initialize(manager, dataType, inputShapes);
        }
    }
}
