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

    /** A long list shows its ends, and its range where the ends hide it (class counts of 1 to 36 begin and end with 5). */
    @Test
    void aLongUnsortedListOfNumbersShowsItsRange() {
        assertThat(Formats.value(java.util.List.of(5, 36, 1, 12, 7, 9, 4, 3, 5))).isEqualTo("[9 values: 5 .. 5; min 1, max 36]");
        assertThat(Formats.value(java.util.List.of(1e-5, 1e-4, 1e-3, 0.01, 0.1, 1.0, 2.0, 5.0, 20.0)))
                .isEqualTo("[9 values: 1e-5 .. 20]");
        assertThat(Formats.value(java.util.List.of("a", "b", "c", "d", "e", "f", "g", "h", "i"))).isEqualTo("[9 values: a .. i]");
    }

    @Test
    void evidenceTextLeavesOutTheChartsTheReportDraws() {
        assertThat(Formats.evidence(java.util.Map.of("chosen", 0.01, "charts", java.util.List.of(java.util.Map.of("series", 1)))))
                .isEqualTo("chosen=0.01");
    }
}
