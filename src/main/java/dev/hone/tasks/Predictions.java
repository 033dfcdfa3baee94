package dev.hone.tasks;

/**
 * Probabilities for every image of an evaluated set, with the mean loss and the task's validation
 * score.
 *
 * @param probabilities one row per image, in the set's order: class probabilities (single-label,
 *     and binary as (1 - p, p) in class order), one independent probability per class (multi-label),
 *     or what the task keeps instead ({@link Task#kept}: the predicted mask, H*W class indices, for segmentation)
 * @param labels class indices (single-label and binary; zeros for multi-label)
 * @param targets each image's dense target row, as the task encodes it (one-hot, (y), multi-hot), or
 *     what it keeps instead ({@link Task#keptTargets}: the true mask for segmentation)
 * @param meanLoss the task's loss per image ({@link Task#imageLosses}), averaged
 * @param score the task's validation metric ({@link Task#score}): accuracy for
 *     single-label; NaN for an empty set
 * @param imageLosses each image's loss ({@link Task#imageLosses}), in the set's order, or null where
 *     they were not kept; {@link dev.hone.metalearn.regularization.PairedComparison#ofLoss} compares them
 */
public record Predictions(float[][] probabilities, int[] labels, float[][] targets, double meanLoss, double score,
        double[] imageLosses) {

    /** Predictions without per-image losses. */
    public Predictions(float[][] probabilities, int[] labels, float[][] targets, double meanLoss, double score) {
        this(probabilities, labels, targets, meanLoss, score, null);
    }

    /** These predictions with {@code score}. */
    public Predictions withScore(double value) {
        return new Predictions(probabilities, labels, targets, meanLoss, value, imageLosses);
    }

    /**
     * The given images' rows, in the given order (repeats allowed, as a bootstrap draws them), with
     * this set's mean loss and no score: score them with {@link Task#score}.
     */
    public Predictions rows(int[] indices) {
        float[][] p = new float[indices.length][];
        int[] l = new int[indices.length];
        float[][] t = new float[indices.length][];
        double[] losses = imageLosses == null ? null : new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            p[i] = probabilities[indices[i]];
            l[i] = labels[indices[i]];
            t[i] = targets[indices[i]];
            if (losses != null) {
                losses[i] = imageLosses[indices[i]];
            }
        }
        return new Predictions(p, l, t, meanLoss, Double.NaN, losses);
    }

    public int predicted(int i) {
        return argMax(probabilities[i]);
    }

    /** The index of the largest value; ties go to the lower index. */
    public static int argMax(float[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }
}
