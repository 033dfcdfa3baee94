package dev.hone.loop;

import ai.djl.Model;
import dev.hone.models.ModelFactory;
import dev.hone.optimize.HoneOptimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An in-memory copy of the weights (BatchNorm statistics included) and the optimizer state.
 *
 * <p>Probes (range test, noise-scale measurement) take one before they train and restore it after,
 * even when they fail, so that they never leave marks on the model they measured.
 */
public final class Snapshot {
    private final byte[] weights;
    private final byte[] optimizerState;

    private Snapshot(byte[] weights, byte[] optimizerState) {
        this.weights = weights;
        this.optimizerState = optimizerState;
    }

    public static Snapshot take(Model model, HoneOptimizer optimizer) {
        try {
            ByteArrayOutputStream w = new ByteArrayOutputStream();
            ModelFactory.writeWeights(model, w);
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(o)) {
                optimizer.saveState(out);
            }
            return new Snapshot(w.toByteArray(), o.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts the weights and optimizer state back exactly as they were. */
    public void restore(Model model, HoneOptimizer optimizer) {
        try {
            ModelFactory.readWeights(model, new ByteArrayInputStream(weights));
            optimizer.loadState(new DataInputStream(new ByteArrayInputStream(optimizerState)), model.getNDManager());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
