package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hone.record.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReliabilityDiagramTest {
    private static final double EPS = 1e-9; // bin means of float32 probabilities, summed in another order

    @Test
    void handComputedGaps() {
        ReliabilityDiagram d = ReliabilityDiagram.positiveClass(new float[] {0.1f, 0.1f, 0.9f, 0.9f},
                new boolean[] {false, false, true, true}, 10);
        assertThat(d.expectedCalibrationError()).isCloseTo(0.1, within(1e-7));
        assertThat(d.bins()).hasSize(10);
        assertThat(d.bins().get(5).count()).isZero();
        assertThat(d.bins().get(5).accuracy()).isNaN();
        ReliabilityDiagram calibrated = ReliabilityDiagram.positiveClass(new float[] {0.5f, 0.5f},
                new boolean[] {true, false}, ReliabilityDiagram.DEFAULT_BINS);
        assertThat(calibrated.expectedCalibrationError()).isZero();
        assertThat(calibrated.bins()).hasSize(15);
    }

    @Test
    void theTwoViewsDiffer() {
        float[] p = {0.25f, 0.75f};
        boolean[] y = {true, true};
        // positive class: gaps 0.75 and 0.25 in two bins; predicted class: both at confidence 0.75, half right
        assertThat(ReliabilityDiagram.positiveClass(p, y, 10).expectedCalibrationError()).isCloseTo(0.5, within(EPS));
        ReliabilityDiagram top = ReliabilityDiagram.predictedClass(p, y, 10);
        assertThat(top.expectedCalibrationError()).isCloseTo(0.25, within(EPS));
        assertThat(top.bins().get(7).count()).isEqualTo(2);
        assertThat(top.maximumCalibrationError()).isCloseTo(0.25, within(EPS));
    }

    @Test
    void binsAreClosedOnTheLeftAndTheLastOneAtOne() {
        ReliabilityDiagram d = ReliabilityDiagram.positiveClass(new float[] {0f, 0.2f, 0.4f, 1f},
                new boolean[4], 5);
        assertThat(d.bins()).extracting(ReliabilityDiagram.Bin::count).containsExactly(1L, 1L, 1L, 0L, 1L);
        assertThat(d.bins().get(4).upper()).isEqualTo(1.0);
        assertThat(ReliabilityDiagram.positiveClass(new float[0], new boolean[0], 5).expectedCalibrationError()).isNaN();
    }

    @Test
    void anEmptyBinIsNullInJsonNotTheStringNaN() throws Exception {
        ReliabilityDiagram d = ReliabilityDiagram.positiveClass(new float[] {0.1f, 0.9f}, new boolean[] {false, true}, 5);
        assertThat(d.bins().get(2).count()).isZero();
        String json = Json.mapper().writeValueAsString(d);
        assertThat(json).doesNotContain("NaN").contains("\"meanConfidence\" : null", "\"accuracy\" : null",
                "\"meanConfidence\" : 0.1");
    }

    @Test
    void refusesWhatIsNotAProbability() {
        assertThatThrownBy(() -> ReliabilityDiagram.positiveClass(new float[] {1.5f}, new boolean[1], 15))
                .hasMessageContaining("probability 0 is 1.5").hasMessageContaining("sigmoid");
        assertThatThrownBy(() -> ReliabilityDiagram.positiveClass(new float[] {0.5f}, new boolean[1], 0))
                .hasMessageContaining("bin count is 0");
    }

    // Seeded case from tools/sklearn-metric-references.py: scikit-learn 1.2.1's
    // calibration_curve(n_bins=15, strategy="uniform") gives the non-empty bins; ECE from them in numpy.
    @Test
    void matchesScikitLearnsCalibrationCurve() {
        float[] p = {0.6250955f, 0.8972138f, 0.77568567f, 0.2252072f, 0.30016628f, 0.87355345f, 0.0052653044f, 0.82122844f, 0.79706943f, 0.46793497f, 0.30303243f, 0.2784256f, 0.25486958f, 0.44507632f, 0.50454825f, 0.5534974f, 0.99550027f, 0.7926619f, 0.6221792f, 0.98896015f, 0.2153087f, 0.16021204f, 0.6125396f, 0.04394201f, 0.03568028f, 0.5148888f, 0.466206f, 0.9171678f, 0.62922627f, 0.51411766f, 0.49687344f, 0.24751492f, 0.011794025f, 0.19240214f, 0.6920321f, 0.20060672f, 0.3695363f, 0.003734242f, 0.8300477f, 0.15446109f, 0.2675993f, 0.8803322f, 0.50979084f, 0.84715027f, 0.63971716f, 0.7417709f, 0.0914956f, 0.54114383f, 0.5077722f, 0.8713394f, 0.36126405f, 0.59818405f, 0.059251644f, 0.3876318f, 0.32303634f, 0.15019973f, 0.8163381f, 0.37944618f, 0.9787479f, 0.5899917f};
        boolean[] y = {false, true, false, false, false, true, false, true, false, true, false, false, false, false, true, false, true, false, false, true, false, false, false, false, false, false, false, true, false, true, true, false, false, false, true, false, true, false, true, false, false, true, false, true, false, true, false, false, false, true, false, false, false, false, true, false, false, true, true, false};
        ReliabilityDiagram d = ReliabilityDiagram.positiveClass(p, y, 15);
        List<ReliabilityDiagram.Bin> filled = d.bins().stream().filter(b -> b.count() > 0).toList();
        assertThat(filled).extracting(ReliabilityDiagram.Bin::count)
                .containsExactly(6L, 1L, 4L, 5L, 5L, 4L, 2L, 7L, 4L, 5L, 1L, 4L, 4L, 5L, 3L);
        double[] probTrue = {0.0, 0.0, 0.0, 0.0, 0.2, 0.5, 0.0, 0.5714285714285714, 0.0, 0.0, 1.0, 0.25, 0.75, 1.0, 1.0};
        double[] probPred = {0.026611250398370128, 0.09149560332298279, 0.16431874781847, 0.2287014216184616,
            0.2944519937038422, 0.3744695857167244, 0.45564116537570953, 0.5022751688957214, 0.5707042366266251,
            0.625751543045044, 0.6920320987701416, 0.7767969816923141, 0.8286911398172379, 0.8879213213920594,
            0.9877361059188843};
        for (int i = 0; i < filled.size(); i++) {
            assertThat(filled.get(i).accuracy()).as("accuracy of bin %d", i).isCloseTo(probTrue[i], within(EPS));
            assertThat(filled.get(i).meanConfidence()).as("confidence of bin %d", i).isCloseTo(probPred[i], within(EPS));
        }
        assertThat(d.expectedCalibrationError()).isCloseTo(0.2193393850582652, within(EPS));
        assertThat(ReliabilityDiagram.predictedClass(p, y, 15).expectedCalibrationError())
                .isCloseTo(0.1587248443819893, within(EPS));
    }
}
