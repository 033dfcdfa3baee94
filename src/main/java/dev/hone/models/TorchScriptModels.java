package dev.hone.models;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.hone.core.ErrorText;
import dev.hone.core.HoneException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Loading, checking and checkpointing a user's TorchScript network.
 *
 * <p>DJL wraps a TorchScript module in a {@link PtSymbolBlock}. Two things about it shape this class:
 * its parameters list holds only {@code parameters()}, not buffers, so BatchNorm running statistics
 * can only travel as a whole serialized module; and {@link PtSymbolBlock#loadParameters} swaps in a
 * new native module while the block's cached {@code Parameter} arrays (and a live trainer's copies of
 * them) still point at the old one. {@link #readInto} therefore re-points those same Java arrays at
 * the new module's tensors, so a trainer that already holds them keeps training the right weights.
 */
final class TorchScriptModels {

    private TorchScriptModels() {}

    /** Loads a TorchScript file with trainable parameters and checks its output: (1, K) or (1, K, H, W). */
    static Model load(Path file, Shape inputChw, int numClasses) {
        return load(file, inputChw, numClasses, null);
    }

    /**
     * Loads a TorchScript file with trainable parameters and checks its output size.
     *
     * @param dense true when the task needs per-pixel logits (1, K, H, W), false for one row (1, K), null for either
     */
    static Model load(Path file, Shape inputChw, int numClasses, Boolean dense) {
        Model model = Model.newInstance(fileStem(file), "PyTorch");
        try {
            model.load(file, null, Map.of("trainParam", "true"));
            checkOutput(model, file, inputChw, numClasses, dense);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            if (e instanceof HoneException he) {
                throw he;
            }
            throw new HoneException("Could not load TorchScript model: " + file.toAbsolutePath()
                    + " (" + e.getMessage() + "). Fix: export it from PyTorch with"
                    + " torch.jit.script(model).save(path) or torch.jit.trace(model, example).save(path)",
                    e);
        }
    }

    /**
     * Runs one inference pass on zeros so a wrong head or input layout fails now, with the file's
     * name, instead of as a shape error deep inside the first training step.
     */
    private static void checkOutput(Model model, Path file, Shape inputChw, int numClasses, Boolean dense) {
        Shape input = new Shape(ZeroForward.BATCH, inputChw.get(0), inputChw.get(1), inputChw.get(2));
        Shape row = new Shape(1, numClasses);
        Shape perPixel = new Shape(1, numClasses, inputChw.get(1), inputChw.get(2));
        Shape actual;
        try {
            actual = ZeroForward.outputShape(model, inputChw);
        } catch (RuntimeException e) {
            String why = ErrorText.oneLine(e);
            String fix = tooSmall(e.getMessage())
                    ? "its layers shrink " + inputChw.get(1) + "x" + inputChw.get(2) + " images to nothing: resize the"
                            + " images to the size the network was made for, or use a built-in --model that accepts"
                            + " them (resnet18, resnet20 and mobilenetv2 take any size)"
                    : "export a model that takes (batch, " + inputChw.get(0) + ", height, width) images";
            throw new HoneException("TorchScript model failed on an input of shape " + input + ": "
                    + file.toAbsolutePath() + " (" + why + "). Fix: " + fix, e);
        }
        boolean fits = dense == null ? row.equals(actual) || perPixel.equals(actual) : (dense ? perPixel : row).equals(actual);
        if (!fits) {
            String got = actual == null ? "several outputs" : "output shape " + actual;
            String wanted = dense == null ? row + " or " + perPixel : (dense ? perPixel : row).toString();
            throw HoneException.of("TorchScript model gives " + got + " but the data has " + numClasses + " classes"
                    + (Boolean.TRUE.equals(dense) ? " per pixel" : "") + ", so " + wanted + " was expected", file.toAbsolutePath(),
                    Boolean.TRUE.equals(dense) ? "re-export a network that returns " + numClasses + " logits per pixel at the input's "
                            + "height and width, (N, " + numClasses + ", H, W)"
                            : "re-export the model with a final layer of " + numClasses + " outputs");
        }
    }

    /** Whether an engine message says the input is smaller than a layer's window. */
    static boolean tooSmall(String message) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        return m.contains("too small") || m.contains("smaller than kernel") || m.contains("greater than actual input");
    }

    /** Writes the module as a plain TorchScript archive, loadable by PyTorch and by {@link #load}. */
    static void saveModule(Model model, OutputStream out) {
        JniUtils.writeModule(block(model), out, false);
    }

    /** Writes the whole module, buffers included, in DJL's block format. */
    static void writeTo(Model model, DataOutputStream out) throws IOException {
        block(model).saveParameters(out);
    }

    /** Replaces the module's weights and buffers with those written by {@link #writeTo}. */
    static void readInto(Model model, DataInputStream in) throws IOException, MalformedModelException {
        PtSymbolBlock block = block(model);
        Map<String, Parameter> existing = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            existing.put(p.getValue().getName(), p.getValue());
        }
        long oldModule = block.getHandle();
        PtNDManager manager = (PtNDManager) model.getNDManager();
        block.loadParameters(manager, in);
        for (NDArray fresh : JniUtils.moduleGetParams(block, manager)) {
            Parameter parameter = existing.get(fresh.getName());
            if (parameter == null || !parameter.getArray().getShape().equals(fresh.getShape())) {
                throw new MalformedModelException("Checkpoint does not match the TorchScript module at "
                        + fresh.getName());
            }
            NDArray array = parameter.getArray();
            array.intern(fresh);
            if (parameter.requiresGradient()) {
                array.setRequiresGradient(true);
            }
        }
        JniUtils.deleteModule(oldModule);
        syncTrainingMode(block, manager);
    }

    /**
     * The loaded module comes with the train/eval flag it was saved with, while the block remembers
     * the mode of its last forward and only switches on a change. Put the module in eval mode and run
     * one inference pass (eval never updates running statistics) so both agree again.
     */
    private static void syncTrainingMode(PtSymbolBlock block, NDManager parent) {
        if (block.describeInput() == null) {
            // never run: the block still believes it is training, as a fresh module would be
            JniUtils.enableTrainingMode(block);
            return;
        }
        JniUtils.enableInferenceMode(block);
        try (NDManager manager = parent.newSubManager()) {
            NDList zeros = new NDList();
            for (Pair<String, Shape> input : block.describeInput()) {
                zeros.add(manager.zeros(input.getValue()));
            }
            block.forward(new ParameterStore(manager, false), zeros, false);
        }
    }

    static PtSymbolBlock block(Model model) {
        if (!(model.getBlock() instanceof PtSymbolBlock block)) {
            throw new IllegalArgumentException("not a TorchScript model: " + model.getName());
        }
        return block;
    }

    private static String fileStem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
