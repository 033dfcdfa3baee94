package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TemperatureScalingTest {
    @Test
    void nllIsTheMeanBinaryCrossEntropyWithoutOverflow() {
        assertThat(TemperatureScaling.nll(new float[] {0f}, new boolean[] {true}, 1)).isCloseTo(Math.log(2), within(1e-15));
        assertThat(TemperatureScaling.nll(new float[] {1000f, -1000f}, new boolean[] {false, true}, 1)).isEqualTo(1000.0);
        assertThat(TemperatureScaling.nll(new float[] {2f}, new boolean[] {false}, 2))
                .isCloseTo(-Math.log(1 - 1 / (1 + Math.exp(-1))), within(1e-15));
        assertThat(TemperatureScaling.probability(-1000, 1)).isZero();
        assertThat(TemperatureScaling.probability(4, 2)).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-15));
    }

    // Seeded case from tools/sklearn-metric-references.py: logits 3x too confident; reference T from
    // scipy 1.10.1 minimize_scalar(method="bounded") on log T over [0.01, 100] of scikit-learn 1.2.1 log_loss.
    @Test
    void recoversTheTemperatureScipyFinds() {
        float[] z = {-10.429599f, -8.019856f, -8.16664f, -2.1097028f, -13.875489f, -1.1333832f, -5.7433753f, 5.361601f, 5.7410836f, 8.353549f, 4.6048207f, -0.31817868f, 5.158764f, 9.0328865f, -3.9215672f, 3.662107f, -0.25604296f, 8.6401005f, -5.02137f, -1.8092797f, 2.1740315f, 1.5486616f, -9.836688f, 2.1609313f, -0.7109862f, -1.438487f, -0.93180996f, 1.3138303f, -10.898374f, 9.314799f, -5.16865f, -13.448207f, -0.49184695f, 8.744883f, -3.111606f, 9.307653f, 9.341652f, -5.1763916f, -14.790725f, -7.4110966f, 7.1245933f, -4.900633f, -9.064065f, -8.026168f, 0.0010808653f, -0.1566509f, 5.2322693f, 5.9343f, -5.593494f, -0.9405522f, -6.803608f, 0.43134403f, -6.903647f, -7.2015095f, 12.740532f, 0.19433333f, 3.8590717f, 15.22859f, 4.715033f, -0.68485564f, 0.3275397f, -4.466952f, 6.5660305f, -1.9816722f, 10.576473f, -2.0685513f, -2.1217375f, -2.5162644f, 3.7541633f, 1.1216164f, 8.228595f, -3.3200977f, 1.7414289f, 11.62777f, -1.4422901f, 3.1956768f, 9.4312935f, 3.3206747f, -3.807031f, -12.3741f};
        boolean[] y = {false, false, false, false, false, false, false, true, true, true, false, true, true, true, false, true, true, true, false, true, false, true, false, true, true, false, false, false, false, true, false, false, true, true, false, true, true, false, false, false, true, false, false, false, true, true, true, true, false, false, false, false, false, false, true, true, true, true, false, true, false, false, true, false, true, false, false, false, false, true, true, false, false, true, true, true, false, true, false, false};
        TemperatureScaling.Fit fit = TemperatureScaling.fit(z, y);
        assertThat(fit.temperature()).isCloseTo(2.6149897632046093, within(1e-6));
        assertThat(fit.nllBefore()).isCloseTo(0.5405362856822605, within(1e-12));
        assertThat(fit.nllAfter()).isCloseTo(0.3941781745112795, within(1e-12));
        assertThat(fit.atBound()).isFalse();
        assertThat(fit.worthKeeping()).isTrue();
    }

    @Test
    void separableOrInvertedDataRunsIntoABoundAndIsNotWorthKeeping() {
        TemperatureScaling.Fit separable = TemperatureScaling.fit(new float[] {-2f, -1f, 1f, 2f},
                new boolean[] {false, false, true, true});
        assertThat(separable.temperature()).isCloseTo(TemperatureScaling.MIN_TEMPERATURE, within(1e-6));
        assertThat(separable.atBound()).isTrue();
        assertThat(separable.nllAfter()).isLessThan(separable.nllBefore());
        assertThat(separable.worthKeeping()).isFalse();
        TemperatureScaling.Fit inverted = TemperatureScaling.fit(new float[] {2f, -2f}, new boolean[] {false, true});
        assertThat(inverted.temperature()).isCloseTo(TemperatureScaling.MAX_TEMPERATURE, within(1e-4));
        assertThat(inverted.atBound()).isTrue();
    }

    @Test
    void aFlatNllKeepsTemperatureOne() {
        TemperatureScaling.Fit fit = TemperatureScaling.fit(new float[] {0f, 0f, 0f}, new boolean[] {true, false, true});
        assertThat(fit.temperature()).isEqualTo(1.0);
        assertThat(fit.nllAfter()).isEqualTo(fit.nllBefore());
        assertThat(fit.worthKeeping()).isFalse();
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> TemperatureScaling.fit(new float[0], new boolean[0])).hasMessageContaining("at least one");
        assertThatThrownBy(() -> TemperatureScaling.nll(new float[1], new boolean[1], 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> TemperatureScaling.fit(new float[] {Float.POSITIVE_INFINITY}, new boolean[1]))
                .hasMessageContaining("score 0 is Infinity");
    }
}
