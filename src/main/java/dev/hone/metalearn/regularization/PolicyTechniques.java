package dev.hone.metalearn.regularization;

import dev.hone.tasks.SingleLabel;
import dev.hone.tasks.Task;
import dev.hone.augment.Augmentation;
import dev.hone.core.Technique;
import dev.hone.data.Normalization;
import dev.hone.optimize.Schedule;
import dev.hone.optimize.ScheduleTechnique;
import dev.hone.regularize.LabelSmoothing;
import dev.hone.regularize.SampleMixing;
import java.util.ArrayList;
import java.util.List;

/**
 * The techniques a policy trains with, in registration order: the schedule, then augmentation
 * (each image on its own), then sample mixing (which mixes the augmented images), then label
 * smoothing (on the targets mixing produced). The search's trials and the final run share this
 * list, so what was searched is what is trained.
 */
public final class PolicyTechniques {
    /**
     * Share of batches MixUp or CutMix mixes: half, so the network also sees unmixed images, as in the CutMix authors'
     * CIFAR recipe ({@code --cutmix_prob 0.5}, arXiv:1905.04899); timm mixes every batch by default.
     */
    public static final double MIX_PROBABILITY = 0.5;

    /**
     * Share of the run's optimizer steps, at its end, trained without MixUp or CutMix: 0.1, a refinement
     * on clean images after He et al. 2019 (arXiv:1909.09148); YOLOX (arXiv:2107.08430) turns its mixing
     * off for the last 5% of its epochs. Trials and the final run both refine, so the search compares
     * policies as they are trained.
     */
    public static final double REFINEMENT_SHARE = 0.1;

    private PolicyTechniques() {}

    public static List<Technique> training(RegularizationPolicy p, Schedule schedule, Normalization norm, long seed) {
        return training(p, schedule, norm, seed, SingleLabel.INSTANCE);
    }

    /**
     * As {@link #training(RegularizationPolicy, Schedule, Normalization, long)} for {@code task}'s targets:
     * how they are smoothed, and whether augmentation and CutMix move them with the image.
     */
    public static List<Technique> training(RegularizationPolicy p, Schedule schedule, Normalization norm, long seed,
            Task task) {
        List<Technique> t = new ArrayList<>();
        t.add(new ScheduleTechnique(schedule));
        if (!p.augmentation().isEmpty()) {
            t.add(new Augmentation(p.augmentation(), p.augmentationsPerBatch(), norm, seed, task.boxTargets() ? Augmentation.Targets.BOXES
                    : task.spatialTargets() ? Augmentation.Targets.PIXELS : Augmentation.Targets.FIXED));
        }
        if (p.mixupAlpha() > 0 || p.cutmixAlpha() > 0) {
            t.add(new SampleMixing(p.mixupAlpha(), p.cutmixAlpha(), MIX_PROBABILITY, seed, task.spatialTargets())
                    .withRefinement(REFINEMENT_SHARE));
        }
        if (p.labelSmoothing() > 0) {
            t.add(new LabelSmoothing(p.labelSmoothing(), task));
        }
        return t;
    }
}
