package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import dev.hone.augment.AugmentationPolicy;
import dev.hone.augment.Transform;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.models.ModelSpec;
import dev.hone.record.Decision;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replayed policy checked against the data: a flip on left/right images is named, a brightness step passes. */
class PolicyLabelCheckTest {

    private static TrialRunner.Setup setup(ImageSet train, Path tmp, dev.hone.tasks.Task task) {
        return new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(8), new Shape(1, 16, 16), 3, task, "adamw", 3e-3, 0.05, 16,
                0, 1, Normalization.of(train), Engine.getInstance().defaultDevice(), tmp.resolve("scratch"));
    }

    @Test
    void aFlipThatTurnsLeftIntoRightIsNamedWithTheFileToEditAndBrightnessPasses(@TempDir Path tmp) {
        // "left", "right" and "top" images: a horizontal flip makes a left image a right one
        ImageSet train = FlipRejectionTest.mirrored(70, 1);
        ImageSet validation = FlipRejectionTest.mirrored(40, 2);
        RegularizationPolicy flipAndBrightness = RegularizationPolicy.searchStart().withAugmentation(
                AugmentationPolicy.of(Transform.FLIP_HORIZONTAL, 1.0).with(Transform.BRIGHTNESS, 0.25));
        Decision<String> d = PolicyLabelCheck.check(setup(train, tmp, dev.hone.tasks.SingleLabel.INSTANCE), train, validation,
                flipAndBrightness, "/data/policy.json", 0, 1000);
        assertThat(d.name()).isEqualTo("policy-check");
        assertThat(d.value()).isEqualTo("label-changing: flip-horizontal 1.00");
        assertThat(d.rationale()).contains("flip-horizontal 1.00 moved", "remove that step from /data/policy.json", "trained as given");
        assertThat(d.evidence()).containsKey("warning");
        assertThat(d.evidence().get("steps")).asList().hasSize(2);
    }

    @Test
    void aPolicyWhoseStepsKeepThePredictedClassPasses() {
        Decision<String> passed = PolicyLabelCheck.decision(java.util.List.of(new DistanceGroups.Pair("brightness", 0.25, 1.2, 0.04),
                new DistanceGroups.Pair("translate", 0.5, 3.4, 0.21)), "p.json", 1024, 7, 512, 0.91, "accuracy",
                java.time.Duration.ZERO);
        assertThat(passed.value()).isEqualTo("passed");
        assertThat(passed.rationale()).contains("brightness 0.25 4%", "translate 0.50 21%", "none above 50%");
        assertThat(passed.evidence()).doesNotContainKey("warning");
    }

    @Test
    void nothingToCheckTooCostlyForTheBudgetOrNoClassesToChangeIsSaid(@TempDir Path tmp) {
        ImageSet train = FlipRejectionTest.mirrored(10, 1);
        RegularizationPolicy flip = RegularizationPolicy.searchStart().withAugmentation(AugmentationPolicy.of(Transform.FLIP_HORIZONTAL, 1.0));
        // CutMix alone: no augmentation step, no decision
        assertThat(PolicyLabelCheck.check(setup(train, tmp, dev.hone.tasks.SingleLabel.INSTANCE), train, train,
                RegularizationPolicy.searchStart().withSoftLabels(0, 0, 1.0), "p.json", 0, 1000)).isNull();
        // 30 images, 1 step an epoch at batch 16: 100 epochs of 30 images at 1 image/s, 3,000 s, more than 5% of a 60 s budget
        Decision<String> costly = PolicyLabelCheck.check(setup(train, tmp, dev.hone.tasks.SingleLabel.INSTANCE), train, train, flip,
                "p.json", 60, 1);
        assertThat(costly.value()).isEqualTo("not checked");
        assertThat(costly.rationale()).contains("more than 5% of the 60 s budget");
        Decision<String> multi = PolicyLabelCheck.check(setup(train, tmp, dev.hone.tasks.MultiLabel.plain()), train, train, flip,
                "p.json", 0, 1000);
        assertThat(multi.value()).isEqualTo("not checked");
        // fewer than 30 validation images, or none: a share of a handful would warn by chance
        Decision<String> few = PolicyLabelCheck.check(setup(train, tmp, dev.hone.tasks.SingleLabel.INSTANCE), train,
                FlipRejectionTest.mirrored(3, 2), flip, "p.json", 0, 1000);
        assertThat(few.value()).isEqualTo("not checked");
        assertThat(few.rationale()).contains("only 9 validation images");
        assertThat(PolicyLabelCheck.check(setup(train, tmp, dev.hone.tasks.SingleLabel.INSTANCE), train,
                FlipRejectionTest.mirrored(0, 2), flip, "p.json", 0, 1000).value()).isEqualTo("not checked");
    }

    @Test
    void theChecksPlainModelMakesAtLeastTheSearchsFewestWarmUpSteps() {
        assertThat(PolicyLabelCheck.epochs(1024, 16)).isEqualTo(RegularizationLearner.MIN_TRIAL_EPOCHS); // 64 steps an epoch
        assertThat(PolicyLabelCheck.epochs(1024, 64)).isEqualTo(7); // 16 steps an epoch: 7 epochs make 112
        assertThat(PolicyLabelCheck.epochs(30, 16)).isEqualTo(100); // one whole batch an epoch, as the loop counts it
        assertThat(PolicyLabelCheck.epochs(210, 16)).isEqualTo(8); // 13 whole batches an epoch: 8 epochs make 104
    }
}
