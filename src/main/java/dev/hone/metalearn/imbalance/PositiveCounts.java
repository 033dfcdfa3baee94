package dev.hone.metalearn.imbalance;

import dev.hone.data.ImageSet;
import dev.hone.tasks.Binary;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many training images are positive for each sigmoid output, and the positive weights that
 * follow from those counts.
 *
 * <p>The weight rule is PyTorch's documented one for {@code BCEWithLogitsLoss(pos_weight)}: for a
 * class with P positive and N negative examples, {@code pos_weight = N / P}, so the positives'
 * summed loss counts as much as the negatives'. It is clipped to [1/{@link #MAX_WEIGHT},
 * {@link #MAX_WEIGHT}]: a class with 3 positives in 10,000 images would otherwise multiply its
 * few gradients by over 3,000, and one mislabelled image would steer the head. A class with no
 * positive or no negative keeps weight 1: there is nothing to balance.
 *
 * @param images N + P, the training images (the same for every output)
 * @param positives P per output: one entry (the positive class) for binary, K for multi-label
 * @param names the class each output stands for, for the record
 */
public record PositiveCounts(int images, int[] positives, List<String> names) {
    /** The largest factor a positive example's loss is multiplied by. */
    public static final float MAX_WEIGHT = 50f;

    public PositiveCounts {
        positives = positives.clone();
        names = List.copyOf(names);
        if (positives.length != names.size() || positives.length == 0) {
            throw new IllegalArgumentException("need one name per output and at least one output, got " + positives.length
                    + " counts and " + names.size() + " names");
        }
        for (int p : positives) {
            if (p < 0 || p > images) {
                throw new IllegalArgumentException("a positive count must be in [0, " + images + "], got " + p);
            }
        }
    }

    /** P per output, a copy. */
    @Override
    public int[] positives() {
        return positives.clone();
    }

    /**
     * The counts of a sigmoid task's outputs on its training split.
     *
     * @throws IllegalArgumentException for a task that is not binary or multi-label
     */
    public static PositiveCounts of(Task task, ImageSet train) {
        int[] all = train.classCounts();
        if (task instanceof Binary b) {
            return new PositiveCounts(train.size(), new int[] {all[b.positive()]}, List.of(train.classNames().get(b.positive())));
        }
        if (task instanceof MultiLabel) {
            return new PositiveCounts(train.size(), all, train.classNames());
        }
        throw new IllegalArgumentException("class-imbalance handling applies to sigmoid tasks (binary, multi-label), not " + task);
    }

    /** {@code N / P} per output, clipped to [1/{@link #MAX_WEIGHT}, {@link #MAX_WEIGHT}]; 1 where P or N is 0. */
    public float[] weights() {
        float[] w = new float[positives.length];
        for (int k = 0; k < w.length; k++) {
            int p = positives[k];
            int n = images - p;
            w[k] = p == 0 || n == 0 ? 1f : Math.max(1f / MAX_WEIGHT, Math.min(MAX_WEIGHT, (float) n / p));
        }
        return w;
    }

    /**
     * The share of the minority side of the most imbalanced output that has any positive, in [0, 0.5]: its positives, or
     * its negatives where those are fewer (a binary run whose positive class is the larger one); 1 for an output with no
     * negative (nothing to balance). NaN when no output has a positive (nothing can be learned about positives, so nothing
     * to weight).
     */
    public double rarestShare() {
        int k = rarest();
        return k < 0 ? Double.NaN : (double) minority(k) / images;
    }

    /** The name of the output {@link #rarestShare} belongs to, or null when no output has a positive. */
    public String rarestName() {
        int k = rarest();
        return k < 0 ? null : names.get(k);
    }

    /** Whether the minority side of {@link #rarestName} is its negatives; false when no output has a positive. */
    public boolean rarestIsNegative() {
        int k = rarest();
        int n = k < 0 ? 0 : images - positives[k];
        return n > 0 && n < positives[k];
    }

    private int rarest() {
        int best = -1;
        for (int k = 0; k < positives.length; k++) {
            if (positives[k] > 0 && (best < 0 || minority(k) < minority(best))) {
                best = k;
            }
        }
        return best;
    }

    private int minority(int k) {
        int n = images - positives[k];
        return n == 0 ? images : Math.min(positives[k], n);
    }

    /** Positive counts by class name, in output order, for the record. */
    public Map<String, Object> byName() {
        return named(positives);
    }

    /** The weights by class name, in output order, for the record. */
    public Map<String, Object> weightsByName() {
        float[] w = weights();
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < w.length; k++) {
            m.put(names.get(k), (double) w[k]);
        }
        return m;
    }

    private Map<String, Object> named(int[] values) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int k = 0; k < values.length; k++) {
            m.put(names.get(k), values[k]);
        }
        return m;
    }
}
