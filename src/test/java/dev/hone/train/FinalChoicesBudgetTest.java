package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.regularize.WeightAveraging;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The after-training choices on a budget that training overran (issue 14: "when a phase overruns, later phases shrink, and
 * the record says so"): the averages and the flips are not compared, the last weights are kept, and the record says why;
 * with time left they are compared.
 */
class FinalChoicesBudgetTest {

    private static FinalChoices.Chosen choose(EvaluationBudget time) {
        ImageSet set = SyntheticData.set(20, 12, 3);
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 12, 12), 3);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()));
                ResidentDataset validation = new ResidentDataset(set, Normalization.of(set), Device.cpu())) {
            trainer.initialize(new Shape(1, 1, 12, 12));
            WeightAveraging ema = WeightAveraging.ema(model, 0.9);
            TrainingState state = new TrainingState(1, 3, 0.1);
            ema.apply(Event.EPOCH_START, state);
            ema.apply(Event.AFTER_STEP, state);
            assertThat(ema.hasAverage()).isTrue();
            int[] rows = FinalChoices.comparedRows(validation.size(), 1, false);
            try {
                return FinalChoices.choose(model, validation, validation, rows, Map.of("ema", ema), null, null, null, null,
                        Origin.LEARNED, time, 10_000, null, null);
            } finally {
                ema.close();
            }
        }
    }

    @Test
    void aBudgetTooShortForTheCandidatesTriesNoneAndSaysWhy() {
        ImageSet set = SyntheticData.set(20, 12, 3);
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 12, 12), 3);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()));
                ResidentDataset validation = new ResidentDataset(set, Normalization.of(set), Device.cpu())) {
            trainer.initialize(new Shape(1, 1, 12, 12));
            String why = "the budget is too short: their forwards would take about 4 s, 13% of the 30 s budget";
            FinalChoices.Chosen c = FinalChoices.choose(model, validation, validation, FinalChoices.comparedRows(validation.size(),
                    1, false), Map.of(), null, null, null, null, Origin.LEARNED, EvaluationBudget.UNLIMITED, 100, null, why);
            assertThat(c.weights()).isEqualTo("last");
            assertThat(c.testTimeAugmentation()).isFalse();
            assertThat(named(c, "precise-bn").value()).isEqualTo(false);
            assertThat(named(c, "precise-bn").rationale()).contains("were not tried", why);
            assertThat(named(c, "test-time-augmentation").rationale()).contains("not compared", why);
            assertThat(c.decisions()).extracting(Decision::name).doesNotContain("weight-averaging");
            assertThat(FinalChoices.averagesNotTried(why).value()).isEqualTo("last");
            assertThat(c.validation().probabilities()).hasNumberOfRows(60);
        }
    }

    private static Decision<?> named(FinalChoices.Chosen c, String name) {
        return c.decisions().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void anOverrunBudgetComparesNoCandidateAndSaysWhy() {
        // the clock stands 20 s past the end; 100 images/s
        EvaluationBudget late = new EvaluationBudget(() -> 120_000_000_000L, 100_000_000_000L, 100, 5, 3);
        FinalChoices.Chosen c = choose(late);
        assertThat(c.weights()).isEqualTo("last");
        assertThat(c.testTimeAugmentation()).isFalse();
        Decision<?> averaging = named(c, "weight-averaging");
        assertThat(averaging.evidence()).containsEntry("notCompared", List.of("ema")).doesNotContainKey("ema");
        assertThat(averaging.rationale()).contains("ema not compared", "grace included", "100 images/s");
        Decision<?> flips = named(c, "test-time-augmentation");
        assertThat(flips.value()).isEqualTo(false);
        assertThat(flips.rationale()).contains("not compared", "20000");
        assertThat(c.validation().probabilities()).hasNumberOfRows(60);
    }

    @Test
    void theBudgetReservesTheMostTheFinalChoicesCanPredict() {
        // W1: 6,000 validation images, 1,500 compared; EMA and SWA once each, flips twice, then a kept candidate with flips
        // predicts all 6,000 twice: 18,000 images, 3 passes
        assertThat(FinalChoices.validationPasses(6000, 2, true, false, 0, false) * 6000).isGreaterThanOrEqualTo(1500 * 2 + 1500 * 2 + 6000 * 2);
        assertThat(FinalChoices.validationPasses(6000, 2, false, false, 0, false) * 6000).isGreaterThanOrEqualTo(1500 * 2 + 6000);
        assertThat(FinalChoices.validationPasses(6000, 0, false, false, 0, false)).as("nothing to compare").isZero();
        // a replayed policy with flips fixed on: the whole split predicted flipped, twice, with or without an average
        assertThat(FinalChoices.validationPasses(6000, 0, false, true, 0, false)).isEqualTo(2);
        assertThat(FinalChoices.validationPasses(6000, 1, false, true, 0, false) * 6000).isGreaterThanOrEqualTo(1500 + 6000 * 2);
        // a small split is compared whole: nothing predicted again
        assertThat(FinalChoices.validationPasses(800, 2, true, false, 0, false)).isEqualTo(4);
        // PreciseBN: 1,024 training images forwarded, the compared share predicted once, and the whole split once more
        // when only the recomputed statistics are kept
        // and forwards them again for each average, whose statistics are recomputed before it is compared
        assertThat(FinalChoices.validationPasses(6000, 2, true, false, 1024, false) * 6000)
                .isGreaterThanOrEqualTo(1500 * 2 + 1500 * 2 + 1024 * 3 + 1500 + 6000 * 2);
        // the whole split compared: each candidate predicts it once, flips twice, and nothing is predicted again
        assertThat(FinalChoices.validationPasses(6000, 2, true, false, 1024, true) * 6000)
                .isGreaterThanOrEqualTo(6000 * 2 + 6000 * 2 + 1024 * 3 + 6000).isLessThan(6000 * 7);
        assertThat(FinalChoices.validationPasses(6000, 0, false, false, 1024, false) * 6000).isGreaterThanOrEqualTo(1024 + 1500 + 6000);
        assertThat(FinalChoices.validationPasses(500, 0, false, false, 1024, false)).as("a small split: 1,024 images and the split")
                .isEqualTo(4);
    }

    @Test
    void aLongBudgetComparesTheWholeSplit() {
        // W1 at 30 minutes: 6 passes of 6,000 images and 3 of 1,024 training images at 3 x 600 images/s take 21.7 s,
        // within 2% of 1,800 s
        assertThat(FinalChoices.wholeSplit(6000, 1800, 600, false)).isTrue();
        assertThat(FinalChoices.comparedRows(6000, 1, true)).hasSize(6000).startsWith(0, 1, 2);
        // at 10 minutes they would take 3.6% of it: a quarter, sampled
        assertThat(FinalChoices.wholeSplit(6000, 600, 600, false)).isFalse();
        assertThat(FinalChoices.comparedRows(6000, 1, false)).hasSize(1500);
        assertThat(FinalChoices.wholeSplit(6000, 0, 600, false)).as("no budget").isFalse();
        assertThat(FinalChoices.wholeSplit(6000, 1800, 0, false)).as("no measured speed").isFalse();
        assertThat(FinalChoices.wholeSplit(6000, 1800, 600, true)).as("per-pixel predictions").isFalse();
    }

    @Test
    void withTimeLeftEveryCandidateIsCompared() {
        FinalChoices.Chosen c = choose(EvaluationBudget.UNLIMITED);
        Decision<?> averaging = named(c, "weight-averaging");
        assertThat(averaging.evidence()).containsKey("ema").doesNotContainKey("notCompared");
        assertThat(named(c, "test-time-augmentation").evidence()).containsKey("withFlips");
    }
}
