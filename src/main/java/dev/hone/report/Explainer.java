package dev.hone.report;

import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tells a person, in plain text, what a run did and why; printed by {@code hone explain <dir>}.
 *
 * <p>The order answers the questions people ask of a trained model: trained on what, with which
 * settings and why each one, how training went and why it stopped, and how good the result is and
 * where it still goes wrong. It reads only the record (and the evaluation when there is one), so it
 * works on any run directory, on any machine, without the engine.
 */
public final class Explainer {
    /** How many of the most confused class pairs to name. */
    public static final int CONFUSED_PAIRS = 3;

    private Explainer() {}

    /** The account; {@code evaluationOrNull} adds per-class detail and the most confused pairs. */
    public static String explain(TrainingRecord record, Evaluation evaluationOrNull) {
        StringBuilder out = new StringBuilder(4096);
        run(out, record);
        data(out, record.data());
        decisions(out, record.decisions());
        training(out, record.epochs(), record.stopReason(), record.task());
        test(out, record.test(), evaluationOrNull);
        return out.toString();
    }

    private static void run(StringBuilder out, TrainingRecord r) {
        out.append("hone ").append(nullToUnknown(r.hone())).append(" run, record format ")
                .append(r.formatVersion()).append(", seed ").append(r.seed()).append('\n');
        if (r.command() != null) {
            out.append("  command:  ").append(r.command()).append('\n');
        }
        out.append("  started:  ").append(nullToUnknown(r.startedAt()));
        if (Formats.firstStartUnknown(r)) {
            out.append(" (resumed after an interruption; when the first attempt started was not kept)");
        } else if (r.resumedAt() != null) {
            int times = r.earlierResumes().size() + 1;
            out.append('\n').append("  resumed:  ").append(Formats.resumes(r)).append(times == 1 ? " (after an interruption, --resume)"
                    : " (after " + times + " interruptions, --resume)");
        }
        out.append('\n').append("  finished: ").append(nullToUnknown(r.finishedAt()));
        Formats.runTime(r).ifPresent(d -> {
            out.append(" (").append(Formats.duration(d));
            if (r.resumedAt() != null && !Formats.firstStartUnknown(r)) {
                out.append(" since the first start; the resumed part ")
                        .append(Formats.resumedPart(r).map(Formats::duration).orElse("unknown"));
                Formats.workTime(r).ifPresent(w -> out.append("; ").append(Formats.duration(w))
                        .append(" working, ").append(Formats.pausesLeftOut(r)));
            }
            out.append(')');
        });
        out.append("\n\n");
    }

    private static void data(StringBuilder out, Map<String, Object> data) {
        out.append("Trained on\n");
        if (data == null || data.isEmpty()) {
            out.append("  (the record does not describe its data)\n\n");
            return;
        }
        String sizes = Formats.splitSizesLine(data);
        if (!sizes.isEmpty()) {
            out.append("  images: ").append(sizes).append('\n');
        }
        data.forEach((key, value) -> {
            out.append("  ").append(key).append(": ");
            if (value instanceof Map<?, ?> map) {
                StringBuilder line = new StringBuilder();
                map.forEach((k, v) -> line.append(line.length() > 0 ? ", " : "").append(k).append('=')
                        .append(Formats.value(v)));
                out.append(line);
            } else {
                out.append(Formats.value(value));
            }
            out.append('\n');
        });
        out.append('\n');
    }

    private static void decisions(StringBuilder out, List<Decision<?>> decisions) {
        int n = decisions == null ? 0 : decisions.size();
        out.append("Decisions (").append(n).append(")\n");
        if (n == 0) {
            out.append("  (none recorded)\n");
        } else {
            for (Decision<?> d : decisions) {
                out.append("  ").append(d.name()).append(" = ").append(Formats.value(d.value())).append(" (")
                        .append(d.provenance(", ")).append("): ").append(d.rationale())
                        .append('\n');
                String evidence = Formats.evidence(d.evidence());
                if (!evidence.isEmpty() || !d.cost().isZero()) {
                    out.append("      evidence: ").append(evidence.isEmpty() ? "-" : evidence);
                    if (!d.cost().isZero()) {
                        out.append("; cost ").append(Formats.duration(d.cost()));
                    }
                    out.append('\n');
                }
            }
        }
        out.append('\n');
    }

    private static void training(StringBuilder out, List<EpochMetrics> epochs, String stopReason, dev.hone.tasks.Task task) {
        out.append("Training\n");
        if (epochs == null || epochs.isEmpty()) {
            out.append("  no epochs recorded\n");
        } else {
            String trainColumn = "train " + Formats.shortMeasure(task.trainingMeasure());
            String valColumn = "val " + Formats.shortMeasure(task.validationMetric());
            String downscaled = Formats.downscaledEpochs(epochs);
            String row = "  %5s %10s %" + Math.max(9, trainColumn.length()) + "s %10s %" + Math.max(9, valColumn.length())
                    + "s %10s %8s %9s" + (downscaled == null ? "%s" : "  %s") + "%n";
            out.append(String.format(Locale.ROOT, row, "epoch", "train loss", trainColumn, "val loss", valColumn, "lr",
                    "seconds", "images/s", downscaled == null ? "" : "trained at"));
            for (EpochMetrics e : epochs) {
                out.append(String.format(Locale.ROOT, row, e.epoch(),
                        Formats.fixed(e.trainLoss(), 4), Formats.percent(e.trainAccuracy()),
                        Formats.fixed(e.valLoss(), 4), Formats.percent(e.valAccuracy()),
                        Formats.value(e.learningRate()), Formats.fixed(e.seconds(), 1),
                        Formats.fixed(e.imagesPerSecond(), 0),
                        downscaled == null ? "" : e.trainedAt() == null ? "full size" : e.trainedAt()));
            }
            if (downscaled != null) {
                out.append("  ").append(downscaled).append('\n');
            }
        }
        out.append("  stopped: ").append(nullToUnknown(stopReason)).append("\n\n");
    }

    private static void test(StringBuilder out, Map<String, Object> headline, Evaluation eval) {
        out.append("Test result\n");
        String sampled = Formats.sampledTest(headline);
        if (sampled != null) {
            out.append("  on ").append(sampled).append('\n');
        }
        if (eval != null && "detection".equals(eval.task()) && eval.taskMetrics() != null) {
            Map<String, Object> m = eval.taskMetrics();
            out.append("  mAP ").append(Formats.percentOf(m.get("mAP"))).append(" (COCO AP 0.50:0.95), AP50 ").append(Formats.percentOf(m.get("AP50")))
                    .append(", AP75 ").append(Formats.percentOf(m.get("AP75"))).append(", AR100 ").append(Formats.percentOf(m.get("AR100"))).append(on(eval))
                    .append(", mean loss ")
                    .append(Formats.fixed(eval.loss(), 4)).append('\n');
        } else if (eval != null && "segmentation".equals(eval.task()) && eval.taskMetrics() != null) {
            out.append("  mIoU ").append(Formats.percentOf(eval.taskMetrics().get("mIoU"))).append(", pixel accuracy ")
                    .append(Formats.percent(eval.accuracy())).append(", mean Dice ").append(Formats.percent(eval.macroF1()))
                    .append(on(eval)).append(", mean loss ")
                    .append(Formats.fixed(eval.loss(), 4)).append('\n');
        } else if (eval != null && "multi-label".equals(eval.task()) && eval.taskMetrics() != null) {
            Map<String, Object> m = eval.taskMetrics();
            out.append("  mAP ").append(Formats.percentOf(m.get("mAP"))).append("; at the learned thresholds micro F1 ").append(Formats.percentOf(m.get("microF1")))
                    .append(", macro F1 ").append(Formats.percentOf(m.get("macroF1"))).append(", subset accuracy ")
                    .append(Formats.percentOf(m.get("subsetAccuracy"))).append(", Hamming loss ").append(Formats.percentOf(m.get("hammingLoss")))
                    .append(on(eval)).append(", mean loss ")
                    .append(Formats.fixed(eval.loss(), 4)).append('\n');
            eval.warnings().forEach(w -> out.append("  warning: ").append(w).append('\n'));
        } else if (eval != null) {
            if ("binary".equals(eval.task()) && eval.taskMetrics() != null) {
                Map<String, Object> m = eval.taskMetrics();
                out.append("  ROC-AUC ").append(Formats.percentOf(m.get("rocAuc"))).append(", average precision ")
                        .append(Formats.percentOf(m.get("averagePrecision"))).append("; decided at the learned threshold ")
                        .append(m.get("threshold") instanceof Number t ? Formats.fixed(t.doubleValue(), 3) : "n/a").append(":\n");
            }
            out.append("  accuracy ").append(Formats.percent(eval.accuracy())).append(on(eval)).append(", mean loss ")
                    .append(Formats.fixed(eval.loss(), 4)).append(", macro F1 ")
                    .append(Formats.fixed(eval.macroF1(), 4)).append('\n');
            if (eval.chance() != null) {
                out.append("  chance: ").append(eval.chance().describe()).append(Boolean.TRUE.equals(eval.betterThanChance())
                        ? ", the accuracy is above it\n" : ", the accuracy is NOT significantly above it\n");
            }
            eval.warnings().forEach(w -> out.append("  warning: ").append(w).append('\n'));
            confusedPairs(out, eval);
        } else if (headline != null && headline.get("accuracy") instanceof Number accuracy) {
            out.append("  accuracy ").append(Formats.percent(accuracy.doubleValue()));
            if (headline.get("count") instanceof Number count) {
                out.append(" on ").append(count).append(" images");
            }
            if (headline.get("loss") instanceof Number loss) {
                out.append(", mean loss ").append(Formats.fixed(loss.doubleValue(), 4));
            }
            out.append("\n  (no evaluation.json beside the record, so no per-class detail)\n");
        } else if (headline != null && !headline.isEmpty()) {
            headline.forEach((k, v) -> out.append("  ").append(k).append(": ").append(Formats.value(v)).append('\n'));
        } else {
            out.append("  no test result recorded\n");
        }
    }

    private static void confusedPairs(StringBuilder out, Evaluation eval) {
        if (eval.confusionMatrix() == null || eval.classes() == null) {
            return;
        }
        var pairs = EvaluationMetrics.mostConfused(eval.confusionMatrix(), eval.classes(), CONFUSED_PAIRS);
        if (pairs.isEmpty()) {
            out.append("  no class was mistaken for another\n");
            return;
        }
        out.append("  most confused (true -> predicted):\n");
        for (var p : pairs) {
            out.append("    ").append(p.trueClass()).append(" -> ").append(p.predictedClass()).append(": ")
                    .append(p.count()).append(p.count() == 1 ? " time\n" : " times\n");
        }
    }

    private static String nullToUnknown(String s) {
        return s == null ? "unknown" : s;
    }

    /** " on N images of DATASET". */
    private static String on(Evaluation eval) {
        return " on " + eval.count() + " images of " + eval.dataset();
    }
}
