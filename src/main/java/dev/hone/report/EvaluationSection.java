package dev.hone.report;

import dev.hone.data.ImageSet;
import dev.hone.tasks.metrics.ReliabilityDiagram;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The test-set part of the report: confusion matrix, per-class table and the worst mistakes; for binary
 * and multi-label tasks also their metrics, precision-recall (and binary ROC) curves and reliability diagram.
 *
 * <p>Kept apart from {@link ReportWriter} because it is the part that grows with the task (detection and
 * segmentation will need their own), while the page around it stays the same.
 */
final class EvaluationSection {
    /** Up to this many classes share one precision-recall chart; more are split into small multiples. */
    static final int ONE_CHART_MAX = 10;
    /** The most classes on one of the small multiples. */
    static final int PER_SMALL_CHART = 8;

    private EvaluationSection() {}

    static void append(StringBuilder html, Evaluation eval, ImageSet set) {
        append(html, eval, set, null);
    }

    /** @param validationSet the validation images, for segmentation's validation overlays; may be null */
    static void append(StringBuilder html, Evaluation eval, ImageSet set, ImageSet validationSet) {
        html.append("<h2>Test evaluation</h2>\n<p>").append(Html.escape(eval.dataset())).append(": ")
                .append(eval.count()).append(" images, ").append(headline(eval)).append(", mean loss ")
                .append(Formats.fixed(eval.loss(), 4)).append("</p>\n");
        if (eval.chance() != null) {
            html.append("<p class=\"note\">Chance level: ").append(Html.escape(eval.chance().describe()))
                    .append(Boolean.TRUE.equals(eval.betterThanChance()) ? "; the accuracy is significantly above it."
                            : "; the accuracy is <b>not</b> significantly above it.").append("</p>\n");
        }
        for (String warning : eval.warnings()) {
            html.append("<p class=\"warn\">Warning: ").append(Html.escape(warning)).append("</p>\n");
        }
        boolean detection = "detection".equals(eval.task()) && eval.taskMetrics() != null;
        boolean segmentation = "segmentation".equals(eval.task()) && eval.taskMetrics() != null;
        boolean ownSection = detection || segmentation; // per-class figures and pictures of their own
        if (detection) {
            DetectionSection.append(html, eval, set, validationSet);
        } else if (segmentation) {
            SegmentationSection.append(html, eval, set, validationSet);
        } else if (eval.taskMetrics() != null) {
            taskMetrics(html, eval);
        }
        if (eval.confusionMatrix() != null && eval.confusionMatrix().length > 0 && eval.classes() != null) {
            confusion(html, eval.confusionMatrix(), eval.classes());
        }
        if (eval.perClass() != null && !ownSection) {
            perClass(html, eval.perClass());
        }
        if (set != null && eval.worst() != null && !eval.worst().isEmpty() && !ownSection) {
            worst(html, eval.worst(), set, "multi-label".equals(eval.task()));
        }
    }

    /**
     * The task's own headline figures, named as the field names them: detection mAP and AP50, segmentation mIoU,
     * pixel accuracy and mean Dice, multi-label subset accuracy; accuracy and macro F1 for single-label and binary.
     */
    static String headline(Evaluation eval) {
        Map<String, Object> m = eval.taskMetrics();
        if ("detection".equals(eval.task()) && m != null) {
            return "mAP <b>" + Formats.percentOf(m.get("mAP")) + "</b> (COCO AP 0.50:0.95), AP50 " + Formats.percentOf(m.get("AP50"));
        }
        if ("segmentation".equals(eval.task()) && m != null) {
            return "mIoU <b>" + Formats.percentOf(m.get("mIoU")) + "</b>, pixel accuracy " + Formats.percent(eval.accuracy())
                    + ", mean Dice " + Formats.percent(eval.macroF1());
        }
        return ("multi-label".equals(eval.task()) ? "subset accuracy <b>" : "accuracy <b>") + Formats.percent(eval.accuracy())
                + "</b>, macro F1 " + Formats.fixed(eval.macroF1(), 4);
    }

    /** What the binary and multi-label tables' metrics mean, under each table. */
    private static final Map<String, String> DEFINITIONS = Map.of(
            "multi-label", "mAP: the mean over classes of each class's average precision (the area under its precision-recall"
                    + " curve, scikit-learn's step-wise sum). Micro F1 pools every (image, class) decision before computing F1;"
                    + " macro F1 averages the classes' F1. Subset accuracy: the share of images whose predicted set of classes"
                    + " is exactly the true set. Hamming loss: the share of (image, class) decisions that are wrong. F1,"
                    + " subset accuracy and Hamming loss are taken at the learned per-class thresholds. Figures are fractions"
                    + " of 1.",
            "binary", "ROC-AUC: the probability that a random positive image scores above a random negative one. Average"
                    + " precision: the area under the precision-recall curve of the positive class. F1 is taken at the learned"
                    + " threshold and at 0.5. Figures are fractions of 1.");

    /** The metrics' names in {@code evaluation.json} as the field writes them, for the report's tables. */
    private static final Map<String, String> LABELS = Map.ofEntries(Map.entry("positiveClass", "positive class"),
            Map.entry("rocAuc", "ROC-AUC"), Map.entry("averagePrecision", "average precision"), Map.entry("threshold",
            "learned threshold"), Map.entry("thresholdTarget", "threshold target"), Map.entry("atThreshold",
            "at the learned threshold"), Map.entry("atHalf", "at 0.5"), Map.entry("ece", "ECE (expected calibration error)"),
            Map.entry("lossBeforeTemperature", "cross-entropy before the temperature"),
            Map.entry("microF1", "micro F1"), Map.entry("macroF1", "macro F1"), Map.entry("subsetAccuracy", "subset accuracy"),
            Map.entry("hammingLoss", "Hamming loss"), Map.entry("f1", "F1"));

    /** A metric's key as a person reads it: {@code rocAuc} is ROC-AUC; a key without a label stays as it is. */
    static String label(String key) {
        return LABELS.getOrDefault(key, key);
    }

    /** The binary or multi-label metrics: headline figures, thresholds, per-class AP, and calibration bins. */
    private static void taskMetrics(StringBuilder html, Evaluation eval) {
        Map<String, Object> m = eval.taskMetrics();
        html.append("<h3>").append(Html.escape(eval.task())).append(" metrics</h3>\n<table>\n")
                .append(Html.row("th", "metric", "value"));
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() instanceof Number || e.getValue() instanceof String) {
                html.append(Html.row("td", Html.escape(label(e.getKey())), Html.escape(value(e.getValue()))));
            } else if (e.getValue() instanceof Map<?, ?> sub && !e.getKey().equals("perClass")
                    && !e.getKey().equals(TaskCurves.KEY)) {
                for (Map.Entry<?, ?> s : sub.entrySet()) {
                    if (s.getValue() instanceof Number) {
                        html.append(Html.row("td", Html.escape(label(e.getKey()) + ": " + label(String.valueOf(s.getKey()))),
                                Html.escape(value(s.getValue()))));
                    }
                }
            }
        }
        html.append("</table>\n");
        html.append("<p class=\"note\">").append(DEFINITIONS.getOrDefault(eval.task(), "")).append("</p>\n");
        if (m.get("perClass") instanceof List<?> rows) {
            html.append("<h3>Per class: average precision and learned thresholds</h3>\n<table>\n")
                    .append(Html.row("th", "class", "AP", "F1", "threshold", "support"));
            for (Object o : rows) {
                if (o instanceof Map<?, ?> r) {
                    html.append(Html.row("td", Html.escape(String.valueOf(r.get("class"))), value(r.get("averagePrecision")),
                            value(r.get("f1")), value(r.get("threshold")), String.valueOf(r.get("support"))));
                }
            }
            html.append("</table>\n");
        }
        TaskCurves curves = TaskCurves.from(m);
        if (curves != null) {
            curveCharts(html, curves);
        }
        if (m.get("reliability") instanceof List<?> bins) {
            html.append("<h3>Reliability diagram</h3>\n<p class=\"note\">Test images binned by the positive class's "
                    + "probability: for a calibrated model the share of positives in each bin equals the bin's mean probability. "
                    + "ECE is the images-weighted mean of their gaps, on the positive class's probability (not the top-label "
                    + "convention, which bins the predicted class's probability and reads lower).</p>\n"
                    + "<div class=\"grid\">\n");
            figure(html, () -> reliabilityChart(bins, m.get("ece")), "reliability diagram");
            html.append("<table>\n")
                    .append(Html.row("th", "bin", "images", "mean confidence", "share positive"));
            for (Object o : bins) {
                if (o instanceof Map<?, ?> b) {
                    html.append(Html.row("td", value(b.get("lower")) + " to " + value(b.get("upper")), String.valueOf(b.get("count")),
                            value(b.get("meanConfidence")), value(b.get("accuracy"))));
                } else if (o instanceof ReliabilityDiagram.Bin b) {
                    html.append(Html.row("td", value(b.lower()) + " to " + value(b.upper()), String.valueOf(b.count()),
                            value(b.meanConfidence()), value(b.accuracy())));
                }
            }
            html.append("</table>\n</div>\n");
        }
    }

    /** Precision-recall per class (in small multiples above {@link #ONE_CHART_MAX} classes) and, for binary, ROC. */
    private static void curveCharts(StringBuilder html, TaskCurves curves) {
        List<TaskCurves.PrecisionRecall> pr = curves.precisionRecall();
        if (pr.isEmpty() && curves.roc() == null) {
            return;
        }
        html.append("<h3>").append(curves.roc() == null ? "Precision-recall curves" : "Precision-recall and ROC curves")
                .append("</h3>\n<p class=\"note\">On the test set. The diamond on each curve is its operating point: "
                + "where the decision threshold t learned on validation puts the model. AP is the average precision")
                .append(curves.roc() == null ? "" : " and ROC-AUC the area under the ROC curve")
                .append(", from the full curves; the lines join at most ").append(TaskCurves.MAX_POINTS)
                .append(" of their points.").append(curves.roc() == null ? " Classes without a positive test image have no curve." : "")
                .append("</p>\n<div class=\"grid\">\n");
        int charts = pr.size() <= ONE_CHART_MAX ? 1 : (pr.size() + PER_SMALL_CHART - 1) / PER_SMALL_CHART;
        for (int c = 0; c < charts; c++) {
            List<TaskCurves.PrecisionRecall> group = pr.subList(c * pr.size() / charts, (c + 1) * pr.size() / charts);
            String title = "Precision-recall" + (charts == 1 ? "" : " " + (c + 1) + " of " + charts)
                    + " (diamond: operating point)";
            figure(html, () -> Charts.precisionRecall(title, group), title);
        }
        if (curves.roc() != null) {
            figure(html, () -> Charts.roc(curves.roc()), "ROC curve");
        }
        html.append("</div>\n");
    }

    private static byte[] reliabilityChart(List<?> bins, Object ece) {
        List<double[]> points = new ArrayList<>();
        for (Object o : bins) {
            if (o instanceof ReliabilityDiagram.Bin b && b.count() > 0) {
                points.add(new double[] {b.meanConfidence(), b.accuracy()});
            } else if (o instanceof Map<?, ?> b && b.get("count") instanceof Number n && n.longValue() > 0
                    && b.get("meanConfidence") instanceof Number x && b.get("accuracy") instanceof Number y) {
                points.add(new double[] {x.doubleValue(), y.doubleValue()});
            }
        }
        return Charts.reliability(points.stream().mapToDouble(p -> p[0]).toArray(),
                points.stream().mapToDouble(p -> p[1]).toArray(), ece instanceof Number n ? n.doubleValue() : Double.NaN);
    }

    /** A chart as a figure; a chart with nothing to draw (a hand-edited file) is left out, not an error. */
    private static void figure(StringBuilder html, Supplier<byte[]> chart, String alt) {
        try {
            html.append("<figure class=\"chart\">").append(Html.img(chart.get(), alt)).append("</figure>\n");
        } catch (IllegalArgumentException nothingToDraw) {
            // left out
        }
    }

    private static String value(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.4f", d);
        }
        return v == null ? "n/a" : String.valueOf(v);
    }

    /** Cells are shaded by their share of the row, so recall per class reads off the diagonal. */
    private static void confusion(StringBuilder html, int[][] m, List<String> classes) {
        html.append("<h3>Confusion matrix</h3>\n<p class=\"note\">Rows are true classes, columns predicted; "
                + "shading is the share of the row (blue: correct, red: mistaken).</p>\n"
                + "<div class=\"scroll\"><table class=\"cm\">\n<tr><th>true \\ predicted</th>");
        for (String c : classes) {
            html.append("<th>").append(Html.escape(c)).append("</th>");
        }
        html.append("<th>total</th></tr>\n");
        for (int t = 0; t < m.length; t++) {
            int total = 0;
            for (int v : m[t]) {
                total += v;
            }
            html.append("<tr><th>").append(Html.escape(t < classes.size() ? classes.get(t) : "#" + t)).append("</th>");
            for (int p = 0; p < m[t].length; p++) {
                double share = total == 0 ? 0 : (double) m[t][p] / total;
                String rgb = t == p ? "37,99,235" : "220,38,38";
                html.append(String.format(Locale.ROOT,
                        "<td style=\"background:rgba(%s,%.3f);color:%s\" title=\"%.1f%% of row\">%d</td>",
                        rgb, 0.85 * share, share > 0.55 ? "#fff" : "#111", 100 * share, m[t][p]));
            }
            html.append("<td class=\"muted\">").append(total).append("</td></tr>\n");
        }
        html.append("</table></div>\n");
    }

    private static void perClass(StringBuilder html, List<Evaluation.ClassMetrics> rows) {
        html.append("<h3>Per class</h3>\n<p class=\"note\">One-vs-rest; precision is 0 for a class that was "
                + "never predicted; a class without test images has recall n/a, and precision and F1 0 if it was predicted (counted"
                + " in macro F1, as scikit-learn counts it), else n/a (left out of macro F1).</p>\n<table>\n")
                .append(Html.row("th", "class", "precision", "recall", "F1", "support"));
        for (Evaluation.ClassMetrics c : rows) {
            html.append(Html.row("td", Html.escape(c.name()), Formats.fixed(c.precision(), 4),
                    Formats.fixed(c.recall(), 4), Formats.fixed(c.f1(), 4), Integer.toString(c.support())));
        }
        html.append("</table>\n");
    }

    private static void worst(StringBuilder html, List<Evaluation.Mistake> mistakes, ImageSet set, boolean labelSets) {
        html.append(labelSets ? "<h3>Worst images (highest loss): true set &rarr; predicted set (mean BCE)</h3>\n"
                : "<h3>Most confident mistakes</h3>\n").append("<div class=\"grid\">\n");
        for (Evaluation.Mistake m : mistakes) {
            html.append("<figure>");
            if (m.index() >= 0 && m.index() < set.size()) {
                html.append(Html.img(ImageTiles.png(set, m.index()), "image " + m.index()));
            }
            html.append("<figcaption><b>").append(Html.escape(m.trueClass())).append("</b> &rarr; ")
                    .append(Html.escape(m.predictedClass())).append(" (")
                    .append(labelSets ? Formats.fixed(m.lossOrConfidence(), 3) : Formats.percent(m.confidence()))
                    .append(")<br><span class=\"src\">").append(Html.escape(m.source()))
                    .append("</span></figcaption></figure>\n");
        }
        html.append("</div>\n");
    }
}
