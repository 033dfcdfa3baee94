package dev.hone.augment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AugmentationDrawTest {
    private static final AugmentationPolicy POOL = AugmentationPolicy.of(Transform.TRANSLATE, 0.5)
            .with(Transform.ROTATE, 0.25).with(Transform.ERASE, 0.5).with(Transform.FLIP_HORIZONTAL, 1.0);

    @Test
    void eachBatchGetsNDistinctStepsReproduciblyAndEveryStepIsUsed() {
        Set<String> seen = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            AugmentationPolicy drawn = Augmentation.drawn(POOL, 2, seed);
            assertThat(drawn.steps()).hasSize(2).doesNotHaveDuplicates();
            assertThat(POOL.steps()).containsAll(drawn.steps());
            assertThat(Augmentation.drawn(POOL, 2, seed)).isEqualTo(drawn);
            drawn.steps().forEach(s -> seen.add(s.transform()));
        }
        assertThat(seen).hasSize(4);
    }

    @Test
    void zeroOrTooManyMeansEveryStep() {
        assertThat(Augmentation.drawn(POOL, 0, 1)).isEqualTo(POOL);
        assertThat(Augmentation.drawn(POOL, 9, 1)).isEqualTo(POOL);
        assertThat(Augmentation.drawn(AugmentationPolicy.NONE, 2, 1).steps()).isEqualTo(List.of());
    }
}
