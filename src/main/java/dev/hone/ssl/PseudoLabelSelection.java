package dev.hone.ssl;

import java.util.Arrays;

/**
 * The unlabeled images Noisy Student trains the student on, their targets, and the numbers the report
 * shows about how they were chosen. Immutable: arrays are copied in and out (so, as for any record
 * of arrays, {@code equals} compares array identity; compare the accessors' contents instead).
 *
 * @param indices rows of the teacher's predictions to train on, with repeats where a class was
 *     topped up; grouped by class (ascending), most confident first within a class, the copies last.
 *     Not shuffled: the data loader shuffles
 * @param targets one target row (length K) per entry of {@code indices}: the teacher's distribution
 *     (soft) or its one-hot argmax (hard)
 * @param classes the teacher's predicted class (argmax) of each entry of {@code indices}
 * @param predictedCounts per class, images the teacher predicts it for, over all N images
 * @param keptCounts per class, images left after the confidence threshold
 * @param balancedCounts per class, entries in {@code indices} after balancing
 * @param perClass M, the count every non-empty class was brought to, or -1 when not balanced
 * @param histogram the teacher's confidence (its largest probability) over all N images, in {@link
 *     PseudoLabels#HISTOGRAM_BINS} equal bins over [0, 1]; confidence 1 falls in the last bin
 * @param threshold the confidence an image had to exceed
 * @param soft whether targets are the teacher's distributions (true) or one-hot (false)
 */
public record PseudoLabelSelection(int[] indices, float[][] targets, int[] classes, int[] predictedCounts,
        int[] keptCounts, int[] balancedCounts, int perClass, int[] histogram, double threshold, boolean soft) {

    /** Copies every array so the record cannot be changed from outside. */
    public PseudoLabelSelection {
        indices = indices.clone();
        targets = deepCopy(targets);
        classes = classes.clone();
        predictedCounts = predictedCounts.clone();
        keptCounts = keptCounts.clone();
        balancedCounts = balancedCounts.clone();
        histogram = histogram.clone();
    }

    /** The number of selected entries, repeats included. */
    public int size() {
        return indices.length;
    }

    /** Images thrown out by the threshold, all classes together. */
    public int filtered() {
        return Arrays.stream(predictedCounts).sum() - Arrays.stream(keptCounts).sum();
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public float[][] targets() {
        return deepCopy(targets);
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    @Override
    public int[] predictedCounts() {
        return predictedCounts.clone();
    }

    @Override
    public int[] keptCounts() {
        return keptCounts.clone();
    }

    @Override
    public int[] balancedCounts() {
        return balancedCounts.clone();
    }

    @Override
    public int[] histogram() {
        return histogram.clone();
    }

    private static float[][] deepCopy(float[][] rows) {
        float[][] copy = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }
}
