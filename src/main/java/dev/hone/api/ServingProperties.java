package dev.hone.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code model/serving.properties}: what DJL's model loader reads before it loads a folder, so that
 * {@code Criteria.builder().optModelPath(modelDir)} finds the engine, builds the architecture
 * ({@link HoneBlockFactory}) before reading the {@code .params} file and names the weights' prefix. It also names
 * the translator ({@link HoneTranslatorFactory}), but for {@code (Image, Classifications)} DJL 0.35.1 picks its own
 * image-classification translator first, so callers pass {@code optTranslatorFactory} (docs/java-api.md).
 */
final class ServingProperties {
    static final String FILE = "serving.properties";

    private ServingProperties() {}

    static void write(Path modelDir) {
        String text = "# written by hone: lets DJL's Criteria load this folder (docs/java-api.md)\n"
                + "engine=PyTorch\n"
                + "blockFactory=" + HoneBlockFactory.class.getName() + "\n"
                + "translatorFactory=" + HoneTranslatorFactory.class.getName() + "\n"
                + "option.modelName=" + dev.hone.models.ModelFactory.PREFIX + "\n";
        try {
            Files.writeString(modelDir.resolve(FILE), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + modelDir.resolve(FILE), e);
        }
    }
}
