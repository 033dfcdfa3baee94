package dev.hone.augment;

import ai.djl.ndarray.NDArray;
import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.data.Normalization;
import dev.hone.loop.Seeds;
import java.util.ArrayList;
import java.util.List;
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
    private final int perBatch;
    private final Augmenter augmenter;
    private final long runSeed;
    private final Targets targets;

    /** How a batch's targets follow the geometric steps applied to its images. */
    public enum Targets {
        /** Image-level labels: unchanged. */
        FIXED,
        /** Per-pixel targets (N, K, H, W): resampled through the same map (segmentation). */
        PIXELS,
        /** Boxes (N, B, 6): corners mapped, re-fitted and clipped, mostly hidden boxes dropped (detection). */
        BOXES
    }

    public Augmentation(AugmentationPolicy policy, Normalization norm, long runSeed) {
        this(policy, 0, norm, runSeed);
    }

    public Augmentation(AugmentationPolicy policy, int perBatch, Normalization norm, long runSeed) {
        this(policy, perBatch, norm, runSeed, false);
    }

    /**
     * @param perBatch how many of the policy's steps each batch gets, drawn per batch from the
     *     batch's seed (RandAugment's N); 0 or at least the number of steps applies them all
     * @param spatialTargets whether the targets are per pixel (N, K, H, W), so that geometric steps
     *     move them with the image (segmentation masks)
     */
    public Augmentation(AugmentationPolicy policy, int perBatch, Normalization norm, long runSeed, boolean spatialTargets) {
        this(policy, perBatch, norm, runSeed, spatialTargets ? Targets.PIXELS : Targets.FIXED);
    }

    /**
     * @param perBatch how many of the policy's steps each batch gets (RandAugment's N); 0 applies them all
     * @param targets how the batch's targets follow the geometric steps
     */
    public Augmentation(AugmentationPolicy policy, int perBatch, Normalization norm, long runSeed, Targets targets) {
        this.targets = targets;
        this.policy = policy;
        this.perBatch = perBatch;
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
        long seed = seed(runSeed, state.globalStep());
        if (state.microBatch() > 0) {
            // accumulated micro-batches share the step, so each draws from its own stream
            seed = Seeds.mix(seed, "micro-batch", state.microBatch());
        }
        AugmentationPolicy drawn = drawn(policy, perBatch, seed);
        NDArray augmented = augmenter.apply(state.inputs(), drawn, seed);
        state.setInputs(augmented);
        switch (targets) {
            case PIXELS -> state.setTargets(augmenter.applyToTargets(state.targets(), drawn, seed));
            case BOXES -> state.setTargets(augmenter.applyToBoxes(state.targets(), drawn, seed, (int) augmented.getShape().get(2),
                    (int) augmented.getShape().get(3)));
            case FIXED -> { }
        }
    }

    /** The {@code perBatch} steps of {@code policy} a batch with this seed gets, in the policy's order. */
    public static AugmentationPolicy drawn(AugmentationPolicy policy, int perBatch, long seed) {
        int n = policy.steps().size();
        if (perBatch <= 0 || perBatch >= n) {
            return policy;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new java.util.Random(Seeds.mix(seed, "augment-draw", 0)));
        List<Integer> chosen = new ArrayList<>(order.subList(0, perBatch));
        java.util.Collections.sort(chosen);
        List<AugmentationPolicy.Step> steps = new ArrayList<>();
        chosen.forEach(i -> steps.add(policy.steps().get(i)));
        return new AugmentationPolicy(steps);
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
