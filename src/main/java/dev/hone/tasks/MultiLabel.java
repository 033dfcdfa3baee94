package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.training.loss.Loss;
import dev.hone.tasks.metrics.RankingMetrics;

/**
 * Multi-label classification: each image shows any subset of K classes, none included.
 *
 * <p>Targets are multi-hot rows (N, K), so MixUp and CutMix blend label sets like distributions;
 * the head has K logits, each with its own sigmoid; the loss is {@link SigmoidLoss}. Learners
 * maximise validation mAP, the mean over classes (with a positive) of average precision; per-class
 * decision thresholds are learned afterwards.
 *
 * @param sigmoidLoss the training loss (plain, positive-weighted or focal BCE)
 */
public record MultiLabel(SigmoidLoss sigmoidLoss) implements Task {

    /** Multi-label with plain BCE. */
    public static MultiLabel plain() {
        return new MultiLabel(SigmoidLoss.plain());
    }

    @Override
    public String name() {
        return "multi-label";
    }

    @Override
    public int outputs(int classes) {
        return classes;
    }

    @Override
    public Loss loss() {
        return sigmoidLoss;
    }

    /** The stored multi-hot rows (N, K), copied so that techniques may change them. */
    @Override
    public NDArray targets(NDArray labels, int classes) {
        return labels.toType(DataType.FLOAT32, true);
    }

    @Override
    public NDArray probabilities(NDArray logits) {
        return Activation.sigmoid(logits);
    }

    @Override
    public String trainingMeasure() {
        return "subset accuracy";
    }

    /** Images whose whole label set is right at threshold 0.5, of the batch's N (subset accuracy). */
    @Override
    public Tally tally(NDArray logits, NDArray labels) {
        try (NDArray predicted = logits.gt(0); NDArray truth = labels.gt(0.5f); NDArray same = predicted.eq(truth);
                NDArray every = same.toType(DataType.INT32, false).min(new int[] {1}); NDArray sum = every.sum()) {
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
        return "mAP";
    }

    @Override
    public double imageLoss(float[] probabilities, float[] target) {
        double sum = 0;
        for (int k = 0; k < target.length; k++) {
            sum += sigmoidLoss.of(probabilities[k], target[k], k);
        }
        return sum / target.length;
    }

    /** mAP over the classes with a positive among the images; 0 when none has one. */
    @Override
    public double score(Predictions p) {
        int n = p.targets().length;
        int k = n == 0 ? 0 : p.targets()[0].length;
        boolean[][] truth = new boolean[n][k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                truth[i][c] = p.targets()[i][c] > 0.5f;
            }
        }
        double map = RankingMetrics.meanAveragePrecision(p.probabilities(), truth);
        return Double.isNaN(map) ? 0 : map;
    }

    @Override
    public String toString() {
        return name();
    }
}
