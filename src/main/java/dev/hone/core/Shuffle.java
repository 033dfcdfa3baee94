package dev.hone.core;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The Fisher-Yates shuffle (Knuth's Algorithm P), the one hone uses everywhere: every permutation is
 * equally likely (the Masterful paper warns that windowed shuffles are not random enough), and the
 * result is a pure function of the generator's state, so a seeded generator replays it exactly.
 */
public final class Shuffle {
    private Shuffle() {}

    /** A uniformly random permutation of {@code 0..n-1}. */
    public static int[] permutation(int n, RandomGenerator random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Shuffles {@code items} in place, drawing from {@code random} exactly as {@link #permutation} does. */
    public static <T> void inPlace(List<T> items, RandomGenerator random) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = items.get(i);
            items.set(i, items.get(j));
            items.set(j, t);
        }
    }
}
