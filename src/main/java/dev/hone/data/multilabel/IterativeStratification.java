package dev.hone.data.multilabel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Splits a multi-label set so that every label's positives are shared among the parts in their proportions.
 *
 * <p>The iterative stratification of Sechidis, Tsoumakas and Vlahavas, "On the Stratification of Multi-Label
 * Data", ECML PKDD 2011: take the label with the fewest positives not yet placed (ties at random), and place
 * each of its images in the part that still wants most images of that label, then the part that still
 * wants most images, then at random; repeat; images with no label then go where room is left. Rare labels
 * are placed first, while every part still has room, which is why they spread better than under a random
 * split.
 *
 * <p>Two deviations, both so that the split keeps its promises: a part that has reached its size takes no
 * more images, so part sizes are exact (the target rounded, largest remainder first); and a part that has no
 * image of the label yet is preferred over the wanted counts, so a label with at least as many positives as
 * there are parts lands in every part (the paper, at a 20 % hold-out, sends both positives of a
 * two-positive label to the larger part). The exception is a part already full when the label comes up,
 * which happens only when a part is smaller than the number of rare labels.
 *
 * <p>Deterministic for a given seed: the image order is shuffled once and every tie is broken from it.
 */
public final class IterativeStratification {

    /**
     * A two-part split.
     *
     * @param kept indices of the images kept (for training), ascending
     * @param held indices of the images held out, ascending
     */
    public record Split(int[] kept, int[] held) {}

    private IterativeStratification() {}

    /**
     * Holds out {@code heldFraction} of the images.
     *
     * @param targets N x K, {@code targets[i][k]} true when image i shows class k
     * @param heldFraction in [0, 1]; the held part has {@code round(N * heldFraction)} images
     * @throws IllegalArgumentException for a fraction outside [0, 1] or rows of unequal length
     */
    public static Split holdOut(boolean[][] targets, double heldFraction, long seed) {
        if (!(heldFraction >= 0 && heldFraction <= 1)) {
            throw new IllegalArgumentException("held fraction must be in [0, 1], got " + heldFraction);
        }
        int[][] parts = split(targets, new double[] {1 - heldFraction, heldFraction}, seed);
        return new Split(parts[0], parts[1]);
    }

    /**
     * Splits the images into parts of the given proportions (train, validation, test, ...).
     *
     * @param targets N x K
     * @param proportions one per part, each at least 0, summing to 1
     * @return one ascending index array per part; together they hold every index once
     * @throws IllegalArgumentException for proportions that are negative or do not sum to 1, or ragged targets
     */
    public static int[][] split(boolean[][] targets, double[] proportions, long seed) {
        int n = targets.length;
        int labels = n == 0 ? 0 : targets[0].length;
        for (boolean[] t : targets) {
            if (t.length != labels) {
                throw new IllegalArgumentException("every target row needs " + labels + " labels, one has " + t.length);
            }
        }
        int[] room = sizes(n, proportions);
        int parts = proportions.length;
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = dev.hone.core.Shuffle.permutation(n, random);
        List<List<Integer>> byLabel = new ArrayList<>();
        int[] unplaced = new int[labels];
        for (int k = 0; k < labels; k++) {
            byLabel.add(new ArrayList<>());
        }
        for (int i : order) {
            for (int k = 0; k < labels; k++) {
                if (targets[i][k]) {
                    byLabel.get(k).add(i);
                    unplaced[k]++;
                }
            }
        }
        double[][] wanted = new double[parts][labels];
        for (int j = 0; j < parts; j++) {
            for (int k = 0; k < labels; k++) {
                wanted[j][k] = unplaced[k] * proportions[j];
            }
        }
        boolean[][] present = new boolean[parts][labels];
        int[] part = new int[n];
        Arrays.fill(part, -1);
        for (int l = rarest(unplaced, random); l >= 0; l = rarest(unplaced, random)) {
            for (int i : byLabel.get(l)) {
                if (part[i] >= 0) {
                    continue;
                }
                int j = choose(room, wanted, present, l, random);
                part[i] = j;
                room[j]--;
                for (int k = 0; k < labels; k++) {
                    if (targets[i][k]) {
                        wanted[j][k]--;
                        unplaced[k]--;
                        present[j][k] = true;
                    }
                }
            }
        }
        for (int i : order) {
            if (part[i] < 0) {
                int j = choose(room, null, null, -1, random);
                part[i] = j;
                room[j]--;
            }
        }
        int[][] result = new int[parts][];
        for (int j = 0; j < parts; j++) {
            final int p = j;
            result[j] = java.util.stream.IntStream.range(0, n).filter(i -> part[i] == p).toArray();
        }
        return result;
    }

    /** Part sizes: {@code n * proportion}, rounded by largest remainder so that they sum to n. */
    static int[] sizes(int n, double[] proportions) {
        double sum = 0;
        for (double p : proportions) {
            if (!(p >= 0)) {
                throw new IllegalArgumentException("proportions must be at least 0, got " + Arrays.toString(proportions));
            }
            sum += p;
        }
        if (proportions.length == 0 || Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("proportions must sum to 1, got " + Arrays.toString(proportions));
        }
        int[] size = new int[proportions.length];
        int left = n;
        for (int j = 0; j < size.length; j++) {
            size[j] = (int) Math.floor(n * proportions[j]);
            left -= size[j];
        }
        for (; left > 0; left--) {
            int best = 0;
            for (int j = 1; j < size.length; j++) {
                if (n * proportions[j] - size[j] > n * proportions[best] - size[best]) {
                    best = j;
                }
            }
            size[best]++;
        }
        return size;
    }

    /** The label with the fewest unplaced positives (at least one), ties at random; -1 when none is left. */
    private static int rarest(int[] unplaced, SplittableRandom random) {
        int best = -1;
        int ties = 0;
        for (int k = 0; k < unplaced.length; k++) {
            if (unplaced[k] == 0) {
                continue;
            }
            if (best < 0 || unplaced[k] < unplaced[best]) {
                best = k;
                ties = 1;
            } else if (unplaced[k] == unplaced[best] && random.nextInt(++ties) == 0) {
                best = k;
            }
        }
        return best;
    }

    /**
     * The part with room that lacks label {@code l}, then wants most of it, then has most room; ties at random.
     * Without a label ({@code l < 0}) only room counts.
     */
    private static int choose(int[] room, double[][] wanted, boolean[][] present, int l, SplittableRandom random) {
        int best = -1;
        int ties = 0;
        for (int j = 0; j < room.length; j++) {
            if (room[j] <= 0) {
                continue;
            }
            int c = best < 0 ? 1 : compare(j, best, room, wanted, present, l);
            if (c > 0) {
                best = j;
                ties = 1;
            } else if (c == 0 && random.nextInt(++ties) == 0) {
                best = j;
            }
        }
        return best;
    }

    private static int compare(int a, int b, int[] room, double[][] wanted, boolean[][] present, int l) {
        if (l >= 0) {
            int c = Boolean.compare(!present[a][l], !present[b][l]);
            if (c == 0) {
                c = Double.compare(wanted[a][l], wanted[b][l]);
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(room[a], room[b]);
    }

}
