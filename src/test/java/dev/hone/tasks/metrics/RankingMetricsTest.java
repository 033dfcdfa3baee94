package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
    private static final double EPS = 1e-12;

    @Test
    void scikitLearnsDocstringExample() {
        float[] s = {0.1f, 0.4f, 0.35f, 0.8f};
        boolean[] y = {false, false, true, true};
        // precision_recall_curve docstring: precision [0.5, 0.667, 0.5, 1, 1], recall [1, 1, 0.5, 0.5, 0], reversed here
        List<PrecisionRecallCurve.Point> pr = PrecisionRecallCurve.of(s, y).points();
        assertThat(pr).extracting(PrecisionRecallCurve.Point::recall).containsExactly(0.0, 0.5, 0.5, 1.0, 1.0);
        assertThat(pr).extracting(PrecisionRecallCurve.Point::precision)
                .containsExactly(1.0, 1.0, 0.5, 2.0 / 3, 0.5);
        assertThat(pr.get(1).threshold()).isEqualTo(0.8f);
        assertThat(RankingMetrics.averagePrecision(s, y)).isCloseTo(0.5 + 0.5 * 2.0 / 3, within(EPS));
        assertThat(RankingMetrics.rocAuc(s, y)).isCloseTo(0.75, within(EPS));
    }

    @Test
    void perfectRankingScoresOneAndInvertedRankingScoresZeroAuc() {
        float[] s = {0.1f, 0.2f, 0.3f, 0.4f};
        boolean[] perfect = {false, false, true, true};
        boolean[] inverted = {true, true, false, false};
        assertThat(RankingMetrics.averagePrecision(s, perfect)).isEqualTo(1.0);
        assertThat(RankingMetrics.rocAuc(s, perfect)).isEqualTo(1.0);
        assertThat(RankingMetrics.rocAuc(s, inverted)).isEqualTo(0.0);
        // 0.4 and 0.3 are negatives; 0.2 brings recall 1/2 at precision 1/3, 0.1 recall 1 at precision 2/4
        assertThat(RankingMetrics.averagePrecision(s, inverted)).isCloseTo(0.5 / 3 + 0.5 * 0.5, within(EPS));
    }

    @Test
    void equalScoresMoveTogether() {
        float[] s = {0.5f, 0.5f, 0.9f, 0.1f};
        boolean[] y = {true, false, true, false};
        // groups 0.9 (tp 1, fp 0), 0.5 (tp 2, fp 1), 0.1 (tp 2, fp 2)
        assertThat(RankingMetrics.averagePrecision(s, y)).isCloseTo(0.5 * 1 + 0.5 * 2.0 / 3, within(EPS));
        // pairs: 0.9 beats both negatives, 0.5 ties one (half) and beats one: 3.5 of 4
        assertThat(RankingMetrics.rocAuc(s, y)).isCloseTo(0.875, within(EPS));
        assertThat(RocCurve.of(s, y).points()).extracting(RocCurve.Point::threshold)
                .containsExactly(Double.POSITIVE_INFINITY, (double) 0.9f, 0.5, (double) 0.1f);

        float[] allTied = {0.3f, 0.3f, 0.3f, 0.3f};
        boolean[] onePositive = {false, true, false, false};
        assertThat(RankingMetrics.averagePrecision(allTied, onePositive)).isEqualTo(0.25);
        assertThat(RankingMetrics.rocAuc(allTied, onePositive)).isEqualTo(0.5);
        assertThat(RankingMetrics.rocAuc(new float[] {-0f, 0f}, new boolean[] {true, false})).isEqualTo(0.5);
    }

    @Test
    void undefinedValuesAreNaN() {
        float[] s = {0.2f, 0.7f, 0.4f};
        boolean[] none = {false, false, false};
        boolean[] all = {true, true, true};
        assertThat(RankingMetrics.averagePrecision(s, none)).isNaN();
        assertThat(RankingMetrics.rocAuc(s, none)).isNaN();
        assertThat(RankingMetrics.averagePrecision(s, all)).isEqualTo(1.0);
        assertThat(RankingMetrics.rocAuc(s, all)).isNaN();
        assertThat(RankingMetrics.averagePrecision(new float[0], new boolean[0])).isNaN();
        assertThat(RankingMetrics.rocAuc(new float[0], new boolean[0])).isNaN();
    }

    @Test
    void meanAveragePrecisionLeavesOutClassesWithoutPositives() {
        float[][] s = {{0.9f, 0.1f, 0.3f}, {0.2f, 0.8f, 0.6f}, {0.4f, 0.7f, 0.5f}};
        boolean[][] y = {{true, false, false}, {false, true, false}, {true, false, false}};
        double[] ap = RankingMetrics.averagePrecisionPerClass(s, y);
        assertThat(ap[0]).isEqualTo(1.0);
        assertThat(ap[1]).isEqualTo(1.0);
        assertThat(ap[2]).isNaN();
        assertThat(RankingMetrics.meanAveragePrecision(s, y)).isEqualTo(1.0);
        assertThat(RankingMetrics.meanAveragePrecision(new float[][] {{0.5f}}, new boolean[][] {{false}})).isNaN();
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> RankingMetrics.averagePrecision(new float[2], new boolean[3]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 entries").hasMessageContaining("3");
        assertThatThrownBy(() -> RankingMetrics.rocAuc(new float[] {0.1f, Float.NaN}, new boolean[2]))
                .hasMessageContaining("score 1 is NaN");
        assertThatThrownBy(() -> RankingMetrics.meanAveragePrecision(new float[][] {{0.1f, 0.2f}, {0.3f}},
                new boolean[][] {{true, false}, {true}})).hasMessageContaining("row 1");
    }
}
