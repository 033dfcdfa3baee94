package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ThresholdTargetTest {
    @Test
    void parsesTheCommandLineForms() {
        assertThat(ThresholdTarget.parse("f1")).isEqualTo(ThresholdTarget.maxF1());
        assertThat(ThresholdTarget.parse(" F1 ")).isEqualTo(ThresholdTarget.maxF1());
        assertThat(ThresholdTarget.parse("precision>=0.9")).isEqualTo(ThresholdTarget.precisionAtLeast(0.9));
        assertThat(ThresholdTarget.parse("recall >= .8")).isEqualTo(ThresholdTarget.recallAtLeast(0.8));
        assertThat(ThresholdTarget.parse("Recall>=1")).isEqualTo(ThresholdTarget.recallAtLeast(1));
    }

    @Test
    void printsWhatItParses() {
        for (ThresholdTarget t : new ThresholdTarget[] {ThresholdTarget.maxF1(), ThresholdTarget.precisionAtLeast(0.9),
                ThresholdTarget.recallAtLeast(0.75)}) {
            assertThat(ThresholdTarget.parse(t.toString())).isEqualTo(t);
        }
        assertThat(ThresholdTarget.precisionAtLeast(0.9)).hasToString("precision>=0.9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "accuracy", "precision>0.9", "precision>=0", "recall>=1.5", "f1>=0.5", "precision>=-1",
            "recall>=0.8 extra"})
    void refusesAnythingElseNamingTheAcceptedForms(String text) {
        assertThatThrownBy(() -> ThresholdTarget.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'").hasMessageContaining("f1, precision>=P or recall>=R");
    }

    @Test
    void refusesFloorsOutsideTheUnitInterval() {
        assertThatThrownBy(() -> ThresholdTarget.precisionAtLeast(0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> ThresholdTarget.recallAtLeast(Double.NaN)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> ThresholdTarget.parse(null)).hasMessageContaining("'null'");
    }
}
