package dev.hone.tasks;

/**
 * What the per-epoch training metric counts in a batch: {@code correct} of {@code counted} units, in the
 * task's own unit (images for classification, labelled pixels for segmentation, object centres for
 * detection). The loop sums both over an epoch and reports their ratio ({@link #fraction}), so the
 * metric is pooled over the epoch's units, never rounded to whole images per batch.
 *
 * @param correct units counted right, 0 to {@code counted}
 * @param counted units the metric is over (ignored pixels and ignored boxes left out); may be 0
 */
public record Tally(long correct, long counted) {
    /** Nothing counted: the start of a sum. */
    public static final Tally NONE = new Tally(0, 0);

    public Tally {
        if (correct < 0 || correct > counted) {
            throw new IllegalArgumentException("correct " + correct + " is not within 0.." + counted);
        }
    }

    /** This tally and {@code other} together. */
    public Tally plus(Tally other) {
        return new Tally(correct + other.correct, counted + other.counted);
    }

    /** {@code correct / counted}, in [0, 1]; 0 when nothing was counted. */
    public double fraction() {
        return counted == 0 ? 0 : (double) correct / counted;
    }
}
