package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import dev.hone.tasks.metrics.RankingMetrics;

/**
 * Binary classification: two classes, one logit, a sigmoid.
 *
 * <p>The positive class is the one whose probability the logit gives: by default the rarer class,
 * or the user's {@code --positive}. Targets are (N, 1) with 1 for the positive class; the loss is
 * {@link SigmoidLoss}; probabilities are returned as (N, 2) rows (1 - p, p) in class order, so
 * class-indexed code (arg-max, confusion matrix) still reads them. Learners maximise validation
 * ROC-AUC, which does not depend on a threshold; the decision threshold is learned afterwards.
 *
 * @param positive the positive class's index, 0 or 1
 * @param sigmoidLoss the training loss (plain, positive-weighted or focal BCE)
 */
public record Binary(int positive, SigmoidLoss sigmoidLoss) implements Task {

    public Binary {
        if (positive != 0 && positive != 1) {
            throw new IllegalArgumentException("the positive class of a binary task is 0 or 1, not " + positive);
        }
    }

    /** Binary with plain BCE. */
    public static Binary of(int positive) {
        return new Binary(positive, SigmoidLoss.plain());
    }

    @Override
    public String name() {
        return "binary";
    }

    @Override
    public int outputs(int classes) {
        return 1;
    }

    @Override
    public Loss loss() {
        return sigmoidLoss;
    }

    @Override
    public NDArray targets(NDArray labels, int classes) {
        return labels.eq(positive).toType(DataType.FLOAT32, false).reshape(-1, 1);
    }

    /** The positive class's probability, (N, 2) rows in, (N, 1) out. */
    @Override
    public NDArray softTargets(NDArray distributions) {
        return distributions.get(":, " + positive + ":" + (positive + 1));
    }

    @Override
    public NDArray probabilities(NDArray logits) {
        NDArray p = Activation.sigmoid(logits.reshape(-1, 1));
        NDArray q = p.neg().add(1);
        return positive == 1 ? NDArrays.concat(new ai.djl.ndarray.NDList(q, p), 1)
                : NDArrays.concat(new ai.djl.ndarray.NDList(p, q), 1);
    }

    /** Images on the right side of probability 0.5, of the batch's N. */
    @Override
    public Tally tally(NDArray logits, NDArray labels) {
        try (NDArray predicted = logits.reshape(-1).gt(0); NDArray truth = labels.eq(positive);
                NDArray hits = predicted.eq(truth); NDArray sum = hits.sum()) {
            return new Tally(sum.getLong(), labels.getShape().get(0));
        }
    }

    @Override
    public boolean independentOutputs() {
        return true;
    }

    /** {@code (1 - eps) y + eps / 2}: each independent sigmoid's target shrunk toward 0.5. */
    @Override
    public NDArray smooth(NDArray targets, float epsilon) {
        return targets.mul(1f - epsilon).addi(epsilon / 2);
    }

    @Override
    public String validationMetric() {
        return "ROC-AUC";
    }

    @Override
    public double imageLoss(float[] probabilities, float[] target) {
        return sigmoidLoss.of(probabilities[positive], target[0], 0);
    }

    /** ROC-AUC of the positive class's probability; accuracy at 0.5 when validation holds one class only. */
    @Override
    public double score(Predictions p) {
        int n = p.labels().length;
        float[] scores = new float[n];
        boolean[] truth = new boolean[n];
        int correct = 0;
        for (int i = 0; i < n; i++) {
            scores[i] = p.probabilities()[i][positive];
            truth[i] = p.labels()[i] == positive;
            correct += (scores[i] > 0.5f) == truth[i] ? 1 : 0;
        }
        double auc = RankingMetrics.rocAuc(scores, truth);
        return Double.isNaN(auc) ? (double) correct / n : auc;
    }

    @Override
    public String toString() {
        return name();
    }
}
