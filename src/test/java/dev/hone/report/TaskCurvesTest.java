package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.hone.record.Json;
import dev.hone.tasks.metrics.ConfusionMatrix;
import dev.hone.tasks.metrics.RankingMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TaskCurvesTest {

    /** {@code n} scores, positives scoring higher on average, a quarter of them positive. */
    static float[] scores(int n, boolean[] positives, long seed) {
        Random random = new Random(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            positives[i] = random.nextInt(4) == 0;
            double logit = random.nextGaussian() + (positives[i] ? 1.5 : -0.5);
            s[i] = (float) (1 / (1 + Math.exp(-logit)));
        }
        return s;
    }

    @Test
    void operatingPointIsThePrecisionAndRecallAtTheThreshold() {
        boolean[] y = new boolean[40];
        float[] s = scores(40, y, 1);
        for (double t : new double[] {0.2, 0.43, 0.5, 0.77}) {
            TaskCurves c = TaskCurves.binary("pos", s, y, t);
            ConfusionMatrix at = ConfusionMatrix.at(s, y, t);
            TaskCurves.PrecisionRecall pr = c.precisionRecall().get(0);
            assertThat(pr.operatingRecall()).isEqualTo(at.recall());
            assertThat(pr.operatingPrecision()).isEqualTo(at.precision());
            assertThat(c.roc().operatingTruePositiveRate()).isEqualTo(at.recall());
            assertThat(c.roc().operatingFalsePositiveRate())
                    .isEqualTo((double) at.falsePositives() / (at.falsePositives() + at.trueNegatives()));
            // 40 images: nothing thinned, so the marked point is a vertex of the drawn line
            assertThat(indexOf(pr.recall(), pr.precision(), at.recall(), at.precision())).isNotNegative();
        }
    }

    @Test
    void areasComeFromTheFullCurves() {
        boolean[] y = new boolean[3000];
        float[] s = scores(3000, y, 2);
        TaskCurves c = TaskCurves.binary("pos", s, y, 0.5);
        assertThat(c.precisionRecall().get(0).averagePrecision()).isEqualTo(RankingMetrics.averagePrecision(s, y));
        assertThat(c.roc().auc()).isEqualTo(RankingMetrics.rocAuc(s, y));
    }

    @Test
    void thinnedCurvesKeepEndpointsTheOperatingPointAndMonotonicity() throws Exception {
        boolean[] y = new boolean[3000];
        float[] s = scores(3000, y, 3);
        double t = 0.61;
        TaskCurves c = TaskCurves.binary("pos", s, y, t);
        ConfusionMatrix at = ConfusionMatrix.at(s, y, t);
        TaskCurves.PrecisionRecall pr = c.precisionRecall().get(0);
        TaskCurves.Roc roc = c.roc();

        assertThat(pr.recall()).hasSizeLessThanOrEqualTo(TaskCurves.MAX_POINTS).hasSizeGreaterThan(100);
        assertThat(pr.recall()[0]).isZero();
        assertThat(pr.precision()[0]).isEqualTo(1.0);
        assertThat(pr.recall()[pr.recall().length - 1]).isEqualTo(1.0);
        // the anchor predicts nothing positive: the highest score plus 1, finite so that the JSON is strict
        float highest = Float.NEGATIVE_INFINITY;
        for (float score : s) {
            highest = Math.max(highest, score);
        }
        assertThat(pr.thresholds()[0]).isEqualTo(highest + 1);
        assertThat(roc.thresholds()[0]).isEqualTo(highest + 1);
        assertThat(Json.mapper().writeValueAsString(c)).doesNotContain("Infinity").doesNotContain("NaN");
        assertThat(roc.falsePositiveRate()[0]).isZero();
        assertThat(roc.truePositiveRate()[0]).isZero();
        assertThat(roc.falsePositiveRate()[roc.falsePositiveRate().length - 1]).isEqualTo(1.0);
        assertThat(roc.truePositiveRate()[roc.truePositiveRate().length - 1]).isEqualTo(1.0);
        assertNonDecreasing(pr.recall());
        assertNonDecreasing(roc.falsePositiveRate());
        assertNonDecreasing(roc.truePositiveRate());
        for (float[] thresholds : List.of(pr.thresholds(), roc.thresholds())) {
            for (int i = 1; i < thresholds.length; i++) {
                assertThat(thresholds[i]).isLessThan(thresholds[i - 1]);
            }
        }
        // the operating point survives thinning (to the stored 4 decimals)
        assertThat(indexOf(pr.recall(), pr.precision(), at.recall(), at.precision())).isNotNegative();
        assertThat(pr.operatingPrecision()).isEqualTo(at.precision());
    }

    @Test
    void downsampleKeepsEndpointsAndTheRequestedIndexWithinBudget() {
        int n = 1000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i / (n - 1.0);
            y[i] = Math.sqrt(x[i]);
        }
        int[] kept = TaskCurves.downsample(x, y, 50, 777);
        assertThat(kept).hasSizeLessThanOrEqualTo(50).contains(0, 777, n - 1).isSorted().doesNotHaveDuplicates();
        assertThat(TaskCurves.downsample(x, y, 50, -1)).hasSizeLessThanOrEqualTo(50).contains(0, n - 1);
        assertThat(TaskCurves.downsample(new double[] {0, 1}, new double[] {1, 0}, 50, 0)).containsExactly(0, 1);
        // a curve of one repeated point keeps its ends
        assertThat(TaskCurves.downsample(new double[n], new double[n], 10, -1)).containsExactly(0, n - 1);
    }

    @Test
    void multiLabelHasOneCurvePerClassWithAPositive() {
        boolean[][] truth = {{true, false, false}, {false, false, true}, {true, false, true}, {false, false, false}};
        float[][] scores = {{0.9f, 0.1f, 0.2f}, {0.3f, 0.2f, 0.8f}, {0.6f, 0.4f, 0.4f}, {0.2f, 0.3f, 0.5f}};
        TaskCurves c = TaskCurves.multiLabel(List.of("a", "never", "c"), scores, truth, new double[] {0.5, 0.5, 0.45});

        assertThat(c.roc()).isNull();
        assertThat(c.precisionRecall()).extracting(TaskCurves.PrecisionRecall::className).containsExactly("a", "c");
        TaskCurves.PrecisionRecall cc = c.precisionRecall().get(1);
        // class c at 0.45: scores 0.8 (pos), 0.5 (neg) predicted positive; 0.4 (pos) missed
        assertThat(cc.operatingPrecision()).isEqualTo(0.5);
        assertThat(cc.operatingRecall()).isEqualTo(0.5);
        assertThat(cc.threshold()).isEqualTo(0.45);
    }

    @Test
    void aTestSetOfOneClassHasNoRocAndWithoutPositivesNoPrecisionRecall() {
        float[] s = {0.2f, 0.7f, 0.9f};
        TaskCurves allPositive = TaskCurves.binary("pos", s, new boolean[] {true, true, true}, 0.5);
        TaskCurves allNegative = TaskCurves.binary("pos", s, new boolean[] {false, false, false}, 0.5);
        assertThat(allPositive.roc()).isNull();
        assertThat(allPositive.precisionRecall()).hasSize(1);
        assertThat(allNegative.roc()).isNull();
        assertThat(allNegative.precisionRecall()).isEmpty();
        // a threshold above every score: nothing predicted, the curve's start
        TaskCurves.PrecisionRecall none = TaskCurves.binary("pos", s, new boolean[] {false, true, true}, 0.95)
                .precisionRecall().get(0);
        assertThat(none.operatingRecall()).isZero();
        assertThat(none.operatingPrecision()).isEqualTo(1.0);
    }

    @Test
    void curvesSurviveAJsonRoundTripAndAbsentOrBrokenOnesReadAsNull() throws Exception {
        boolean[] y = new boolean[500];
        float[] s = scores(500, y, 4);
        TaskCurves written = TaskCurves.binary("pos", s, y, 0.5);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("rocAuc", written.roc().auc());
        metrics.put(TaskCurves.KEY, written);

        Map<String, Object> read = Json.mapper().readValue(Json.line(metrics), new TypeReference<>() {});
        TaskCurves back = TaskCurves.from(read);

        assertThat(back.roc().auc()).isEqualTo(written.roc().auc());
        assertThat(back.roc().falsePositiveRate()).containsExactly(written.roc().falsePositiveRate());
        assertThat(back.precisionRecall().get(0).precision()).containsExactly(written.precisionRecall().get(0).precision());
        assertThat(back.precisionRecall().get(0).thresholds()).containsExactly(written.precisionRecall().get(0).thresholds());
        assertThat(back.precisionRecall().get(0).thresholds()[0]).isFinite().isGreaterThan(1);
        assertThat(TaskCurves.from(Map.of("rocAuc", 0.9))).isNull();
        assertThat(TaskCurves.from(null)).isNull();
        assertThat(TaskCurves.from(Map.of(TaskCurves.KEY, Map.of("roc", Map.of("auc", 0.9, "falsePositiveRate", List.of(0.0)))))).isNull();
        // stored rates are short: 4 decimals
        assertThat(Json.line(written.roc().truePositiveRate())).doesNotContainPattern("\\d\\.\\d{5}");
    }

    private static int indexOf(double[] xs, double[] ys, double x, double y) {
        for (int i = 0; i < xs.length; i++) {
            if (Math.abs(xs[i] - x) <= 5e-5 && Math.abs(ys[i] - y) <= 5e-5) {
                return i;
            }
        }
        return -1;
    }

    private static void assertNonDecreasing(double[] v) {
        for (int i = 1; i < v.length; i++) {
            assertThat(v[i]).isGreaterThanOrEqualTo(v[i - 1]);
        }
        assertThat(v[v.length - 1]).isCloseTo(1.0, within(0.0));
    }
}
