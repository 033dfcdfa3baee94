package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DistanceGroupsTest {
    private static final List<DistanceGroups.Pair> PAIRS = List.of(
            new DistanceGroups.Pair("translate", 0.25, 1.0),
            new DistanceGroups.Pair("translate", 0.5, 3.0),
            new DistanceGroups.Pair("translate", 1.0, 9.0),
            new DistanceGroups.Pair("rotate", 0.25, 2.0),
            new DistanceGroups.Pair("rotate", 0.5, 6.0),
            new DistanceGroups.Pair("flip-horizontal", 1.0, 20.0));

    @Test
    void groupsAreDistanceQuantilesGentlestFirst() {
        DistanceGroups g = DistanceGroups.of(PAIRS, 3);
        assertThat(g.levels()).isEqualTo(3);
        assertThat(g.groups().get(0)).extracting(DistanceGroups.Pair::distance).containsExactly(1.0, 2.0);
        assertThat(g.groups().get(1)).extracting(DistanceGroups.Pair::distance).containsExactly(3.0, 6.0);
        assertThat(g.groups().get(2)).extracting(DistanceGroups.Pair::distance).containsExactly(9.0, 20.0);
        assertThat(g.groupOf("flip-horizontal", 1.0)).isEqualTo(2);
        assertThat(g.distance("rotate", 0.5)).isEqualTo(6.0);
    }

    @Test
    void aLevelTakesEachTransformsLargestAllowedMagnitude() {
        DistanceGroups g = DistanceGroups.of(PAIRS, 3);
        assertThat(g.policyAt(0)).isEmpty();
        assertThat(g.policyAt(1)).isEqualTo(Map.of("translate", 0.25, "rotate", 0.25));
        assertThat(g.policyAt(2)).isEqualTo(Map.of("translate", 0.5, "rotate", 0.5));
        assertThat(g.policyAt(3)).isEqualTo(Map.of("translate", 1.0, "rotate", 0.5, "flip-horizontal", 1.0));
    }

    @Test
    void fewerPairsThanGroupsGiveOneGroupPerPair() {
        assertThat(DistanceGroups.of(PAIRS.subList(0, 2), 4).levels()).isEqualTo(2);
        assertThat(DistanceGroups.of(List.of(), 4).levels()).isZero();
    }
}
