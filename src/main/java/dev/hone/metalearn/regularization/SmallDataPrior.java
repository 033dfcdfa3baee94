package dev.hone.metalearn.regularization;

import dev.hone.augment.AugmentationPolicy;
import dev.hone.augment.Transform;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Task;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The regularization hone trains with when the search cannot choose one (too few images or too little time to
 * compare candidates) and the final run passes over its training images {@value #MIN_PASSES} times or more.
 *
 * <p>Such a run memorizes its images: on Fashion-MNIST with 540 labeled images and no regularization, training
 * loss reached 0.0001 and test accuracy 80.45%, where this prior gave 83.59% in the same 5-minute budget
 * (docs/BENCHMARKS.md, issue 10). A run with fewer passes (large data, short budget) underfits rather than
 * overfits: it trains with {@link CutMixPrior}'s CutMix where that applies, else plain.
 *
 * <p>The prior is Noisy Student's noise (Xie et al. 2020, arXiv:1911.04252): hone's analogue of RandAugment
 * (Cubuk et al. 2019, arXiv:1909.13719), two of translate, zoom, rotate and erase per batch at half their
 * largest magnitude (shifts up to 12.5% of the side, scale within ±20%, rotations up to ±15°, an erased
 * rectangle up to 20% of the image), and dropout {@value #DROPOUT} before the classifier where the network has
 * one. No flip: on data whose labels depend on the way an object faces it changes the label, and without a
 * trained model the distance analysis cannot veto it.
 */
public final class SmallDataPrior {
    /** The final run's passes over its training images from which it trains with the prior. */
    public static final double MIN_PASSES = 20;

    /** Dropout before the classifier, where the network has one (the paper's is 0.5 on ImageNet models). */
    public static final double DROPOUT = 0.3;

    /** The transforms each batch draws two of, at half their largest magnitude. */
    static final List<Transform> TRANSFORMS = List.of(Transform.TRANSLATE, Transform.ZOOM, Transform.ROTATE, Transform.ERASE);

    /** The magnitude of each of {@link #TRANSFORMS}, in [0, 1] of its range. */
    static final double MAGNITUDE = 0.5;

    /** Transforms drawn per batch, RandAugment's N. */
    static final int PER_BATCH = 2;

    private SmallDataPrior() {}

    /** The prior's augmentation: {@link #TRANSFORMS} at {@link #MAGNITUDE}, in that order. */
    public static AugmentationPolicy augmentation() {
        Map<String, Double> steps = new LinkedHashMap<>(); // in this order: Map.of's order changes from one JVM to the next
        TRANSFORMS.forEach(t -> steps.put(t.id(), MAGNITUDE));
        return RegularizationPolicy.augmentationOf(steps);
    }

    /**
     * {@code policy} with the prior's augmentation, and its dropout where it has none and the network can take it.
     *
     * @param dropoutAvailable whether the network has a dropout layer before its classifier
     */
    public static RegularizationPolicy onto(RegularizationPolicy policy, boolean dropoutAvailable) {
        RegularizationPolicy p = policy.withAugmentation(augmentation(), PER_BATCH);
        return dropoutAvailable && policy.dropout() == 0 ? p.withDropout(DROPOUT) : p;
    }

    /** Whether a final run of {@code passes} passes over its training images trains with the prior. */
    public static boolean applies(double passes) {
        return passes >= MIN_PASSES;
    }

    /**
     * The {@code regularization-policy} decision when the search does not run: the prior when the final run makes
     * at least {@link #MIN_PASSES} passes over its images, {@link CutMixPrior}'s CutMix where that applies, else no
     * regularization.
     *
     * @param rule the decision's method when the prior does not apply, naming why the search does not run
     * @param why why the search does not run, one clause
     * @param passes the final run's planned passes over its training images (training images seen / set size)
     * @param dropoutAvailable whether the network has a dropout layer before its classifier
     * @param task the task, for {@link CutMixPrior#applies}
     * @param evidence the caller's figures, recorded with the passes
     */
    public static Chosen choose(String rule, String why, double passes, boolean dropoutAvailable, Task task,
            Map<String, Object> evidence) {
        Map<String, Object> e = new LinkedHashMap<>(evidence);
        e.put("passes", passes);
        if (CutMixPrior.applies(passes, task)) {
            return CutMixPrior.choose(why, passes, e);
        }
        if (!applies(passes)) {
            return new Chosen(RegularizationPolicy.NONE, new Decision<>("regularization-policy", "none", Origin.DEFAULT,
                    rule, String.format("%s; the final run passes over its images %.1f times at full-size cost (counted before progressive resizing, whose smaller steps may add passes), fewer than"
                            + " the %.0f that memorize them, so it trains without regularization", why, passes, MIN_PASSES),
                    e, Duration.ZERO));
        }
        RegularizationPolicy p = onto(RegularizationPolicy.NONE, dropoutAvailable);
        return new Chosen(p, new Decision<>("regularization-policy", p.describe(), Origin.DEFAULT, "small-data prior",
                String.format("%s; the final run passes over its images %.0f times at full-size cost (counted before progressive resizing, whose smaller steps may add passes), which memorizes them without noise, so it"
                        + " trains with the small-data prior (Noisy Student's noise, arXiv:1911.04252: two of translate, zoom,"
                        + " rotate and erase per batch at half strength%s)", why, passes, p.dropout() > 0 ? ", and dropout" : ""),
                e, Duration.ZERO));
    }

    /** A policy and the decision that records it. */
    public record Chosen(RegularizationPolicy policy, Decision<String> decision) {}
}
