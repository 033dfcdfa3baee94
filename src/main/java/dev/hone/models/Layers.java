package dev.hone.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.BatchNorm;

/**
 * The few layer recipes every built-in architecture repeats: bias-free convolutions followed by
 * BatchNorm, with or without an activation.
 *
 * <p>Convolutions feeding a BatchNorm carry no bias because the norm's beta would cancel it; that is
 * also what the PyTorch reference networks do, so parameter counts match theirs.
 */
final class Layers {

    private Layers() {}

    /** A bias-free k x k convolution with "same" padding for odd k. */
    static Conv2d conv(int filters, int kernel, int stride, int groups) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optGroups(groups)
                .optBias(false)
                .build();
    }

    /** BatchNorm over channels with the spec's momentum (DJL convention: weight of the old value). */
    static BatchNorm batchNorm(float momentum) {
        return BatchNorm.builder().optMomentum(momentum).build();
    }

    /** Convolution + BatchNorm, no activation (the last layer of a residual branch). */
    static SequentialBlock convBn(int filters, int kernel, int stride, float momentum) {
        return new SequentialBlock()
                .add(conv(filters, kernel, stride, 1))
                .add(batchNorm(momentum));
    }

    /** Convolution + BatchNorm + ReLU ("cbr" in the reference network). */
    static SequentialBlock convBnRelu(int filters, int kernel, int stride, float momentum) {
        return convBn(filters, kernel, stride, momentum).add(Activation.reluBlock());
    }

    /** Convolution + BatchNorm + ReLU6 with optional grouping, for MobileNetV2. */
    static Block convBnRelu6(int filters, int kernel, int stride, int groups, float momentum) {
        return new SequentialBlock()
                .add(conv(filters, kernel, stride, groups))
                .add(batchNorm(momentum))
                .add(Activation.relu6Block());
    }

    /**
     * Ends a network with its classifier: a dropout layer when {@code dropout > 0}, then the linear layer.
     *
     * <p>The dropout layer is added only when asked for, so a network without it keeps the block
     * order, and so the parameter names, that checkpoints written before dropout existed hold. DJL's
     * dropout is the inverted kind (kept units scaled by 1/(1-rate) in training) and is the identity
     * when the block runs with {@code training=false}, as evaluation does.
     */
    static SequentialBlock classifier(SequentialBlock net, int numClasses, double dropout) {
        if (dropout > 0) {
            net.add(Dropout.builder().optRate((float) dropout).build());
        }
        return net.add(Linear.builder().setUnits(numClasses).build());
    }
}
