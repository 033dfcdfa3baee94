package dev.hone.api;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import dev.hone.models.ModelFactory;
import dev.hone.train.ModelDescriptor;
import java.nio.file.Path;
import java.util.Map;

/**
 * Builds a hone model folder's network for DJL's model loader, before it reads the weights: the
 * architecture, width, stem and head size recorded in {@code hone-model.json} (or the user's own
 * {@code BlockFactory} that it names, see {@link dev.hone.models.UserBlocks}), uninitialized, so
 * {@code Model.load} fills it from {@code model-0000.params}. For a fine-tuned TorchScript network it
 * returns null, and DJL's PyTorch engine loads {@code model.pt} itself.
 *
 * <p>Named in the folder's {@code serving.properties} ({@code blockFactory=}), so DJL's {@code Criteria}
 * needs nothing else; for a folder written without that file, pass
 * {@code .optArgument("blockFactory", HoneBlockFactory.class.getName())}.
 */
public final class HoneBlockFactory implements BlockFactory {
    private static final long serialVersionUID = 1L;

    /**
     * @throws dev.hone.core.HoneException when {@code modelPath} holds no {@code hone-model.json}
     */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        ModelDescriptor d = ModelDescriptor.read(modelPath);
        if (d.model().usesTorchScript()) {
            return null;
        }
        return ModelFactory.block(d.model(), d.inputShape(), d.toTask().outputs(d.classes().size()), model, modelPath);
    }
}
