package dev.hone.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** Binary and multi-label tasks and their sigmoid loss, against hand-computed values. */
class SigmoidTasksTest {
    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double bce(double x, double y) {
        return -(y * Math.log(sigmoid(x)) + (1 - y) * Math.log(1 - sigmoid(x)));
    }

    @Test
    void plainLossIsBinaryCrossEntropyOnLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] x = {2f, -1f, 0.5f, 30f};
            float[] y = {1f, 0f, 0f, 1f};
            double expected = (bce(2, 1) + bce(-1, 0) + bce(0.5, 0) + bce(30, 1)) / 4;
            float loss = SigmoidLoss.plain().evaluate(new NDList(m.create(y, new Shape(2, 2))),
                    new NDList(m.create(x, new Shape(2, 2)))).getFloat();
            assertThat((double) loss).isCloseTo(expected, within(1e-6));
        }
    }

    @Test
    void positiveWeightsAndFocalModulation() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one image, two outputs: x = (1, -2), y = (1, 0), w = (3, 5), gamma = 2
            double p0 = sigmoid(1);
            double p1 = sigmoid(-2);
            double expected = (3 * -Math.log(p0) * Math.pow(1 - p0, 2) + -Math.log(1 - p1) * Math.pow(p1, 2)) / 2;
            SigmoidLoss loss = new SigmoidLoss(new float[] {3, 5}, 2);
            float value = loss.evaluate(new NDList(m.create(new float[] {1, 0}, new Shape(1, 2))),
                    new NDList(m.create(new float[] {1, -2}, new Shape(1, 2)))).getFloat();
            assertThat((double) value).isCloseTo(expected, within(1e-6));
            assertThat(loss.of(p0, 1, 0) + loss.of(p1, 0, 1)).isCloseTo(2 * expected, within(1e-6));
        }
    }

    @Test
    void binaryHasOneLogitAndClassOrderedProbabilities() {
        Binary task = Binary.of(0); // class 0 is the positive one
        assertThat(task.outputs(2)).isEqualTo(1);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(new long[] {0, 1, 0});
            assertThat(task.targets(labels, 2).toFloatArray()).containsExactly(1, 0, 1);
            assertThat(task.targets(labels, 2).getShape()).isEqualTo(new Shape(3, 1));
            NDArray logits = m.create(new float[] {2, -1, -3}, new Shape(3, 1));
            float[] p = task.probabilities(logits).toFloatArray();
            assertThat((double) p[0]).isCloseTo(sigmoid(2), within(1e-6));
            assertThat((double) p[1]).isCloseTo(1 - sigmoid(2), within(1e-6));
            assertThat(task.tally(logits, labels)).isEqualTo(new Tally(2, 3));
        }
    }

    @Test
    void binaryScoresRocAucOfThePositiveClass() {
        Binary task = Binary.of(1);
        float[][] probs = {{0.9f, 0.1f}, {0.8f, 0.2f}, {0.3f, 0.7f}, {0.65f, 0.35f}};
        int[] labels = {0, 1, 1, 0};
        // positives scored 0.2 and 0.7, negatives 0.1 and 0.35: 3 of 4 pairs ordered right
        Predictions p = new Predictions(probs, labels, new float[4][1], 0, Double.NaN);
        assertThat(task.score(p)).isCloseTo(0.75, within(1e-12));
        assertThat(task.imageLoss(probs[2], new float[] {1})).isCloseTo(-Math.log(0.7), within(1e-6));
    }

    @Test
    void multiLabelTargetsAreTheStoredRowsAndSubsetAccuracyCounts() {
        MultiLabel task = MultiLabel.plain();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray rows = m.create(new float[] {1, 0, 1, 0, 0, 0}, new Shape(2, 3));
            assertThat(task.targets(rows, 3).toFloatArray()).containsExactly(1, 0, 1, 0, 0, 0);
            NDArray logits = m.create(new float[] {3, -2, 1, -1, 2, -1}, new Shape(2, 3));
            assertThat(task.tally(logits, rows)).isEqualTo(new Tally(1, 2)); // the second image predicts a class it does not show
        }
    }

    @Test
    void multiLabelScoresMeanAveragePrecision() {
        MultiLabel task = MultiLabel.plain();
        float[][] probs = {{0.9f, 0.2f}, {0.1f, 0.8f}, {0.4f, 0.3f}};
        float[][] truth = {{1, 0}, {0, 1}, {1, 0}};
        // class 0 ranks its positives first (AP 1); class 1's only positive is first (AP 1)
        Predictions p = new Predictions(probs, new int[3], truth, 0, Double.NaN);
        assertThat(task.score(p)).isCloseTo(1.0, within(1e-12));
        float[][] swapped = {{0.2f, 0.9f}, {0.8f, 0.1f}, {0.4f, 0.3f}};
        // class 0: scores 0.2(+), 0.8(-), 0.4(+): ranking 0.8-,0.4+,0.2+ gives AP (1/2 + 2/3)/2; class 1: 0.1(+) last of 3: AP 1/3
        double expected = ((0.5 + 2.0 / 3) / 2 + 1.0 / 3) / 2;
        assertThat(task.score(new Predictions(swapped, new int[3], truth, 0, Double.NaN))).isCloseTo(expected, within(1e-12));
    }
}
