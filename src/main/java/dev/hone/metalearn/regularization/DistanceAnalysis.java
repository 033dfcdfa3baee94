package dev.hone.metalearn.regularization;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.hone.augment.AugmentationPolicy;
import dev.hone.augment.Augmenter;
import dev.hone.augment.Transform;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's distance analysis: with a briefly trained model, how far does each (transform,
 * magnitude) pair move validation images in feature space? Features are the input of the
 * classifier (the pooled activations before the last linear layer), or the logits for a network
 * hone cannot open (TorchScript); the distance is the simplified Frechet distance between the
 * features of the original and the augmented images.
 *
 * <p>For classification it also counts, per pair, the images whose predicted class the pair
 * changes; {@link DistanceGroups} vetoes a pair that changes most of them.
 */
public final class DistanceAnalysis {
    /** Magnitudes measured per transform; flips have one. */
    public static final double[] MAGNITUDES = {0.25, 0.5, 0.75, 1.0};
    /** Groups the pairs are cut into, gentlest first; the search takes its singles' magnitudes from the gentler half. */
    public static final int GROUPS = 4;
    private static final int CHUNK = 128;

    private DistanceAnalysis() {}

    /**
     * Measures every pair of the transforms that suit the images' channels.
     *
     * @param images how many validation images to use (the first ones, in stored order)
     */
    public static DistanceGroups measure(Block block, ResidentDataset validation, Normalization norm, int channels, int images,
            long seed) {
        List<AugmentationPolicy.Step> steps = new ArrayList<>();
        for (Transform t : Transform.forChannels(channels)) {
            for (double m : t.hasMagnitude() ? MAGNITUDES : new double[] {1.0}) {
                steps.add(new AugmentationPolicy.Step(t.id(), m));
            }
        }
        return DistanceGroups.of(measure(block, validation, norm, images, seed, steps), GROUPS);
    }

    /**
     * Measures the given (transform, magnitude) pairs, in order: a policy's own steps ({@link PolicyLabelCheck}).
     *
     * @param images how many validation images to use (the first ones, in stored order)
     * @throws dev.hone.core.HoneException when a step needs colour images and these have another channel count
     */
    public static List<DistanceGroups.Pair> measure(Block block, ResidentDataset validation, Normalization norm, int images,
            long seed, List<AugmentationPolicy.Step> steps) {
        int n = Math.min(images, validation.size());
        Augmenter augmenter = new Augmenter(norm);
        List<DistanceGroups.Pair> pairs = new ArrayList<>();
        try (NDManager manager = validation.manager().newSubManager()) {
            ResidentDataset.Batch batch = validation.range(0, n, manager);
            NDArray x = batch.images();
            Forward clean = forward(block, x);
            // a class change means something for single-label and binary outputs only; with labels (single-label) only right images count
            boolean classes = validation.task() instanceof dev.hone.tasks.SingleLabel || validation.task() instanceof dev.hone.tasks.Binary;
            int[] labels = validation.task() instanceof dev.hone.tasks.SingleLabel
                    ? batch.labels().toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray() : null;
            for (AugmentationPolicy.Step step : steps) {
                Transform t = step.asTransform();
                double m = step.magnitude();
                try (NDManager pairManager = manager.newSubManager()) {
                    NDArray xa = augmenter.apply(x, AugmentationPolicy.of(t, m), Seeds.mix(seed, "distance-" + t.id(), (long) (m * 100)));
                    xa.attach(pairManager);
                    Forward augmented = forward(block, xa);
                    pairs.add(new DistanceGroups.Pair(t.id(), m, FrechetDistance.between(clean.features(), augmented.features()),
                            classes ? Math.min(1, classChange(clean.predicted(), augmented.predicted(), labels) / shareTransformed(t))
                                    : Double.NaN));
                }
            }
        }
        return pairs;
    }

    /** The share of images a transform alters: a flip flips each image with probability 1/2. */
    private static double shareTransformed(Transform t) {
        return t.hasMagnitude() ? 1 : 0.5;
    }

    /**
     * Feature rows of a batch, and each image's predicted class where the network's output is
     * {@code (N, K)}: the argmax, or for one logit whether it is positive; null for other outputs.
     */
    record Forward(float[][] features, int[] predicted) {}

    /** Fewest counted images a class needs for its own share to count in {@link #classChange}. */
    static final int MIN_CLASS_IMAGES = 30;
    /** The one-sided 95% normal quantile of the Wilson bound a class's share is read at. */
    private static final double Z = 1.645;

    /**
     * The share of images whose predicted class the transform changes, or NaN without predicted classes: over all the
     * counted images, or over one class's, whichever is larger. With labels, only the images the model gets right count
     * (a transform should not be blamed for moving the prediction of an image the model had wrong anyway), and a class
     * is an image's label; without, its clean prediction. A class's own share counts where it has at least
     * {@value #MIN_CLASS_IMAGES} counted images, at the lower end of its one-sided 95% Wilson interval, so that the
     * largest of ten noisy shares of 30 images does not veto a transform that keeps labels: a flip that turns every
     * "left" into "right" changes few images when left and right are a quarter of the data, and most of theirs.
     *
     * @param labels each image's class, or null to count every image
     */
    static double classChange(int[] clean, int[] augmented, int[] labels) {
        if (clean == null || augmented == null) {
            return Double.NaN;
        }
        java.util.Map<Integer, int[]> perClass = new java.util.TreeMap<>(); // class -> {counted, changed}
        int counted = 0;
        int changed = 0;
        for (int i = 0; i < clean.length; i++) {
            if (labels == null || clean[i] == labels[i]) {
                int moved = clean[i] != augmented[i] ? 1 : 0;
                counted++;
                changed += moved;
                int[] c = perClass.computeIfAbsent(clean[i], k -> new int[2]);
                c[0]++;
                c[1] += moved;
            }
        }
        if (counted == 0) {
            return Double.NaN;
        }
        double share = (double) changed / counted;
        for (int[] c : perClass.values()) {
            if (c[0] >= MIN_CLASS_IMAGES) {
                share = Math.max(share, wilsonLower(c[1], c[0]));
            }
        }
        return share;
    }

    /** The lower end of the one-sided 95% Wilson score interval of {@code k} successes in {@code n} trials. */
    static double wilsonLower(int k, int n) {
        double p = (double) k / n;
        double z2 = Z * Z;
        double centre = p + z2 / (2.0 * n);
        double spread = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return Math.max(0, (centre - spread) / (1 + z2 / n));
    }

    /** Features and predicted classes of a batch, computed in chunks in inference mode. */
    static Forward forward(Block block, NDArray x) {
        int n = (int) x.getShape().get(0);
        float[][] rows = new float[n][];
        int[] predicted = new int[n];
        boolean classes = true;
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            try (NDManager m = x.getManager().newSubManager()) {
                NDArray chunk = x.get(from + ":" + to);
                chunk.attach(m);
                NDList out = featureForward(block, new ParameterStore(m, false), chunk);
                NDArray f = out.get(0);
                long d = f.getShape().size() / (to - from);
                float[] flat = f.reshape(to - from, d).toFloatArray();
                for (int i = 0; i < to - from; i++) {
                    rows[from + i] = java.util.Arrays.copyOfRange(flat, (int) (i * d), (int) ((i + 1) * d));
                }
                NDArray logits = out.get(1);
                classes &= logits.getShape().dimension() == 2;
                if (classes) {
                    int k = (int) logits.getShape().get(1);
                    float[] z = logits.toFloatArray();
                    for (int i = 0; i < to - from; i++) {
                        predicted[from + i] = k == 1 ? (z[i] > 0 ? 1 : 0)
                                : dev.hone.tasks.Predictions.argMax(java.util.Arrays.copyOfRange(z, i * k, (i + 1) * k));
                    }
                }
            }
        }
        return new Forward(rows, classes ? predicted : null);
    }

    /**
     * The features (all children of a sequential network but its trailing classifier and dropout;
     * the whole block otherwise) and the network's output, in that order.
     */
    private static NDList featureForward(Block block, ParameterStore store, NDArray x) {
        if (!(block instanceof SequentialBlock seq)) {
            NDArray out = block.forward(store, new NDList(x), false).singletonOrThrow();
            return new NDList(out, out);
        }
        List<Block> children = new ArrayList<>();
        for (Pair<String, Block> c : seq.getChildren()) {
            children.add(c.getValue());
        }
        int end = children.size();
        while (end > 1 && (children.get(end - 1) instanceof Linear || children.get(end - 1) instanceof Dropout)) {
            end--;
        }
        NDList out = new NDList(x);
        for (Block c : children.subList(0, end)) {
            out = c.forward(store, out, false);
        }
        NDArray features = out.singletonOrThrow();
        for (Block c : children.subList(end, children.size())) {
            out = c.forward(store, out, false);
        }
        return new NDList(features, out.singletonOrThrow());
    }
}
