package dev.hone.ssl;

import dev.hone.core.Shuffle;
import dev.hone.loop.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Noisy Student's data filtering and balancing: which unlabeled images, with which targets, the
 * student learns from. Pure Java, no DJL: the caller hands in the teacher's probabilities.
 *
 * <p>From Xie et al. 2020, "Self-training with Noisy Student improves ImageNet classification",
 * arXiv:1911.04252, section 3 ("Data filtering and balancing") and section 4.1. The teacher, run
 * without noise, predicts a distribution for each unlabeled image; its confidence is the largest
 * probability and its class the argmax. The paper keeps images with confidence higher than 0.3
 * ({@link #PAPER_THRESHOLD}) because low-confidence images are usually out of domain, then makes
 * every class the same size M (130K on ImageNet): a class with more than M images keeps its M most
 * confident, one with fewer has images duplicated at random up to M, so the pseudo-labeled set is as
 * balanced as ImageNet's labeled one. Targets may be soft (the teacher's distribution, the paper's
 * default, slightly better for out-of-domain images) or hard (one-hot).
 *
 * <p>M is given, or by default the median of the per-class counts after thresholding, over classes
 * that kept at least one image (a class with none cannot be duplicated and stays empty). A class
 * below M gets {@code M / n} copies of each of its n images and then {@code M mod n} more distinct
 * ones drawn at random, so no image is repeated more than once beyond any other: the paper only says
 * "at random". The draws for class c come from {@code Seeds.mix(seed, "pseudo-label-duplicates", c)},
 * so the same seed gives the same selection, and one class's draws do not depend on another's.
 * Ties in confidence go to the lower image index.
 */
public final class PseudoLabels {
    /** The paper's confidence threshold on ImageNet with JFT as unlabeled data (section 4.1). */
    public static final double PAPER_THRESHOLD = 0.3;

    /** Bins of the confidence histogram over [0, 1]. */
    public static final int HISTOGRAM_BINS = 20;

    /** How far a row of probabilities may sum from 1 before it is refused. */
    static final double SUM_TOLERANCE = 1e-3;

    private final double threshold;
    private final boolean soft;
    private final boolean balance;
    private final int perClass;
    private final long seed;

    private PseudoLabels(Builder b) {
        this.threshold = b.threshold;
        this.soft = b.soft;
        this.balance = b.balance;
        this.perClass = b.perClass;
        this.seed = b.seed;
    }

    /** A builder: the seed is required, everything else defaults to the paper's choice. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Filters and balances the teacher's predictions.
     *
     * @param teacher probabilities (N, K), N >= 1: one row per unlabeled image, each a distribution
     *     over the K classes (single-label: rows sum to 1)
     * @return the selection, its targets and the counts behind it
     * @throws IllegalArgumentException if there are no rows, rows differ in length, or a row has a
     *     value outside [0, 1] or does not sum to 1 within {@value #SUM_TOLERANCE}
     */
    public PseudoLabelSelection select(float[][] teacher) {
        int k = check(teacher);
        int n = teacher.length;
        int[] predicted = new int[k];
        int[] histogram = new int[HISTOGRAM_BINS];
        List<List<Integer>> kept = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            kept.add(new ArrayList<>());
        }
        float[] confidence = new float[n];
        int[] argmax = new int[n];
        for (int i = 0; i < n; i++) {
            argmax[i] = argmax(teacher[i]);
            confidence[i] = teacher[i][argmax[i]];
            predicted[argmax[i]]++;
            histogram[Math.min(HISTOGRAM_BINS - 1, (int) (confidence[i] * HISTOGRAM_BINS))]++;
            if (confidence[i] > threshold) {
                kept.get(argmax[i]).add(i);
            }
        }
        int[] keptCounts = new int[k];
        for (int c = 0; c < k; c++) {
            kept.get(c).sort(Comparator.<Integer>comparingDouble(i -> -confidence[i]).thenComparingInt(i -> i));
            keptCounts[c] = kept.get(c).size();
        }
        int m = !balance ? -1 : perClass > 0 ? perClass : median(keptCounts);
        List<Integer> chosen = new ArrayList<>();
        int[] balanced = new int[k];
        for (int c = 0; c < k; c++) {
            List<Integer> images = m < 0 ? kept.get(c) : resize(kept.get(c), m, c);
            balanced[c] = images.size();
            chosen.addAll(images);
        }
        int[] indices = chosen.stream().mapToInt(Integer::intValue).toArray();
        float[][] targets = new float[indices.length][];
        int[] classes = new int[indices.length];
        for (int j = 0; j < indices.length; j++) {
            classes[j] = argmax[indices[j]];
            targets[j] = soft ? teacher[indices[j]].clone() : oneHot(k, classes[j]);
        }
        return new PseudoLabelSelection(indices, targets, classes, predicted, keptCounts, balanced, m, histogram,
                threshold, soft);
    }

    /** The median of the non-zero counts, rounded up when it falls between two; 0 when all are zero. */
    public static int median(int[] counts) {
        int[] present = Arrays.stream(counts).filter(c -> c > 0).sorted().toArray();
        if (present.length == 0) {
            return 0;
        }
        int mid = present.length / 2;
        return present.length % 2 == 1 ? present[mid] : (present[mid - 1] + present[mid] + 1) / 2;
    }

    /** The first m of a class's images by confidence, or all of them repeated up to m. */
    private List<Integer> resize(List<Integer> images, int m, int c) {
        int n = images.size();
        if (n >= m || n == 0) {
            return new ArrayList<>(images.subList(0, Math.min(n, m)));
        }
        List<Integer> out = new ArrayList<>(m);
        for (int copy = 0; copy < m / n; copy++) {
            out.addAll(images);
        }
        int[] order = Shuffle.permutation(n, new SplittableRandom(Seeds.mix(seed, "pseudo-label-duplicates", c)));
        for (int j = 0; j < m % n; j++) {
            out.add(images.get(order[j]));
        }
        return out;
    }

    private static int argmax(float[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

    private static float[] oneHot(int k, int c) {
        float[] row = new float[k];
        row[c] = 1;
        return row;
    }

    private static int check(float[][] teacher) {
        if (teacher == null || teacher.length == 0 || teacher[0] == null || teacher[0].length == 0) {
            throw new IllegalArgumentException("Noisy Student needs the teacher's probabilities for at least one image and class");
        }
        int k = teacher[0].length;
        for (int i = 0; i < teacher.length; i++) {
            if (teacher[i] == null || teacher[i].length != k) {
                throw new IllegalArgumentException("teacher row " + i + " has " + (teacher[i] == null ? "no" : teacher[i].length)
                        + " probabilities, row 0 has " + k + ": give one row of K class probabilities per image");
            }
            double sum = 0;
            for (float p : teacher[i]) {
                if (!(p >= 0 && p <= 1)) {
                    throw new IllegalArgumentException("teacher row " + i + " holds " + p + ", not a probability: pass softmax"
                            + " outputs, not logits");
                }
                sum += p;
            }
            if (Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new IllegalArgumentException("teacher row " + i + " sums to " + sum + ", not 1: Noisy Student's"
                        + " selection is for single-label softmax outputs");
            }
        }
        return k;
    }

    /** Options for {@link PseudoLabels}, DJL style: {@code setX} required, {@code optX} optional. */
    public static final class Builder {
        private double threshold = PAPER_THRESHOLD;
        private boolean soft = true;
        private boolean balance = true;
        private int perClass;
        private Long seed;

        private Builder() {}

        /** Keep images whose confidence is above this, in [0, 1); default {@link #PAPER_THRESHOLD}. */
        public Builder optThreshold(double threshold) {
            if (!(threshold >= 0 && threshold < 1)) {
                throw new IllegalArgumentException("pseudo-label threshold must be in [0, 1): " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /** Soft targets (the teacher's distribution, the default, as in the paper) or hard (one-hot). */
        public Builder optSoftTargets(boolean soft) {
            this.soft = soft;
            return this;
        }

        /** Bring every non-empty class to exactly m images, m >= 1; default: the median kept count. */
        public Builder optPerClass(int m) {
            if (m < 1) {
                throw new IllegalArgumentException("images per class must be at least 1: " + m);
            }
            this.perClass = m;
            this.balance = true;
            return this;
        }

        /** Skip balancing: keep every image above the threshold once. */
        public Builder optUnbalanced() {
            this.balance = false;
            this.perClass = 0;
            return this;
        }

        /** The seed of the random duplication, split from the run's recorded seed. */
        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @throws IllegalStateException if no seed was set */
        public PseudoLabels build() {
            if (seed == null) {
                throw new IllegalStateException("PseudoLabels needs setSeed(...): duplication is random and must replay");
            }
            return new PseudoLabels(this);
        }
    }
}
