package dev.hone.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.record.Json;
import dev.hone.tasks.metrics.ReliabilityDiagram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EvaluationSectionTest {
    private static final String IMG = "<img src=\"data:image/png;base64,";

    @Test
    void binaryShowsPrecisionRecallRocAndReliabilityCharts() {
        String html = render(binary(true));

        assertThat(html).contains("Precision-recall and ROC curves", "operating point", "Reliability diagram",
                "alt=\"ROC curve\"", "alt=\"reliability diagram\"");
        assertThat(count(html, IMG)).isEqualTo(3);
        // the curves are drawn, not dumped into the metrics table
        assertThat(html).doesNotContain("curves roc", "falsePositiveRate");
    }

    @Test
    void theMetricsTableNamesMetricsAsTheFieldDoes() {
        String html = render(binary(false));
        assertThat(html).contains("<td>ROC-AUC</td>", "<td>positive class</td>", "<td>learned threshold</td>",
                "<td>ECE (expected calibration error)</td>").doesNotContain("<td>rocAuc</td>", "<td>ece</td>");
    }

    @Test
    void anEvaluationReadBackFromJsonDrawsTheSameCharts() throws Exception {
        Evaluation back = Json.mapper().readValue(Json.line(binary(true)), Evaluation.class);

        assertThat(back.taskMetrics().get(TaskCurves.KEY)).isInstanceOf(Map.class);
        assertThat(count(render(back), IMG)).isEqualTo(3);
    }

    @Test
    void anEvaluationWithoutCurvesStillRenders() throws Exception {
        String html = render(binary(false));
        String readBack = render(Json.mapper().readValue(Json.line(binary(false)), Evaluation.class));
        String singleLabel = render(SyntheticRun.evaluation(SyntheticRun.images()));

        assertThat(html).contains("binary metrics", "Reliability diagram").doesNotContain("Precision-recall");
        assertThat(count(html, IMG)).isEqualTo(1);
        assertThat(count(readBack, IMG)).isEqualTo(1);
        assertThat(singleLabel).contains("Confusion matrix").doesNotContain("Precision-recall", IMG);
    }

    @Test
    void brokenCurvesAreLeftOut() {
        Evaluation e = binary(false);
        e.taskMetrics().put(TaskCurves.KEY, Map.of("roc", Map.of("auc", 0.9, "falsePositiveRate", List.of(0.0, 1.0))));

        assertThat(render(e)).contains("binary metrics").doesNotContain("Precision-recall");
    }

    @Test
    void manyClassesAreSplitIntoSmallMultiples() {
        int n = 60;
        int k = 12;
        Random random = new Random(5);
        float[][] scores = new float[n][k];
        boolean[][] truth = new boolean[n][k];
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add("class " + c);
        }
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                truth[i][c] = random.nextInt(3) == 0;
                scores[i][c] = (float) Math.min(1, Math.max(0, random.nextGaussian() * 0.2 + (truth[i][c] ? 0.65 : 0.35)));
            }
        }
        double[] thresholds = new double[k];
        java.util.Arrays.fill(thresholds, 0.5);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mAP", 0.8);
        m.put(TaskCurves.KEY, TaskCurves.multiLabel(classes, scores, truth, thresholds));
        Evaluation e = new Evaluation("test", n, 0.3, 0.4, classes, null, 0.7, new int[0][0], List.of(), null, null,
                "multi-label", m);

        String html = render(e);

        assertThat(html).contains("Precision-recall curves", "Precision-recall 1 of 2 (diamond", "Precision-recall 2 of 2 (diamond")
                .doesNotContain("ROC");
        assertThat(count(html, IMG)).isEqualTo(2);
    }

    /** A binary evaluation of 200 synthetic test images, with or without stored curves. */
    private static Evaluation binary(boolean withCurves) {
        boolean[] y = new boolean[200];
        float[] s = TaskCurvesTest.scores(200, y, 11);
        ReliabilityDiagram reliability = ReliabilityDiagram.positiveClass(s, y, ReliabilityDiagram.DEFAULT_BINS);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("positiveClass", "pos");
        m.put("rocAuc", 0.85);
        m.put("threshold", 0.45);
        m.put("ece", reliability.expectedCalibrationError());
        m.put("reliability", reliability.bins());
        if (withCurves) {
            m.put(TaskCurves.KEY, TaskCurves.binary("pos", s, y, 0.45));
        }
        return new Evaluation("test", y.length, 0.8, 0.45, List.of("neg", "pos"), null, 0.75, new int[0][0], List.of(),
                null, null, "binary", m);
    }

    /** The "Test evaluation" line names each task's own measures; accuracy and macro F1 only where they mean that. */
    @Test
    void theTestLineUsesEachTasksOwnMeasures() {
        Evaluation base = new Evaluation("test", 30, 0.7630, 199.6487, List.of("a", "b"), List.of(), 0.1651, null, null);
        String detection = firstLine(render(base.forTask("detection", new LinkedHashMap<>(Map.of("mAP", 0.1234, "AP50",
                0.4567)))));
        assertThat(detection).contains("30 images, mAP <b>12.34%</b> (COCO AP 0.50:0.95), AP50 45.67%, mean loss 199.6487")
                .doesNotContain("accuracy").doesNotContain("macro F1");

        String segmentation = firstLine(render(base.forTask("segmentation", new LinkedHashMap<>(Map.of("mIoU", 0.1236)))));
        assertThat(segmentation).contains("30 images, mIoU <b>12.36%</b>, pixel accuracy 76.30%, mean Dice 16.51%, mean loss")
                .doesNotContain("macro F1");

        assertThat(EvaluationSection.headline(base.forTask("multi-label", Map.of("mAP", 0.5))))
                .isEqualTo("subset accuracy <b>76.30%</b>, macro F1 0.1651");
        assertThat(EvaluationSection.headline(base)).isEqualTo("accuracy <b>76.30%</b>, macro F1 0.1651");
        // a hand-edited file without the figure: n/a, not an error
        assertThat(EvaluationSection.headline(base.forTask("detection", Map.of()))).startsWith("mAP <b>n/a</b>");
    }

    private static String firstLine(String html) {
        int start = html.indexOf("<h2>Test evaluation</h2>");
        return html.substring(start, html.indexOf("</p>", start));
    }

    private static String render(Evaluation e) {
        StringBuilder html = new StringBuilder();
        EvaluationSection.append(html, e, null);
        return html.toString();
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
