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

    // Seeded cases from tools/sklearn-metric-references.py, scikit-learn 1.2.1:
    // sklearn.metrics.average_precision_score and roc_auc_score.
    @Test
    void matchesScikitLearnOnSeededCases() {
        float[] s1 = {0.5f, 1.0f, 0.1f, 0.9f, 0.3f, 0.4f, 0.8f, 0.4f, 0.5f, 0.0f, 0.8f, 0.5f, 0.3f, 0.8f, 0.3f, 0.5f, 0.1f, 0.4f, 0.2f, 0.3f, 0.8f, 0.3f, 0.5f, 1.0f, 1.0f, 0.7f, 0.5f, 0.3f, 0.2f, 1.0f, 0.5f, 0.1f, 0.6f, 0.8f, 0.6f, 0.9f, 0.0f, 0.5f, 0.5f, 0.1f};
        boolean[] y1 = {false, false, false, true, false, false, true, false, true, false, false, false, true, false, true, true, false, false, false, false, true, true, false, false, false, true, true, false, false, false, true, false, false, true, false, true, false, false, false, false};
        assertThat(RankingMetrics.averagePrecision(s1, y1)).isCloseTo(0.42216795885274144, within(EPS));
        assertThat(RankingMetrics.rocAuc(s1, y1)).isCloseTo(0.6481481481481481, within(EPS));
        float[] s2 = {0.26161215f, 0.29849115f, 0.81422573f, 0.09191594f, 0.6001005f, 0.7285605f, 0.18790108f, 0.055146627f, 0.27496937f, 0.65743303f, 0.56226563f, 0.15006226f, 0.43263078f, 0.6692973f, 0.4227847f, 0.6331844f, 0.96743596f, 0.6830648f, 0.39162484f, 0.18725257f, 0.34596068f, 0.51106596f, 0.8912094f, 0.77556396f, 0.3181466f, 0.9242169f, 0.4709099f, 0.69375885f, 0.107207306f, 0.10454356f, 0.20190744f, 0.88444966f, 0.6798115f, 0.8492363f, 0.64443624f, 0.4065424f, 0.5165782f, 0.5934435f, 0.862118f, 0.43818617f, 0.8922401f, 0.61371696f, 0.82935613f, 0.49805605f, 0.6925181f, 0.33902538f, 0.5228285f, 0.21622339f, 0.100703605f, 0.03860413f, 0.7019495f, 0.4564306f, 0.89773417f, 0.8351832f, 0.38509515f, 0.97367877f, 0.592062f, 0.7658833f, 0.40719435f, 0.19616991f};
        boolean[] y2 = {true, true, true, true, true, false, true, false, false, false, true, false, false, false, false, true, false, true, false, false, true, true, false, false, true, true, true, false, true, true, false, true, true, true, true, true, false, true, true, true, true, true, true, true, false, false, true, true, false, false, true, true, true, false, false, false, false, true, false, false};
        assertThat(RankingMetrics.averagePrecision(s2, y2)).isCloseTo(0.6039501866469776, within(EPS));
        assertThat(RankingMetrics.rocAuc(s2, y2)).isCloseTo(0.5712669683257918, within(EPS));
        float[] s3 = {0.09f, 0.24f, 0.8f, 0.58f, 0.09f, 0.43f, 0.48f, 0.16f, 0.73f, 0.11f, 0.39f, 0.52f, 0.43f, 0.59f, 0.74f, 0.96f, 0.28f, 0.65f, 0.7f, 0.29f, 0.0f, 0.97f, 0.3f, 0.31f, 0.89f};
        boolean[] y3 = {false, false, false, true, false, true, true, false, false, true, false, true, false, false, true, false, false, false, false, false, false, false, true, false, true};
        assertThat(RankingMetrics.averagePrecision(s3, y3)).isCloseTo(0.3772011077158136, within(EPS));
        assertThat(RankingMetrics.rocAuc(s3, y3)).isCloseTo(0.5772058823529411, within(EPS));
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
