package dev.hone.models;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.ErrorText;
import dev.hone.core.HoneException;

/**
 * Runs a user's block once on zeros ({@link ZeroForward}), so that a wrong head or input layout fails before training with
 * the factory's name and the shape wanted, not as a shape error deep inside the first step.
 */
final class UserBlockCheck {
    private UserBlockCheck() {}

    /**
     * Initializes the block of {@code model} (with the engine's seed) and checks its output shape.
     *
     * @param inputChw input shape without batch (C, H, W)
     * @param outputs the head's channels
     * @throws HoneException when the block fails on the input or returns another shape
     */
    static void run(Model model, ModelSpec spec, Shape inputChw, int outputs, ModelFactory.Head head) {
        Shape input = new Shape(ZeroForward.BATCH, inputChw.get(0), inputChw.get(1), inputChw.get(2));
        Shape wanted = switch (head) {
            case IMAGE -> new Shape(1, outputs);
            case PIXELS -> new Shape(1, outputs, inputChw.get(1), inputChw.get(2));
            case CENTRES -> new Shape(1, outputs, inputChw.get(1) / CenterNetHead.STRIDE, inputChw.get(2) / CenterNetHead.STRIDE);
        };
        Shape actual;
        try {
            if (!model.getBlock().isInitialized()) {
                model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, input);
            }
            actual = ZeroForward.outputShape(model, inputChw);
        } catch (RuntimeException e) {
            throw new HoneException("The network of " + spec.blockFactory() + " failed on an input of shape " + input + " ("
                    + ErrorText.oneLine(e) + "). Fix: build a block that takes (N, " + inputChw.get(0) + ", "
                    + inputChw.get(1) + ", " + inputChw.get(2) + ") images, or give the input shape it was made for", e);
        }
        if (!wanted.equals(actual)) {
            String got = actual == null ? "several outputs" : "output shape " + actual;
            throw HoneException.of("The network gives " + got + " where the task needs " + wanted + " (" + head.name().toLowerCase(java.util.Locale.ROOT)
                    + " outputs)", spec.blockFactory(), "make newBlock return a block whose output is " + wanted
                    + " for this input; the head's channel count is in arguments.get(\"" + UserBlocks.OUTPUTS + "\")");
        }
    }
}
