package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.hone.data.ImageSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationMetricsTest {
    private static final double EPS = 1e-12;

    /**
     * Hand-computed: labels A A A B B B C C, predictions A A B B C A C B.
     * Confusion (rows true) A:[2,1,0] B:[1,1,1] C:[0,1,1]; accuracy 4/8.
     * Precision = diagonal / column sum: A 2/3, B 1/3, C 1/2; recall = diagonal / row sum: A 2/3, B 1/3,
     * C 1/2; so F1 equals both; macro F1 = (2/3 + 1/3 + 1/2) / 3 = 0.5.
     * Wrong ones by confidence: #4 0.8, #2 0.7, #7 0.6, #5 0.5.
     */
    @Test
    void threeClassExampleMatchesHandComputedValues() {
        ImageSet set = set(new int[] {0, 0, 0, 1, 1, 1, 2, 2}, List.of("A", "B", "C"));
        float[][] p = {
            {0.7f, 0.2f, 0.1f}, {0.6f, 0.3f, 0.1f}, {0.2f, 0.7f, 0.1f},
            {0.1f, 0.8f, 0.1f}, {0.1f, 0.1f, 0.8f}, {0.5f, 0.4f, 0.1f},
            {0.2f, 0.2f, 0.6f}, {0.3f, 0.6f, 0.1f}};

        Evaluation e = EvaluationMetrics.compute("test", set, p, 0.9, 3);

        assertThat(e.dataset()).isEqualTo("test");
        assertThat(e.count()).isEqualTo(8);
        assertThat(e.loss()).isEqualTo(0.9);
        assertThat(e.accuracy()).isCloseTo(0.5, within(EPS));
        assertThat(e.confusionMatrix()).isDeepEqualTo(new int[][] {{2, 1, 0}, {1, 1, 1}, {0, 1, 1}});
        assertThat(e.classes()).containsExactly("A", "B", "C");
        double[][] expected = {{2 / 3.0, 2 / 3.0, 2 / 3.0, 3}, {1 / 3.0, 1 / 3.0, 1 / 3.0, 3}, {0.5, 0.5, 0.5, 2}};
        for (int c = 0; c < 3; c++) {
            Evaluation.ClassMetrics m = e.perClass().get(c);
            assertThat(m.name()).isEqualTo(List.of("A", "B", "C").get(c));
            assertThat(m.precision()).isCloseTo(expected[c][0], within(EPS));
            assertThat(m.recall()).isCloseTo(expected[c][1], within(EPS));
            assertThat(m.f1()).isCloseTo(expected[c][2], within(EPS));
            assertThat(m.support()).isEqualTo((int) expected[c][3]);
        }
        assertThat(e.macroF1()).isCloseTo(0.5, within(EPS));
        assertThat(e.worst()).extracting(Evaluation.Mistake::index).containsExactly(4, 2, 7);
        Evaluation.Mistake first = e.worst().get(0);
        assertThat(first.source()).isEqualTo("img-4.png");
        assertThat(first.trueClass()).isEqualTo("B");
        assertThat(first.predictedClass()).isEqualTo("C");
        assertThat(first.confidence()).isCloseTo(0.8, within(1e-6));
    }

    /** F1 with unequal precision and recall: 2PR/(P+R) with P = 1/2, R = 1 gives 2/3. */
    @Test
    void neverPredictedClassHasZeroPrecisionNotNaN() {
        ImageSet set = set(new int[] {0, 0, 1, 1}, List.of("yes", "no"));
        float[][] p = {{0.9f, 0.1f}, {0.8f, 0.2f}, {0.7f, 0.3f}, {0.6f, 0.4f}};

        Evaluation e = EvaluationMetrics.compute("test", set, p, 0.5, 10);

        Evaluation.ClassMetrics yes = e.perClass().get(0);
        Evaluation.ClassMetrics no = e.perClass().get(1);
        assertThat(yes.precision()).isCloseTo(0.5, within(EPS));
        assertThat(yes.recall()).isCloseTo(1.0, within(EPS));
        assertThat(yes.f1()).isCloseTo(2 / 3.0, within(EPS));
        assertThat(no.precision()).isZero();
        assertThat(no.recall()).isZero();
        assertThat(no.f1()).isZero();
        assertThat(e.macroF1()).isCloseTo(1 / 3.0, within(EPS));
        assertThat(e.worst()).extracting(Evaluation.Mistake::index).containsExactly(2, 3);
    }

    /**
     * A class the test set lacks but the model predicts: each such prediction is wrong, so precision and F1 are 0 and count
     * in macro F1, as scikit-learn's {@code f1_score(y, p, average="macro")} counts it ((0.8 + 1 + 0) / 3 here); recall n/a.
     */
    @Test
    void classWithoutTestImagesThatIsPredictedScoresZeroPrecisionAndCountsInMacroF1() {
        ImageSet set = set(new int[] {0, 0, 0, 1, 1, 1}, List.of("a", "b", "single"));
        float[][] p = {{0.9f, 0.05f, 0.05f}, {0.8f, 0.1f, 0.1f}, {0.2f, 0.1f, 0.7f},
            {0.1f, 0.8f, 0.1f}, {0.2f, 0.7f, 0.1f}, {0.3f, 0.6f, 0.1f}};

        Evaluation e = EvaluationMetrics.compute("test", set, p, 0.2, 3);

        Evaluation.ClassMetrics single = e.perClass().get(2);
        assertThat(single.support()).isZero();
        assertThat(single.precision()).isZero();
        assertThat(single.recall()).isNull();
        assertThat(single.f1()).isZero();
        assertThat(e.perClass().get(0).f1()).isCloseTo(0.8, within(EPS));
        assertThat(e.macroF1()).isCloseTo(0.6, within(EPS));
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w).startsWith("class single (predicted 1 time) has no test images,"
                + " so every prediction of it is wrong: precision and F1 0, counted in macro F1"));
        assertThat(e.warnings()).noneSatisfy(w -> assertThat(w).contains("left out of macro F1"));
    }

    /**
     * The case: a class whose only image went to training has no test support. Every test image
     * is right, so macro F1 over the classes with support is 1, not the 2/3 that a 0 for the empty class
     * gave; that class is n/a and named in a warning.
     */
    @Test
    void classWithoutTestImagesIsNotApplicableAndLeftOutOfMacroF1() {
        ImageSet set = set(new int[] {0, 0, 0, 1, 1, 1}, List.of("a", "b", "single"));
        float[][] p = {{0.9f, 0.05f, 0.05f}, {0.8f, 0.1f, 0.1f}, {0.7f, 0.2f, 0.1f},
            {0.1f, 0.8f, 0.1f}, {0.2f, 0.7f, 0.1f}, {0.3f, 0.6f, 0.1f}};

        Evaluation e = EvaluationMetrics.compute("test", set, p, 0.2, 3);

        assertThat(e.accuracy()).isEqualTo(1.0);
        assertThat(e.macroF1()).isCloseTo(1.0, within(EPS));
        Evaluation.ClassMetrics single = e.perClass().get(2);
        assertThat(single.support()).isZero();
        assertThat(single.precision()).isNull();
        assertThat(single.recall()).isNull();
        assertThat(single.f1()).isNull();
        assertThat(e.perClass().get(0).f1()).isCloseTo(1.0, within(EPS));
        assertThat(e.classesWithoutSupport()).containsExactly("single");
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains("class single has no test images")
                .contains("n/a").contains("left out of macro F1"));
    }

    /** Against a 2-class set, 4 of 4 right is p = 1/16 > 5%: not significantly better than chance. */
    @Test
    void accuracyIsTestedAgainstTheMajorityClassRate() {
        ImageSet small = set(new int[] {0, 0, 1, 1}, List.of("a", "b"));
        float[][] right = {{0.9f, 0.1f}, {0.9f, 0.1f}, {0.1f, 0.9f}, {0.1f, 0.9f}};
        Evaluation e = EvaluationMetrics.compute("test", small, right, 0.1, 3);
        assertThat(e.chance().rate()).isEqualTo(0.5);
        assertThat(e.chance().majorityClass()).isEqualTo("a");
        assertThat(e.chance().pValue()).isCloseTo(1 / 16.0, within(EPS));
        assertThat(e.betterThanChance()).isFalse();
        assertThat(e.warnings()).anySatisfy(w -> assertThat(w).contains("no better than chance").contains("50.00%"));

        // 9 of 10 right, majority 6 of 10: P(X >= 9 | 10, 0.6) = 10 * 0.6^9 * 0.4 + 0.6^10 = 0.0463574016
        int[] labels = {0, 0, 0, 0, 0, 0, 1, 1, 1, 1};
        float[][] p = new float[10][];
        for (int i = 0; i < 10; i++) {
            int predicted = i == 9 ? 0 : labels[i];
            p[i] = predicted == 0 ? new float[] {0.9f, 0.1f} : new float[] {0.1f, 0.9f};
        }
        Evaluation better = EvaluationMetrics.compute("test", set(labels, List.of("a", "b")), p, 0.1, 3);
        assertThat(better.accuracy()).isCloseTo(0.9, within(EPS));
        assertThat(better.chance().pValue()).isCloseTo(0.0463574016, within(1e-10));
        assertThat(better.betterThanChance()).isTrue();
        assertThat(better.warnings()).isEmpty();
    }

    @Test
    void tiesGoToTheLowerClassIndex() {
        assertThat(EvaluationMetrics.argMax(new float[] {0.4f, 0.4f, 0.2f})).isZero();
        assertThat(EvaluationMetrics.argMax(new float[] {0.2f, 0.4f, 0.4f})).isEqualTo(1);
    }

    @Test
    void mostConfusedPairsAreLargestOffDiagonalCellsFirst() {
        int[][] m = {{50, 2, 7}, {9, 40, 0}, {1, 7, 30}};

        var pairs = EvaluationMetrics.mostConfused(m, List.of("a", "b", "c"), 3);

        assertThat(pairs).containsExactly(new EvaluationMetrics.ConfusedPair("b", "a", 9),
                new EvaluationMetrics.ConfusedPair("a", "c", 7), new EvaluationMetrics.ConfusedPair("c", "b", 7));
        assertThat(EvaluationMetrics.mostConfused(new int[][] {{3, 0}, {0, 4}}, List.of("a", "b"), 3)).isEmpty();
    }

    @Test
    void rejectsProbabilitiesOfTheWrongShape() {
        ImageSet set = set(new int[] {0, 1}, List.of("a", "b"));
        assertThatThrownBy(() -> EvaluationMetrics.compute("t", set, new float[1][2], 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 probability rows for 2 images");
        assertThatThrownBy(() -> EvaluationMetrics.compute("t", set, new float[2][3], 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 probabilities for 2 classes");
    }

    private static ImageSet set(int[] labels, List<String> classes) {
        return new ImageSet(new byte[labels.length], labels, 1, 1, 1, classes, i -> "img-" + i + ".png");
    }
}
