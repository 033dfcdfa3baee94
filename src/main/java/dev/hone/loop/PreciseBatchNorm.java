package dev.hone.loop;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import java.lang.reflect.Field;
import java.util.List;

/**
 * PreciseBN: BatchNorm's running statistics recomputed for the final weights, as the equal-weight average of the batch
 * statistics of a sample of training batches, forwarded in training mode without gradients.
 *
 * <p>Wu and Johnson, "Rethinking 'Batch' in BatchNorm" (2021, arXiv:2105.07576), section 3; the same pass is PyTorch's
 * {@code torch.optim.swa_utils.update_bn} and fvcore's {@code update_bn_stats}. The running statistics that training
 * leaves are an exponential moving average over the last steps' batches, and those batches were computed by earlier
 * weights: when the weights still moved fast at the end (a high learning rate, a short run), the statistics describe
 * another network than the one evaluated. On issue 11's segmentation scenes a U-Net trained for 638 steps at AdamW
 * 0.056 (a range test's reading) reached a lower training loss than at 0.0015 but 38.5% mIoU on 1,000 test images;
 * its statistics recomputed over 1,024 training images gave 64.9% (6,400 images: 64.9% too), and the 0.0015 model's
 * 68.1% became 68.8% (docs/BENCHMARKS.md).
 *
 * <p>The images are forwarded as stored (normalised, not augmented), so the statistics are those of the images the model
 * is evaluated on. Dropout stays on, as in training. DJL keeps a layer's momentum private and fixed, so it is set for
 * each batch by reflection to {@code k / (k + 1)} (DJL's convention: the weight of the old value), which makes the
 * running value the plain mean of the {@code k + 1} batches' statistics, and put back afterwards.
 */
public final class PreciseBatchNorm {
    /**
     * Training images forwarded (fewer when the split has fewer): on the U-Net above, 1,024 images gave the same test
     * mIoU as 6,400 (64.85% and 64.90%).
     */
    public static final int IMAGES = 1024;

    private PreciseBatchNorm() {}

    /** The block's BatchNorm layers, in the order of its children; empty when it has none (e.g. a TorchScript model). */
    public static List<BatchNorm> layers(Block block) {
        return dev.hone.models.BlockTree.ofType(block, BatchNorm.class);
    }

    /**
     * Training images the recalibration forwards: whole batches of {@code batchSize} covering up to {@link #IMAGES}
     * images of a split of {@code trainImages}, and at least one batch (all of a split smaller than a batch).
     */
    public static int images(int trainImages, int batchSize) {
        if (trainImages <= batchSize) {
            return trainImages;
        }
        int batches = Math.max(1, Math.min(trainImages, IMAGES) / batchSize);
        return batches * batchSize;
    }

    /**
     * Recomputes every BatchNorm layer's running mean and variance (PyTorch's unbiased batch variance) from the first
     * {@link #images} rows of {@code order}, in batches of {@code batchSize}.
     *
     * @param order row indices of {@code train}, e.g. a seeded permutation
     * @return the batches forwarded; 0 when the block has no BatchNorm layer (nothing changed)
     * @throws IllegalStateException when DJL's BatchNorm no longer has the private {@code momentum} field this relies on
     */
    public static int recalibrate(Block block, ResidentDataset train, int[] order, int batchSize) {
        List<BatchNorm> layers = layers(block);
        if (layers.isEmpty() || train.size() == 0) {
            return 0;
        }
        Field momentum = momentumField();
        float[] saved = new float[layers.size()];
        int n = images(Math.min(order.length, train.size()), batchSize);
        try {
            for (int i = 0; i < layers.size(); i++) {
                saved[i] = momentum.getFloat(layers.get(i));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read BatchNorm's momentum: " + e.getMessage(), e);
        }
        int batches = 0;
        try {
            for (int from = 0; from < n; from += batchSize) {
                int to = Math.min(n, from + batchSize);
                for (BatchNorm layer : layers) {
                    momentum.setFloat(layer, batches / (float) (batches + 1));
                }
                try (NDManager batchManager = train.manager().newSubManager()) {
                    ResidentDataset.Batch batch = train.batch(order, from, to, batchManager);
                    block.forward(new ParameterStore(batchManager, false), new NDList(BatchPadding.atLeastTwo(batch.images())),
                            true);
                }
                batches++;
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot set BatchNorm's momentum: " + e.getMessage(), e);
        } finally {
            for (int i = 0; i < layers.size(); i++) {
                try {
                    momentum.setFloat(layers.get(i), saved[i]);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot put BatchNorm's momentum back: " + e.getMessage(), e);
                }
            }
        }
        return batches;
    }

    private static Field momentumField() {
        try {
            Field f = BatchNorm.class.getDeclaredField("momentum");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException e) {
            throw new IllegalStateException("DJL's BatchNorm has no momentum field to set (" + e + ")", e);
        }
    }
}
