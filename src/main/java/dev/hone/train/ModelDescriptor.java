package dev.hone.train;

import ai.djl.ndarray.types.Shape;
import dev.hone.core.HoneException;
import dev.hone.data.ImageFormat;
import dev.hone.data.Normalization;
import dev.hone.models.ModelSpec;
import dev.hone.record.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code model/hone-model.json}: everything needed to use the weights beside it: the architecture,
 * the input format, the normalisation computed on the training split, the class names, and whether
 * predictions average over horizontal flips (test-time augmentation, kept when it helped on
 * validation; false when read from a descriptor written before it existed).
 */
public record ModelDescriptor(int formatVersion, ModelSpec model, ImageFormat input, Normalization normalization,
        List<String> classes, boolean testTimeFlips) {

    public static final String FILE = "hone-model.json";
    public static final int FORMAT_VERSION = 1;

    public Shape inputShape() {
        return new Shape(input.channels(), input.height(), input.width());
    }

    public void write(Path modelDir) {
        Json.write(modelDir.resolve(FILE), this);
    }

    /** Reads {@code DIR/model/hone-model.json} given a run directory or its model folder. */
    public static ModelDescriptor read(Path dir) {
        Path modelDir = modelFolder(dir);
        Path file = modelDir.resolve(FILE);
        if (!Files.exists(file)) {
            throw HoneException.of("no trained model found", file,
                    "pass the --out folder of a finished 'hone train' run (it holds model/" + FILE + ")");
        }
        return Json.read(file, ModelDescriptor.class);
    }

    public static Path modelFolder(Path dir) {
        return Files.exists(dir.resolve(FILE)) ? dir : dir.resolve("model");
    }
}
