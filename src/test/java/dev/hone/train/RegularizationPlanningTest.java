package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.record.Decision;
import dev.hone.record.Origin;
import org.junit.jupiter.api.Test;

class RegularizationPlanningTest {

    @Test
    void turningRegularizationOffNamesTheFlagThatExists() {
        Decision<String> d = RegularizationPlanning.turnedOff();
        assertThat(d.name()).isEqualTo("regularization-policy");
        assertThat(d.value()).isEqualTo("none");
        assertThat(d.origin()).isEqualTo(Origin.USER);
        assertThat(d.rationale()).startsWith("fixed by the user with --regularization none: no augmentation")
                .doesNotContain("--regularization-policy");
    }
}
