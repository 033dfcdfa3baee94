package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.models.ModelSpec;
import dev.hone.ssl.SelfSupervisedPretraining;
import dev.hone.tasks.SingleLabel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoder pretrained on unlabeled images, moved onto the classifier with a fresh last layer. */
class SslPretrainingTest {
    @TempDir
    Path tmp;

    @Test
    void theEncoderMovesOverAndTheProjectionBecomesAZeroClassifier() {
        float[][] pretrained = {{1, 2}, {3, 4, 5, 6}, new float[128 * 2], new float[128]};
        float[][] classifier = {{0, 0}, {0, 0, 0, 0}, {9, 9, 9, 9, 9, 9}, {9, 9, 9}};
        float[][] w = SslPretraining.transfer(pretrained, classifier);
        assertThat(w[0]).containsExactly(1, 2);
        assertThat(w[1]).containsExactly(3, 4, 5, 6);
        assertThat(w[2]).hasSize(6).containsOnly(0f);
        assertThat(w[3]).hasSize(3).containsOnly(0f);
        assertThatThrownBy(() -> SslPretraining.transfer(new float[2][], classifier)).isInstanceOf(IllegalStateException.class);
        assertThat(SslPretraining.steps(100, 560, 64)).as("two views, augmented: 1/3.5 of the plain steps").isEqualTo(250);
    }

    @Test
    void theFineTuningIsAsLongAsTheTeacherAndPretrainingTakesTheRest() {
        assertThat(SslPretraining.fineTuneSeconds(1600, 73)).as("the teacher's 73 s, pretraining gets 1,527").isEqualTo(73);
        assertThat(SslPretraining.fineTuneSeconds(600, 420)).as("at most half of what is left").isEqualTo(300);
        assertThat(SslPretraining.fineTuneSeconds(0, 10)).isZero();
    }

    @Test
    void pretrainingTrainsTheEncoderAndTheSameSeedGivesTheSameWeights() {
        ImageSet labeled = SyntheticData.set(10, 12, 1);
        ImageSet unlabeled = SyntheticData.set(20, 12, 3);
        Normalization norm = Normalization.of(labeled);
        ModelSpec spec = ModelSpec.of("resnet9").withWidth(4);
        Shape input = new Shape(1, 12, 12);
        TrialRunner.Setup setup = new TrialRunner.Setup(spec, input, 3, SingleLabel.INSTANCE, "adamw", 3e-3, 0.05, 16, 1, 5L, norm,
                Engine.getInstance().defaultDevice(), tmp.resolve("s"));
        float[][] classifier;
        try (ResidentDataset t = new ResidentDataset(labeled, norm, setup.device())) {
            classifier = SslRounds.Teacher.train(new TrialRunner(setup, t, t, t), RegularizationPolicy.NONE, null, 4, null).weights();
        }
        SslPretraining.Pretrained first = pretrain(SelfSupervisedPretraining.Method.SIMCLR, spec, input, unlabeled, classifier, norm);
        SslPretraining.Pretrained second = pretrain(SelfSupervisedPretraining.Method.SIMCLR, spec, input, unlabeled, classifier, norm);
        assertThat(first.steps()).isEqualTo(6);
        assertThat(first.plannedSteps()).isEqualTo(6);
        assertThat(first.replans()).as("no seconds given: no pacer").isZero();
        assertThat(first.imagesPerSecond()).isPositive();
        assertThat(first.weights().length).isEqualTo(classifier.length);
        for (int i = 0; i < classifier.length; i++) {
            assertThat(first.weights()[i]).hasSameSizeAs(classifier[i]);
            assertThat(second.weights()[i]).isEqualTo(first.weights()[i]);
        }
        int last = classifier.length - 1;
        assertThat(first.weights()[last]).as("the classifier's bias starts fresh").containsOnly(0f);
        assertThat(first.weights()[0]).as("the encoder's first layer is pretrained, not the teacher's").isNotEqualTo(classifier[0]);
        SslPretraining.Pretrained barlow = pretrain(SelfSupervisedPretraining.Method.BARLOW_TWINS, spec, input, unlabeled, classifier,
                norm);
        assertThat(barlow.weights()[0]).isNotEqualTo(first.weights()[0]);
    }

    @Test
    void withSecondsGivenAPacerEndsPretrainingOnTimeRatherThanAtThePlannedSteps() {
        ImageSet unlabeled = SyntheticData.set(20, 12, 3);
        Normalization norm = Normalization.of(unlabeled);
        float[][] classifier;
        TrialRunner.Setup setup = new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 12, 12), 3,
                SingleLabel.INSTANCE, "adamw", 3e-3, 0.05, 16, 1, 5L, norm, Engine.getInstance().defaultDevice(), tmp.resolve("s"));
        try (ResidentDataset t = new ResidentDataset(unlabeled, norm, setup.device())) {
            classifier = SslRounds.Teacher.train(new TrialRunner(setup, t, t, t), RegularizationPolicy.NONE, null, 2, null).weights();
        }
        // 100,000 steps planned, half a second given: the pacer stops it at the deadline
        SslPretraining.Pretrained p = SslPretraining.train(SelfSupervisedPretraining.Method.SIMCLR, setup.withBatchSize(8), unlabeled,
                classifier, 100_000, 0.5);
        assertThat(p.plannedSteps()).isEqualTo(100_000);
        assertThat(p.steps()).isPositive().isLessThan(100_000);
    }

    private SslPretraining.Pretrained pretrain(SelfSupervisedPretraining.Method method, ModelSpec spec, Shape input, ImageSet pool,
            float[][] classifier, Normalization norm) {
        TrialRunner.Setup setup = new TrialRunner.Setup(spec, input, 3, SingleLabel.INSTANCE, "adamw", 3e-3, 0.05, 8, 1, 5L, norm,
                Engine.getInstance().defaultDevice(), tmp.resolve("p"));
        return SslPretraining.train(method, setup, pool, classifier, 6, 0);
    }
}
