package dev.hone.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** The single-label task's targets, head, loss, probabilities and metric against hand-computed values. */
class SingleLabelTest {
    private final Task task = SingleLabel.INSTANCE;

    @Test
    void oneLogitPerClassAndAccuracyAsTheMetric() {
        assertThat(task.name()).isEqualTo("single-label");
        assertThat(task.outputs(10)).isEqualTo(10);
        assertThat(task.validationMetric()).isEqualTo("accuracy");
    }

    @Test
    void targetsAreOneHotRows() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = task.targets(m.create(new long[] {2, 0}), 3);
            assertThat(t.getShape()).isEqualTo(new Shape(2, 3));
            assertThat(t.toFloatArray()).containsExactly(0, 0, 1, 1, 0, 0);
        }
    }

    @Test
    void lossIsSoftmaxCrossEntropyOnLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] logits = {1, 2, 3, 0, 0, 0};
            NDArray out = m.create(logits, new Shape(2, 3));
            NDArray targets = task.targets(m.create(new long[] {2, 0}), 3);
            float loss = task.loss().evaluate(new NDList(targets), new NDList(out)).getFloat();
            double first = -Math.log(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)));
            double second = Math.log(3);
            assertThat((double) loss).isCloseTo((first + second) / 2, within(1e-5));
        }
    }

    @Test
    void probabilitiesAreTheSoftmaxAndTheTallyCountsTheArgMax() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = m.create(new float[] {1, 2, 3, 5, 0, 0}, new Shape(2, 3));
            float[] p = task.probabilities(out).toFloatArray();
            assertThat(p[0] + p[1] + p[2]).isCloseTo(1f, within(1e-6f));
            assertThat((double) p[2]).isCloseTo(Math.exp(3) / (Math.exp(1) + Math.exp(2) + Math.exp(3)), within(1e-6));
            assertThat(task.tally(out, m.create(new long[] {2, 1}))).isEqualTo(new Tally(1, 2));
        }
    }
}
