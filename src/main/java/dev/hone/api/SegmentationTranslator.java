package dev.hone.api;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.CategoryMask;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.hone.data.PixelConverter;
import dev.hone.loop.BatchPadding;
import dev.hone.regularize.TestTimeAugmentation;
import dev.hone.tasks.Task;
import dev.hone.train.ModelDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * hone's preprocessing and decoding for segmentation models, as a DJL {@link Translator}.
 *
 * <p>In: any DJL {@link Image}, preprocessed as for classification ({@link ModelInput}): float32
 * (C, H, W) at the model's input size, batched to (N, C, H, W), with each image's mirror image
 * appended when the model keeps test-time flips.
 *
 * <p>Out: the head's logits (N, K, H, W) become per-pixel probabilities (softmax over K), averaged
 * with the flipped view flipped back, and the arg-max class per pixel is resized to the input image's
 * own size by nearest neighbour: one DJL {@link CategoryMask} per image, {@code getMask()[y][x]} the
 * class index of pixel (x, y) of the image as given, {@code getClasses()} the class names.
 */
final class SegmentationTranslator implements Translator<Image, CategoryMask> {
    private static final String IMAGES = "hone.images";
    private static final String SIZES = "hone.sizes";

    private final ModelDescriptor descriptor;
    private final Task task;

    SegmentationTranslator(ModelDescriptor descriptor) {
        this.descriptor = descriptor;
        this.task = descriptor.toTask();
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK; // batches are built and split below, with their flips
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        return batchProcessInput(ctx, List.of(input));
    }

    @Override
    public CategoryMask processOutput(TranslatorContext ctx, NDList list) {
        return batchProcessOutput(ctx, list).get(0);
    }

    @Override
    public NDList batchProcessInput(TranslatorContext ctx, List<Image> inputs) {
        NDManager manager = ctx.getNDManager();
        NDList images = new NDList();
        int[][] sizes = new int[inputs.size()][];
        for (int i = 0; i < inputs.size(); i++) {
            images.add(ModelInput.normalised(manager, inputs.get(i), descriptor));
            sizes[i] = new int[] {inputs.get(i).getHeight(), inputs.get(i).getWidth()};
        }
        NDArray batch = NDArrays.stack(images);
        ctx.setAttachment(IMAGES, inputs.size());
        ctx.setAttachment(SIZES, sizes);
        if (descriptor.testTimeFlips()) {
            batch = batch.concat(TestTimeAugmentation.horizontalFlip(batch), 0);
        }
        return new NDList(BatchPadding.atLeastTwo(batch));
    }

    @Override
    public List<CategoryMask> batchProcessOutput(TranslatorContext ctx, NDList list) {
        int n = (Integer) ctx.getAttachment(IMAGES);
        int[][] sizes = (int[][]) ctx.getAttachment(SIZES);
        NDArray logits = BatchPadding.firstRows(list.singletonOrThrow(), descriptor.testTimeFlips() ? 2L * n : n);
        NDArray p = descriptor.testTimeFlips()
                ? TestTimeAugmentation.meanProbabilities(task, logits.get("0:" + n), logits.get(n + ":"))
                : task.probabilities(logits);
        int h = (int) p.getShape().get(2), w = (int) p.getShape().get(3);
        long[] classes = p.argMax(1).toLongArray();
        List<CategoryMask> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] small = new byte[h * w];
            for (int q = 0; q < small.length; q++) {
                small[q] = (byte) classes[i * h * w + q];
            }
            int oh = sizes[i][0], ow = sizes[i][1];
            byte[] full = PixelConverter.nearest(small, 1, h, w, oh, ow);
            int[][] mask = new int[oh][ow];
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    mask[y][x] = full[y * ow + x] & 0xFF;
                }
            }
            out.add(new CategoryMask(descriptor.classes(), mask));
        }
        return out;
    }
}
