package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Test-time flips are not tried when the regularization search's distance analysis vetoed the horizontal flip as
 * label-changing (footwear facing left or right: the learner used to spend a validation pass on flips, and reject them).
 */
class FinalChoicesFlipVetoTest {
    private static Decision<String> policy(List<String> vetoed) {
        return new Decision<>("regularization-policy", "none", Origin.LEARNED, "policy search", "",
                Map.of("vetoedPairs", vetoed), Duration.ZERO);
    }

    @Test
    void theVetoedHorizontalFlipIsReadFromThePolicyDecision() {
        List<Decision<?>> vetoed = List.of(Decision.derived("seed", 1, "flag", "", Map.of()),
                policy(List.of("rotate 1.0", "flip-horizontal 1.0")));
        assertThat(FinalChoices.vetoedFlip(vetoed)).isEqualTo("flip-horizontal 1.0");
    }

    @Test
    void withoutAVetoedFlipOrASearchFlipsAreTried() {
        assertThat(FinalChoices.vetoedFlip(List.of(policy(List.of("flip-vertical 1.0", "rotate 1.0"))))).isNull();
        assertThat(FinalChoices.vetoedFlip(List.of(policy(List.of("flip-horizontally 1.0"))))).as("another name").isNull();
        assertThat(FinalChoices.vetoedFlip(List.of(Decision.byDefault("regularization-policy", "none", "rule")))).isNull();
        assertThat(FinalChoices.vetoedFlip(List.of())).isNull();
    }

    @Test
    void theDecisionSaysWhyFlipsWereNotTried() {
        Decision<Boolean> d = FinalChoices.flipsVetoed("flip-horizontal 1.0");
        assertThat(d.name()).isEqualTo("test-time-augmentation");
        assertThat(d.value()).isFalse();
        assertThat(d.origin()).isEqualTo(Origin.DERIVED);
        assertThat(d.rationale()).contains("flip-horizontal 1.0", "label-changing");
        assertThat(d.evidence()).containsEntry("vetoedFlip", "flip-horizontal 1.0");
    }
}
