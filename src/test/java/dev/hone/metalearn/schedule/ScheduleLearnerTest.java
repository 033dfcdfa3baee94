package dev.hone.metalearn.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.probe.ProbeContext;
import dev.hone.metalearn.probe.ScheduleProbe;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.SgdNesterov;
import dev.hone.record.ChartSpec;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.train.SyntheticData;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schedule is chosen by short trials on validation loss, near-ties keep the rule, and the trials leave no mark. */
class ScheduleLearnerTest {
    private static final ScheduleLearner.Setting SETTING = new ScheduleLearner.Setting("adamw", 3e-3, 0.05, 0.1, 32, 1, 6);

    private static Map<String, Double> scores(double cosine, double oneCycle, double linear) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("warmup-cosine", cosine);
        m.put("one-cycle", oneCycle);
        m.put("linear-decay", linear);
        return m;
    }

    private static ScheduleProbe.Trial trial(double validationLoss) {
        return new ScheduleProbe.Trial(new double[] {2.3, 1.9, 1.5}, new double[] {1e-3, 3e-3, 1e-3}, validationLoss);
    }

    @Test
    void theLowestValidationLossWins() {
        assertThat(ScheduleLearner.choose(scores(0.50, 0.40, 0.45))).isEqualTo("one-cycle");
        assertThat(ScheduleLearner.choose(scores(0.50, 0.60, 0.45))).isEqualTo("linear-decay");
        assertThat(ScheduleLearner.choose(scores(0.40, 0.50, 0.45))).isEqualTo("warmup-cosine");
    }

    @Test
    void aNearTieKeepsTheRule() {
        // 0.5% better is within the noise of one seed's batches
        assertThat(ScheduleLearner.choose(scores(0.500, 0.4975, 0.51))).isEqualTo("warmup-cosine");
        assertThat(ScheduleLearner.choose(scores(0.500, 0.494, 0.51))).isEqualTo("one-cycle");
    }

    @Test
    void divergedTrialsLoseAndAllDivergedFallsBackToTheRule() {
        assertThat(ScheduleLearner.choose(scores(Double.POSITIVE_INFINITY, 0.9, Double.POSITIVE_INFINITY))).isEqualTo("one-cycle");
        assertThat(ScheduleLearner.choose(scores(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
                Double.POSITIVE_INFINITY))).isEqualTo("warmup-cosine");
        Map<String, ScheduleProbe.Trial> all = new LinkedHashMap<>();
        all.put("warmup-cosine", trial(Double.POSITIVE_INFINITY));
        all.put("one-cycle", trial(Double.POSITIVE_INFINITY));
        Decision<String> d = ScheduleLearner.decide(all, SETTING, 100, Duration.ZERO);
        assertThat(d.origin()).isEqualTo(Origin.DEFAULT);
        assertThat(d.rationale()).contains("every schedule trial diverged");
    }

    @Test
    void withoutValidationImagesTheLateTrainingLossJudges() {
        ScheduleProbe.Trial t = new ScheduleProbe.Trial(new double[] {3, 2, 1, 0.5, 0.3, 0.1, 0.2, 0.4}, new double[8], Double.NaN);
        assertThat(ScheduleLearner.score(t)).isEqualTo((0.2 + 0.4) / 2);
        assertThat(ScheduleLearner.score(trial(0.7))).isEqualTo(0.7);
    }

    @Test
    void theDecisionCarriesTheThreeLossesAndCharts() {
        Map<String, ScheduleProbe.Trial> trials = new LinkedHashMap<>();
        trials.put("warmup-cosine", trial(0.50));
        trials.put("one-cycle", trial(0.41));
        trials.put("linear-decay", trial(0.47));
        Decision<String> d = ScheduleLearner.decide(trials, SETTING, 100, Duration.ofSeconds(3));
        assertThat(d.name()).isEqualTo("schedule");
        assertThat(d.value()).isEqualTo("one-cycle");
        assertThat(d.origin()).isEqualTo(Origin.LEARNED);
        assertThat(d.method()).isEqualTo("schedule trials");
        assertThat(d.rationale()).contains("one-cycle had the lowest validation loss, 0.41", "warmup-cosine 0.5", "linear-decay 0.47",
                "same 6 steps", "adamw");
        assertThat(new java.util.ArrayList<Object>(((Map<?, ?>) d.evidence().get("validationLoss")).keySet()))
                .containsExactly("warmup-cosine", "one-cycle", "linear-decay");
        assertThat(dev.hone.report.Charts.of(d)).hasSize(2);
        assertThat(dev.hone.report.Charts.of(d).get(0).series()).containsOnlyKeys("warmup-cosine", "one-cycle", "linear-decay");
        assertThat(d.cost()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void trialsOnARealModelDecideAndLeaveNoMark() throws Exception {
        ImageSet set = SyntheticData.set(40, 12, 3);
        ImageSet held = SyntheticData.set(10, 12, 9);
        Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
        SgdNesterov optimizer = new SgdNesterov(0.01f, 0.9f, 0f);
        Engine.getInstance().setRandomSeed(1);
        Normalization norm = Normalization.of(set);
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 12, 12), 3);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                ResidentDataset data = new ResidentDataset(set, norm, Device.cpu());
                ResidentDataset validation = new ResidentDataset(held, data.normalization(), Device.cpu())) {
            trainer.initialize(new Shape(1, 1, 12, 12));
            optimizer.bind(model.getBlock());
            ByteArrayOutputStream before = new ByteArrayOutputStream();
            ModelFactory.writeWeights(model, before);
            ProbeContext ctx = new ProbeContext(model, trainer, optimizer, loss, data, 5);

            Decision<String> d = ScheduleLearner.learn(ctx, validation, SETTING);

            assertThat(d.origin()).isEqualTo(Origin.LEARNED);
            assertThat(d.value()).isIn("warmup-cosine", "one-cycle", "linear-decay");
            Map<?, ?> losses = (Map<?, ?>) d.evidence().get("validationLoss");
            assertThat(losses).hasSize(3);
            losses.values().forEach(v -> assertThat(v).isInstanceOf(Double.class));
            assertThat(d.evidence().get("validationImages")).isEqualTo(30);
            ByteArrayOutputStream after = new ByteArrayOutputStream();
            ModelFactory.writeWeights(model, after);
            assertThat(after.toByteArray()).isEqualTo(before.toByteArray());
        }
    }
}
