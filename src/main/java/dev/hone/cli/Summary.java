package dev.hone.cli;

import dev.hone.report.Evaluation;
import dev.hone.api.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The lines printed when a run finishes: the headline, what to be wary of, and where everything is. */
final class Summary {
    private Summary() {}

    static void print(PrintWriter out, TrainingResult r) {
        String kind = r.evaluation().task();
        // detection and segmentation: one line, their task line with the count; the others add their accuracy line
        boolean oneLine = "detection".equals(kind) || "segmentation".equals(kind);
        String task = taskLine(r.evaluation());
        if (task != null) {
            out.println(oneLine ? task + "; " + r.evaluation().count() + " images" : task);
        }
        if (!oneLine || task == null) {
            out.println(("multi-label".equals(kind) ? "subset accuracy: " : "test accuracy: ") + headline(r.evaluation()));
        }
        for (String warning : r.evaluation().warnings()) {
            out.println("warning:       " + warning);
        }
        String sampled = dev.hone.report.Formats.sampledTest(r.record().test());
        if (sampled != null) {
            out.println("budget:        the test figures are those of " + sampled);
        }
        for (String warning : duplicateWarnings(r.record().data())) {
            out.println("duplicates:    " + warning);
        }
        for (String warning : dataWarnings(r.record().data())) {
            out.println("data:          " + warning);
        }
        policyWarning(r.record().decisions()).ifPresent(line -> out.println("policy:        " + line));
        overridden(r.record().decisions()).or(() -> guardRail(r.record().decisions()))
                .ifPresent(line -> out.println("ssl:           " + line));
        out.println("stopped:       " + r.record().stopReason());
        out.println("model:         " + r.modelDir());
        out.println("record:        " + r.outputDir().resolve("training-record.json"));
        out.println("evaluation:    " + r.outputDir().resolve("evaluation.json"));
        out.println("report:        " + r.outputDir().resolve("report.html"));
        out.println("explain it:    " + launcher() + " explain " + r.outputDir());
        out.flush();
    }

    /**
     * The command that runs hone from the current folder: {@code ./hone} in the checkout, else the launcher's path (the
     * checkout the launcher set as {@code hone.home}), else {@code hone} (a Java API caller's own launcher).
     */
    static String launcher() {
        String home = System.getProperty("hone.home");
        if (home == null) {
            return "hone";
        }
        Path h = Path.of(home).toAbsolutePath().normalize();
        return h.equals(Path.of("").toAbsolutePath().normalize()) ? "./hone" : h.resolve("hone").toString();
    }

    /**
     * The headline of a binary, multi-label or segmentation evaluation (its task's own metrics), or null for
     * single-label, whose headline is accuracy.
     */
    static String taskLine(Evaluation e) {
        return taskLine(e, "test ");
    }

    /**
     * The task's headline metrics, or null for single-label.
     *
     * @param set the metric names' prefix: "test " for a run's test split, "" for any data {@code hone evaluate} scores
     */
    static String taskLine(Evaluation e, String set) {
        Map<String, Object> m = e.taskMetrics();
        if (m == null) {
            return null;
        }
        if ("detection".equals(e.task())) {
            return String.format(Locale.ROOT, label(set, "mAP") + "%s (COCO AP 0.50:0.95); AP50 %s, AP75 %s, AR100 %s", pct(m.get("mAP")),
                    pct(m.get("AP50")), pct(m.get("AP75")), pct(m.get("AR100")));
        }
        if ("segmentation".equals(e.task())) {
            return String.format(Locale.ROOT, label(set, "mIoU") + "%s; pixel accuracy %s, mean Dice %s", pct(m.get("mIoU")),
                    pct(m.get("pixelAccuracy")), pct(m.get("meanDice")));
        }
        if ("multi-label".equals(e.task())) {
            Map<?, ?> half = m.get("atHalf") instanceof Map<?, ?> h ? h : Map.of();
            return String.format(Locale.ROOT, label(set, "mAP") + "%s; micro-F1 %s, macro-F1 %s at the learned thresholds "
                    + "(%s and %s at 0.5); Hamming loss %s", pct(m.get("mAP")), pct(m.get("microF1")), pct(m.get("macroF1")),
                    pct(half.get("microF1")), pct(half.get("macroF1")), pct(m.get("hammingLoss")));
        }
        Map<?, ?> at = m.get("atThreshold") instanceof Map<?, ?> a ? a : Map.of();
        Map<?, ?> half = m.get("atHalf") instanceof Map<?, ?> h ? h : Map.of();
        return String.format(Locale.ROOT, label(set, "ROC-AUC") + "%s (positive class '%s'); F1 %s at the learned threshold %.3f, %s at 0.5;"
                + " ECE %s", pct(m.get("rocAuc")), m.get("positiveClass"), pct(at.get("f1")),
                ((Number) m.getOrDefault("threshold", 0.5)).doubleValue(), pct(half.get("f1")), pct(m.get("ece")));
    }

    /** E.g. "test mAP:      ": the prefix and name, padded so that the values line up with the summary's other lines. */
    private static String label(String set, String metric) {
        return String.format(Locale.ROOT, "%-15s", set + metric + ":");
    }

    private static String pct(Object value) {
        return value instanceof Number n ? String.format(Locale.ROOT, "%.2f%%", 100 * n.doubleValue()) : "n/a";
    }

    /** The record's {@code data.duplicates.warnings}, repeated here because the first ones scroll away. */
    static List<String> duplicateWarnings(Map<String, Object> data) {
        if (data != null && data.get("duplicates") instanceof Map<?, ?> d && d.get("warnings") instanceof List<?> w) {
            return w.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    /**
     * The {@code ssl} decision's rationale when it overrode the user's {@code --ssl METHOD} (its evidence names the
     * method as {@code requested}): the unlabeled images were not used.
     */
    static java.util.Optional<String> overridden(List<dev.hone.record.Decision<?>> decisions) {
        return decisions == null ? java.util.Optional.empty() : decisions.stream()
                .filter(d -> d.name().equals("ssl") && d.evidence() != null && d.evidence().containsKey("requested"))
                .map(dev.hone.record.Decision::rationale).findFirst();
    }

    /**
     * What the semi-supervised guard-rail kept, in a line: whether the model trained on the unlabeled images beat its
     * teacher and is the model, or the teacher's weights are; empty without one, or when the final run was the teacher's
     * continuation on the labels alone.
     */
    static java.util.Optional<String> guardRail(List<dev.hone.record.Decision<?>> decisions) {
        if (decisions == null) {
            return java.util.Optional.empty();
        }
        for (dev.hone.record.Decision<?> d : decisions) {
            if (!d.name().equals("ssl-guard-rail") || d.evidence() == null) {
                continue;
            }
            String name = switch (String.valueOf(d.evidence().get("trained"))) {
                case "student" -> "the student, trained on pseudo-labels,";
                case "fixmatch" -> "the FixMatch model";
                case "fine-tuned" -> "the fine-tuned pretrained encoder";
                default -> null;
            };
            if (name == null) {
                return java.util.Optional.empty();
            }
            boolean kept = !"teacher".equals(String.valueOf(d.value()));
            boolean notWorse = Boolean.TRUE.equals(d.evidence().get("keptAsNotWorse"));
            return java.util.Optional.of(name + (notWorse ? " did not beat its teacher, but the validation split is too small"
                    + " to tell them apart and it is not significantly worse, so it is the model"
                    : kept ? " beat its teacher on validation and is the model"
                    : " did not beat its teacher on validation, so the teacher's weights are the model")
                    + " (the record's ssl-guard-rail says by how much)");
        }
        return java.util.Optional.empty();
    }

    /** The {@code policy-check} decision's warning, when a replayed policy's step looked label-changing on this data. */
    static java.util.Optional<String> policyWarning(List<dev.hone.record.Decision<?>> decisions) {
        return decisions == null ? java.util.Optional.empty() : decisions.stream()
                .filter(d -> d.name().equals("policy-check") && d.evidence() != null && d.evidence().get("warning") != null)
                .map(d -> String.valueOf(d.evidence().get("warning"))).findFirst();
    }

    /** The record's {@code data.warnings} (what the data sources warned of), repeated here as the duplicates are. */
    static List<String> dataWarnings(Map<String, Object> data) {
        if (data != null && data.get("warnings") instanceof List<?> w) {
            return w.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    /**
     * {@code 52.00% on 50 images}, and {@code  — no better than chance (majority class 'a' 50.00%)} when
     * so; the warning lines below it carry the test's p-value.
     */
    static String headline(Evaluation e) {
        String line = String.format(Locale.ROOT, "%.2f%% on %d images", 100 * e.accuracy(), e.count());
        if (Boolean.FALSE.equals(e.betterThanChance()) && e.chance() != null) {
            line += String.format(Locale.ROOT, " \u2014 no better than chance (majority class '%s' %.2f%%)",
                    e.chance().majorityClass(), 100 * e.chance().rate());
        }
        return line;
    }
}
