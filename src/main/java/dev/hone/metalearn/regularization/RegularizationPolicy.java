package dev.hone.metalearn.regularization;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.hone.augment.AugmentationPolicy;
import dev.hone.models.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The regularization a run trains with, chosen jointly by the policy search and saved as
 * {@code policy.json} so that {@code --policy} replays it without searching.
 *
 * @param augmentation the (transform, magnitude) steps training batches draw from
 * @param augmentationsPerBatch how many of the steps each batch gets, drawn at random per batch as in
 *     RandAugment; 0 applies every step to every batch
 * @param labelSmoothing epsilon of label smoothing; 0 for none
 * @param mixupAlpha Beta(alpha, alpha) of MixUp; 0 for none
 * @param cutmixAlpha Beta(alpha, alpha) of CutMix; 0 for none (with MixUp, one of the two per batch)
 * @param weightDecay decoupled weight decay; null keeps the optimization learner's value
 * @param dropout dropout rate before the classifier, where the architecture has one; 0 for none
 * @param stochasticDepth the last residual block's drop rate in training (stochastic depth, Huang et al. 2016,
 *     arXiv:1603.09382, with the linear decay rule), where the architecture has residual blocks; 0 for none. A
 *     policy file written before this field existed reads it as 0.
 * @param weightAveraging "ema", "swa" or "none"; null lets the run compare them on validation
 * @param testTimeAugmentation whether evaluation averages over horizontal flips; null lets the run decide on validation
 */
public record RegularizationPolicy(int formatVersion, AugmentationPolicy augmentation, int augmentationsPerBatch, double labelSmoothing, double mixupAlpha,
        double cutmixAlpha, Double weightDecay, double dropout, double stochasticDepth, String weightAveraging,
        Boolean testTimeAugmentation) {

    public static final int FORMAT_VERSION = 1;
    public static final String FILE = "policy.json";

    /** No regularization at all: the guard-rail's reference and {@code --regularization none}. */
    public static final RegularizationPolicy NONE =
            new RegularizationPolicy(FORMAT_VERSION, AugmentationPolicy.NONE, 0, 0, 0, 0, null, 0, 0, "none", false);

    /** What the search starts from: nothing applied, averaging and test-time augmentation left to validation. */
    public static RegularizationPolicy searchStart() {
        return new RegularizationPolicy(FORMAT_VERSION, AugmentationPolicy.NONE, 0, 0, 0, 0, null, 0, 0, null, null);
    }

    public RegularizationPolicy {
        augmentation = augmentation == null ? AugmentationPolicy.NONE : augmentation;
    }

    /** Augmentation drawn from {@code a}, {@code perBatch} steps per batch (0 for all). */
    public RegularizationPolicy withAugmentation(AugmentationPolicy a, int perBatch) {
        return new RegularizationPolicy(formatVersion, a, perBatch, labelSmoothing, mixupAlpha, cutmixAlpha, weightDecay, dropout,
                stochasticDepth, weightAveraging, testTimeAugmentation);
    }

    public RegularizationPolicy withAugmentation(AugmentationPolicy a) {
        return new RegularizationPolicy(formatVersion, a, augmentationsPerBatch, labelSmoothing, mixupAlpha, cutmixAlpha, weightDecay, dropout,
                stochasticDepth, weightAveraging, testTimeAugmentation);
    }

    public RegularizationPolicy withSoftLabels(double smoothing, double mixup, double cutmix) {
        return new RegularizationPolicy(formatVersion, augmentation, augmentationsPerBatch, smoothing, mixup, cutmix, weightDecay, dropout,
                stochasticDepth, weightAveraging, testTimeAugmentation);
    }

    public RegularizationPolicy withWeightDecay(Double wd) {
        return new RegularizationPolicy(formatVersion, augmentation, augmentationsPerBatch, labelSmoothing, mixupAlpha, cutmixAlpha, wd, dropout,
                stochasticDepth, weightAveraging, testTimeAugmentation);
    }

    public RegularizationPolicy withDropout(double rate) {
        return new RegularizationPolicy(formatVersion, augmentation, augmentationsPerBatch, labelSmoothing, mixupAlpha, cutmixAlpha, weightDecay, rate,
                stochasticDepth, weightAveraging, testTimeAugmentation);
    }

    /** The same policy with stochastic depth's final drop rate {@code rate} (0 for none). */
    public RegularizationPolicy withStochasticDepth(double rate) {
        return new RegularizationPolicy(formatVersion, augmentation, augmentationsPerBatch, labelSmoothing, mixupAlpha, cutmixAlpha, weightDecay, dropout,
                rate, weightAveraging, testTimeAugmentation);
    }

    /** The same policy marked as written in format {@code version}. */
    public RegularizationPolicy withFormatVersion(int version) {
        return new RegularizationPolicy(version, augmentation, augmentationsPerBatch, labelSmoothing, mixupAlpha, cutmixAlpha, weightDecay,
                dropout, stochasticDepth, weightAveraging, testTimeAugmentation);
    }

    public RegularizationPolicy withEvaluation(String averaging, Boolean tta) {
        return new RegularizationPolicy(formatVersion, augmentation, augmentationsPerBatch, labelSmoothing, mixupAlpha, cutmixAlpha, weightDecay, dropout,
                stochasticDepth, averaging, tta);
    }

    /**
     * The network this policy trains: {@code spec} with the policy's dropout and stochastic depth where they are above 0.
     *
     * @throws IllegalArgumentException when either is above 0 and {@code spec} is a user's network, which takes neither
     */
    public ModelSpec onto(ModelSpec spec) {
        ModelSpec s = dropout > 0 ? spec.withDropout(dropout) : spec;
        return stochasticDepth > 0 ? s.withStochasticDepth(stochasticDepth) : s;
    }

    /** The augmentation of a distance level: one step per transform at its largest allowed magnitude. */
    public static AugmentationPolicy augmentationOf(Map<String, Double> transforms) {
        List<AugmentationPolicy.Step> steps = new ArrayList<>();
        transforms.forEach((t, m) -> steps.add(new AugmentationPolicy.Step(t, m)));
        return new AugmentationPolicy(steps);
    }

    /** Whether any training-time regularizer is on (weight decay and evaluation choices aside). */
    @JsonIgnore
    public boolean trainsPlain() {
        return augmentation.isEmpty() && labelSmoothing == 0 && mixupAlpha == 0 && cutmixAlpha == 0 && dropout == 0
                && stochasticDepth == 0;
    }

    /** One line for logs and the report. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add("augmentation: " + (augmentation.isEmpty() ? "none" : augmentation.describe()
                + (augmentationsPerBatch > 0 && augmentationsPerBatch < augmentation.steps().size()
                        ? " (" + augmentationsPerBatch + " per batch)" : "")));
        if (labelSmoothing > 0) {
            parts.add(String.format("label smoothing %.2f", labelSmoothing));
        }
        if (mixupAlpha > 0) {
            parts.add(String.format("mixup alpha %.2f", mixupAlpha));
        }
        if (cutmixAlpha > 0) {
            parts.add(String.format("cutmix alpha %.2f", cutmixAlpha));
        }
        if (mixupAlpha > 0 || cutmixAlpha > 0) {
            parts.add(String.format("unmixed for the last %.0f%% of steps", 100 * PolicyTechniques.REFINEMENT_SHARE));
        }
        if (weightDecay != null) {
            parts.add(String.format("weight decay %.3g", weightDecay));
        }
        if (dropout > 0) {
            parts.add(String.format("dropout %.2f", dropout));
        }
        if (stochasticDepth > 0) {
            parts.add(String.format("stochastic depth %.2f", stochasticDepth));
        }
        if (weightAveraging != null) {
            parts.add("weight averaging " + weightAveraging);
        }
        if (testTimeAugmentation != null) {
            parts.add("test-time flips " + (testTimeAugmentation ? "on" : "off"));
        }
        return String.join("; ", parts);
    }
}
