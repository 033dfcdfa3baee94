package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's semi-supervised section, from a run's decisions held in memory or read back from a record. */
class SslSectionTest {
    private static List<Decision<?>> decisions(Object histogram, Object predicted) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("teacherSteps", 1398);
        e.put("teacherScore", 0.8167);
        e.put("pseudoLabeled", 56547);
        e.put("validationPseudoLabelAccuracy", 0.8167);
        e.put("targets", "soft");
        e.put("predictedPerClass", predicted);
        e.put("keptPerClass", new int[] {5, 7});
        e.put("balancedPerClass", new int[] {6, 6});
        e.put("confidenceHistogram", histogram);
        e.put("rounds", List.of(Map.of("round", 1, "studentSteps", 777, "studentScore", 0.8833, "teacherScore", 0.8167,
                "supervisedScore", 0.8412, "promoted", true, "studentVsTeacher", Map.of("beats", true, "rule", "higher score"))));
        e.put("finalTeacher", "round-1 student");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("studentScore", 0.9);
        r.put("teacherScore", 0.8167);
        r.put("gain", 0.0833);
        r.put("low", 0.0167);
        r.put("high", 0.1667);
        r.put("verdict", Map.of("beats", true, "rule", "lower calibrated loss", "calibratedLossGain", 0.0412, "calibratedLossLow",
                0.0105, "calibratedLossHigh", 0.0731, "calibratedLossPValue", 0.004, "scoreSignificantlyLower", false));
        return List.of(new Decision<>("ssl", "noisy-student", Origin.LEARNED, "teacher trained", "why <it> was chosen", e, Duration.ZERO),
                new Decision<>("ssl-guard-rail", "student", Origin.LEARNED, "student against teacher", "because", r, Duration.ZERO));
    }

    @Test
    void theSectionShowsTeacherPseudoLabelsGuardRailAndHistogram() {
        StringBuilder html = new StringBuilder();
        SslSection.append(html, decisions(new int[] {0, 3, 10, 40}, new int[] {6, 8}), List.of("coat", "shirt"));
        String s = html.toString();
        assertThat(s).contains("soft: the teacher&#39;s distribution over the classes");
        assertThat(s).contains("Semi-supervised learning", "why &lt;it&gt; was chosen", "1398", "0.8167", "56547",
                "+8.33 [+1.67, +16.67] points", "<b>student</b>", "coat", "shirt", "<img src=\"data:image/png;base64,");
        assertThat(s).contains("Rounds", "from the round-1 student", "777", "0.8833", "supervised arm", "0.8412", "<td>yes</td>",
                "<td>higher score</td>");
        assertThat(s).contains("guard-rail's verdict", "lower calibrated loss (calibrated loss reduction +0.0412 [+0.0105, +0.0731],"
                + " p=0.004)");
    }

    @Test
    void theGainsIntervalIsNamedByItsRecordedCoverageAnOlderRecordsAs95Percent() {
        StringBuilder older = new StringBuilder();
        SslSection.append(older, decisions(new int[] {0, 3, 10, 40}, new int[] {6, 8}), List.of("coat", "shirt"));
        assertThat(older.toString()).contains("final run's gain (95% interval)");
        List<Decision<?>> d = new java.util.ArrayList<>(decisions(new int[] {0, 3, 10, 40}, new int[] {6, 8}));
        Map<String, Object> r = new LinkedHashMap<>(d.get(1).evidence());
        r.put("intervalPercent", 90);
        d.set(1, new Decision<>("ssl-guard-rail", "student", Origin.LEARNED, "student against teacher", "because", r, Duration.ZERO));
        StringBuilder newer = new StringBuilder();
        SslSection.append(newer, d, List.of("coat", "shirt"));
        assertThat(newer.toString()).contains("final run's gain (90% interval)");
    }

    @Test
    void countsReadBackFromJsonAsListsDrawTheSameSection() {
        StringBuilder html = new StringBuilder();
        SslSection.append(html, decisions(List.of(0, 3, 10, 40), List.of(6, 8)), List.of("coat", "shirt"));
        assertThat(html.toString()).contains("Pseudo-labels per class", "<img src=\"data:image/png;base64,");
        assertThat(SslSection.counts("not counts")).isEmpty();
    }

    @Test
    void aChosenFixMatchArmShowsItsStepsScoreAndSettings() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("teacherSteps", 320);
        Map<String, Object> round = new LinkedHashMap<>();
        round.put("round", 1);
        round.put("studentSteps", 3100);
        round.put("studentScore", 0.80);
        round.put("teacherScore", 0.72);
        round.put("supervisedScore", 0.77);
        round.put("fixMatchSteps", 300);
        round.put("fixMatchScore", 0.8512);
        round.put("fixMatchMaskRate", 0.6123);
        round.put("fixMatchChosen", true);
        round.put("promoted", false);
        e.put("rounds", List.of(round));
        e.put("finalTeacher", "FixMatch arm");
        List<Map<String, Object>> calibration = List.of(Map.of("threshold", 0.9, "predictions", 50, "share", 0.8333, "precision", 0.92),
                Map.of("threshold", 0.98, "predictions", 31, "share", 0.5167, "precision", 0.9677));
        e.put("fixMatch", Map.of("ratio", 7, "threshold", 0.98, "weak", "translate 0.50", "strong", "rotate 1.00 (2 per batch)",
                "calibration", calibration, "reason", "mu 7: many unlabeled; tau 0.98, the lowest threshold"));
        e.put("threshold", 0.3); // the teacher's pseudo-labels, which the final FixMatch run does not use
        e.put("targets", "soft");
        StringBuilder html = new StringBuilder();
        SslSection.append(html, List.of(new Decision<>("ssl", "fixmatch", Origin.LEARNED, "three arms", "FixMatch won", e,
                Duration.ZERO)), List.of());
        assertThat(html.toString()).contains("<b>fixmatch</b>", "FixMatch's score", "0.8512", "0.6123", "<td>300</td>",
                "FixMatch chosen", "7 unlabeled images per labeled one", "confidence 0.98", "from the FixMatch arm",
                "FixMatch's settings", "tau 0.98, the lowest threshold", "<td>0.98</td><td>31</td><td>0.5167</td><td>0.9677</td>",
                "confidence threshold (the teacher&#39;s; FixMatch labels its own weak views, below)</td><td>0.30</td>",
                "pseudo-label targets (the teacher&#39;s; FixMatch labels its own weak views, below)");
        // a round where FixMatch lost still shows how its threshold was chosen, from the round's record
        e.remove("fixMatch");
        round.put("fixMatchChosen", false);
        round.put("fixMatchSettings", Map.of("ratio", 7, "threshold", 0.9, "calibration", calibration, "reason", "tau 0.90 here"));
        StringBuilder lost = new StringBuilder();
        SslSection.append(lost, List.of(new Decision<>("ssl", "noisy-student", Origin.LEARNED, "three arms", "NS won", e,
                Duration.ZERO)), List.of());
        assertThat(lost.toString()).contains("FixMatch's settings", "tau 0.90 here", "<td>0.9</td><td>50</td>");
        assertThat(lost.toString()).doesNotContain("confident on");
    }

    @Test
    void aRunWithoutUnlabeledImagesHasNoSection() {
        StringBuilder html = new StringBuilder();
        SslSection.append(html, List.of(Decision.user("epochs", 3)), List.of());
        assertThat(html.toString()).isEmpty();
    }
}
