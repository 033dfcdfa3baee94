package dev.hone.api;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFormat;
import dev.hone.regularize.TestTimeAugmentation;
import dev.hone.tasks.Binary;
import dev.hone.tasks.Task;
import dev.hone.train.ModelDescriptor;
import dev.hone.train.TrainedModel;
import java.awt.image.BufferedImage;
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
        return new NDList(normalised(ctx.getNDManager(), input));
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
            images.add(normalised(manager, image));
        }
        NDArray batch = ai.djl.ndarray.NDArrays.stack(images);
        ctx.setAttachment(IMAGES, inputs.size());
        if (descriptor.testTimeFlips()) {
            batch = batch.concat(TestTimeAugmentation.horizontalFlip(batch), 0);
        }
        return new NDList(batch);
    }

    @Override
    public List<Classifications> batchProcessOutput(TranslatorContext ctx, NDList list) {
        return decode(list.singletonOrThrow(), (Integer) ctx.getAttachment(IMAGES));
    }

    /** The image as the model's normalised float32 (C, H, W) input. */
    private NDArray normalised(NDManager manager, Image image) {
        ImageFormat format = descriptor.input();
        byte[] pixels = new byte[format.imageBytes()];
        if (image.getWrappedImage() instanceof BufferedImage b) {
            ImageDecoder.conformInto(b, format, pixels, 0);
        } else {
            dev.hone.data.PixelConverter.write(planes(manager, image), image.getHeight(), image.getWidth(), format, pixels, 0);
        }
        int c = format.channels();
        float[] sc = new float[c];
        float[] sh = new float[c];
        for (int ch = 0; ch < c; ch++) {
            // as training normalised its batches: (x/255 - mean) / std == x * scale + shift
            sc[ch] = 1f / (255f * descriptor.normalization().std()[ch]);
            sh[ch] = -descriptor.normalization().mean()[ch] / descriptor.normalization().std()[ch];
        }
        Shape chw = new Shape(c, format.height(), format.width());
        // unsigned: DJL would read a byte[] as int8, and pixels above 127 as negative
        NDArray x = manager.create(java.nio.ByteBuffer.wrap(pixels), chw, DataType.UINT8).toType(DataType.FLOAT32, false);
        return x.muli(manager.create(sc, new Shape(c, 1, 1))).addi(manager.create(sh, new Shape(c, 1, 1)));
    }

    /** R, G, B planes of values 0-255 of an image that is not a {@link BufferedImage} (e.g. OpenCV's). */
    private static float[][] planes(NDManager manager, Image image) {
        try (NDManager m = manager.newSubManager()) {
            NDArray hwc = image.toNDArray(m, Image.Flag.COLOR).toType(DataType.FLOAT32, false);
            float[][] planes = new float[3][];
            for (int ch = 0; ch < 3; ch++) {
                planes[ch] = hwc.get(":, :, " + ch).toFloatArray();
            }
            return planes;
        }
    }

    private List<Classifications> decode(NDArray logits, int images) {
        NDArray p = descriptor.testTimeFlips()
                ? TestTimeAugmentation.meanProbabilities(task, logits.get("0:" + images), logits.get(images + ":"))
                : task.probabilities(logits);
        int k = descriptor.classes().size();
        float[] flat = p.toFloatArray();
        Double t = descriptor.temperature();
        List<Classifications> out = new ArrayList<>(images);
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
                    descriptor.decisionThresholds()));
        }
        return out;
    }
}
