package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;

/**
 * Single-label classification: every image shows exactly one of K classes.
 *
 * <p>Targets are one-hot rows (so label smoothing, MixUp and CutMix blend them as distributions),
 * the head has K logits, the loss is softmax cross-entropy on dense targets (DJL's {@link
 * SoftmaxCrossEntropyLoss} with {@code sparseLabel=false}, fed logits), predictions are the
 * arg-max, and learners maximise validation accuracy.
 */
public final class SingleLabel implements Task {
    /** The one instance: the task holds no state. */
    public static final SingleLabel INSTANCE = new SingleLabel();

    private SingleLabel() {}

    @Override
    public String name() {
        return "single-label";
    }

    @Override
    public int outputs(int classes) {
        return classes;
    }

    @Override
    public Loss loss() {
        return new SoftmaxCrossEntropyLoss("cross-entropy", 1f, -1, false, true);
    }

    @Override
    public NDArray targets(NDArray labels, int classes) {
        return labels.oneHot(classes);
    }

    @Override
    public NDArray probabilities(NDArray logits) {
        return logits.softmax(1);
    }

    /** Images whose arg-max is their class, of the batch's N. */
    @Override
    public Tally tally(NDArray logits, NDArray labels) {
        try (NDArray hits = logits.argMax(1).eq(labels); NDArray sum = hits.sum()) {
            return new Tally(sum.getLong(), labels.getShape().get(0));
        }
    }

    @Override
    public boolean independentOutputs() {
        return false;
    }

    /** {@code (1 - eps) y + eps / K}. */
    @Override
    public NDArray smooth(NDArray targets, float epsilon) {
        long k = targets.getShape().get(targets.getShape().dimension() - 1);
        return targets.mul(1f - epsilon).addi(epsilon / k);
    }

    @Override
    public String validationMetric() {
        return "accuracy";
    }

    @Override
    public double imageLoss(float[] probabilities, float[] target) {
        double loss = 0;
        for (int k = 0; k < target.length; k++) {
            if (target[k] > 0) {
                loss -= target[k] * Math.log(Math.max(probabilities[k], 1e-12f));
            }
        }
        return loss;
    }

    /** Accuracy: the share of images whose arg-max is their label (ties go to the lower index). */
    @Override
    public double score(Predictions p) {
        int correct = 0;
        for (int i = 0; i < p.labels().length; i++) {
            if (Predictions.argMax(p.probabilities()[i]) == p.labels()[i]) {
                correct++;
            }
        }
        return (double) correct / p.labels().length;
    }

    @Override
    public String toString() {
        return name();
    }
}
