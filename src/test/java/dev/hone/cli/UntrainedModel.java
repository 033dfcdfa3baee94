package dev.hone.cli;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.data.ImageFormat;
import dev.hone.data.Normalization;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.train.ModelDescriptor;
import dev.hone.train.SyntheticData;
import java.nio.file.Path;

/**
 * A model folder as {@code hone train} leaves it, with freshly initialized weights: enough for
 * {@code predict} and {@code evaluate} error paths, in a fraction of a second instead of a training run.
 */
final class UntrainedModel {
    private UntrainedModel() {}

    /** Writes {@code out/model/} for a width-4 resnet9 on 8x8 grey images of {@link SyntheticData#CLASSES}. */
    static Path write(Path out) {
        ModelSpec spec = ModelSpec.of("resnet9").withWidth(4);
        ImageFormat format = new ImageFormat(1, 8, 8);
        Path modelDir = out.resolve("model");
        try (Model model = ModelFactory.create(spec, new Shape(1, 8, 8), SyntheticData.CLASSES.size());
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()))) {
            trainer.initialize(new Shape(1, 1, 8, 8));
            ModelFactory.saveWeights(model, modelDir);
        }
        new ModelDescriptor(ModelDescriptor.FORMAT_VERSION, spec, format,
                new Normalization(new float[] {0.4f}, new float[] {0.3f}), SyntheticData.CLASSES, false).write(modelDir);
        return out;
    }
}
