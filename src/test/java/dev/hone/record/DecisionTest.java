package dev.hone.record;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A decision's one-line description shows real values as a person reads them. */
class DecisionTest {
    @Test
    void realValuesShowFourSignificantDigitsInPlainNotation() {
        assertThat(Decision.byDefault("weight-decay", 5.0E-4, "usual").describe()).startsWith("weight-decay = 0.0005, DEFAULT");
        assertThat(Decision.byDefault("lr", 0.013335214321633232, "rule").describe()).startsWith("lr = 0.01334, ");
        assertThat(Decision.byDefault("batchnorm-momentum", 0.9, "rule").describe()).startsWith("batchnorm-momentum = 0.9, ");
        assertThat(Decision.byDefault("threshold", 1.0, "rule").describe()).startsWith("threshold = 1, ");
        assertThat(Decision.byDefault("optimizer", "adamw", "rule").describe()).startsWith("optimizer = adamw, ");
        assertThat(Decision.byDefault("optimizer", "adamw", "rule").describe()).startsWith("optimizer = adamw, DEFAULT: rule")
                .doesNotContain("by default");
    }
}
