package dev.hone.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.BlockFactory;
import java.util.Objects;

/**
 * A user's network as the architecture to train: the DJL {@link BlockFactory} that builds it and the
 * input shape it takes. hone resizes the images to that shape. See {@link UserBlocks} for the factory's
 * arguments and the outputs wanted per task.
 *
 * @param factory builds a fresh, uninitialized block for every probe, trial and the final run
 * @param inputChw the input shape without batch: (channels, height, width), in pixels; 1 or 3 channels
 */
public record UserBlock(BlockFactory factory, Shape inputChw) {
    /**
     * @throws IllegalArgumentException for a shape that is not (C, H, W) with C of 1 or 3 and positive sides
     */
    public UserBlock {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(inputChw, "inputChw");
        if (inputChw.dimension() != 3 || (inputChw.get(0) != 1 && inputChw.get(0) != 3) || inputChw.get(1) < 1
                || inputChw.get(2) < 1) {
            throw new IllegalArgumentException("the input shape must be (channels, height, width) with 1 or 3 channels: " + inputChw);
        }
    }
}
