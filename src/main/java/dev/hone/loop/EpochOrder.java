package dev.hone.loop;

import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the training images, a pure function of (seed, epoch).
 *
 * <p>Deriving it rather than drawing from one running generator means a resumed run needs no saved
 * random state to replay the exact same order. The Fisher-Yates shuffle gives every permutation
 * equal probability (the Masterful paper warns that windowed shuffles are not random enough).
 */
public final class EpochOrder {
    private EpochOrder() {}

    public static int[] permutation(long seed, int epoch, int n) {
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, "epoch-order", epoch));
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
}
