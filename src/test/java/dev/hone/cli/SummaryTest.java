package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.report.ChanceLevel;
import dev.hone.report.Evaluation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private final String home = System.getProperty("hone.home");

    @AfterEach
    void restoreHome() {
        if (home == null) {
            System.clearProperty("hone.home");
        } else {
            System.setProperty("hone.home", home);
        }
    }

    /** The "explain it" hint names a command that works from the folder the user is in. */
    @Test
    void explainHintIsDotSlashHoneInTheCheckoutAndTheLaunchersPathElsewhere() {
        System.setProperty("hone.home", Path.of("").toAbsolutePath().toString());
        assertThat(Summary.launcher()).isEqualTo("./hone");
        System.setProperty("hone.home", "/opt/hone");
        assertThat(Summary.launcher()).isEqualTo(Path.of("/opt/hone/hone").toString());
        System.clearProperty("hone.home");
        assertThat(Summary.launcher()).isEqualTo("hone");
    }

    @Test
    void headlineSaysWhenTheAccuracyIsNoBetterThanChance() {
        ChanceLevel.Chance coin = ChanceLevel.of(26, new int[] {25, 25}, List.of("cat", "dog"));
        Evaluation chance = new Evaluation("test", 50, 0.52, 0.69, List.of("cat", "dog"), List.of(), 0.5,
                new int[2][2], List.of(), ChanceLevel.isBetter(coin), coin);
        assertThat(Summary.headline(chance))
                .isEqualTo("52.00% on 50 images \u2014 no better than chance (majority class 'cat' 50.00%)");

        Evaluation old = new Evaluation("test", 50, 0.52, 0.69, List.of("cat", "dog"), List.of(), 0.5,
                new int[2][2], List.of());
        assertThat(Summary.headline(old)).isEqualTo("52.00% on 50 images");
    }

    @Test
    void theRecordsDataWarningsAreRepeated() {
        assertThat(Summary.dataWarnings(java.util.Map.of("warnings", List.of("d: values 3-8 unused. Fix: x"))))
                .containsExactly("d: values 3-8 unused. Fix: x");
        assertThat(Summary.dataWarnings(java.util.Map.of("classes", List.of("a")))).isEmpty();
        assertThat(Summary.dataWarnings(null)).isEmpty();
    }
}
