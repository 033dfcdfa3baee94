package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.loop.PreciseBatchNorm;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.tasks.SingleLabel;
import java.util.List;
import org.junit.jupiter.api.Test;

class AfterTrainingWorkTest {
    private static final RegularizationPolicy LEARNED = RegularizationPolicy.searchStart();

    private static AfterTrainingWork w1(RegularizationPolicy policy, double budgetSeconds, double imagesPerSecond) {
        // W1's split: 54,000 training, 6,000 validation and 10,000 test images, batch 64
        return AfterTrainingWork.of(policy, List.of(), SingleLabel.INSTANCE, true, 54_000, 64, 6_000, 10_000, budgetSeconds,
                imagesPerSecond, false);
    }

    @Test
    void aLongBudgetTriesEveryCandidateAndKeepsTimeForThemAsThePacerDid() {
        AfterTrainingWork work = w1(LEARNED, 1800, 380);
        assertThat(work.candidates()).isTrue();
        boolean whole = FinalChoices.wholeSplit(6_000, 1800, 380, false);
        assertThat(work.validationPasses()).isEqualTo(FinalChoices.validationPasses(6_000, 2, true, false,
                PreciseBatchNorm.images(54_000, 64), whole));
        assertThat(work.testViews()).isEqualTo(2);
        assertThat(work.notTried()).isNull();
        assertThat(work.plannedImages(6_000, 10_000)).as("under the cap").isEqualTo(work.inferenceImages(6_000, 10_000));
        // about 1% of the budget, as measured on W1 (21 s of 1,800)
        assertThat(work.candidateSeconds()).isBetween(5.0, 60.0);
    }

    @Test
    void aShortBudgetLeavesTheLearnedCandidatesOutAndSaysWhy() {
        // 540 training, 60 validation and 200 test images at 100 images/s: the candidates' forwards are over 3 s of 30 s
        AfterTrainingWork work = AfterTrainingWork.of(LEARNED, List.of(), SingleLabel.INSTANCE, true, 540, 32, 60, 200, 30, 100,
                false);
        assertThat(work.candidates()).isFalse();
        assertThat(work.validationPasses()).isZero();
        assertThat(work.testViews()).isEqualTo(1);
        assertThat(work.candidateSeconds()).isGreaterThan(AfterTrainingWork.MAX_SHARE * 30);
        assertThat(work.notTried()).contains("too short").contains("% of the 30 s budget").contains("more than the 10%");
        // the same images without a budget: everything is tried
        assertThat(AfterTrainingWork.of(LEARNED, List.of(), SingleLabel.INSTANCE, true, 540, 32, 60, 200, 0, 100, false)
                .candidates()).isTrue();
    }

    @Test
    void whatAPolicyFixesIsKeptTimeForOnAnyBudget() {
        RegularizationPolicy fixed = LEARNED.withEvaluation("ema", true);
        AfterTrainingWork work = AfterTrainingWork.of(fixed, List.of(), SingleLabel.INSTANCE, true, 540, 32, 60, 200, 15, 100,
                true);
        // PreciseBN for the last weights, the one learned candidate left: 512 forwards and a comparison, 2 s of 1.5 allowed
        assertThat(work.candidateSeconds()).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(work.candidates()).isFalse();
        assertThat(work.testViews()).isEqualTo(2);
        // the fixed average's predictions and its statistics recomputed (512 forwards: 9 passes of 60), the flipped whole
        // split, and the guard-rail's teacher
        assertThat(work.validationPasses()).isEqualTo(FinalChoices.validationPasses(60, 1, false, true, 0, false) + 9 + 1);
        // the plan holds the validation passes to a tenth of the budget, as the pacer does: 1.5 s at 300 images/s
        assertThat(work.maxPassSeconds()).isEqualTo(1.5);
        assertThat(work.plannedImages(60, 200)).isEqualTo(2L * 200 + 450);
        assertThat(work.inferenceImages(60, 200)).isEqualTo(2L * 200 + 13 * 60);
    }

    @Test
    void nothingLearnedNothingKeptFor() {
        AfterTrainingWork none = w1(RegularizationPolicy.NONE, 1800, 380);
        assertThat(none.testViews()).isEqualTo(1);
        // PreciseBN is still tried without regularization: its forwards and the compared images' predictions
        assertThat(none.validationPasses()).isEqualTo(FinalChoices.validationPasses(6_000, 0, false, false,
                PreciseBatchNorm.images(54_000, 64), FinalChoices.wholeSplit(6_000, 1800, 380, false)));
        AfterTrainingWork torchScript = AfterTrainingWork.of(RegularizationPolicy.NONE, List.of(), SingleLabel.INSTANCE, false,
                54_000, 64, 6_000, 10_000, 1800, 380, false);
        assertThat(torchScript.validationPasses()).isZero();
        assertThat(torchScript.inferenceImages(6_000, 10_000)).isEqualTo(10_000);
    }

    @Test
    void thePlanKeepsTheSameTimeAsThePacerForTheWorkAfterTraining() {
        AfterTrainingWork work = w1(LEARNED, 1800, 380);
        long after = work.inferenceImages(6_000, 10_000);
        assertThat(after).isEqualTo(2L * 10_000 + (long) work.validationPasses() * 6_000);
        BudgetPlanner.Plan testOnly = BudgetPlanner.plan(1800, 100, 380, 64, 54_000, 6_000, 10_000);
        BudgetPlanner.Plan all = BudgetPlanner.plan(1800, 100, 380, 64, 54_000, 6_000, after);
        double seconds = (after - 10_000) / (380 * BudgetPlanner.INFERENCE_SPEEDUP);
        // an epoch's validation pass (about 30 steps' time) may move with the epochs that fit
        assertThat(testOnly.totalSteps() - all.totalSteps()).isCloseTo(Math.round(seconds * (1 - BudgetPlanner.MARGIN) * 380 / 64),
                org.assertj.core.data.Offset.offset(40L));
    }

    @Test
    void theTestPassIsKeptAQuarterOfTheBudgetAtTheMost() {
        // a loaded machine's 3 minutes at 20 images/s: 10,000 test images at 60 a second would take 167 s of the 180
        AfterTrainingWork slow = w1(RegularizationPolicy.NONE, 180, 20);
        assertThat(slow.maxTestSeconds()).isEqualTo(45.0);
        long validation = slow.plannedImages(6_000, 0);
        assertThat(slow.plannedImages(6_000, 10_000) - validation).isEqualTo(45 * 60);
        // W1 at 30 minutes: the test pass is far under its share, and kept in full
        AfterTrainingWork w1 = w1(RegularizationPolicy.NONE, 1800, 380);
        assertThat(w1.plannedImages(6_000, 10_000) - w1.plannedImages(6_000, 0)).isEqualTo(10_000);
        assertThat(w1(RegularizationPolicy.NONE, 0, 380).maxTestSeconds()).isInfinite();
    }
}
