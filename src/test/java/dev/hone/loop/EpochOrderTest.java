package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochOrderTest {

    @Test
    void isAPermutationThatDependsOnlyOnSeedAndEpoch() {
        int[] a = EpochOrder.permutation(7, 3, 1000);
        assertThat(Arrays.stream(a).sorted().toArray()).isEqualTo(IntStream.range(0, 1000).toArray());
        assertThat(EpochOrder.permutation(7, 3, 1000)).isEqualTo(a);
        assertThat(EpochOrder.permutation(7, 4, 1000)).isNotEqualTo(a);
        assertThat(EpochOrder.permutation(8, 3, 1000)).isNotEqualTo(a);
    }
}
