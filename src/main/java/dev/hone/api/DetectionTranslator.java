package dev.hone.api;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.hone.loop.BatchPadding;
import dev.hone.tasks.CenterNetDecoder;
import dev.hone.tasks.Task;
import dev.hone.train.ModelDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * hone's preprocessing and decoding for detection models, as a DJL {@link Translator}.
 *
 * <p>In: any DJL {@link Image}, preprocessed as for classification ({@link ModelInput}): float32
 * (C, H, W) at the model's input size, batched to (N, C, H, W).
 *
 * <p>Out: CenterNet's maps (N, K + 4, H/4, W/4) decoded by peak extraction ({@link CenterNetDecoder},
 * the top 100 per image), the detections scoring at least {@code minScore} kept: one DJL
 * {@link DetectedObjects} per image, best first, each box a {@link Rectangle} in DJL's convention for
 * detection outputs: {@code x, y, width, height} as fractions of the image's width and height, so that
 * {@code Image.drawBoundingBoxes} places them on the image as given, whatever its size.
 */
final class DetectionTranslator implements Translator<Image, DetectedObjects> {
    private static final String IMAGES = "hone.images";

    private final ModelDescriptor descriptor;
    private final Task task;
    private final double minScore;

    /** @param minScore the lowest score a detection needs to be returned, in [0, 1] */
    DetectionTranslator(ModelDescriptor descriptor, double minScore) {
        this.descriptor = descriptor;
        this.task = descriptor.toTask();
        this.minScore = minScore;
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK; // batches are built and split below
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return batchProcessInput(ctx, List.of(input));
    }

    @Override
    public DetectedObjects processOutput(TranslatorContext ctx, NDList list) {
        return batchProcessOutput(ctx, list).get(0);
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<Image> inputs) {
        NDManager manager = ctx.getNDManager();
        NDList images = new NDList();
        for (Image image : inputs) {
            images.add(ModelInput.normalised(manager, image, descriptor));
        }
        ctx.setAttachment(IMAGES, inputs.size());
        return new NDList(BatchPadding.atLeastTwo(NDArrays.stack(images)));
    }

    @Override
    public List<DetectedObjects> batchProcessOutput(TranslatorContext ctx, NDList list) {
        int n = (Integer) ctx.getAttachment(IMAGES);
        float[] rows = task.kept(task.probabilities(BatchPadding.firstRows(list.singletonOrThrow(), n))).toFloatArray();
        int per = rows.length / Math.max(1, n);
        double w = descriptor.input().width(), h = descriptor.input().height();
        List<String> classes = descriptor.classes();
        List<DetectedObjects> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<String> names = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            List<BoundingBox> boxes = new ArrayList<>();
            for (int r = i * per; r < (i + 1) * per; r += CenterNetDecoder.FIELDS) {
                if (rows[r] < 0 || rows[r + 1] < minScore) { // class -1: a box without area, no detection
                    continue;
                }
                names.add(classes.get((int) rows[r]));
                scores.add((double) rows[r + 1]);
                boxes.add(new Rectangle(rows[r + 2] / w, rows[r + 3] / h, (rows[r + 4] - rows[r + 2]) / w, (rows[r + 5] - rows[r + 3]) / h));
            }
            out.add(new DetectedObjects(names, scores, boxes));
        }
        return out;
    }
}
