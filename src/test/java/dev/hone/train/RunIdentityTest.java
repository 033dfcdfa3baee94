package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What two runs differ in, as the refusal to overwrite or resume names it. */
class RunIdentityTest {
    @Test
    void aFlagLeftOutReadsAsNotSet() {
        RunIdentity budgeted = new RunIdentity(Map.of("budget", "1m", "epochs", "null", "data", "abc"));
        RunIdentity epochs = new RunIdentity(Map.of("budget", "null", "epochs", "1", "data", "abc"));
        assertThat(budgeted.differences(epochs)).isEqualTo("budget: 60s vs not set; epochs: not set vs 1");
        assertThat(budgeted.differences(budgeted)).isEmpty();
        assertThat(budgeted.key()).isNotEqualTo(epochs.key());
    }

    @Test
    void aFieldOnlyOneRunHasReadsAsNotSetInTheOther() {
        RunIdentity plain = new RunIdentity(Map.of("data", "abc"));
        RunIdentity unlabeled = new RunIdentity(Map.of("data", "abc", "unlabeled", "f00"));
        assertThat(plain.differences(unlabeled)).isEqualTo("unlabeled: not set vs f00");
    }
}
