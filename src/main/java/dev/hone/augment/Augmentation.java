package dev.hone.augment;

import ai.djl.ndarray.NDArray;
import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.data.Normalization;
import dev.hone.loop.Seeds;
import java.util.Set;

/**
 * Replaces each training batch's inputs with an augmented copy at {@link Event#BATCH_START}.
 *
 * <p>The batch's seed is split from the run seed by global step, so a run resumed from a checkpoint
 * draws exactly the augmentations it would have drawn. The augmented batch joins the batch's own
 * manager and is freed with it; the original inputs are left in place (a technique such as a
 * teacher in self-training may still want the clean images) and are freed with the batch too.
 * Validation never sees this technique: the loop fires no batch events while evaluating.
 */
public final class Augmentation implements Technique {
    private final AugmentationPolicy policy;
    private final Augmenter augmenter;
    private final long runSeed;

    public Augmentation(AugmentationPolicy policy, Normalization norm, long runSeed) {
        this.policy = policy;
        this.augmenter = new Augmenter(norm);
        this.runSeed = runSeed;
    }

    public AugmentationPolicy policy() {
        return policy;
    }

    @Override
    public String name() {
        return "augmentation";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BATCH_START && !policy.isEmpty();
    }

    @Override
    public void apply(Event event, TrainingState state) {
        NDArray augmented = augmenter.apply(state.inputs(), policy, seed(runSeed, state.globalStep()));
        state.setInputs(augmented);
    }

    /** The augmentation seed of one step. */
    public static long seed(long runSeed, long globalStep) {
        return Seeds.mix(runSeed, "augment", globalStep);
    }

    @Override
    public Set<Trait> traits() {
        return Set.of(Trait.AUGMENTS_INPUTS);
    }
}
