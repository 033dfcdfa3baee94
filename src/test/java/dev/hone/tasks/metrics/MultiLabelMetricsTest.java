package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MultiLabelMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void handComputedSmallCase() {
        float[][] s = {{0.9f, 0.2f, 0.1f}, {0.6f, 0.7f, 0.3f}, {0.1f, 0.4f, 0.2f}, {0.8f, 0.9f, 0.6f}};
        boolean[][] y = {{true, false, false}, {false, true, false}, {false, true, false}, {true, true, false}};
        MultiLabelMetrics m = MultiLabelMetrics.evaluate(s, y, new double[] {0.7, 0.5, 0.5});
        // class 0: tp 2, fp 0, fn 0; class 1: tp 2, fp 0, fn 1 (0.4 missed); class 2: fp 1 (0.6), no support
        assertThat(m.classes().get(0).f1()).isEqualTo(1.0);
        assertThat(m.classes().get(1).recall()).isCloseTo(2.0 / 3, within(EPS));
        assertThat(m.classes().get(1).f1()).isCloseTo(0.8, within(EPS));
        assertThat(m.classes().get(2).support()).isZero();
        assertThat(m.classes().get(2).averagePrecision()).isNaN();
        assertThat(m.macroF1()).isCloseTo(0.6, within(EPS)); // class 2 has no support but was predicted: F1 0, counted
        assertThat(m.microF1()).isCloseTo(2.0 * 4 / (2 * 4 + 1 + 1), within(EPS));
        assertThat(m.subsetAccuracy()).isEqualTo(0.5); // rows 0 and 1 exact; 2 misses class 1, 3 adds class 2
        assertThat(m.hammingLoss()).isCloseTo(2.0 / 12, within(EPS));
        assertThat(m.meanAveragePrecision()).isEqualTo(1.0);
    }

    @Test
    void aClassNeitherShownNorPredictedIsLeftOutOfMacroF1() {
        // class 2 has no positive and no prediction: undefined, left out; class 1 is predicted once, wrongly: F1 0, counted
        MultiLabelMetrics m = MultiLabelMetrics.evaluate(new float[][] {{0.9f, 0.6f, 0.1f}, {0.8f, 0.2f, 0.3f}},
                new boolean[][] {{true, false, false}, {true, false, false}}, new double[] {0.5, 0.5, 0.5});
        assertThat(m.macroF1()).isCloseTo(0.5, within(EPS));
    }

    @Test
    void noClassWithSupportLeavesMeansUndefined() {
        MultiLabelMetrics m = MultiLabelMetrics.evaluate(new float[][] {{0.4f, 0.2f}}, new boolean[][] {{false, false}},
                new double[] {0.5, 0.5});
        assertThat(m.macroF1()).isNaN();
        assertThat(m.meanAveragePrecision()).isNaN();
        assertThat(m.microF1()).isZero();
        assertThat(m.hammingLoss()).isZero();
    }

    @Test
    void oneThresholdPerClass() {
        assertThatThrownBy(() -> MultiLabelMetrics.evaluate(new float[][] {{0.7f, 0.2f}},
                new boolean[][] {{true, false}}, new double[] {0.5})).hasMessageContaining("1 thresholds for 2 classes");
    }

    // Seeded case from tools/sklearn-metric-references.py, scikit-learn 1.2.1: precision_recall_fscore_support
    // (zero_division=0), f1_score micro and macro (labels = classes with support or a prediction), accuracy_score,
    // hamming_loss, average_precision_score per class. Thresholds 0.5, 0.3, 0.6, 0.5; class 3 has no positive.
    @Test
    void matchesScikitLearnOnASeededCase() {
        float[][] s = {{0.9430561f, 0.51132756f, 0.97624373f, 0.08083602f}, {0.60735583f, 0.37648657f, 0.8019012f, 0.17452781f}, {0.87163526f, 0.5439414f, 0.90221506f, 0.4771535f}, {0.43049628f, 0.7889467f, 0.984153f, 0.3697258f}, {0.96893287f, 0.92902637f, 0.17769259f, 0.6088516f}, {0.70486474f, 0.9428037f, 0.6656574f, 0.13339576f}, {0.49786758f, 0.49361983f, 0.5002262f, 0.9585823f}, {0.3499374f, 0.22377114f, 0.522087f, 0.6411709f}, {0.93910706f, 0.5820158f, 0.26783338f, 0.9297747f}, {0.4917253f, 0.67580086f, 0.4760389f, 0.21698003f}, {0.69255203f, 0.7706305f, 0.19078851f, 0.45991603f}, {0.36181507f, 0.17072982f, 0.22135165f, 0.9625074f}, {0.88422304f, 0.38229182f, 0.7394732f, 0.041968036f}, {0.9150572f, 0.5371708f, 0.8202678f, 0.27593824f}, {0.37612382f, 0.3480437f, 0.97243965f, 0.42945987f}, {0.49969274f, 0.95597893f, 0.90319556f, 0.3950105f}, {0.3073579f, 0.80704796f, 0.10747159f, 0.3921889f}, {0.8764338f, 0.9176424f, 0.23347627f, 0.07872015f}, {0.7877275f, 0.6217781f, 0.23750482f, 0.5058932f}, {0.071418226f, 0.7000873f, 0.5267255f, 0.70464784f}, {0.08816937f, 0.644815f, 0.37033588f, 0.49930856f}, {0.3354825f, 0.63408655f, 0.5682609f, 0.6171148f}, {0.06337962f, 0.2251416f, 0.07190456f, 0.38329786f}, {0.4810085f, 0.11234194f, 0.66758907f, 0.48735675f}, {0.50032973f, 0.5974658f, 0.9348784f, 0.588865f}, {0.09348256f, 0.14646922f, 0.69389313f, 0.3226172f}, {0.75528723f, 0.51063883f, 0.37968856f, 0.73944867f}, {0.1829808f, 0.2848126f, 0.2919408f, 0.41531804f}, {0.90711385f, 0.81253964f, 0.82160336f, 0.6311499f}, {0.00821382f, 0.28613305f, 0.5017994f, 0.8984547f}};
        boolean[][] y = {{true, false, false, false}, {false, false, true, false}, {true, true, false, false}, {false, true, true, false}, {true, false, true, false}, {true, false, true, false}, {false, false, false, false}, {false, false, true, false}, {false, true, false, false}, {false, false, true, false}, {false, false, false, false}, {true, false, false, false}, {false, false, false, false}, {false, false, true, false}, {true, false, false, false}, {false, true, false, false}, {false, true, false, false}, {true, false, false, false}, {false, true, false, false}, {false, false, false, false}, {false, false, false, false}, {false, false, false, false}, {false, false, true, false}, {true, false, true, false}, {true, false, true, false}, {false, false, false, false}, {false, false, false, false}, {false, false, false, false}, {true, true, true, false}, {false, false, true, false}};
        MultiLabelMetrics m = MultiLabelMetrics.evaluate(s, y, new double[] {0.5, 0.3, 0.6, 0.5});
        double[] precision = {0.5, 0.30434782608695654, 0.5384615384615384, 0.0};
        double[] recall = {0.7, 1.0, 0.5833333333333334, 0.0};
        double[] f1 = {0.5833333333333334, 0.4666666666666667, 0.5599999999999999, 0.0};
        long[] support = {10, 7, 12, 0};
        double[] ap = {0.6212518037518037, 0.5276491365777081, 0.530931101635436, Double.NaN};
        for (int c = 0; c < 4; c++) {
            MultiLabelMetrics.ClassMetrics k = m.classes().get(c);
            assertThat(k.precision()).as("precision %d", c).isCloseTo(precision[c], within(EPS));
            assertThat(k.recall()).as("recall %d", c).isCloseTo(recall[c], within(EPS));
            assertThat(k.f1()).as("f1 %d", c).isCloseTo(f1[c], within(EPS));
            assertThat(k.support()).as("support %d", c).isEqualTo(support[c]);
            assertThat(k.averagePrecision()).as("AP %d", c).isCloseTo(ap[c], within(EPS));
        }
        assertThat(m.microF1()).isCloseTo(0.4615384615384615, within(EPS));
        // class 3 has no positive but is predicted: all four classes, (0.5833 + 0.4667 + 0.56 + 0) / 4
        assertThat(m.macroF1()).isCloseTo(0.4025, within(EPS));
        assertThat(m.subsetAccuracy()).isCloseTo(0.1, within(EPS));
        assertThat(m.hammingLoss()).isCloseTo(0.4083333333333333, within(EPS));
        assertThat(m.meanAveragePrecision()).isCloseTo(0.559944013988316, within(EPS));
    }
}
