package dev.hone.loop;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.tasks.SingleLabel;
import dev.hone.tasks.Task;

/**
 * A decoded image set kept on the device as one uint8 tensor, batches sliced there.
 *
 * <p>This is how speedruns keep the data path from starving the step: no per-image decoding or
 * copying in Java. A slice's result belongs to the resident tensor's manager, so each batch is
 * attached to a per-batch sub-manager the caller closes; otherwise every step leaks its batch.
 */
public final class ResidentDataset implements AutoCloseable {
    private final NDManager manager;
    private final NDArray images;
    private final NDArray labels;
    private final NDArray softTargets;
    private final NDArray scale;
    private final NDArray shift;
    private final int size;
    private final int numClasses;
    private final Normalization normalization;
    private final Task task;

    /** A single-label set: labels are class indices, targets one-hot. */
    public ResidentDataset(ImageSet set, Normalization norm, Device device) {
        this(set, norm, device, SingleLabel.INSTANCE);
    }

    /** A set whose targets {@code task} encodes. */
    public ResidentDataset(ImageSet set, Normalization norm, Device device, Task task) {
        this.normalization = norm;
        this.task = task;
        this.manager = NDManager.newBaseManager(device);
        manager.setName("resident-data");
        this.size = set.size();
        this.numClasses = set.numClasses();
        Shape shape = new Shape(set.size(), set.channels(), set.height(), set.width());
        this.images = manager.create(java.nio.ByteBuffer.wrap(set.pixels()), shape, DataType.UINT8);
        if (set.detection()) {
            // boxes (N, B, 6) padded with class -1 rows, B the most boxes of any image (at least 1)
            int b = Math.max(1, set.maxBoxes());
            float[] rows = new float[set.size() * b * ImageSet.BOX_FIELDS];
            for (int i = 0; i < set.size(); i++) {
                float[] own = set.boxes()[i];
                System.arraycopy(own, 0, rows, i * b * ImageSet.BOX_FIELDS, own.length);
                for (int r = own.length; r < b * ImageSet.BOX_FIELDS; r += ImageSet.BOX_FIELDS) {
                    rows[i * b * ImageSet.BOX_FIELDS + r] = -1;
                }
            }
            this.labels = manager.create(rows, new Shape(set.size(), b, ImageSet.BOX_FIELDS));
        } else if (set.segmentation()) {
            // masks (N, H, W) uint8, sliced per batch like the images; the task makes them one-hot maps
            this.labels = manager.create(java.nio.ByteBuffer.wrap(set.masks()), new Shape(set.size(), set.height(), set.width()),
                    DataType.UINT8);
        } else if (set.multiLabel()) {
            // multi-hot rows (N, K), sliced per batch like the images
            float[] hot = new float[set.multiHot().length];
            for (int i = 0; i < hot.length; i++) {
                hot[i] = set.multiHot()[i];
            }
            this.labels = manager.create(hot, new Shape(set.size(), set.numClasses()));
        } else {
            long[] l = new long[set.size()];
            for (int i = 0; i < l.length; i++) {
                l[i] = set.label(i);
            }
            this.labels = manager.create(l);
        }
        // soft pseudo-labels (N, K), sliced per batch like the labels, which stay the classes
        this.softTargets = set.softTargets() == null ? null : manager.create(set.softTargets(), new Shape(set.size(), set.numClasses()));
        int c = set.channels();
        float[] sc = new float[c];
        float[] sh = new float[c];
        for (int ch = 0; ch < c; ch++) {
            // (x/255 - mean) / std  ==  x * scale + shift
            sc[ch] = 1f / (255f * norm.std()[ch]);
            sh[ch] = -norm.mean()[ch] / norm.std()[ch];
        }
        this.scale = manager.create(sc, new Shape(1, c, 1, 1));
        this.shift = manager.create(sh, new Shape(1, c, 1, 1));
    }

    public int size() {
        return size;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Pixels per image and channel: {@code H * W}. */
    public long pixelsPerImage() {
        Shape s = images.getShape();
        return s.get(2) * s.get(3);
    }

    public NDManager manager() {
        return manager;
    }

    /** The task whose targets, probabilities and training metric this set's batches use. */
    public Task task() {
        return task;
    }

    /**
     * {@code batch}'s dense targets, the loop's one target format: (N, task.outputs(K)) float32, or
     * (N, K, H, W) for a task with {@link Task#spatialTargets}; a set with soft targets ({@link
     * ImageSet#withSoftTargets}) gives its rows, owned by the batch's manager: the batch's own array, so a
     * caller must not close it while the batch is in use.
     */
    public NDArray targets(Batch batch) {
        return batch.softTargets() != null ? task.softTargets(batch.softTargets()) : task.targets(batch.labels(), numClasses);
    }

    /** The normalisation applied to every batch, so a companion set can be made alike. */
    public Normalization normalization() {
        return normalization;
    }

    /** A batch of the given images, normalised float32 NCHW, owned by {@code batchManager}. */
    public Batch batch(int[] indices, int from, int to, NDManager batchManager) {
        long[] idx = new long[to - from];
        for (int i = from; i < to; i++) {
            idx[i - from] = indices[i];
        }
        NDArray index = batchManager.create(idx);
        return slice(new NDIndex("{}", index), batchManager);
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive) in stored order, for evaluation. */
    public Batch range(int from, int to, NDManager batchManager) {
        return slice(new NDIndex(from + ":" + to), batchManager);
    }

    /** The images, labels and soft targets (where the set has them) at {@code index}, owned by {@code batchManager}. */
    private Batch slice(NDIndex index, NDManager batchManager) {
        NDArray raw = images.get(index);
        raw.attach(batchManager);
        NDArray y = labels.get(index);
        y.attach(batchManager);
        NDArray soft = null;
        if (softTargets != null) {
            soft = softTargets.get(index);
            soft.attach(batchManager);
        }
        return new Batch(normalise(raw), y, soft);
    }

    private NDArray normalise(NDArray raw) {
        NDArray x = raw.toType(DataType.FLOAT32, false);
        return x.muli(scale).addi(shift);
    }

    @Override
    public void close() {
        manager.close();
    }

    /**
     * Normalised images and their labels: class indices (N) int64, multi-hot rows (N, K) float32,
     * masks (N, H, W) uint8, or boxes (N, B, 6) float32 (class -1 rows pad); and for a set with soft
     * targets their rows (N, K) float32, else null.
     */
    public record Batch(NDArray images, NDArray labels, NDArray softTargets) {
        /** A batch whose targets follow from its labels. */
        public Batch(NDArray images, NDArray labels) {
            this(images, labels, null);
        }
    }
}
