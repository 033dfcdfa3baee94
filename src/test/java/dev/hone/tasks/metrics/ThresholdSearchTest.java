package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hone.tasks.metrics.LearnedThreshold.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThresholdSearchTest {
    private static final double EPS = 1e-12;
    private static final ThresholdTarget F1 = ThresholdTarget.maxF1();

    @Test
    void separableScoresGetTheMidpointOfTheGap() {
        LearnedThreshold t = ThresholdSearch.learn(new float[] {0.1f, 0.2f, 0.8f, 0.9f},
                new boolean[] {false, false, true, true}, F1);
        assertThat(t.threshold()).isCloseTo(((double) 0.2f + (double) 0.8f) / 2, within(EPS));
        assertThat(t.counts().f1()).isEqualTo(1.0);
        assertThat(t.outcome()).isEqualTo(Outcome.LEARNED);
        assertThat(t.reason()).startsWith("f1: F1 1.000");
    }

    @Test
    void equalF1IsBrokenTowardHalf() {
        boolean[] y = {true, false, false, true};
        // >= 0.9 and "everything" both give F1 2/3; the midpoint 0.8 is nearer 0.5 than the minimum 0.1
        assertThat(ThresholdSearch.learn(new float[] {0.1f, 0.3f, 0.7f, 0.9f}, y, F1).threshold())
                .isCloseTo(((double) 0.7f + (double) 0.9f) / 2, within(EPS));
        // same tie, but now the minimum 0.4 is nearer 0.5 than the midpoint 0.925
        assertThat(ThresholdSearch.learn(new float[] {0.4f, 0.45f, 0.9f, 0.95f}, y, F1).threshold())
                .isEqualTo(0.4f);
    }

    @Test
    void allPositiveAndInvertedRankingsPredictEverythingPositive() {
        LearnedThreshold all = ThresholdSearch.learn(new float[] {0.2f, 0.6f}, new boolean[] {true, true}, F1);
        assertThat(all.threshold()).isEqualTo(0.2f);
        assertThat(all.counts().f1()).isEqualTo(1.0);
        LearnedThreshold inverted = ThresholdSearch.learn(new float[] {0.1f, 0.2f, 0.8f, 0.9f},
                new boolean[] {true, true, false, false}, F1);
        assertThat(inverted.threshold()).isEqualTo(0.1f);
        assertThat(inverted.counts().f1()).isCloseTo(4.0 / 6, within(EPS));
    }

    @Test
    void aClassWithoutPositivesKeepsHalfAndSaysSo() {
        LearnedThreshold t = ThresholdSearch.learn(new float[] {0.3f, 0.7f}, new boolean[] {false, false}, F1);
        assertThat(t.threshold()).isEqualTo(0.5);
        assertThat(t.outcome()).isEqualTo(Outcome.NO_POSITIVE);
        assertThat(t.reason()).contains("no positive").contains("0.5");
        assertThat(t.counts()).isEqualTo(new ConfusionMatrix(0, 1, 0, 1));

        List<LearnedThreshold> perClass = ThresholdSearch.learnPerClass(new float[][] {{0.9f, 0.3f}, {0.1f, 0.7f}},
                new boolean[][] {{true, false}, {false, false}}, F1);
        assertThat(perClass).extracting(LearnedThreshold::outcome).containsExactly(Outcome.LEARNED, Outcome.NO_POSITIVE);
        assertThat(ThresholdSearch.values(perClass)).containsExactly(((double) 0.9f + (double) 0.1f) / 2, 0.5);
    }

    // Seeded case from tools/sklearn-metric-references.py: a brute force over the same candidates scored with
    // scikit-learn 1.2.1's f1_score, precision_score and recall_score (zero_division=0), same tie rule.
    @Test
    void matchesABruteForceWithScikitLearnScores() {
        float[] s = {0.5381644f, 0.34327087f, 0.36906725f, 0.37449676f, 0.987445f, 0.6327563f, 0.6743239f, 0.32996345f, 0.67991763f, 0.12297238f, 0.051729232f, 0.85019135f, 0.008895805f, 0.9787676f, 0.827003f, 0.78521097f, 0.048083488f, 0.20743927f, 0.8498656f, 0.43249482f, 0.62746793f, 0.1222824f, 0.18633632f, 0.4972679f, 0.7594666f, 0.5398572f, 0.106880076f, 0.8661861f, 0.13965891f, 0.43965775f, 0.58684945f, 0.3191495f, 0.41805416f, 0.8869645f, 0.45413572f, 0.5392471f, 0.97048914f, 0.27598312f, 0.8947902f, 0.3618555f};
        boolean[] y = {true, false, true, false, false, false, true, true, false, false, true, false, false, false, true, true, false, true, true, false, true, false, false, false, false, false, false, true, false, false, false, false, false, true, false, false, true, false, true, false};
        LearnedThreshold f1 = ThresholdSearch.learn(s, y, F1);
        assertThat(f1.threshold()).isCloseTo(0.6071586906909943, within(EPS));
        assertThat(f1.counts().f1()).isCloseTo(0.6206896551724138, within(EPS));
        // the learned threshold reproduces its validation counts when applied
        assertThat(ConfusionMatrix.at(s, y, f1.threshold())).isEqualTo(f1.counts());

        LearnedThreshold unreachable = ThresholdSearch.learn(s, y, ThresholdTarget.precisionAtLeast(0.8));
        assertThat(unreachable.outcome()).isEqualTo(Outcome.FLOOR_UNREACHABLE);
        assertThat(unreachable.reason()).contains("precision>=0.8 is not reached");
        assertThat(unreachable.threshold()).isCloseTo(0.7723387777805328, within(EPS));
        assertThat(unreachable.counts().precision()).isCloseTo(0.7, within(EPS));
        assertThat(unreachable.counts().recall()).isCloseTo(0.5, within(EPS));

        LearnedThreshold precision = ThresholdSearch.learn(s, y, ThresholdTarget.precisionAtLeast(0.6));
        assertThat(precision.outcome()).isEqualTo(Outcome.LEARNED);
        assertThat(precision.threshold()).isCloseTo(0.6071586906909943, within(EPS));
        assertThat(precision.counts().recall()).isCloseTo(0.6428571428571429, within(EPS));

        LearnedThreshold recall = ThresholdSearch.learn(s, y, ThresholdTarget.recallAtLeast(0.9));
        assertThat(recall.outcome()).isEqualTo(Outcome.LEARNED);
        assertThat(recall.threshold()).isCloseTo(0.1968877986073494, within(EPS));
        assertThat(recall.counts().precision()).isCloseTo(0.40625, within(EPS));
        assertThat(recall.counts().recall()).isCloseTo(0.9285714285714286, within(EPS));
    }

    /** A kept threshold needs five validation positives: with three, the search's 1e-6 would follow their low scores. */
    @Test
    void aThresholdToKeepNeedsFivePositives() {
        float[] scores = {1e-6f, 2e-6f, 3e-6f, 0.1f, 0.2f, 0.3f, 0.02f, 0.01f};
        boolean[] three = {true, true, true, false, false, false, false, false};
        LearnedThreshold search = ThresholdSearch.learn(scores, three, ThresholdTarget.maxF1());
        assertThat(search.threshold()).isLessThan(1e-5);
        LearnedThreshold kept = ThresholdSearch.learnToKeep(scores, three, ThresholdTarget.maxF1());
        assertThat(kept.outcome()).isEqualTo(Outcome.TOO_FEW_POSITIVES);
        assertThat(kept.threshold()).isEqualTo(ThresholdSearch.DEFAULT_THRESHOLD);
        assertThat(kept.reason()).startsWith("only 3 positives among 8 validation samples, fewer than the 5");
        boolean[] five = {true, true, true, true, true, false, false, false};
        assertThat(ThresholdSearch.learnToKeep(scores, five, ThresholdTarget.maxF1())).isEqualTo(
                ThresholdSearch.learn(scores, five, ThresholdTarget.maxF1()));
        assertThat(ThresholdSearch.learnPerClassToKeep(new float[][] {{0.9f}, {0.1f}}, new boolean[][] {{true}, {false}},
                ThresholdTarget.maxF1()).get(0).outcome()).isEqualTo(Outcome.TOO_FEW_POSITIVES);
    }
}
