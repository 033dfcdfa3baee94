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
 */
public final class DistanceAnalysis {
    /** Magnitudes measured per transform; flips have one. */
    public static final double[] MAGNITUDES = {0.25, 0.5, 0.75, 1.0};
    /** Groups the pairs are cut into: the search's distortion levels. */
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
        int n = Math.min(images, validation.size());
        Augmenter augmenter = new Augmenter(norm);
        List<DistanceGroups.Pair> pairs = new ArrayList<>();
        try (NDManager manager = validation.manager().newSubManager()) {
            NDArray x = validation.range(0, n, manager).images();
            float[][] clean = features(block, x);
            for (Transform t : Transform.forChannels(channels)) {
                double[] magnitudes = t.hasMagnitude() ? MAGNITUDES : new double[] {1.0};
                for (double m : magnitudes) {
                    try (NDManager pairManager = manager.newSubManager()) {
                        NDArray xa = augmenter.apply(x, AugmentationPolicy.of(t, m), Seeds.mix(seed, "distance-" + t.id(), (long) (m * 100)));
                        xa.attach(pairManager);
                        pairs.add(new DistanceGroups.Pair(t.id(), m, FrechetDistance.between(clean, features(block, xa))));
                    }
                }
            }
        }
        return DistanceGroups.of(pairs, GROUPS);
    }

    /** Feature rows of a batch, computed in chunks in inference mode. */
    static float[][] features(Block block, NDArray x) {
        int n = (int) x.getShape().get(0);
        float[][] rows = new float[n][];
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            try (NDManager m = x.getManager().newSubManager()) {
                NDArray chunk = x.get(from + ":" + to);
                chunk.attach(m);
                NDArray f = featureForward(block, new ParameterStore(m, false), chunk);
                f.attach(m);
                long d = f.getShape().size() / (to - from);
                float[] flat = f.reshape(to - from, d).toFloatArray();
                for (int i = 0; i < to - from; i++) {
                    rows[from + i] = java.util.Arrays.copyOfRange(flat, (int) (i * d), (int) ((i + 1) * d));
                }
            }
        }
        return rows;
    }

    /** All children of a sequential network but its trailing classifier (and dropout); the whole block otherwise. */
    private static NDArray featureForward(Block block, ParameterStore store, NDArray x) {
        if (!(block instanceof SequentialBlock seq)) {
            return block.forward(store, new NDList(x), false).singletonOrThrow();
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
        return out.singletonOrThrow();
    }
}
