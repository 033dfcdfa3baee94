package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.models.ModelSpec;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.Detection;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.SingleLabel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A classification run of 10 to 20 passes that searches nothing trains with CutMix; the search needs 20 passes. */
class CutMixPriorTest {
    @TempDir
    Path tmp;

    @Test
    void appliesFromEightToTwentyPassesOnSingleLabelAndBinaryOnly() {
        assertThat(CutMixPrior.applies(CutMixPrior.MIN_PASSES - 0.1, SingleLabel.INSTANCE)).isFalse();
        assertThat(CutMixPrior.applies(CutMixPrior.MIN_PASSES, SingleLabel.INSTANCE)).isTrue();
        assertThat(CutMixPrior.applies(19.9, SingleLabel.INSTANCE)).isTrue();
        assertThat(CutMixPrior.applies(SmallDataPrior.MIN_PASSES, SingleLabel.INSTANCE)).as("the small-data prior's").isFalse();
        assertThat(CutMixPrior.applies(12, Binary.of(0))).isTrue();
        assertThat(CutMixPrior.applies(12, MultiLabel.plain())).as("never measured").isFalse();
        assertThat(CutMixPrior.applies(12, new Detection())).as("boxes take no soft labels").isFalse();
    }

    @Test
    void thePolicyIsCutMixAloneWithAveragingAndFlipsLeftToValidation() {
        SmallDataPrior.Chosen c = SmallDataPrior.choose("rule", "why", 12.5, true, SingleLabel.INSTANCE, Map.of("k", 1));
        RegularizationPolicy p = c.policy();
        assertThat(p).isEqualTo(CutMixPrior.policy());
        assertThat(p.cutmixAlpha()).isEqualTo(1.0);
        assertThat(p.augmentation().isEmpty()).isTrue();
        assertThat(p.mixupAlpha() + p.labelSmoothing() + p.dropout() + p.stochasticDepth()).isZero();
        assertThat(p.weightAveraging()).isNull();
        assertThat(p.testTimeAugmentation()).isNull();
        assertThat(c.decision().value()).isEqualTo(p.describe()).contains("cutmix alpha 1.00", "unmixed for the last 10% of steps");
        assertThat(c.decision().origin()).isEqualTo(Origin.DEFAULT);
        assertThat(c.decision().method()).isEqualTo("CutMix prior");
        assertThat(c.decision().rationale()).startsWith("why; the final run passes over its images 12.5 times");
        assertThat(c.decision().evidence()).containsEntry("passes", 12.5).containsEntry("k", 1);

        assertThat(SmallDataPrior.choose("rule", "why", 12.5, true, new Detection(), Map.of()).policy())
                .isEqualTo(RegularizationPolicy.NONE);
    }

    @Test
    void theSearchDoesNotRunWhenTheFinalRunPassesFewerTimesThanATrial() {
        ImageSet train = FlipRejectionTest.mirrored(1000, 1); // 3,000 images: enough to score and fit three trials at 12.5 passes
        TrialRunner.Setup s = setup(train);
        RegularizationLearner.Result r = RegularizationLearner.learn(s, train, train, true, 0, 0, train.size() * 25 / 2);
        assertThat(r.policy()).isEqualTo(CutMixPrior.policy());
        assertThat(r.searchSeconds()).as("no trial ran").isZero();
        assertThat(r.decisions()).singleElement().satisfies(d -> {
            assertThat(d.method()).isEqualTo("CutMix prior");
            assertThat(d.rationale()).startsWith("each trial would pass over its subset 20 times, more than the final run passes"
                    + " over its images, so the trials would rank policies for a longer training than the final run's; the final run"
                    + " passes over its images 12.5 times");
        });
    }

    @Test
    void theAllowanceComesBackToTheFinalRunWhenNothingIsSearched() {
        ImageSet train = FlipRejectionTest.mirrored(1000, 1);
        // 10 passes after a 50 s allowance at 300 images/s, which is 5 more: too little to search, and 15 passes without it
        RegularizationLearner.Result r = RegularizationLearner.learn(setup(train), train, train, true, 50, 300, train.size() * 10L);
        assertThat(r.policy()).isEqualTo(CutMixPrior.policy());
        assertThat(r.decisions()).singleElement().satisfies(d -> {
            assertThat(d.rationale()).startsWith("the search may train on");
            assertThat(d.evidence()).containsEntry("passes", 15.0);
        });
    }

    private TrialRunner.Setup setup(ImageSet train) {
        return new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 16, 16), 3, SingleLabel.INSTANCE,
                "adamw", 3e-3, 0.05, 8, 0, 7L, Normalization.of(train), Engine.getInstance().defaultDevice(), tmp.resolve("s"));
    }
}
