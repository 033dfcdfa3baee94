package dev.hone.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ShuffleTest {
    @Test
    void aPermutationHoldsEveryIndexOnceAndReplaysFromItsSeed() {
        int[] p = Shuffle.permutation(1000, new SplittableRandom(7));
        assertThat(IntStream.of(p).sorted().toArray()).isEqualTo(IntStream.range(0, 1000).toArray());
        assertThat(p).isNotEqualTo(IntStream.range(0, 1000).toArray());
        assertThat(Shuffle.permutation(1000, new SplittableRandom(7))).isEqualTo(p);
    }

    @Test
    void aListIsShuffledAsThePermutationOfItsIndices() {
        List<Integer> items = new ArrayList<>(IntStream.range(0, 50).boxed().toList());
        Shuffle.inPlace(items, new SplittableRandom(3));
        assertThat(items.stream().mapToInt(Integer::intValue).toArray()).isEqualTo(Shuffle.permutation(50, new SplittableRandom(3)));
    }

    @Test
    void everyOrderOfThreeItemsComesUpAboutEquallyOften() {
        SplittableRandom random = new SplittableRandom(1);
        int[] counts = new int[6];
        for (int t = 0; t < 60_000; t++) {
            int[] p = Shuffle.permutation(3, random);
            counts[p[0] * 2 + (p[1] > p[2] ? 1 : 0)]++;
        }
        assertThat(IntStream.of(counts).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(9_400, 10_600));
    }
}
