package dev.hone.models;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/** Finds layers in a network: DJL blocks nest, and the layers hone reads or changes sit at any depth. */
public final class BlockTree {
    private BlockTree() {}

    /**
     * The blocks of {@code type} in {@code network}, the network itself included, depth-first in the order their parents
     * added them (for a sequential network, the order an input passes through them); empty when there is none, e.g. in a
     * TorchScript module, whose layers are not DJL blocks.
     */
    public static <T extends Block> List<T> ofType(Block network, Class<T> type) {
        List<T> out = new ArrayList<>();
        collect(network, type, out);
        return out;
    }

    private static <T extends Block> void collect(Block block, Class<T> type, List<T> out) {
        if (type.isInstance(block)) {
            out.add(type.cast(block));
        }
        block.getChildren().values().forEach(child -> collect(child, type, out));
    }
}
