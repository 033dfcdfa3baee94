package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageSet;
import dev.hone.report.Evaluation;
import dev.hone.tasks.Binary;
import dev.hone.tasks.Predictions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A binary model's accuracy, confusion matrix and per-class figures are its decisions at its learned threshold. */
class BinaryEvaluationTest {
    @Test
    void theHeadlineFiguresAreAtTheLearnedThresholdAndTheHalfOnesStayBesideThem() {
        int[] labels = {1, 1, 1, 0, 0, 0};
        float[] positive = {0.9f, 0.4f, 0.35f, 0.2f, 0.45f, 0.1f};
        float[][] probabilities = new float[labels.length][];
        for (int i = 0; i < labels.length; i++) {
            probabilities[i] = new float[] {1 - positive[i], positive[i]};
        }
        ImageSet set = new ImageSet(new byte[labels.length * 16], labels, 1, 4, 4, List.of("negative", "positive"),
                i -> "image" + i);
        Predictions test = new Predictions(probabilities, labels, null, 0.5, Double.NaN);

        Evaluation e = TaskEvaluation.atSaved(Binary.of(1), new double[] {0.3}, test, set, "test");
        // at 0.3: the three positives and one negative (0.45) are called positive; at 0.5 two positives are missed
        assertThat(e.accuracy()).isEqualTo(5 / 6.0);
        assertThat(e.confusionMatrix()).isDeepEqualTo(new int[][] {{2, 1}, {0, 3}});
        assertThat(e.perClass().get(1).recall()).isEqualTo(1.0);
        assertThat(e.worst()).singleElement().satisfies(m -> assertThat(m.predictedClass()).isEqualTo("positive"));
        Map<?, ?> half = (Map<?, ?>) e.taskMetrics().get("atHalf");
        assertThat(((Number) half.get("accuracy")).doubleValue()).isEqualTo(4 / 6.0);
        // the loss is the cross-entropy of the probabilities reported; the predictions' own, before the temperature, stays beside
        double nll = 0;
        for (int i = 0; i < labels.length; i++) {
            nll -= Math.log(labels[i] == 1 ? positive[i] : 1 - positive[i]);
        }
        assertThat(e.loss()).isCloseTo(nll / labels.length, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(e.taskMetrics()).containsEntry("lossBeforeTemperature", 0.5);
    }
}
