package dev.hone.report;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.record.ChartSpec;
import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes one self-contained {@code report.html} for a finished run.
 *
 * <p>Self-contained means the file can be mailed or attached to a ticket and still show everything:
 * charts and image tiles are embedded as PNG data URIs, the CSS is inline, and there is no script.
 * The page follows the record's order: what was asked, what hone chose and why, how training went,
 * how the model did on the test set, and where it ran.
 */
public final class ReportWriter {
    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#111;max-width:1100px;\
            margin:2em auto;padding:0 1em}
            h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
            table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:3px 7px;\
            text-align:left;vertical-align:top}th{background:#f5f5f5}
            .cm td{text-align:right;min-width:2.5em}.scroll{overflow-x:auto}
            .cards{display:flex;flex-wrap:wrap;gap:.7em}.card{border:1px solid #ddd;border-radius:6px;\
            padding:.5em .9em}.card b{display:block;font-size:1.3em}
            .badge{border-radius:4px;padding:1px 6px;font-size:.8em;font-weight:600;color:#fff}
            .USER{background:#7c3aed}.LEARNED{background:#059669}.DERIVED{background:#2563eb}\
            .DEFAULT{background:#6b7280}
            code{font-size:.85em;word-break:break-all}.note,.muted,.src{color:#666}.src{font-size:.8em;\
            word-break:break-all}
            .grid{display:flex;flex-wrap:wrap;gap:.8em}figure{margin:0;width:170px}\
            figure img{image-rendering:pixelated;max-width:168px;border:1px solid #ccc}
            figure.chart{width:auto}figure.chart img{image-rendering:auto;max-width:100%;border:0}
            .warn{color:#b45309;font-weight:600}
            """;

    private ReportWriter() {}

    /**
     * Writes the report, creating the parent directory if needed.
     *
     * @param evaluation the test evaluation; null when there was none (the record's headline is used)
     * @param evaluatedSet the images {@code evaluation} was computed on, for the tiles of the worst
     *     mistakes; null to leave the image grid out
     */
    public static void write(Path htmlFile, TrainingRecord record, Evaluation evaluation, ImageSet evaluatedSet) {
        write(htmlFile, record, evaluation, evaluatedSet, null);
    }

    /** @param policySamplesPng a grid of training images under the chosen augmentation, or null */
    public static void write(Path htmlFile, TrainingRecord record, Evaluation evaluation, ImageSet evaluatedSet,
            byte[] policySamplesPng) {
        write(htmlFile, record, evaluation, evaluatedSet, policySamplesPng, null);
    }

    /**
     * @param validationSet the validation images, for the segmentation overlays of the best and worst
     *     validation images; null to leave them out
     */
    public static void write(Path htmlFile, TrainingRecord record, Evaluation evaluation, ImageSet evaluatedSet,
            byte[] policySamplesPng, ImageSet validationSet) {
        String html = render(record, evaluation, evaluatedSet, policySamplesPng, validationSet);
        try {
            Path parent = htmlFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(htmlFile, html, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw HoneException.of("cannot write the report (" + e.getMessage() + ")", htmlFile,
                    "check that the output directory exists and is writable");
        }
    }

    /** The report as a string; {@link #write} saves it. */
    public static String render(TrainingRecord record, Evaluation evaluation, ImageSet evaluatedSet) {
        return render(record, evaluation, evaluatedSet, null);
    }

    static String render(TrainingRecord record, Evaluation evaluation, ImageSet evaluatedSet, byte[] policySamplesPng) {
        return render(record, evaluation, evaluatedSet, policySamplesPng, null);
    }

    static String render(TrainingRecord record, Evaluation evaluation, ImageSet evaluatedSet, byte[] policySamplesPng,
            ImageSet validationSet) {
        StringBuilder html = new StringBuilder(64 * 1024);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>hone report")
                .append(record.command() == null ? "" : ": " + Html.escape(record.command()))
                .append("</title>\n<style>\n").append(CSS).append("</style></head><body>\n");
        headline(html, record, evaluation);
        decisions(html, record.decisions());
        PolicySection.append(html, record.decisions(), policySamplesPng);
        SslSection.append(html, record.decisions(), evaluation == null || evaluation.classes() == null ? List.of() : evaluation.classes());
        training(html, record.epochs(), record.stopReason(), record.task());
        if (evaluation != null) {
            EvaluationSection.append(html, evaluation, evaluatedSet, validationSet);
        }
        keyValues(html, "Data", record.data());
        keyValues(html, "Environment", record.environment());
        html.append("<p class=\"muted\">Written by hone ").append(Html.escape(record.hone()))
                .append(", record format ").append(record.formatVersion()).append(".</p>\n</body></html>\n");
        return html.toString();
    }

    private static void headline(StringBuilder html, TrainingRecord r, Evaluation eval) {
        html.append("<h1>hone training report</h1>\n");
        if (r.command() != null) {
            html.append("<p><code>").append(Html.escape(r.command())).append("</code></p>\n");
        }
        html.append("<div class=\"cards\">\n");
        Object accuracy = eval != null ? (Object) eval.accuracy() : r.test() == null ? null : r.test().get("accuracy");
        if (eval != null && "detection".equals(eval.task()) && eval.taskMetrics() != null) {
            for (String key : List.of("mAP", "AP50", "AP75")) {
                card(html, "test " + key, Formats.percentOf(eval.taskMetrics().get(key)));
            }
        } else if (eval != null && "segmentation".equals(eval.task()) && eval.taskMetrics() != null) {
            card(html, "test mIoU", Formats.percentOf(eval.taskMetrics().get("mIoU")));
            card(html, "pixel accuracy", Formats.percent(eval.accuracy()));
            card(html, "mean Dice", Formats.percent(eval.macroF1()));
        } else if (eval != null && "multi-label".equals(eval.task()) && eval.taskMetrics() != null) {
            for (String[] key : new String[][] {{"mAP", "test mAP"}, {"microF1", "micro F1"}, {"subsetAccuracy", "subset accuracy"}}) {
                card(html, key[1], Formats.percentOf(eval.taskMetrics().get(key[0])));
            }
        } else {
            if (eval != null && "binary".equals(eval.task()) && eval.taskMetrics() != null) {
                card(html, "test ROC-AUC", Formats.percentOf(eval.taskMetrics().get("rocAuc")));
            }
            card(html, "test accuracy", Formats.percentOf(accuracy)
                    + (eval != null && Boolean.FALSE.equals(eval.betterThanChance()) ? " <span class=\"warn\">no better than chance</span>" : ""));
            if (eval != null) {
                card(html, "macro F1", Formats.fixed(eval.macroF1(), 4));
            }
        }
        card(html, "epochs", Integer.toString(r.epochs() == null ? 0 : r.epochs().size()));
        card(html, "stopped because", Html.escape(r.stopReason() == null ? "unknown" : r.stopReason()));
        card(html, "time", Formats.runTime(r).map(Formats::duration).orElse("n/a"));
        boolean resumed = r.resumedAt() != null && !Formats.firstStartUnknown(r);
        if (resumed) {
            card(html, "resumed part", Formats.resumedPart(r).map(Formats::duration).orElse("n/a"));
            Formats.workTime(r).ifPresent(w -> card(html, "time working (" + Formats.pausesLeftOut(r) + ")",
                    Formats.duration(w)));
        }
        Formats.splitSizes(r.data()).forEach((split, n) -> card(html, Html.escape(split) + " images", Html.escape(n)));
        card(html, "seed", Long.toString(r.seed()));
        html.append("</div>\n");
        String sampled = Formats.sampledTest(r.test());
        if (sampled != null) {
            html.append("<p class=\"warn\">The test figures are those of ").append(Html.escape(sampled)).append(".</p>\n");
        }
        html.append("<p class=\"muted\">Started ").append(Html.escape(r.startedAt()));
        if (resumed) {
            html.append(", interrupted and resumed ").append(Html.escape(Formats.resumes(r)));
        } else if (r.resumedAt() != null) {
            html.append(" (resumed after an interruption; when the first attempt started was not kept)");
        }
        html.append(", finished ").append(Html.escape(r.finishedAt())).append(".</p>\n");
    }

    private static void card(StringBuilder html, String label, String escapedValue) {
        html.append("<div class=\"card\">").append(label).append("<b>").append(escapedValue).append("</b></div>\n");
    }

    private static void decisions(StringBuilder html, List<Decision<?>> decisions) {
        html.append("<h2>Decisions</h2>\n");
        if (decisions == null || decisions.isEmpty()) {
            html.append("<p class=\"muted\">The record holds no decisions.</p>\n");
            return;
        }
        html.append("<p class=\"note\">Every value hone used, where it came from and why: USER fixed by you, "
                + "LEARNED measured on this model and data, DERIVED computed from other choices, "
                + "DEFAULT a documented fallback.</p>\n<table>\n")
                .append(Html.row("th", "name", "value", "origin", "method", "rationale", "evidence"));
        for (Decision<?> d : decisions) {
            String cost = d.cost().isZero() ? "" : "<br><span class=\"muted\">cost "
                    + Formats.duration(d.cost()) + "</span>";
            html.append(Html.row("td", "<b>" + Html.escape(d.name()) + "</b>",
                    Html.escape(Formats.value(d.value())),
                    "<span class=\"badge " + d.origin() + "\">" + d.origin() + "</span>",
                    Html.escape(d.method()), Html.escape(d.rationale()) + cost,
                    EvidenceHtml.of(withoutCharts(d.evidence()))));
        }
        html.append("</table>\n");
        decisionCharts(html, decisions);
    }

    private static java.util.Map<String, Object> withoutCharts(java.util.Map<String, Object> evidence) {
        java.util.Map<String, Object> rest = new java.util.LinkedHashMap<>(evidence);
        rest.remove(ChartSpec.EVIDENCE_KEY);
        return rest;
    }

    /** The pictures behind the learned decisions: how each meta-learner arrived at its value. */
    private static void decisionCharts(StringBuilder html, List<Decision<?>> decisions) {
        StringBuilder figures = new StringBuilder();
        for (Decision<?> d : decisions) {
            for (ChartSpec chart : Charts.of(d)) {
                try {
                    figures.append("<figure class=\"chart\"><img alt=\"").append(Html.escape(chart.title()))
                            .append("\" src=\"").append(ImageTiles.dataUri(Charts.png(chart))).append("\"><figcaption>")
                            .append(Html.escape(d.name())).append(": ").append(Html.escape(chart.title()))
                            .append("</figcaption></figure>\n");
                } catch (IllegalArgumentException nothingToDraw) {
                    // a chart whose points are all non-finite is left out rather than failing the report
                }
            }
        }
        if (figures.length() > 0) {
            html.append("<h3>How the learned values were found</h3>\n<div class=\"grid\">\n").append(figures).append("</div>\n");
        }
    }

    private static void training(StringBuilder html, List<EpochMetrics> epochs, String stopReason, dev.hone.tasks.Task task) {
        html.append("<h2>Training</h2>\n<p>Stopped because: <b>")
                .append(Html.escape(stopReason == null ? "unknown" : stopReason)).append("</b></p>\n");
        if (epochs == null || epochs.isEmpty()) {
            html.append("<p class=\"muted\">No epochs were recorded.</p>\n");
            return;
        }
        html.append(Html.img(Charts.lossCurves(epochs), "loss per epoch")).append('\n')
                .append(Html.img(Charts.accuracyCurves(epochs, task.trainingMeasure(), task.validationMetric()),
                        "training " + task.trainingMeasure() + " and validation " + task.validationMetric() + " per epoch"))
                .append('\n');
        String downscaled = Formats.downscaledEpochs(epochs);
        if (downscaled != null) {
            html.append("<p class=\"muted\">").append(Html.escape(Character.toUpperCase(downscaled.charAt(0))
                    + downscaled.substring(1))).append(".</p>\n");
        }
        List<String> head = new java.util.ArrayList<>(List.of("epoch", "train loss", "train "
                + Formats.shortMeasure(task.trainingMeasure()), "val loss", "val " + Formats.shortMeasure(task.validationMetric()),
                "learning rate", "seconds", "images/s"));
        if (downscaled != null) {
            head.add("trained at");
        }
        html.append("<table>\n").append(Html.row("th", head.toArray(String[]::new)));
        for (EpochMetrics e : epochs) {
            List<String> cells = new java.util.ArrayList<>(List.of(Integer.toString(e.epoch()), Formats.fixed(e.trainLoss(), 4),
                    Formats.percent(e.trainAccuracy()), Formats.fixed(e.valLoss(), 4),
                    Formats.percent(e.valAccuracy()), Html.escape(Formats.value(e.learningRate())),
                    Formats.fixed(e.seconds(), 1), Formats.fixed(e.imagesPerSecond(), 0)));
            if (downscaled != null) {
                cells.add(e.trainedAt() == null ? "full size" : Html.escape(e.trainedAt()));
            }
            html.append(Html.row("td", cells.toArray(String[]::new)));
        }
        html.append("</table>\n");
    }

    private static void keyValues(StringBuilder html, String title, Map<String, Object> values) {
        if (values == null || values.isEmpty()) {
            return;
        }
        html.append("<h2>").append(title).append("</h2>\n<table>\n");
        values.forEach((k, v) -> html.append(Html.row("td", "<b>" + Html.escape(k) + "</b>",
                v instanceof Map<?, ?> || v instanceof List<?> ? "<code>" + Html.escape(Formats.json(v)) + "</code>"
                        : Html.escape(Formats.value(v)))));
        html.append("</table>\n");
    }
}
