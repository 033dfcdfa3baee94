package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.report.ChanceLevel;
import dev.hone.report.Evaluation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SummaryTest {
    private final String home = System.getProperty("hone.home");

    @AfterEach
    void restoreHome() {
        if (home == null) {
            System.clearProperty("hone.home");
        } else {
            System.setProperty("hone.home", home);
        }
    }

    /** The "explain it" hint names a command that works from the folder the user is in. */
    @Test
    void explainHintIsDotSlashHoneInTheCheckoutAndTheLaunchersPathElsewhere() {
        System.setProperty("hone.home", Path.of("").toAbsolutePath().toString());
        assertThat(Summary.launcher()).isEqualTo("./hone");
        System.setProperty("hone.home", "/opt/hone");
        assertThat(Summary.launcher()).isEqualTo(Path.of("/opt/hone/hone").toString());
        System.clearProperty("hone.home");
        assertThat(Summary.launcher()).isEqualTo("hone");
    }

    @Test
    void headlineSaysWhenTheAccuracyIsNoBetterThanChance() {
        ChanceLevel.Chance coin = ChanceLevel.of(26, new int[] {25, 25}, List.of("cat", "dog"));
        Evaluation chance = new Evaluation("test", 50, 0.52, 0.69, List.of("cat", "dog"), List.of(), 0.5,
                new int[2][2], List.of(), ChanceLevel.isBetter(coin), coin);
        assertThat(Summary.headline(chance))
                .isEqualTo("52.00% on 50 images \u2014 no better than chance (majority class 'cat' 50.00%)");

        Evaluation old = new Evaluation("test", 50, 0.52, 0.69, List.of("cat", "dog"), List.of(), 0.5,
                new int[2][2], List.of());
        assertThat(Summary.headline(old)).isEqualTo("52.00% on 50 images");
    }

    /** Segmentation and detection: one headline line in the task's own names, no accuracy line repeating it. */
    @Test
    void segmentationAndDetectionPrintOneHeadlineLineInTheirOwnNames() {
        Evaluation base = new Evaluation("test", 60, 0.763, 1.5, List.of("background", "a"), List.of(), 0.1651, null, null);
        String seg = printed(base.forTask("segmentation", java.util.Map.of("mIoU", 0.1236, "pixelAccuracy", 0.763,
                "meanDice", 0.1651)));
        assertThat(seg).contains("test mIoU:     12.36%; pixel accuracy 76.30%, mean Dice 16.51%; 60 images")
                .doesNotContain("pixel accuracy:").doesNotContain("test accuracy").doesNotContain("macro");
        assertThat(seg.split("76.30%", -1)).hasSize(2);

        String det = printed(base.forTask("detection", java.util.Map.of("mAP", 0.25, "AP50", 0.5, "AP75", 0.2, "AR100", 0.3)));
        assertThat(det).contains("test mAP:      25.00% (COCO AP 0.50:0.95); AP50 50.00%, AP75 20.00%, AR100 30.00%; 60 images")
                .doesNotContain("accuracy").doesNotContain("macro");
    }

    @Test
    void aTestPassShrunkToTheBudgetIsSaid() {
        Evaluation e = new Evaluation("test", 1000, 0.9, 0.3, List.of("a", "b"), List.of(), 0.9, null, null);
        assertThat(printed(e, java.util.Map.of("count", 1000, "sampledFrom", 10000))).contains("budget:        the test figures are those of a sample of 1000 of the"
                + " 10000 test images");
        assertThat(printed(e)).doesNotContain("budget:");
    }

    private static String printed(Evaluation e) {
        return printed(e, java.util.Map.of());
    }

    /** @param test the record's test map */
    private static String printed(Evaluation e, java.util.Map<String, Object> test) {
        java.io.StringWriter text = new java.io.StringWriter();
        dev.hone.report.TrainingRecord record = new dev.hone.report.TrainingRecord(1, "test", "s", "f", null, 1, "train",
                java.util.Map.of(), java.util.Map.of(), List.of(), List.of(), "patience", test);
        Summary.print(new java.io.PrintWriter(text), new dev.hone.api.TrainingResult(Path.of("out"), Path.of("out/model"),
                record, e));
        return text.toString();
    }

    @Test
    void theRecordsDataWarningsAreRepeated() {
        assertThat(Summary.dataWarnings(java.util.Map.of("warnings", List.of("d: values 3-8 unused. Fix: x"))))
                .containsExactly("d: values 3-8 unused. Fix: x");
        assertThat(Summary.dataWarnings(java.util.Map.of("classes", List.of("a")))).isEmpty();
        assertThat(Summary.dataWarnings(null)).isEmpty();
    }

    @Test
    void theSemiSupervisedGuardRailsChoiceIsALine() {
        java.util.function.BiFunction<String, String, dev.hone.record.Decision<?>> rail = (value, trained) ->
                new dev.hone.record.Decision<>("ssl-guard-rail", value, dev.hone.record.Origin.LEARNED, "test", "why",
                        java.util.Map.of("trained", trained), java.time.Duration.ZERO);
        org.assertj.core.api.Assertions.assertThat(Summary.guardRail(java.util.List.of(rail.apply("teacher", "fixmatch"))))
                .hasValueSatisfying(l -> org.assertj.core.api.Assertions.assertThat(l).startsWith("the FixMatch model did not beat"
                        + " its teacher on validation, so the teacher's weights are the model"));
        org.assertj.core.api.Assertions.assertThat(Summary.guardRail(java.util.List.of(rail.apply("student", "student"))))
                .hasValueSatisfying(l -> org.assertj.core.api.Assertions.assertThat(l).contains("beat its teacher on validation and is the model"));
        org.assertj.core.api.Assertions.assertThat(Summary.guardRail(java.util.List.of(rail.apply("teacher", "continued")))).isEmpty();
        dev.hone.record.Decision<?> notWorse = new dev.hone.record.Decision<>("ssl-guard-rail", "fixmatch", dev.hone.record.Origin.LEARNED,
                "test", "why", java.util.Map.of("trained", "fixmatch", "keptAsNotWorse", true), java.time.Duration.ZERO);
        org.assertj.core.api.Assertions.assertThat(Summary.guardRail(java.util.List.of(notWorse)))
                .hasValueSatisfying(l -> org.assertj.core.api.Assertions.assertThat(l).contains("did not beat its teacher, but"));
        org.assertj.core.api.Assertions.assertThat(Summary.guardRail(java.util.List.of())).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aReplayedPolicysLabelChangingStepIsRepeatedAsALine() {
        dev.hone.record.Decision<?> warned = new dev.hone.record.Decision<>("policy-check", "label-changing: flip-horizontal 1.00",
                dev.hone.record.Origin.DERIVED, "distance analysis", "why", java.util.Map.of("warning", "in the replayed policy,"
                        + " flip-horizontal 1.00 moved 77% ..."), java.time.Duration.ZERO);
        dev.hone.record.Decision<?> passed = new dev.hone.record.Decision<>("policy-check", "passed", dev.hone.record.Origin.DERIVED,
                "distance analysis", "why", java.util.Map.of(), java.time.Duration.ZERO);
        org.assertj.core.api.Assertions.assertThat(Summary.policyWarning(java.util.List.of(passed, warned)))
                .hasValue("in the replayed policy, flip-horizontal 1.00 moved 77% ...");
        org.assertj.core.api.Assertions.assertThat(Summary.policyWarning(java.util.List.of(passed))).isEmpty();
    }
}
