package dev.hone.models;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * One inference pass on zeros: how a network from outside hone (a TorchScript file, a user's block) is
 * checked against the task before training, so a wrong head or input layout fails with the network's
 * name rather than as a shape error deep inside the first step.
 */
final class ZeroForward {
    /**
     * Images in the check's batch: two, as a one-image batch makes libtorch ask NNPACK for small convolutions
     * ({@link dev.hone.loop.BatchPadding}).
     */
    static final int BATCH = 2;

    private ZeroForward() {}

    /**
     * The output shape for one image of {@code inputChw}, or null when the network returns several arrays. A batch of
     * two is run, and its first axis read back as one: a network that only takes one image fails here, not in training.
     *
     * @param inputChw (C, H, W)
     * @throws RuntimeException whatever the engine throws when the network cannot take the input
     */
    static Shape outputShape(Model model, Shape inputChw) {
        Shape input = new Shape(BATCH, inputChw.get(0), inputChw.get(1), inputChw.get(2));
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(manager.zeros(input)), false);
            if (out.size() != 1) {
                return null;
            }
            Shape shape = out.head().getShape();
            return shape.dimension() > 0 && shape.get(0) == BATCH ? new Shape(1).addAll(shape.slice(1)) : shape;
        }
    }
}
