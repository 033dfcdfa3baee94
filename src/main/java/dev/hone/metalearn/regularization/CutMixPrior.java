package dev.hone.metalearn.regularization;

import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.SingleLabel;
import dev.hone.tasks.Task;
import java.time.Duration;
import java.util.Map;

/**
 * The regularization a classification run trains with when the search does not run and the final run passes over its
 * training images between {@value #MIN_PASSES} and {@link SmallDataPrior#MIN_PASSES} times: CutMix (Yun et al. 2019,
 * arXiv:1905.04899) at alpha {@value PolicySearch#CUTMIX_ALPHA}, unmixed for the last
 * {@link PolicyTechniques#REFINEMENT_SHARE} of the steps, weight averaging and test-time flips left to validation.
 *
 * <p>Why CutMix: every policy the search chose on W1 (Fashion-MNIST, resnet9, 30 minutes) since its trials are judged
 * on validation loss (cd1160b) mixed samples, CutMix in four of six searches (alone, or with shear or brightness) and
 * MixUp in two, and CutMix replayed alone beat the plain run at every length measured: 94.29% against 93.94% at 17
 * passes, 94.34% against 93.89% at 12, and 94.31% against 93.93% at 13 on a machine half as fast (docs/BENCHMARKS.md,
 * issue 14); the prior itself then scored 94.17% and 94.51% against 94.04% and 94.06% (+0.13, +0.45). Adding the one
 * geometric transform a W1 search chose with it, shear 0.50, did not help: replayed at 16 epochs it scored 94.18% and
 * 94.41% (mean 94.30%, against the prior's 94.34%); nor did random erasing at 0.50 or a horizontal flip, 94.36% and
 * 94.28% at 18 and 16 epochs against the prior's 94.44% on the same seed. A run this short is not memorizing its
 * images, so the small-data prior's heavy noise is not for it; CutMix still helps. At 8 passes (W1 at 15 minutes,
 * one seed) CutMix replayed scored 94.14% against 93.92% for the plain run. Below {@value #MIN_PASSES} passes it was
 * not measured, and mixing slows fitting, so such a run trains plain. Only single-label and binary classification:
 * on multi-label, segmentation and detection targets CutMix was never measured (detection's boxes take none).
 */
public final class CutMixPrior {
    /** The fewest passes of the final run over its images at which it trains with CutMix (measured at 8 to 18). */
    public static final double MIN_PASSES = 8;

    private CutMixPrior() {}

    /** CutMix alone; averaging and test-time flips are left to validation, as after a search. */
    public static RegularizationPolicy policy() {
        return RegularizationPolicy.searchStart().withSoftLabels(0, 0, PolicySearch.CUTMIX_ALPHA);
    }

    /** Whether a final run of {@code passes} passes over its images, on {@code task}, trains with CutMix when nothing is searched. */
    public static boolean applies(double passes, Task task) {
        return passes >= MIN_PASSES && !SmallDataPrior.applies(passes) && (task instanceof SingleLabel || task instanceof Binary);
    }

    /**
     * The {@code regularization-policy} decision.
     *
     * @param why why the search does not run, one clause
     * @param passes the final run's planned passes over its training images
     * @param evidence the caller's figures, recorded with the passes
     */
    static SmallDataPrior.Chosen choose(String why, double passes, Map<String, Object> evidence) {
        RegularizationPolicy p = policy();
        return new SmallDataPrior.Chosen(p, new Decision<>("regularization-policy", p.describe(), Origin.DEFAULT, "CutMix prior",
                String.format("%s; the final run passes over its images %.1f times at full-size cost (counted before progressive resizing, whose smaller steps may add passes), from %.0f to %.0f, where CutMix alone beat the"
                        + " plain run on Fashion-MNIST at every length measured (+0.13 to +0.53 test points at 8 to 18 passes), so it"
                        + " trains with CutMix (arXiv:1905.04899), unmixed for its last %.0f%% of steps", why, passes, MIN_PASSES,
                        SmallDataPrior.MIN_PASSES, 100 * PolicyTechniques.REFINEMENT_SHARE),
                evidence, Duration.ZERO));
    }
}
