package dev.hone.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TallyTest {
    @Test
    void batchesAddUpToOnePooledFraction() {
        Tally epoch = Tally.NONE.plus(new Tally(1, 4)).plus(new Tally(3, 4)).plus(new Tally(0, 2));
        assertThat(epoch).isEqualTo(new Tally(4, 10));
        assertThat(epoch.fraction()).isEqualTo(0.4);
    }

    @Test
    void nothingCountedIsZeroAndMoreRightThanCountedIsRefused() {
        assertThat(Tally.NONE.fraction()).isZero();
        assertThatThrownBy(() -> new Tally(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Tally(-1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
