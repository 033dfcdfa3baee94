package dev.hone.cli;

import dev.hone.api.EvaluationResult;
import dev.hone.api.HoneModel;
import dev.hone.record.Json;
import dev.hone.report.Evaluation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hone evaluate}: a trained model on labelled data. Data that brings a test split (a named
 * dataset, an IDX folder with t10k files, train/ and test/ folders) is evaluated on that split;
 * otherwise on all of it.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate a trained model on labelled data of its task: the data's test split when "
        + "it has one, else all of it. Says which images were resized or converted to the model's input, and warns when the "
        + "data are the images the model's run trained from.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "the --out folder of a finished run")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "NAME|PATH", description = "labelled data, as for train")
    String data;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the full evaluation as JSON, with the data's "
            + "skipped files, conformed images and warnings")
    Path json;

    @Option(names = "--images", paramLabel = "DIR", description = "detection: the folder the file_name entries of a COCO --data "
            + "file are relative to (default: the JSON file's folder)")
    Path images;

    @picocli.CommandLine.Option(names = "--ignore-index", paramLabel = "N", description = "segmentation: the mask value of "
            + "pixels that count for no class (default: the model's, as given to train, else 255)")
    Integer ignoreIndex;

    @Option(names = "--label-delimiter", paramLabel = "D", description = "the delimiter between class names in a label-set "
            + "CSV, as for train (default: detected)")
    String labelDelimiter;

    @Override
    public Integer call() {
        OutputFile.check(json, "--json");
        try (HoneModel model = HoneModel.load(modelDir)) {
            EvaluationResult result = model.evaluate(data, images, ignoreIndex, labelDelimiter);
            result.skipped().forEach(spec.commandLine().getErr()::println);
            result.conformed().forEach(spec.commandLine().getErr()::println);
            Evaluation e = result.evaluation();
            String name = result.data();
            PrintWriter out = spec.commandLine().getOut();
            String task = Summary.taskLine(e, "");
            if (task != null) {
                out.println(task);
            }
            boolean pixels = "segmentation".equals(e.task());
            if ("detection".equals(e.task())) {
                out.printf("loss %.4f  on %d images of %s%n", e.loss(), e.count(), name);
                out.printf("%-20s %9s %9s %9s %9s %9s %9s %8s%n", "class", "AP", "AP50", "AP75", "precision", "recall", "f1", "boxes");
                java.util.List<?> rows = e.taskMetrics().get("perClass") instanceof java.util.List<?> l ? l : java.util.List.of();
                for (int k = 0; k < e.perClass().size(); k++) {
                    Evaluation.ClassMetrics c = e.perClass().get(k);
                    java.util.Map<?, ?> r = k < rows.size() && rows.get(k) instanceof java.util.Map<?, ?> m ? m : java.util.Map.of();
                    out.printf("%-20s %9s %9s %9s %9s %9s %9s %8d%n", c.name(), metric(number(r.get("AP"))), metric(number(r.get("AP50"))),
                            metric(number(r.get("AP75"))), metric(c.precision()), metric(c.recall()), metric(c.f1()), c.support());
                }
                out.printf("precision, recall and f1 at IoU 0.5 for detections scoring at least %.2f%n",
                        ((Number) e.taskMetrics().getOrDefault("scoreShown", 0.3)).doubleValue());
            } else if (pixels) {
                out.printf("loss %.4f  on %d images of %s%n", e.loss(), e.count(), name);
                out.printf("%-20s %9s %9s %9s %9s %10s%n", "class", "IoU", "precision", "recall", "dice", "pixels");
                java.util.List<?> rows = e.taskMetrics().get("perClass") instanceof java.util.List<?> l ? l : java.util.List.of();
                for (int k = 0; k < e.perClass().size(); k++) {
                    Evaluation.ClassMetrics c = e.perClass().get(k);
                    Object iou = k < rows.size() && rows.get(k) instanceof java.util.Map<?, ?> r ? r.get("iou") : null;
                    out.printf("%-20s %9s %9s %9s %9s %10d%n", c.name(), iou instanceof Number n ? metric(n.doubleValue()) : "n/a",
                            metric(c.precision()), metric(c.recall()), metric(c.f1()), c.support());
                }
            } else {
                out.printf("%s %.4f  loss %.4f  macro-F1 %.4f  on %d images of %s%n", "multi-label".equals(e.task())
                        ? "subset accuracy" : "accuracy", e.accuracy(), e.loss(), e.macroF1(), e.count(), name);
                out.printf("%-20s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1", "support");
                for (Evaluation.ClassMetrics c : e.perClass()) {
                    out.printf("%-20s %9s %9s %9s %8d%n", c.name(), metric(c.precision()), metric(c.recall()), metric(c.f1()),
                            c.support());
                }
            }
            e.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
            result.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
            if (json != null) {
                Json.write(json, withInput(e, result));
                out.println("written: " + json);
            }
            out.flush();
        }
        return 0;
    }

    /**
     * The evaluation's fields, then what the console said of reading the data: the files skipped (each line with its
     * count, reason and examples), the images conformed to the model's input, and the warnings about the data.
     */
    static java.util.Map<String, Object> withInput(Evaluation e, EvaluationResult result) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        Json.mapper().convertValue(e, java.util.Map.class).forEach((k, v) -> m.put(String.valueOf(k), v));
        m.put("skippedFiles", result.skipped());
        m.put("conformed", result.conformed());
        m.put("dataWarnings", result.warnings());
        return m;
    }

    /** A per-class figure, or n/a for a class without test images. */
    private static String metric(Double value) {
        return value == null ? "n/a" : String.format("%.4f", value);
    }

    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }
}
