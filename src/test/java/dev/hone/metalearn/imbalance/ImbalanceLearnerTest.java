package dev.hone.metalearn.imbalance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.models.ModelSpec;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Binary;
import dev.hone.tasks.MultiLabel;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.SigmoidLoss;
import dev.hone.tasks.SingleLabel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Positive weights from counts, the tie-break toward plain BCE, the rule, the trial size, and real trials. */
class ImbalanceLearnerTest {
    private static final PositiveCounts COUNTS = new PositiveCounts(100, new int[] {10, 1, 0, 100, 60},
            List.of("rare", "rarest", "absent", "everywhere", "common"));

    @Test
    void positiveWeightsAreNegativesOverPositivesClipped() {
        // N/P: 90/10 = 9; 99/1 = 99 clipped to 50; no positive or no negative: 1; 40/60 below 1, kept (PyTorch's rule)
        assertThat(COUNTS.weights()).containsExactly(new float[] {9f, 50f, 1f, 1f, 40f / 60f}, within(1e-6f));
        assertThat(COUNTS.weightsByName()).containsEntry("rarest", 50.0).containsKeys("rare", "absent", "everywhere", "common");
        assertThat(COUNTS.rarestShare()).isEqualTo(0.01);
        assertThat(COUNTS.rarestName()).isEqualTo("rarest");
        assertThat(new PositiveCounts(10, new int[] {0}, List.of("x")).rarestShare()).isNaN();
        // a binary run whose positive class is the larger one: its negatives are the minority, and N/P weights them up
        PositiveCounts majority = new PositiveCounts(990, new int[] {900}, List.of("sneaker"));
        assertThat(majority.rarestShare()).isCloseTo(90 / 990.0, within(1e-12));
        assertThat(majority.rarestIsNegative()).isTrue();
        assertThat(ImbalanceLearner.rule(majority)).isEqualTo(ImbalanceLearner.POSITIVE_WEIGHT);
        assertThat(ImbalanceLearner.fallback("no time", majority).rationale()).contains("'sneaker', has 9.1% negatives (90 of 990), under 10%");
        PositiveCounts everywhere = new PositiveCounts(10, new int[] {10}, List.of("x"));
        assertThat(everywhere.rarestShare()).as("no negative: nothing to balance").isEqualTo(1.0);
        assertThat(everywhere.rarestIsNegative()).isFalse();
        assertThatThrownBy(() -> new PositiveCounts(10, new int[] {11}, List.of("x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void countsComeFromTheTasksOutputs() {
        ImageSet two = new ImageSet(new byte[6], new int[] {0, 0, 0, 0, 1, 0}, 1, 1, 1, List.of("cat", "dog"), i -> "#" + i);
        PositiveCounts binary = PositiveCounts.of(Binary.of(1), two);
        assertThat(binary.positives()).containsExactly(1);
        assertThat(binary.names()).containsExactly("dog");
        assertThat(binary.weights()).containsExactly(5f);
        ImageSet sets = two.withMultiHot(new byte[] {1, 0, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1});
        assertThat(PositiveCounts.of(MultiLabel.plain(), sets).positives()).containsExactly(3, 3);
        assertThatThrownBy(() -> PositiveCounts.of(SingleLabel.INSTANCE, two)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sigmoid tasks");
    }

    @Test
    void eachCandidateBuildsItsLossIntoTheTask() {
        SigmoidLoss weighted = ImbalanceLearner.loss("positive-weight", COUNTS);
        assertThat(weighted.positiveWeights()).containsExactly(COUNTS.weights());
        assertThat(weighted.gamma()).isZero();
        SigmoidLoss focal = ImbalanceLearner.loss("focal", COUNTS);
        assertThat(focal.gamma()).isEqualTo(2f);
        assertThat(focal.positiveWeights()).isNull();
        assertThat(ImbalanceLearner.loss("none", COUNTS).positiveWeights()).isNull();
        assertThat(ImbalanceLearner.withLoss(Binary.of(0), focal)).isEqualTo(new Binary(0, focal));
        assertThat(((MultiLabel) ImbalanceLearner.withLoss(MultiLabel.plain(), weighted)).sigmoidLoss()).isSameAs(weighted);
        assertThatThrownBy(() -> ImbalanceLearner.loss("smote", COUNTS)).hasMessageContaining("use one of");
        assertThatThrownBy(() -> ImbalanceLearner.withLoss(SingleLabel.INSTANCE, focal)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Map<String, Double> scores(double none, double weighted, double focal) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("none", none);
        m.put("positive-weight", weighted);
        m.put("focal", focal);
        return m;
    }

    @Test
    void aChallengerReplacesPlainBceOnlyWhenItBeatsItOnNinetyPercentOfResamples() {
        Map<String, Double> wins = Map.of("positive-weight", 0.95, "focal", 0.6);
        assertThat(ImbalanceLearner.choose(scores(0.80, 0.85, 0.82), wins)).isEqualTo("positive-weight");
        // the best challenger within noise: none stays, even though the other challenger also scored above it
        assertThat(ImbalanceLearner.choose(scores(0.80, 0.82, 0.85), wins)).isEqualTo("none");
        assertThat(ImbalanceLearner.choose(scores(0.80, 0.85, 0.82), Map.of("positive-weight", 0.89))).isEqualTo("none");
        assertThat(ImbalanceLearner.choose(scores(0.90, 0.85, 0.82), wins)).isEqualTo("none");
        assertThat(ImbalanceLearner.choose(scores(0.85, 0.85, 0.85), Map.of("positive-weight", 1.0, "focal", 1.0))).isEqualTo("none");
    }

    @Test
    void failedTrialsLoseAndWhenAllFailNothingIsChosen() {
        assertThat(ImbalanceLearner.choose(scores(Double.NaN, 0.7, 0.6), Map.of())).isEqualTo("positive-weight");
        assertThat(ImbalanceLearner.choose(scores(0.6, Double.NaN, 0.7), Map.of("focal", 0.95))).isEqualTo("focal");
        assertThat(ImbalanceLearner.choose(scores(Double.NaN, Double.NaN, Double.NaN), Map.of())).isNull();
    }

    @Test
    void theRuleWeightsOnlyWhenTheRarestClassIsUnderTenPercent() {
        Decision<String> rare = ImbalanceLearner.fallback("no time", new PositiveCounts(1000, new int[] {99, 400},
                List.of("fox", "hen")));
        assertThat(rare.value()).isEqualTo("positive-weight");
        assertThat(rare.origin()).isEqualTo(Origin.DEFAULT);
        assertThat(rare.rationale()).startsWith("no time; so by rule: the rarest class, 'fox', has 9.9% positives (99 of 1000), "
                + "under 10%").contains("BCEWithLogitsLoss pos_weight", "from 1.5 ('hen') to 9.1 ('fox')");
        assertThat(rare.evidence()).containsKeys("positives", "positiveWeights", "rarestShare", "ruleShare", "trainImages");

        Decision<String> common = ImbalanceLearner.fallback("few images", new PositiveCounts(1000, new int[] {100}, List.of("fox")));
        assertThat(common.value()).isEqualTo("none");
        assertThat(common.rationale()).contains("has 10.0% positives (100 of 1000), at least 10%", "plain binary cross-entropy");
        assertThat(ImbalanceLearner.rule(new PositiveCounts(10, new int[] {0, 0}, List.of("a", "b")))).isEqualTo("none");
    }

    @Test
    void aValueFixedByTheUserIsRecordedAsUser() {
        Decision<String> d = ImbalanceLearner.user("focal", COUNTS);
        assertThat(d.origin()).isEqualTo(Origin.USER);
        assertThat(d.method()).isEqualTo("flag");
        assertThat(d.rationale()).contains("--imbalance", "gamma 2", "arXiv:1708.02002");
        assertThat(d.evidence()).containsKeys("positives", "positiveWeights");
        assertThatThrownBy(() -> ImbalanceLearner.user("auto", COUNTS)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trialsAreSizedToTheirAllowance() {
        // 2048 images make 16 batches of 128; 60 steps take 4 epochs of 15 batches
        assertThat(ImbalanceLearner.trialSize(50_000, 128, Double.POSITIVE_INFINITY))
                .contains(new ImbalanceLearner.TrialSize(1920, 4, 60));
        assertThat(ImbalanceLearner.trialSize(50_000, 128, 3 * 30 * 128)).contains(new ImbalanceLearner.TrialSize(1920, 2, 30));
        assertThat(ImbalanceLearner.trialSize(50_000, 32, Double.POSITIVE_INFINITY))
                .contains(new ImbalanceLearner.TrialSize(1920, 1, 60)); // less than a pass
        assertThat(ImbalanceLearner.trialSize(50_000, 128, 3 * 19 * 128)).isEmpty();
        assertThat(ImbalanceLearner.trialSize(300, 32, Double.POSITIVE_INFINITY)).contains(new ImbalanceLearner.TrialSize(256, 7, 56));
        assertThat(ImbalanceLearner.trialSize(150, 128, Double.POSITIVE_INFINITY)).isEmpty(); // 10 epochs of one step
    }

    @Test
    void thePairedBootstrapCountsStrictWinsAndRepeatsWithItsSeed() {
        assertThat(PairedBootstrap.winRate(10, 50, 1, i -> 0.5, i -> 0.5)).isZero();
        assertThat(PairedBootstrap.winRate(10, 50, 1, i -> 0.5, i -> 0.6)).isEqualTo(1.0);
        // the challenger wins when the draw holds more of image 0 than average
        double once = PairedBootstrap.winRate(10, 200, 3, i -> 0.1, i -> count(i, 0) / 10.0);
        assertThat(once).isEqualTo(PairedBootstrap.winRate(10, 200, 3, i -> 0.1, i -> count(i, 0) / 10.0)).isBetween(0.2, 0.5);
    }

    private static int count(int[] drawn, int value) {
        int n = 0;
        for (int d : drawn) {
            n += d == value ? 1 : 0;
        }
        return n;
    }

    @Test
    void theDecisionFromHandMadeMultiLabelTrialsCarriesEveryScore() {
        // 40 images, 2 classes; positive-weight ranks every positive first, none and focal rank at random
        Random r = new Random(5);
        int n = 40;
        float[][] targets = new float[n][2];
        float[][] perfect = new float[n][2];
        float[][] noisy = new float[n][2];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 2; k++) {
                targets[i][k] = i % (3 + k) == 0 ? 1 : 0;
                perfect[i][k] = targets[i][k] * 0.5f + r.nextFloat() * 0.4f;
                noisy[i][k] = r.nextFloat();
            }
        }
        Map<String, LossTrials.Trial> trials = new LinkedHashMap<>();
        trials.put("none", trial(noisy, targets));
        trials.put("positive-weight", trial(perfect, targets));
        trials.put("focal", new LossTrials.Trial(null, Duration.ofSeconds(1)));
        PositiveCounts counts = new PositiveCounts(400, new int[] {130, 100}, List.of("a", "b"));
        Decision<String> d = ImbalanceTrials.decide(MultiLabel.plain(), trials, counts, new ImbalanceLearner.TrialSize(256, 2, 16),
                7, Duration.ofSeconds(3));
        assertThat(d.value()).isEqualTo("positive-weight");
        assertThat(d.origin()).isEqualTo(Origin.LEARNED);
        assertThat(d.cost()).isEqualTo(Duration.ofSeconds(3));
        assertThat(d.rationale()).contains("positive-weight had the highest validation mAP, 1.0000", "beat none on 100% of 200",
                "focal diverged", "16 steps (2 epochs of 256 training images)");
        assertThat(map(d.evidence().get("validationScore"))).containsOnlyKeys("none", "positive-weight", "focal")
                .containsEntry("focal", "n/a");
        assertThat(map(d.evidence().get("bestThresholdF1"))).containsEntry("positive-weight", 1.0);
        assertThat(map(d.evidence().get("winRateOverNone"))).containsOnlyKeys("positive-weight");
        assertThat(d.evidence()).containsEntry("validationImages", 40).containsEntry("validationPositives", 24L)
                .containsKeys("positives", "positiveWeights", "trialSeconds");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object evidence) {
        return (Map<String, Object>) evidence;
    }

    private static LossTrials.Trial trial(float[][] probabilities, float[][] targets) {
        return new LossTrials.Trial(new Predictions(probabilities, new int[probabilities.length], targets, 0, Double.NaN),
                Duration.ofSeconds(1));
    }

    /** Binary data, 1 in 8 positive: a faint bright square somewhere in noise. */
    static ImageSet imbalanced(int n, long seed) {
        Random r = new Random(seed);
        int size = 12;
        byte[] px = new byte[n * size * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 8 == 3 ? 1 : 0;
            int y0 = r.nextInt(size - 4);
            int x0 = r.nextInt(size - 4);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean spot = labels[i] == 1 && y >= y0 && y < y0 + 4 && x >= x0 && x < x0 + 4;
                    px[i * size * size + y * size + x] = (byte) Math.max(0, Math.min(255, (spot ? 150 : 90) + r.nextGaussian() * 40));
                }
            }
        }
        return new ImageSet(px, labels, 1, size, size, List.of("plain", "spotted"), i -> "synthetic#" + i);
    }

    @Test
    void realTrialsScoreAllThreeCandidatesAndOneSeedDecidesAlike(@TempDir Path scratch) {
        ImageSet train = imbalanced(160, 1);
        ImageSet validation = imbalanced(80, 2);
        Binary task = Binary.of(1);
        PositiveCounts counts = PositiveCounts.of(task, train);
        assertThat(counts.positives()).containsExactly(20);
        TrialRunner.Setup setup = new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 12, 12), 2, task,
                "adamw", 3e-3, 0.05, 32, 2, 7, Normalization.of(train), Device.cpu(), scratch.resolve("trials"));

        Decision<String> first = ImbalanceLearner.learn(setup, train, validation, counts);
        Decision<String> second = ImbalanceLearner.learn(setup, train, validation, counts);

        assertThat(first.name()).isEqualTo("imbalance");
        assertThat(first.origin()).isEqualTo(Origin.LEARNED);
        assertThat(ImbalanceLearner.NAMES).contains(first.value());
        assertThat(map(first.evidence().get("validationScore"))).containsOnlyKeys("none", "positive-weight", "focal");
        assertThat(map(first.evidence().get("trialSeconds"))).containsOnlyKeys("none", "positive-weight", "focal");
        assertThat(map(first.evidence().get("positiveWeights"))).containsEntry("spotted", 7.0);
        assertThat(first.evidence()).containsEntry("trialSteps", 10).containsEntry("validationPositives", 10L)
                .containsEntry("metric", "ROC-AUC");
        assertThat(first.cost()).isPositive();
        assertThat(first.rationale()).contains("ROC-AUC", "10 steps (2 epochs of 160 training images)");
        assertThat(second.value()).isEqualTo(first.value());
        assertThat(second.evidence().get("validationScore")).isEqualTo(first.evidence().get("validationScore"));
        assertThat(second.evidence().get("winRateOverNone")).isEqualTo(first.evidence().get("winRateOverNone"));
    }
}
