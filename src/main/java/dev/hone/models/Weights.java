package dev.hone.models;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.util.Pair;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Checkpoint format for built-in networks: every parameter (BatchNorm running statistics included,
 * which DJL keeps as parameters) by name, in block order.
 *
 * <p>DJL's own {@code Block.loadParameters} replaces each {@code Parameter}'s array with a new object,
 * but a {@code Trainer} caches the arrays it saw first, so after a resume it would keep training and
 * running the stale ones. Reading here copies the saved values into the existing arrays, which
 * every holder of them then sees.
 */
final class Weights {

    private static final int MAGIC = 0x484F4E57; // "HONW"
    private static final int VERSION = 1;
    static final byte BUILT_IN = 0;
    static final byte TORCHSCRIPT = 1;

    private Weights() {}

    static void write(Model model, DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        if (model.getBlock() instanceof PtSymbolBlock) {
            out.writeByte(TORCHSCRIPT);
            TorchScriptModels.writeTo(model, out);
            return;
        }
        out.writeByte(BUILT_IN);
        ParameterList parameters = model.getBlock().getParameters();
        out.writeInt(parameters.size());
        for (Pair<String, Parameter> p : parameters) {
            out.writeUTF(p.getKey());
            byte[] bytes = p.getValue().getArray().encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    static void read(Model model, DataInputStream in) throws IOException, MalformedModelException {
        if (in.readInt() != MAGIC) {
            throw new MalformedModelException("not a hone weights file");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new MalformedModelException("unsupported hone weights version " + version);
        }
        byte kind = in.readByte();
        boolean torchScript = model.getBlock() instanceof PtSymbolBlock;
        if ((kind == TORCHSCRIPT) != torchScript) {
            throw new MalformedModelException("weights were written for a "
                    + (kind == TORCHSCRIPT ? "TorchScript" : "built-in") + " model");
        }
        if (torchScript) {
            TorchScriptModels.readInto(model, in);
            return;
        }
        ParameterList parameters = model.getBlock().getParameters();
        int count = in.readInt();
        if (count != parameters.size()) {
            throw new MalformedModelException("weights hold " + count + " parameters, the model has "
                    + parameters.size());
        }
        for (Pair<String, Parameter> p : parameters) {
            String name = in.readUTF();
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            if (!name.equals(p.getKey())) {
                throw new MalformedModelException("expected parameter " + p.getKey() + ", found " + name);
            }
            Parameter parameter = p.getValue();
            NDArray array = parameter.getArray();
            NDArray saved = array.getManager().decode(bytes);
            if (!saved.getShape().equals(array.getShape())) {
                saved.close();
                throw new MalformedModelException(name + " has shape " + saved.getShape()
                        + " in the weights but " + array.getShape() + " in the model");
            }
            // Copy the values into the live tensor. Swapping native handles (NDArray.intern) is
            // unsafe on CPU: a decoded array's memory is a Java direct buffer that only the decoded
            // wrapper keeps alive, so closing it let GC free memory the model still trained on
            // (seen as nondeterministic resumes and aborts). The copy is native, before the close.
            InPlace.copy(saved, array);
            saved.close();
        }
    }
}
