package dev.hone.metalearn.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.metalearn.budget.ProbeBudget.Allocation;
import dev.hone.metalearn.budget.ProbeBudget.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Probe lengths shrink by one factor to fit the time meta-learning may take, never below their minimums. */
class ProbeBudgetTest {
    private static final Stage NOISE = new Stage("noise", 60, 15, 0.25, 0);
    private static final Stage RANGE = new Stage("range", 80, 30, 0.125, 0);
    private static final Stage PLAN = Stage.fixed("plan", 9, 0.125);
    private static final Stage SCHEDULE = new Stage("schedule", 40, 12, 0.375, 1.5);
    private static final List<Stage> ALL = List.of(NOISE, RANGE, PLAN, SCHEDULE);

    /** 15 + 10 + 1.125 + 16.5 = 42.625 s at full length. */
    @Test
    void enoughTimeKeepsEveryDefault() {
        Allocation a = ProbeBudget.scale(100, ALL).orElseThrow();
        assertThat(a.steps()).containsExactly(60, 80, 9, 40);
        assertThat(a.full()).isTrue();
        assertThat(a.seconds()).isEqualTo(42.625);
        assertThat(ProbeBudget.scale(Double.POSITIVE_INFINITY, ALL).orElseThrow().steps()).containsExactly(60, 80, 9, 40);
    }

    @Test
    void lessTimeShortensAllByOneFactor() {
        // scalable at full length: 15 + 10 + 15 = 40 s; fixed 1.125 + 1.5; 22.625 s leaves 20 s: half of each
        Allocation a = ProbeBudget.scale(22.625, ALL).orElseThrow();
        assertThat(a.steps()).containsExactly(30, 40, 9, 20);
        assertThat(a.seconds()).isLessThanOrEqualTo(22.625);
        assertThat(a.steps("schedule")).isEqualTo(20);
        assertThat(a.steps("missing")).isZero();
        assertThat(a.full()).isFalse();
    }

    @Test
    void aStageBelowItsMinimumIsHeldThereAndTheOthersShareTheRest() {
        // minimums: 3.75 + 3.75 + 1.125 + 6 = 14.625 s; with 16 s the factor would give range 80 * 0.3 < 30
        Allocation a = ProbeBudget.scale(16, ALL).orElseThrow();
        assertThat(a.steps("range")).isEqualTo(30);
        assertThat(a.steps("noise")).isGreaterThanOrEqualTo(15);
        assertThat(a.steps("schedule")).isGreaterThanOrEqualTo(12);
        assertThat(a.seconds()).isLessThanOrEqualTo(16);
    }

    @Test
    void whenTheMinimumsDoNotFitTheNextOptionIsTried() {
        assertThat(ProbeBudget.scale(10, ALL)).isEmpty();
        Allocation a = ProbeBudget.firstThatFits(10, List.of(ALL, ProbeBudget.without(ALL, "schedule")));
        assertThat(a.steps("schedule")).isZero();
        assertThat(a.stages()).extracting(Stage::name).containsExactly("noise", "range", "plan");
        assertThat(a.seconds()).isLessThanOrEqualTo(10);
        // nothing fits: the last option at its minimums
        Allocation least = ProbeBudget.firstThatFits(1, List.of(ALL, List.of(NOISE, PLAN)));
        assertThat(least.steps()).containsExactly(15, 9);
    }

    @Test
    void explainsABadStage() {
        assertThatThrownBy(() -> new Stage("x", 10, 20, 1, 0)).hasMessageContaining("minSteps <= defaultSteps");
    }

    @Test
    void unlimitedHasNoCap() {
        ProbeBudget b = ProbeBudget.unlimited();
        assertThat(b.limited()).isFalse();
        assertThat(b.leftSeconds()).isInfinite();
        ProbeBudget capped = ProbeBudget.of(5, System.nanoTime());
        assertThat(capped.limited()).isTrue();
        assertThat(capped.leftSeconds()).isBetween(0.0, 5.0);
    }
}
