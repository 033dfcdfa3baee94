package dev.hone.api;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.translate.Translator;
import dev.hone.tasks.CenterNetDecoder;
import dev.hone.train.ModelDescriptor;

/**
 * One output type and translator per task, as DJL pairs them. The switches are over {@link TaskType}
 * without a default, so a new task does not compile until it has its place here: segmentation returns
 * DJL's {@code CategoryMask} (a class index per pixel, with the class names); detection returns
 * {@code DetectedObjects} (class, score and bounding box per object).
 */
final class Translators {
    /** The lowest score a returned detection has unless the caller asks for another, as {@code hone predict}'s default. */
    static final double DEFAULT_MIN_SCORE = CenterNetDecoder.MIN_SCORE;

    private Translators() {}

    /** The task of a saved model. */
    static TaskType task(ModelDescriptor d) {
        return TaskType.of(d.toTask().name());
    }

    /** The DJL output type a model of {@code task} predicts. */
    static Class<?> outputType(TaskType task) {
        return switch (task) {
            case SINGLE_LABEL, BINARY, MULTI_LABEL -> Classifications.class;
            case SEGMENTATION -> ai.djl.modality.cv.output.CategoryMask.class;
            case DETECTION -> ai.djl.modality.cv.output.DetectedObjects.class;
        };
    }

    /** hone's preprocessing and decoding for a saved model, as a DJL translator. */
    static Translator<Image, ?> translator(ModelDescriptor d) {
        return switch (task(d)) {
            case SINGLE_LABEL, BINARY, MULTI_LABEL -> new ClassificationTranslator(d);
            case SEGMENTATION -> new SegmentationTranslator(d);
            case DETECTION -> new DetectionTranslator(d, DEFAULT_MIN_SCORE);
        };
    }
}
