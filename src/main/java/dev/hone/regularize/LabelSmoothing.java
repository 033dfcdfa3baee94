package dev.hone.regularize;

import ai.djl.ndarray.NDArray;
import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.tasks.SingleLabel;
import dev.hone.tasks.Task;
import java.util.Set;

/**
 * Shrinks the targets towards the uniform distribution: {@code (1 - eps) * y + eps / K}, or, for
 * independent sigmoid outputs (binary, multi-label), each target toward 0.5: {@code (1 - eps) * y + eps / 2}.
 *
 * <p>From the Inception-v3 paper (Szegedy et al. 2016, arXiv:1512.00567, section 7). It keeps the
 * logits from growing without bound to fit one-hot targets, which improves calibration and often
 * accuracy; epsilon 0.1 is the paper's value. Its gain shrinks when MixUp or CutMix already soften the
 * targets, so the regularization learner picks its strength jointly with them. It composes with them
 * over dense targets: smoothing is linear, so smoothing a mixed target equals mixing smoothed ones.
 *
 * <p>The smoothed targets exist only for the loss: they replace the dense targets at
 * {@link Event#BEFORE_LOSS} and the previous ones are put back at {@link Event#AFTER_LOSS}, so anything
 * after the loss (metrics, other techniques) sees the targets it saw before.
 */
public final class LabelSmoothing implements Technique {
    private final float epsilon;
    private final Task task;
    private NDArray saved;

    /** @param epsilon the probability mass spread uniformly over the classes, in [0, 1) */
    public LabelSmoothing(double epsilon) {
        this(epsilon, SingleLabel.INSTANCE);
    }

    /**
     * @param epsilon the probability mass moved toward the prior, in [0, 1)
     * @param task the task whose targets are smoothed ({@link Task#smooth}: toward 1/K for a softmax,
     *     0.5 for independent sigmoids, and only at counted pixels for segmentation)
     */
    public LabelSmoothing(double epsilon, Task task) {
        this.task = task;
        if (!(epsilon >= 0 && epsilon < 1)) {
            throw new IllegalArgumentException("label-smoothing epsilon must be in [0, 1): " + epsilon);
        }
        this.epsilon = (float) epsilon;
    }

    public double epsilon() {
        return epsilon;
    }

    /**
     * Smoothed targets {@code (1 - eps) * y + eps / K}, K the size of the last axis. The result belongs
     * to {@code dense}'s manager; {@code dense} is unchanged.
     */
    public static NDArray smooth(NDArray dense, float epsilon) {
        long k = dense.getShape().get(dense.getShape().dimension() - 1);
        return dense.mul(1f - epsilon).addi(epsilon / k);
    }

    /** Targets {@code (1 - eps) * y + eps / 2}: each independent sigmoid target shrunk toward 0.5. */
    public static NDArray smoothTowardHalf(NDArray dense, float epsilon) {
        return dense.mul(1f - epsilon).addi(epsilon / 2);
    }

    @Override
    public String name() {
        return "label-smoothing";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BEFORE_LOSS || event == Event.AFTER_LOSS;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        if (event == Event.BEFORE_LOSS) {
            saved = state.targets();
            state.setTargets(task.smooth(saved, epsilon));
        } else if (saved != null) {
            // The smoothed array stays in the batch's manager, closed with the batch: the loss's
            // autograd graph may still refer to it until backward.
            state.setTargets(saved);
            saved = null;
        }
    }

    @Override
    public Set<Trait> traits() {
        return Set.of(Trait.SOFTENS_TARGETS);
    }
}
