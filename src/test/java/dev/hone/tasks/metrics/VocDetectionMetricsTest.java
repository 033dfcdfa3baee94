package dev.hone.tasks.metrics;

import static dev.hone.tasks.metrics.DetectionMetricsTest.d;
import static dev.hone.tasks.metrics.DetectionMetricsTest.img;
import static dev.hone.tasks.metrics.DetectionMetricsTest.t;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VocDetectionMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void aDetectionOfADifficultBoxIsNeitherTrueNorFalse() {
        // A regular, D difficult; detections: FP (.9), on D (.8), on D again (.75), on A (.7)
        float[][] truths = {img(t(0, 0, 0, 10, 10), t(0, 50, 50, 60, 60, 1))};
        float[][] dets = {img(d(0, 0.9f, 200, 200, 210, 210), d(0, 0.8f, 50, 50, 60, 60), d(0, 0.75f, 51, 50, 60, 60),
                d(0, 0.7f, 0, 0, 10, 10))};
        VocDetectionMetrics m = VocDetectionMetrics.evaluate(truths, dets, 1);
        // kept: FP, TP; 1 positive: recall [0, 1], precision [0, .5]; mrec [0, 0, 1, 1], envelope [.5, .5, .5, 0]:
        // AP = (1 - 0) * .5 = .5
        assertThat(m.truths()).containsExactly(1);
        assertThat(m.averagePrecision().get(0)).isCloseTo(0.5, within(EPS));
        assertThat(m.meanAveragePrecision()).isCloseTo(0.5, within(EPS));
        // D regular: FP, TP(D), FP (duplicate on D), TP(A); 2 positives: recall [0, .5, .5, 1], precision
        // [0, .5, 1/3, .5]; envelope .5 everywhere up to recall 1: AP = .5 * .5 + .5 * .5 = .5. Without the
        // duplicate the curve would be [0, .5, 2/3]: it shows that a difficult box absorbs any number.
        float[][] regular = {img(t(0, 0, 0, 10, 10), t(0, 50, 50, 60, 60))};
        assertThat(VocDetectionMetrics.evaluate(regular, dets, 1).meanAveragePrecision()).isCloseTo(0.5, within(EPS));
        float[][] once = {img(d(0, 0.9f, 200, 200, 210, 210), d(0, 0.8f, 50, 50, 60, 60), d(0, 0.7f, 0, 0, 10, 10))};
        // FP, TP, TP: recall [0, .5, 1], precision [0, .5, 2/3]: envelope 2/3 on both steps: AP 2/3
        assertThat(VocDetectionMetrics.evaluate(regular, once, 1).meanAveragePrecision())
                .isCloseTo(2.0 / 3, within(EPS));
        // the same difficult box with a single detection on it: still .5 (FP, TP)
        assertThat(VocDetectionMetrics.evaluate(truths, once, 1).meanAveragePrecision()).isCloseTo(0.5, within(EPS));
    }

    @Test
    void allPointsAreaUnderTheMonotoneCurve() {
        // recall [.25, .5, .5, .75], precision [1, 1, 2/3, .75]: envelope at the steps 1, 1, .75 and 0 past .75
        // AP = .25 * 1 + .25 * 1 + .25 * .75 + .25 * 0 = .6875
        double ap = VocDetectionMetrics.areaUnderMonotone(new double[] {.25, .5, .5, .75},
                new double[] {1, 1, 2.0 / 3, .75});
        assertThat(ap).isCloseTo(0.6875, within(EPS));
        assertThat(VocDetectionMetrics.areaUnderMonotone(new double[0], new double[0])).isZero();
    }

    @Test
    void classesWithoutPositivesAreLeftOutOfTheMean() {
        // class 0 detected (1), class 1 only difficult (undefined), class 2 missed (0): mean .5
        float[][] truths = {img(t(0, 0, 0, 10, 10), t(1, 20, 20, 30, 30, 1), t(2, 40, 40, 50, 50))};
        float[][] dets = {img(d(0, 0.9f, 0, 0, 10, 10), d(1, 0.9f, 20, 20, 30, 30))};
        VocDetectionMetrics m = VocDetectionMetrics.evaluate(truths, dets, 3);
        assertThat(m.averagePrecision()).containsExactly(1.0, DetectionMetrics.UNDEFINED, 0.0);
        assertThat(m.truths()).containsExactly(1, 0, 1);
        assertThat(m.meanAveragePrecision()).isCloseTo(0.5, within(EPS));
    }
}
