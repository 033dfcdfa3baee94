package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.tasks.Predictions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class PolicySearchTest {
    private static final int IMAGES = 2000;
    private static final DistanceGroups GROUPS = DistanceGroups.of(List.of(
            new DistanceGroups.Pair("translate", 0.5, 1.0, 0.05),
            new DistanceGroups.Pair("translate", 1.0, 4.0, 0.10),
            new DistanceGroups.Pair("flip-horizontal", 1.0, 9.0, 0.66),
            new DistanceGroups.Pair("erase", 0.5, 2.0, 0.02),
            new DistanceGroups.Pair("erase", 1.0, 3.0, 0.05),
            new DistanceGroups.Pair("noise", 0.5, 0.5, 0.01),
            new DistanceGroups.Pair("blur", 0.5, 0.7, 0.01)), 2);
    private static final PolicySearch.Outcome PLAIN = outcome(0.80);

    /** Predictions on {@link #IMAGES} images of which the first {@code accuracy} share are right: better trials nest. */
    static PolicySearch.Outcome outcome(double accuracy) {
        return outcome(accuracy, 0);
    }

    /** As {@link #outcome(double)}, the right images shifted by {@code shift} (mod the count), so trials also disagree the other way. */
    static PolicySearch.Outcome outcome(double accuracy, int shift) {
        return outcome(accuracy, shift, 0);
    }

    /**
     * As {@link #outcome(double, int)}, each image's loss ln(1/0.9) when right and ln(1/0.1) when wrong,
     * less {@code calibration} on every image: a model equally often right, but less overconfident.
     */
    static PolicySearch.Outcome outcome(double accuracy, int shift, double calibration) {
        float[][] p = new float[IMAGES][];
        int[] labels = new int[IMAGES];
        double[] losses = new double[IMAGES];
        int right = (int) Math.round(accuracy * IMAGES);
        double sum = 0;
        for (int i = 0; i < IMAGES; i++) {
            boolean ok = (i + shift) % IMAGES < right;
            p[i] = ok ? new float[] {0.9f, 0.1f} : new float[] {0.1f, 0.9f};
            losses[i] = (ok ? -Math.log(0.9) : -Math.log(0.1)) - calibration;
            sum += losses[i];
        }
        Predictions predictions = new Predictions(p, labels, new float[IMAGES][2], sum / IMAGES, accuracy, losses);
        return new PolicySearch.Outcome(accuracy, sum / IMAGES, 1, predictions);
    }

    private static boolean has(RegularizationPolicy p, String transform) {
        return p.augmentation().steps().stream().anyMatch(s -> s.transform().equals(transform));
    }

    /** A trial scored by a formula of the candidate, recording what it was asked at full length. */
    private static PolicySearch.Trial scored(ToDoubleFunction<RegularizationPolicy> accuracy, List<RegularizationPolicy> asked) {
        return (label, p, length) -> {
            if (length >= 1) {
                asked.add(p);
            }
            return outcome(accuracy.applyAsDouble(p));
        };
    }

    private static PolicySearch.Result search(PolicySearch.Trial trial, double maxTrials) {
        return PolicySearch.search(trial, PLAIN, GROUPS, 0.05, true, maxTrials, dev.hone.tasks.SingleLabel.INSTANCE, 1);
    }

    private static PolicySearch.Kept kept(String label, List<String> parts, double accuracy, double loss) {
        return new PolicySearch.Kept(new PolicySearch.Candidate(label, parts, RegularizationPolicy.searchStart()), accuracy, loss);
    }

    @Test
    void theContributionsFollowTheChosenPolicysStepsFromThePlainRunAndLeaveOutWhatItReplaced() {
        // noise kept, then erase beat it without holding it, then erase + translate, then erase + translate stronger
        List<PolicySearch.Kept> kept = List.of(kept("noise 0.50", List.of("noise 0.50"), 0.82, 0.60),
                kept("erase 0.50", List.of("erase 0.50"), 0.85, 0.55),
                kept("erase 0.50 + translate 0.50", List.of("erase 0.50", "translate 0.50"), 0.87, 0.50),
                kept("erase 0.50 + translate 0.50, stronger: translate 1.00", List.of("erase 0.50", "translate 0.50"), 0.88, 0.49));
        List<PolicySearch.Contribution> c = PolicySearch.contributions(kept, outcome(0.80));
        assertThat(c).extracting(PolicySearch.Contribution::technique).containsExactly("erase 0.50", "translate 0.50",
                "erase 0.50 + translate 0.50, stronger: translate 1.00");
        assertThat(c.get(0).accuracyGain()).as("over the plain run").isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(c.stream().mapToDouble(PolicySearch.Contribution::accuracyGain).sum()).as("adds up to the chosen one's gain")
                .isCloseTo(0.08, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(c.stream().mapToDouble(PolicySearch.Contribution::lossReduction).sum())
                .isCloseTo(outcome(0.80).loss() - 0.49, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(PolicySearch.contributions(List.of(), outcome(0.80))).isEmpty();
    }

    @Test
    void aVetoedPairIsNeverTriedAndHelpfulTransformsAreCombined() {
        List<RegularizationPolicy> asked = new ArrayList<>();
        PolicySearch.Result r = search(scored(p -> 0.80 + (has(p, "translate") ? 0.03 : 0) + (has(p, "erase") ? 0.02 : 0)
                - (has(p, "flip-horizontal") ? 0.10 : 0), asked), 16);
        assertThat(GROUPS.vetoed()).extracting(DistanceGroups.Pair::transform).containsExactly("flip-horizontal");
        assertThat(asked).noneMatch(p -> has(p, "flip-horizontal"));
        assertThat(has(r.chosen(), "translate")).isTrue();
        assertThat(has(r.chosen(), "erase")).isTrue();
        assertThat(r.fallbackReason()).isNull();
        assertThat(r.contributions().stream().mapToDouble(PolicySearch.Contribution::accuracyGain).sum())
                .isCloseTo(r.chosenOutcome().accuracy() - PLAIN.accuracy(), org.assertj.core.api.Assertions.within(1e-9));
        // every step kept was significant against the incumbent it replaced
        assertThat(r.steps()).filteredOn(PolicySearch.Step::accepted).isNotEmpty()
                .allSatisfy(s -> assertThat(s.comparison().significant()).isTrue());
    }

    @Test
    void softLabelsAndWeightDecayAreSearchedJointlyWithTheAugmentation() {
        List<RegularizationPolicy> asked = new ArrayList<>();
        PolicySearch.Result r = search(scored(p -> 0.80 + (has(p, "translate") ? 0.03 : 0)
                + (p.mixupAlpha() > 0 ? 0.02 : 0) + (p.weightDecay() != null && p.weightDecay() > 0.1 ? 0.005 : 0), asked), 16);
        assertThat(r.chosen().mixupAlpha()).isEqualTo(PolicySearch.MIXUP_ALPHA);
        assertThat(has(r.chosen(), "translate")).isTrue();
        assertThat(r.chosen().labelSmoothing()).isZero();
        // MixUp was tried alone, not only on top of a chosen augmentation
        assertThat(asked).anyMatch(p -> p.mixupAlpha() > 0 && p.augmentation().isEmpty());
    }

    @Test
    void aGainInsideTheNoiseIsNotTaken() {
        // 0.2 points on 2,000 images: 30 images better, 26 worse, far from significant at the 5% level
        PolicySearch.Result r = search((label, p, length) -> has(p, "translate") ? outcome(0.802, 30) : outcome(0.80), 16);
        assertThat(r.chosen().trainsPlain()).isTrue();
        assertThat(r.fallbackReason()).contains("no candidate beat the plain run significantly");
        assertThat(r.steps()).noneMatch(PolicySearch.Step::accepted);
    }

    @Test
    void theRaceGivesFullTrialsOnlyToTheBestSinglesAndTheBeamTriesStrongerMagnitudes() {
        List<RegularizationPolicy> asked = new ArrayList<>();
        PolicySearch.Result r = search(scored(p -> 0.80 + 0.05 * p.augmentation().magnitude(dev.hone.augment.Transform.TRANSLATE), asked), 16);
        long raced = r.steps().stream().filter(s -> s.stage().equals("race")).count();
        List<String> fullSingles = r.steps().stream().filter(s -> s.stage().equals("full-length singles")).map(PolicySearch.Step::label)
                .toList();
        assertThat(raced).isGreaterThan(PolicySearch.SURVIVORS);
        // the two best raced singles, alternating with the soft-label singles, which never race
        assertThat(fullSingles).hasSize(PolicySearch.SURVIVORS + 3).startsWith("translate 0.50", "cutmix alpha 1.0")
                .contains("mixup alpha 0.2", "label smoothing 0.1");
        assertThat(r.steps()).filteredOn(s -> s.stage().equals("race")).extracting(PolicySearch.Step::label)
                .noneMatch(l -> l.startsWith("cutmix") || l.startsWith("mixup") || l.startsWith("label smoothing"));
        // the gentle half holds translate 0.5; the beam raises it to the measured 1.0, which scores higher
        assertThat(r.chosen().augmentation().magnitude(dev.hone.augment.Transform.TRANSLATE)).isEqualTo(1.0);
    }

    @Test
    void aSoftLabelSingleThatWouldRaceLastStillGetsAFullTrialAndWins() {
        // the measured short-trial bias: CutMix trails everything after one epoch and leads at full length
        PolicySearch.Result r = search((label, p, length) -> p.cutmixAlpha() > 0
                ? (length >= 1 ? outcome(0.84) : outcome(0.70)) : outcome(length >= 1 ? 0.80 : 0.78), 8);
        assertThat(r.chosen().cutmixAlpha()).isEqualTo(PolicySearch.CUTMIX_ALPHA);
        assertThat(r.fallbackReason()).isNull();
    }

    @Test
    void aLowerLossIsKeptOnlyWhenTheScoreIsNotSignificantlyLower() {
        // CutMix: far better calibrated (loss 0.2 lower on every image) but 0.5 points less accurate, all 10 images one way
        // (significant); MixUp: as accurate, and better calibrated
        PolicySearch.Result r = search((label, p, length) -> p.cutmixAlpha() > 0 ? outcome(0.795, 0, 0.2)
                : p.mixupAlpha() > 0 ? outcome(0.80, 0, 0.05) : outcome(0.80), 8);
        assertThat(r.chosen().cutmixAlpha()).isZero();
        assertThat(r.chosen().mixupAlpha()).isEqualTo(PolicySearch.MIXUP_ALPHA);
        PolicySearch.Step mixup = r.steps().stream().filter(PolicySearch.Step::accepted).findFirst().orElseThrow();
        assertThat(mixup.comparison().gain()).isCloseTo(0.05, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(mixup.comparison().significant()).isTrue();
        // the vetoed CutMix trial says why it was not kept, in the record's table too
        PolicySearch.Step cutmix = r.steps().stream().filter(st -> st.label().startsWith("cutmix") && st.length() >= 1)
                .findFirst().orElseThrow();
        assertThat(cutmix.accepted()).isFalse();
        assertThat(cutmix.rejection()).startsWith("its loss reduction is significant, but its score 0.7950 is below the"
                + " incumbent's 0.8000, significantly (");
        assertThat(PolicySearch.table(r.steps())).anySatisfy(row -> assertThat(row.get("notKept")).isEqualTo(cutmix.rejection()));
        assertThat(mixup.rejection()).isNull();
    }

    @Test
    void aScoreLowerInsideTheNoiseDoesNotVetoASignificantLossReduction() {
        // MixUp: loss 0.05 lower on every image, and 0.2 points less accurate: 34 images worse, 30 better (p far above 0.05)
        PolicySearch.Result r = search((label, p, length) -> p.mixupAlpha() > 0 ? outcome(0.798, 30, 0.05) : outcome(0.80), 8);
        assertThat(r.chosen().mixupAlpha()).isEqualTo(PolicySearch.MIXUP_ALPHA);
        assertThat(r.fallbackReason()).isNull();
        assertThat(r.chosenOutcome().accuracy()).isLessThan(PLAIN.accuracy());
    }

    @Test
    void stopsAtTheTrialLimitAndSaysWhichStagesItSkipped() {
        List<RegularizationPolicy> asked = new ArrayList<>();
        PolicySearch.Result r = search(scored(p -> 0.80 + (has(p, "translate") ? 0.03 : 0), asked), 5);
        double spent = r.steps().stream().mapToDouble(PolicySearch.Step::length).sum();
        assertThat(spent).isLessThanOrEqualTo(5 + 1e-9);
        assertThat(r.skipped()).isNotEmpty();
    }

    @Test
    void aShortSearchStillGivesTwoSinglesAFullTrialSoTheBeamCanCombineThem() {
        // 4 trial units: the race takes 7/12, and 75% would leave room for two full-length singles, the beam for one trial
        PolicySearch.Result r = search(scored(p -> 0.80 + (has(p, "translate") ? 0.03 : 0) + (has(p, "noise") ? 0.03 : 0),
                new ArrayList<>()), 4);
        assertThat(r.steps().stream().filter(s -> s.stage().equals("full-length singles")).count()).isEqualTo(2);
        assertThat(r.steps()).anyMatch(s -> s.stage().startsWith("beam"));
        assertThat(r.steps().stream().mapToDouble(PolicySearch.Step::length).sum()).isLessThanOrEqualTo(4 + 1e-9);
    }

    @Test
    void singlesTakeTheLargestMagnitudeInTheGentlerHalfAndMergeRefusesClashes() {
        List<PolicySearch.Candidate> singles = PolicySearch.singles(GROUPS, 0.05, false, true);
        assertThat(singles).extracting(PolicySearch.Candidate::label).startsWith("noise 0.50", "label smoothing 0.1", "blur 0.50", "weight decay x3.0", "translate 0.50")
                .doesNotContain("flip-horizontal 1.00");
        PolicySearch.Candidate smoothing = singles.stream().filter(c -> c.label().startsWith("label smoothing")).findFirst().orElseThrow();
        PolicySearch.Candidate mixup = singles.stream().filter(c -> c.label().startsWith("mixup")).findFirst().orElseThrow();
        assertThat(PolicySearch.merge(smoothing, mixup)).isNull();
        assertThat(PolicySearch.merge(singles.get(2), smoothing).policy().labelSmoothing()).isEqualTo(PolicySearch.LABEL_SMOOTHING);
        // one policy whatever the order its parts were merged in, so the beam never runs it twice
        PolicySearch.Candidate noise = singles.get(0);
        PolicySearch.Candidate blur = singles.get(2);
        assertThat(PolicySearch.key(PolicySearch.merge(noise, blur).policy())).isEqualTo(PolicySearch.key(PolicySearch.merge(blur, noise).policy()));
        // a weight decay the user fixed is not searched
        assertThat(PolicySearch.singles(GROUPS, Double.NaN, false, true)).extracting(PolicySearch.Candidate::label)
                .noneMatch(l -> l.startsWith("weight decay")).contains("label smoothing 0.1", "noise 0.50");
    }
}
