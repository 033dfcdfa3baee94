package dev.hone.api;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.hone.loop.BatchPadding;
import dev.hone.regularize.TestTimeAugmentation;
import dev.hone.tasks.Binary;
import dev.hone.tasks.Task;
import dev.hone.train.ModelDescriptor;
import dev.hone.train.TrainedModel;
import java.util.ArrayList;
import java.util.List;

/**
 * hone's preprocessing and decoding for classification models, as a DJL {@link Translator}.
 *
 * <p>In: any DJL {@link Image} (grey or colour, any size). It is converted to the model's channels (colour
 * to grey by BT.601 luminance, grey to colour by copying) and resized to the model's input (H, W) as
 * training resized its images, then scaled to [0, 1] and normalised with the training split's per-channel
 * mean and standard deviation: float32 (C, H, W), batched to (N, C, H, W). With test-time flips the batch
 * also holds each image's mirror image, (2N, C, H, W).
 *
 * <p>Out: the head's logits, (N, K) (binary: (N, 1)), become probabilities (softmax, or sigmoids), are
 * averaged over the flips, calibrated by the binary temperature, and decided with the learned thresholds:
 * one {@link HoneClassifications} per image.
 */
final class ClassificationTranslator implements Translator<Image, Classifications> {
    private static final String IMAGES = "hone.images";

    private final ModelDescriptor descriptor;
    private final Task task;
    private final TaskType type;

    ClassificationTranslator(ModelDescriptor descriptor) {
        this.descriptor = descriptor;
        this.task = descriptor.toTask();
        this.type = TaskType.of(task.name());
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK; // batches are built and split below, with their flips
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return new NDList(ModelInput.normalised(ctx.getNDManager(), input, descriptor));
    }

    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list) {
        return decode(list.singletonOrThrow().expandDims(0), 1).get(0);
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<Image> inputs) {
        NDManager manager = ctx.getNDManager();
        NDList images = new NDList();
        for (Image image : inputs) {
            images.add(ModelInput.normalised(manager, image, descriptor));
        }
        NDArray batch = ai.djl.ndarray.NDArrays.stack(images);
        ctx.setAttachment(IMAGES, inputs.size());
        if (descriptor.testTimeFlips()) {
            batch = batch.concat(TestTimeAugmentation.horizontalFlip(batch), 0);
        }
        return new NDList(BatchPadding.atLeastTwo(batch));
    }

    @Override
    public List<Classifications> batchProcessOutput(TranslatorContext ctx, NDList list) {
        int images = (Integer) ctx.getAttachment(IMAGES);
        return decode(BatchPadding.firstRows(list.singletonOrThrow(), descriptor.testTimeFlips() ? 2L * images : images), images);
    }

    private List<Classifications> decode(NDArray logits, int images) {
        NDArray p = descriptor.testTimeFlips()
                ? TestTimeAugmentation.meanProbabilities(task, logits.get("0:" + images), logits.get(images + ":"))
                : task.probabilities(logits);
        int k = descriptor.classes().size();
        float[] flat = p.toFloatArray();
        Double t = descriptor.temperature();
        List<Classifications> out = new ArrayList<>(images);
        java.util.Map<String, Double> byClass = descriptor.thresholdsByClass();
        for (int i = 0; i < images; i++) {
            float[] row = java.util.Arrays.copyOfRange(flat, i * k, (i + 1) * k);
            if (task instanceof Binary b && t != null && t != 1) {
                row = TrainedModel.calibrated(row, b.positive(), t);
            }
            List<Double> probabilities = new ArrayList<>(k);
            for (float v : row) {
                probabilities.add((double) v);
            }
            out.add(new HoneClassifications(type, descriptor.classes(), probabilities, descriptor.decide(row),
                    descriptor.decisionThresholds(), byClass));
        }
        return out;
    }
}
