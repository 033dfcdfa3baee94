package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Numbers read as the record holds them: whole numbers whole, large ones not rounded to four digits. */
class FormatsTest {
    @Test
    void largeRealsRoundToTheNearestWholeNumberAndSmallOnesKeepFourDigits() {
        assertThat(Formats.value(28414.65)).isEqualTo("28415");
        assertThat(Formats.value(1000.4)).isEqualTo("1000");
        assertThat(Formats.value(0.013335214321633232)).isEqualTo("0.01334");
        assertThat(Formats.value(512.0)).isEqualTo("512");
    }

    @Test
    void evidenceTextLeavesOutTheChartsTheReportDraws() {
        assertThat(Formats.evidence(java.util.Map.of("chosen", 0.01, "charts", java.util.List.of(java.util.Map.of("series", 1)))))
                .isEqualTo("chosen=0.01");
    }
}
