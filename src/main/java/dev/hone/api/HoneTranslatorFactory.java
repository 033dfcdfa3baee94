package dev.hone.api;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import dev.hone.core.HoneException;
import dev.hone.train.ModelDescriptor;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Lets a hone model folder serve through DJL's standard {@code Criteria} API with hone's preprocessing
 * and decoding, the same as {@link HoneModel#newPredictor()}:
 *
 * <pre>{@code
 * Criteria<Image, Classifications> criteria = Criteria.builder()
 *         .setTypes(Image.class, Classifications.class)
 *         .optModelPath(result.modelDir())              // DIR/model
 *         .optTranslatorFactory(new HoneTranslatorFactory())
 *         .build();
 * try (ZooModel<Image, Classifications> model = criteria.loadModel();
 *         Predictor<Image, Classifications> predictor = model.newPredictor()) { ... }
 * }</pre>
 *
 * <p>The translator is built from the folder's {@code hone-model.json} (input shape, normalisation,
 * classes, task, thresholds, temperature, test-time flips); see {@link HoneClassifications} for what a
 * classifier returns. Supported types: ({@link Image}, {@link Classifications}) for single-label, binary and
 * multi-label models; ({@link Image}, {@link CategoryMask}) for segmentation models; ({@link Image},
 * {@link DetectedObjects}) for detection models (boxes scored at least 0.3, as {@code hone predict}'s default
 * {@code --min-score}). Asking a model for a type its task does not give fails with a {@link TranslateException}
 * that names the type it gives.
 */
public final class HoneTranslatorFactory implements TranslatorFactory {

    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        // every task's types are declared, so that asking a model for another task's type is answered with the type
        // it gives rather than DJL's list of its default translators
        return Set.of(new Pair<>(Image.class, Classifications.class), new Pair<>(Image.class, CategoryMask.class),
                new Pair<>(Image.class, DetectedObjects.class));
    }

    /**
     * @throws TranslateException when the model folder holds no {@code hone-model.json}, or its task
     *     predicts another type than {@code output}
     */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        Path dir = model.getModelPath();
        ModelDescriptor d;
        try {
            d = ModelDescriptor.read(dir);
        } catch (HoneException e) {
            throw new TranslateException(e.getMessage(), e);
        }
        TaskType task = Translators.task(d);
        Class<?> predicts = Translators.outputType(task);
        if (input != Image.class || output != predicts) {
            throw new TranslateException("the hone model in " + dir + " is a " + task.id() + " model: it translates "
                    + "Image to " + predicts.getSimpleName() + ", not " + input.getSimpleName() + " to "
                    + output.getSimpleName() + ". Fix: use setTypes(Image.class, " + predicts.getSimpleName() + ".class)");
        }
        return (Translator<I, O>) Translators.translator(d);
    }
}
