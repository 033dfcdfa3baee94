package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import dev.hone.core.Event;
import dev.hone.core.TrainingState;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.regularize.WeightAveraging;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PreciseBN among the after-training choices: statistics that no longer fit the weights are recomputed and kept, since
 * validation improves significantly; statistics that fit are left exactly as they were; no time left, no pass; an SWA
 * average's statistics are recomputed before it is compared, and kept with it.
 */
class FinalChoicesPreciseBnTest {
    private static final int SIDE = 12;

    @Test
    void staleStatisticsAreRecomputedAndKept() {
        FinalChoices.Chosen c = choose(1e6f, EvaluationBudget.UNLIMITED, (chosen, bn) ->
                assertThat(bn.getParameters().get("runningVar").getArray().getFloat()).isLessThan(10));
        Decision<?> d = named(c, "precise-bn");
        assertThat(d.value()).isEqualTo(true);
        assertThat(d.origin()).isEqualTo(Origin.LEARNED);
        assertThat((double) d.evidence().get("recomputed")).isGreaterThan(0.9);
        assertThat((double) d.evidence().get("running")).isLessThan(0.5);
        assertThat(d.evidence()).containsEntry("trainingImages", 56).containsEntry("batches", 7);
        assertThat(d.rationale()).contains("PreciseBN", "significant at the 5% level, kept");
        assertThat(c.validation().score()).as("the kept model's validation predictions").isGreaterThan(0.9);
    }

    @Test
    void statisticsThatFitAreLeftExactlyAsTheyWere() {
        // the split is normalised to mean 0 and variance 1, BatchNorm's initial statistics
        FinalChoices.Chosen c = choose(1f, EvaluationBudget.UNLIMITED, (chosen, bn) -> {
            assertThat(bn.getParameters().get("runningVar").getArray().getFloat()).isEqualTo(1f);
            assertThat(bn.getParameters().get("runningMean").getArray().getFloat()).isEqualTo(0f);
        });
        Decision<?> d = named(c, "precise-bn");
        assertThat(d.value()).isEqualTo(false);
        assertThat(d.rationale()).contains("not significant, the running statistics kept");
    }

    @Test
    void noTimeLeftNoRecalibration() {
        EvaluationBudget late = new EvaluationBudget(() -> 120_000_000_000L, 100_000_000_000L, 100, 5, 3);
        FinalChoices.Chosen c = choose(1e6f, late, (chosen, bn) ->
                assertThat(bn.getParameters().get("runningVar").getArray().getFloat()).isEqualTo(1e6f));
        Decision<?> d = named(c, "precise-bn");
        assertThat(d.value()).isEqualTo(false);
        assertThat(d.rationale()).contains("were not compared", "grace included");
    }

    @Test
    void anAveragesStatisticsAreRecomputedBeforeItIsCompared() {
        // the SWA average holds stale statistics (variance 1e6) with good weights; the live model's fit. Averaged
        // statistics would call every image "diagonal"; recomputed, the average ties the last weights, so they stay
        FinalChoices.Chosen c = choose(1f, EvaluationBudget.UNLIMITED, staleAverage(false), (chosen, bn) ->
                assertThat(bn.getParameters().get("runningVar").getArray().getFloat()).isEqualTo(1f));
        Decision<?> averaging = named(c, "weight-averaging");
        assertThat(averaging.value()).isEqualTo("last");
        assertThat(averaging.evidence()).containsEntry("swaStatistics", "recomputed");
        assertThat((double) averaging.evidence().get("swa")).isGreaterThan(0.9);
        assertThat(averaging.rationale()).contains("swa with BatchNorm statistics recomputed");
        assertThat(named(c, "precise-bn").value()).as("the last weights' statistics fit").isEqualTo(false);
    }

    @Test
    void aKeptAverageKeepsItsRecomputedStatistics() {
        // the last weights are broken (every image "diagonal"); the average's weights are good, its statistics stale
        FinalChoices.Chosen c = choose(1f, EvaluationBudget.UNLIMITED, staleAverage(true), (chosen, bn) ->
                assertThat(bn.getParameters().get("runningVar").getArray().getFloat()).isLessThan(10));
        assertThat(c.weights()).isEqualTo("swa");
        assertThat(named(c, "precise-bn").value()).as("recomputing cannot mend the last weights").isEqualTo(false);
        assertThat(named(c, "weight-averaging").evidence()).containsEntry("swaStatistics", "recomputed");
        assertThat(c.validation().score()).isGreaterThan(0.9);
    }

    @Test
    void withoutTimeToRecomputeAnAverageKeepsItsAveragedStatisticsAndSaysWhy() {
        // 1.5 s at 100 images/s: time for the average's 60 predictions and the 60 of the test pass, not for 56 training
        // images forwarded before them (nor PreciseBN's own comparison for the last weights)
        EvaluationBudget tight = new EvaluationBudget(() -> 0L, 1_500_000_000L, 100, 0, 0);
        FinalChoices.Chosen c = choose(1f, tight, staleAverage(false), (chosen, bn) -> { });
        Decision<?> averaging = named(c, "weight-averaging");
        assertThat(averaging.evidence()).containsEntry("swaStatistics", "averaged: no time left to recompute them");
        assertThat((double) averaging.evidence().get("swa")).isLessThan(0.5);
        assertThat(c.weights()).isEqualTo("last");
    }

    /**
     * Takes an SWA average of the hand-made classifier while its running variance is 1e6, then sets the live variance
     * back to 1 and, when {@code breakLast}, zeroes the live linear weights.
     */
    private static Setup staleAverage(boolean breakLast) {
        return (model, bn, linear) -> {
            NDArray var = bn.getParameters().get("runningVar").getArray();
            var.set(new float[] {1e6f});
            WeightAveraging swa = WeightAveraging.swa(model, 1, 1.0);
            TrainingState state = new TrainingState(1, 1, 0.1);
            swa.apply(Event.EPOCH_START, state);
            swa.apply(Event.AFTER_STEP, state);
            assertThat(swa.hasAverage()).isTrue();
            var.set(new float[] {1f});
            if (breakLast) {
                NDArray w = linear.getParameters().get("weight").getArray();
                w.set(new float[(int) w.size()]);
            }
            return swa;
        };
    }

    /** Prepares the classifier after its weights are set, returning an SWA average to compare, or null for none. */
    private interface Setup {
        WeightAveraging prepare(Model model, BatchNorm bn, Linear linear);
    }

    private static FinalChoices.Chosen choose(float runningVar, EvaluationBudget time,
            java.util.function.BiConsumer<FinalChoices.Chosen, BatchNorm> check) {
        return choose(runningVar, time, (model, bn, linear) -> null, check);
    }

    /**
     * A hand-made classifier of {@link SyntheticData}'s patterns: BatchNorm, then each class's score the mean normalised
     * brightness of its pattern's pixels, plus a bias towards "diagonal" that only matters when the normalised pixels are
     * squashed: with a running variance of 1e6 every image is called "diagonal".
     */
    private static FinalChoices.Chosen choose(float runningVar, EvaluationBudget time, Setup setup,
            java.util.function.BiConsumer<FinalChoices.Chosen, BatchNorm> check) {
        ImageSet set = SyntheticData.set(20, SIDE, 3);
        Normalization norm = Normalization.of(set);
        BatchNorm bn = BatchNorm.builder().build();
        Linear linear = Linear.builder().setUnits(3).build();
        try (Model model = Model.newInstance("precise-bn-test");
                ResidentDataset train = new ResidentDataset(set, norm, Device.cpu());
                ResidentDataset validation = new ResidentDataset(SyntheticData.set(20, SIDE, 4), norm, Device.cpu())) {
            model.setBlock(new SequentialBlock().add(bn).add(Blocks.batchFlattenBlock()).add(linear));
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, SIDE, SIDE));
            float[] w = new float[3 * SIDE * SIDE];
            for (int k = 0; k < 3; k++) {
                ImageSet pattern = SyntheticData.set(1, SIDE, 0); // one clean-ish image of each class marks its pixels
                int on = 0;
                for (int p = 0; p < SIDE * SIDE; p++) {
                    on += (pattern.pixels()[k * SIDE * SIDE + p] & 0xff) > 120 ? 1 : 0;
                }
                for (int p = 0; p < SIDE * SIDE; p++) {
                    w[k * SIDE * SIDE + p] = (pattern.pixels()[k * SIDE * SIDE + p] & 0xff) > 120 ? 1f / on : 0;
                }
            }
            linear.getParameters().get("weight").getArray().set(w);
            linear.getParameters().get("bias").getArray().set(new float[] {0.5f, 0, 0});
            bn.getParameters().get("runningVar").getArray().set(new float[] {runningVar});
            WeightAveraging average = setup.prepare(model, bn, linear);
            int[] rows = FinalChoices.comparedRows(validation.size(), 1, false);
            try {
                FinalChoices.Chosen c = FinalChoices.choose(model, validation, validation, rows,
                        average == null ? Map.of() : Map.of("swa", average), null, false, null, null, Origin.LEARNED, time, 60,
                        new FinalChoices.Recalibration(train, 8, 1), null);
                check.accept(c, bn);
                return c;
            } finally {
                if (average != null) {
                    average.close();
                }
            }
        }
    }

    private static Decision<?> named(FinalChoices.Chosen c, String name) {
        return c.decisions().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }
}
