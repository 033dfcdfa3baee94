package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    private static final double EPS = 1e-12;

    @Test
    void countsScoresAtOrAboveTheThresholdAsPositive() {
        float[] s = {0.2f, 0.5f, 0.7f, 0.5f, 0.1f};
        boolean[] y = {false, true, true, false, true};
        ConfusionMatrix m = ConfusionMatrix.at(s, y, 0.5);
        assertThat(m).isEqualTo(new ConfusionMatrix(2, 1, 1, 1));
        assertThat(m.accuracy()).isEqualTo(0.6);
        assertThat(m.precision()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.recall()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.f1()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.support()).isEqualTo(3);
    }

    @Test
    void zeroDenominatorsGiveZeroAsScikitLearnsZeroDivision() {
        ConfusionMatrix noPredictedPositive = ConfusionMatrix.at(new float[] {0.1f, 0.2f}, new boolean[] {true, false}, 0.5);
        assertThat(noPredictedPositive.precision()).isZero();
        assertThat(noPredictedPositive.f1()).isZero();
        ConfusionMatrix noPositive = ConfusionMatrix.at(new float[] {0.1f, 0.9f}, new boolean[] {false, false}, 0.5);
        assertThat(noPositive.recall()).isZero();
        assertThat(noPositive.f1()).isZero();
        ConfusionMatrix nothing = ConfusionMatrix.at(new float[] {0.1f}, new boolean[] {false}, 0.5);
        assertThat(nothing.f1()).isZero();
        assertThat(nothing.accuracy()).isEqualTo(1.0);
        assertThat(ConfusionMatrix.at(new float[0], new boolean[0], 0.5).accuracy()).isZero();
    }

    @Test
    void rejectsNaNThresholdAndNegativeCounts() {
        assertThatThrownBy(() -> ConfusionMatrix.at(new float[1], new boolean[1], Double.NaN))
                .hasMessageContaining("threshold is NaN");
        assertThatThrownBy(() -> new ConfusionMatrix(-1, 0, 0, 0)).hasMessageContaining(">= 0");
    }

    // Seeded case from tools/sklearn-metric-references.py, scikit-learn 1.2.1: confusion_matrix,
    // accuracy_score, precision_score, recall_score, f1_score on y_pred = scores >= 0.4.
    @Test
    void matchesScikitLearnOnASeededCase() {
        float[] s = {0.8050029f, 0.8079408f, 0.51532555f, 0.28580138f, 0.053930704f, 0.38336888f, 0.4084732f, 0.045275193f, 0.04875771f, 0.99917614f, 0.6523691f, 0.2345102f, 0.43494755f, 0.9741862f, 0.8976776f, 0.844231f, 0.39240468f, 0.493023f, 0.6766893f, 0.060802713f, 0.5555961f, 0.2714516f, 0.8796512f, 0.06421444f, 0.6791815f, 0.8700885f, 0.22731853f, 0.89544827f, 0.8721955f, 0.018517219f};
        boolean[] y = {false, true, true, false, true, true, false, false, true, true, true, false, true, true, false, true, false, true, true, false, true, false, true, false, true, false, false, true, false, false};
        ConfusionMatrix m = ConfusionMatrix.at(s, y, 0.4);
        assertThat(m).isEqualTo(new ConfusionMatrix(13, 5, 3, 9));
        assertThat(m.accuracy()).isCloseTo(0.7333333333333333, within(EPS));
        assertThat(m.precision()).isCloseTo(0.7222222222222222, within(EPS));
        assertThat(m.recall()).isCloseTo(0.8125, within(EPS));
        assertThat(m.f1()).isCloseTo(0.7647058823529411, within(EPS));
    }
}
