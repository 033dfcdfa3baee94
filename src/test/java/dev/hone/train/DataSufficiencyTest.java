package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import org.junit.jupiter.api.Test;

/** The minimums below which hone says so and falls back to rules. */
class DataSufficiencyTest {

    @Test
    void enoughDataNeedsNoWarning() {
        DataSufficiency d = new DataSufficiency(5000, 600, 600);
        assertThat(d.probes()).isTrue();
        assertThat(d.judging()).isTrue();
        assertThat(d.warnings()).isEmpty();
    }

    @Test
    void sixImagesOfThreeClassesLeaveValidationEmptyAndSaySo() {
        // 2 per class: one each to test, none to validation (10% of 1 rounds to 0), one to training
        DataSufficiency d = new DataSufficiency(3, 0, 3);
        assertThat(d.probes()).isFalse();
        assertThat(d.judging()).isFalse();
        assertThat(d.warnings()).hasSize(3);
        assertThat(d.warnings().get(0)).contains("3 images").contains("128").contains("rules");
        assertThat(d.warnings().get(1)).contains("validation split is empty").contains("every planned epoch runs");
        assertThat(d.warnings().get(2)).contains("test split has 3 images").contains("33 points");
        assertThat(d.reason()).isEqualTo("only 3 training images (the probes need 128)");
    }

    @Test
    void earlyStoppingIsOffForOneEpochOrTooFewValidationImagesAndSaysWhenItCannotEndARunEarly() {
        DataSufficiency enough = new DataSufficiency(5000, 600, 600);
        assertThat(OptimizationLearners.earlyStopping(1, enough, "accuracy").value()).isEqualTo("off");
        assertThat(OptimizationLearners.earlyStopping(1, enough, "accuracy").rationale()).startsWith("one epoch");
        assertThat(OptimizationLearners.earlyStopping(2, new DataSufficiency(3, 0, 3), "accuracy").rationale())
                .contains("validation cannot tell one epoch from the next");
        assertThat(OptimizationLearners.earlyStopping(4, enough, "ROC-AUC").value()).isEqualTo("patience 3");
        assertThat(OptimizationLearners.earlyStopping(4, enough, "ROC-AUC").rationale()).contains("the 4 planned are too few for it to end this run early").contains("validation ROC-AUC has not improved");
        assertThat(OptimizationLearners.earlyStopping(5, enough, "accuracy").rationale()).doesNotContain("too few")
                .endsWith("the best epoch's weights are kept");
    }

    @Test
    void theProbeMinimumIsTheNoiseProbesLargeBatch() {
        assertThat(DataSufficiency.MIN_PROBE_IMAGES).isEqualTo(128);
        assertThat(new DataSufficiency(128, 10, 10).probes()).isTrue();
        assertThat(new DataSufficiency(127, 10, 10).probes()).isFalse();
    }

    @Test
    void fewValidationImagesTurnTrialsOffButNotProbes() {
        DataSufficiency d = new DataSufficiency(500, 8, 60);
        assertThat(d.probes()).isTrue();
        assertThat(d.judging()).isFalse();
        assertThat(d.warnings()).singleElement().asString().contains("8 images").contains("fewer than the 10");
        assertThat(d.reason()).isEqualTo("only 8 validation images (trials need 10)");
    }

    @Test
    void anEmptyTestSplitIsRefusedWithTheFix() {
        assertThatThrownBy(() -> new DataSufficiency(3, 0, 0).requireTest("/data/three"))
                .isInstanceOf(HoneException.class).hasMessageContaining("/data/three")
                .hasMessageContaining("test split is empty").hasMessageContaining("--test");
        new DataSufficiency(3, 0, 1).requireTest("/data/three");
    }
}
