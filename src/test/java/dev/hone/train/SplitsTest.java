package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {

    private static ImageSet labelled(int... labels) {
        return new ImageSet(new byte[labels.length], labels, 1, 1, 1, List.of("a", "b", "c"), i -> "img" + i);
    }

    @Test
    void holdsOutTheSameShareOfEveryClassDisjointlyAndReproducibly() {
        int[] labels = IntStream.range(0, 300).map(i -> i < 200 ? 0 : (i < 280 ? 1 : 2)).toArray();
        ImageSet set = labelled(labels);
        Splits.Split s = Splits.stratified(set, 0.1, 5, "validation");
        assertThat(set.subset(s.held()).classCounts()).containsExactly(20, 8, 2);
        assertThat(s.kept().length + s.held().length).isEqualTo(300);
        assertThat(IntStream.of(s.kept()).filter(k -> IntStream.of(s.held()).anyMatch(h -> h == k))).isEmpty();
        assertThat(Splits.stratified(set, 0.1, 5, "validation").held()).isEqualTo(s.held());
        assertThat(Splits.stratified(set, 0.1, 6, "validation").held()).isNotEqualTo(s.held());
    }

    @Test
    void aClassWithoutImagesIsAnErrorNamingIt() {
        assertThatThrownBy(() -> Splits.stratified(labelled(0, 0, 1, 1), 0.1, 1, "test"))
                .isInstanceOf(HoneException.class).hasMessageContaining("class 'c'").hasMessageContaining("Fix");
    }
}
