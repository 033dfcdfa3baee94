package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.augment.AugmentationPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class PolicySearchTest {
    private static final DistanceGroups GROUPS = DistanceGroups.of(List.of(
            new DistanceGroups.Pair("translate", 0.5, 1.0),
            new DistanceGroups.Pair("translate", 1.0, 4.0),
            new DistanceGroups.Pair("flip-horizontal", 1.0, 9.0),
            new DistanceGroups.Pair("erase", 1.0, 3.0)), 2);
    private static final PolicySearch.Outcome PLAIN = new PolicySearch.Outcome(0.80, 0.6, 1);

    private static boolean has(RegularizationPolicy p, String transform) {
        return p.augmentation().steps().stream().anyMatch(s -> s.transform().equals(transform));
    }

    /** A trial scored by a formula of the candidate, recording what it was asked. */
    private static PolicySearch.Trial scored(ToDoubleFunction<RegularizationPolicy> accuracy, List<RegularizationPolicy> asked) {
        return (label, p) -> {
            asked.add(p);
            return new PolicySearch.Outcome(accuracy.applyAsDouble(p), 1 - accuracy.applyAsDouble(p), 1);
        };
    }

    @Test
    void aLabelChangingTransformIsPrunedAndHelpfulOnesKept() {
        // flip turns one class into another: it costs 10 points; translate and erase help
        List<RegularizationPolicy> asked = new ArrayList<>();
        PolicySearch.Result r = PolicySearch.search(scored(p -> 0.80 + (has(p, "translate") ? 0.03 : 0)
                + (has(p, "erase") ? 0.01 : 0) - (has(p, "flip-horizontal") ? 0.10 : 0), asked), PLAIN, GROUPS, 0.05, false, 20);
        assertThat(has(r.chosen(), "flip-horizontal")).isFalse();
        assertThat(has(r.chosen(), "translate")).isTrue();
        assertThat(r.fallbackReason()).isNull();
        assertThat(r.contributions()).extracting(PolicySearch.Contribution::technique).contains("augmentation level 1");
    }

    @Test
    void softLabelsAndWeightDecayAreChosenOnTopOfTheAugmentation() {
        List<RegularizationPolicy> asked = new ArrayList<>();
        PolicySearch.Result r = PolicySearch.search(scored(p -> 0.80 + (has(p, "translate") ? 0.03 : 0)
                + (p.cutmixAlpha() > 0 ? 0.01 : 0) + (p.weightDecay() != null && p.weightDecay() > 0.1 ? 0.005 : 0), asked),
                PLAIN, GROUPS, 0.05, true, 20);
        assertThat(r.chosen().cutmixAlpha()).isEqualTo(PolicySearch.CUTMIX_ALPHA);
        assertThat(r.chosen().labelSmoothing()).isZero();
        assertThat(r.chosen().weightDecay()).isEqualTo(0.15, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(r.chosen().dropout()).isZero();
        // the soft-label candidates were tried with the chosen augmentation in place
        assertThat(asked.stream().filter(p -> p.cutmixAlpha() > 0).allMatch(p -> has(p, "translate"))).isTrue();
    }

    @Test
    void theGuardRailFallsBackWhenNothingBeatsThePlainRun() {
        PolicySearch.Result r = PolicySearch.search(scored(p -> 0.79, new ArrayList<>()), PLAIN, GROUPS, 0.05, false, 20);
        assertThat(r.chosen().trainsPlain()).isTrue();
        assertThat(r.chosen().weightDecay()).isNull();
        assertThat(r.fallbackReason()).contains("no regularizer beat the plain run");
        assertThat(r.steps()).noneMatch(PolicySearch.Step::accepted);
    }

    @Test
    void stopsAtTheTrialLimitAndSaysWhichStagesItSkipped() {
        List<RegularizationPolicy> asked = new ArrayList<>();
        PolicySearch.Result r = PolicySearch.search(scored(p -> 0.80 + (has(p, "translate") ? 0.03 : 0), asked),
                PLAIN, GROUPS, 0.05, false, 3);
        assertThat(asked).hasSize(3);
        assertThat(r.skipped()).isNotEmpty();
        assertThat(r.chosen().augmentation()).isNotEqualTo(AugmentationPolicy.NONE);
    }
}
