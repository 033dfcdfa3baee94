package dev.hone.loop;

import dev.hone.core.Shuffle;
import java.util.SplittableRandom;

/**
 * The order in which an epoch visits the training images, a pure function of (seed, epoch).
 *
 * <p>Deriving it rather than drawing from one running generator means a resumed run needs no saved
 * random state to replay the exact same order. The shuffle is {@link Shuffle}'s Fisher-Yates.
 */
public final class EpochOrder {
    private EpochOrder() {}

    public static int[] permutation(long seed, int epoch, int n) {
        return Shuffle.permutation(n, new SplittableRandom(Seeds.mix(seed, "epoch-order", epoch)));
    }
}
