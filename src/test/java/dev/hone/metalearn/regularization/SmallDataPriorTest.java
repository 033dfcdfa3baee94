package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import dev.hone.augment.AugmentationPolicy;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.models.ModelSpec;
import dev.hone.record.Origin;
import dev.hone.tasks.SingleLabel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the search cannot run, a run that passes over its images many times trains with the prior; a short one plainly. */
class SmallDataPriorTest {
    @TempDir
    Path tmp;

    @Test
    void manyPassesGetNoisyStudentsNoiseAndFewPassesNone() {
        SmallDataPrior.Chosen many = SmallDataPrior.choose("rule", "only 60 validation images", 280, true, SingleLabel.INSTANCE, Map.of("k", 1));
        assertThat(many.policy().augmentation().steps()).extracting(AugmentationPolicy.Step::transform)
                .containsExactly("translate", "zoom", "rotate", "erase");
        assertThat(many.policy().augmentation().steps()).allSatisfy(s -> assertThat(s.magnitude()).isEqualTo(0.5));
        assertThat(many.policy().augmentationsPerBatch()).isEqualTo(2);
        assertThat(many.policy().dropout()).isEqualTo(SmallDataPrior.DROPOUT);
        assertThat(many.policy().labelSmoothing() + many.policy().mixupAlpha() + many.policy().cutmixAlpha()).isZero();
        assertThat(many.decision().value()).isEqualTo(many.policy().describe());
        assertThat(many.decision().origin()).isEqualTo(Origin.DEFAULT);
        assertThat(many.decision().method()).isEqualTo("small-data prior");
        assertThat(many.decision().rationale()).startsWith("only 60 validation images; the final run passes over its images 280 times");
        assertThat(many.decision().evidence()).containsEntry("passes", 280.0).containsEntry("k", 1);

        assertThat(SmallDataPrior.choose("rule", "why", 280, false, SingleLabel.INSTANCE, Map.of()).policy().dropout()).as("no dropout layer").isZero();

        SmallDataPrior.Chosen few = SmallDataPrior.choose("too few images", "why", CutMixPrior.MIN_PASSES - 0.1, true, SingleLabel.INSTANCE, Map.of());
        assertThat(few.policy()).isEqualTo(RegularizationPolicy.NONE);
        assertThat(few.decision().value()).isEqualTo("none");
        assertThat(few.decision().method()).isEqualTo("too few images");
        assertThat(SmallDataPrior.applies(SmallDataPrior.MIN_PASSES)).isTrue();
    }

    @Test
    void theSearchFallsBackToThePriorWhenItCannotRunOnFewImagesTrainedLong() {
        ImageSet train = FlipRejectionTest.mirrored(8, 1); // 24 images: a warm-up of far fewer than the 100 steps the search needs
        TrialRunner.Setup s = new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 16, 16), 3, SingleLabel.INSTANCE,
                "adamw", 3e-3, 0.05, 8, 0, 7L, Normalization.of(train), Engine.getInstance().defaultDevice(), tmp.resolve("s"));
        RegularizationLearner.Result longRun = RegularizationLearner.learn(s, train, train, true, 0, 0, 24 * 100);
        assertThat(longRun.policy().augmentation().isEmpty()).isFalse();
        assertThat(longRun.decisions()).singleElement().satisfies(d -> {
            assertThat(d.method()).isEqualTo("small-data prior");
            assertThat(d.rationale()).startsWith("the search may train on 2400 images (1.0x the 2400 images the final run would train after a search)")
                    .contains("100 times");
        });
        // with a budget whose allowance binds, the ratio is the allowance's: 10 s x 100 images/s x 0.8 of 2,400 images
        RegularizationLearner.Result budgeted = RegularizationLearner.learn(s, train, train, true, 10, 100, 24 * 100);
        assertThat(budgeted.decisions()).singleElement().satisfies(d -> assertThat(d.rationale()).startsWith(
                "the search may train on 800 images (what its 10 s of the budget allow, 0.33x the 2400 images the final run would train after a search)"));
        RegularizationLearner.Result shortRun = RegularizationLearner.learn(s, train, train, true, 0, 0, 24 * 5);
        assertThat(shortRun.policy()).isEqualTo(RegularizationPolicy.NONE);
        assertThat(shortRun.decisions()).singleElement().satisfies(d -> assertThat(d.method()).isEqualTo("too little training to search"));
    }

    @Test
    void theSearchFallsBackToThePriorWhenTooFewImagesWouldScoreIt() {
        ImageSet train = FlipRejectionTest.mirrored(70, 1); // 210 images, enough for the warm-up's steps and the trials
        ImageSet validation = FlipRejectionTest.mirrored(20, 2); // 60 images, and too few training images left out of the subset
        TrialRunner.Setup s = new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 16, 16), 3, SingleLabel.INSTANCE,
                "adamw", 3e-3, 0.05, 16, 0, 7L, Normalization.of(train), Engine.getInstance().defaultDevice(), tmp.resolve("s"));
        RegularizationLearner.Result r = RegularizationLearner.learn(s, train, validation, true, 0, 0, 1_000_000);
        assertThat(r.policy()).isEqualTo(SmallDataPrior.onto(RegularizationPolicy.NONE, true));
        assertThat(r.searchSeconds()).as("no trial ran").isZero();
        assertThat(r.decisions()).singleElement().satisfies(d -> {
            assertThat(d.method()).isEqualTo("small-data prior");
            assertThat(d.rationale()).startsWith("the search would score its trials on 60 images, fewer than the 200");
            assertThat(d.evidence()).containsEntry("scoringImages", 60);
        });
    }
}
