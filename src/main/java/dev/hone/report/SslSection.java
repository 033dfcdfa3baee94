package dev.hone.report;

import dev.hone.record.Decision;
import java.util.List;
import java.util.Map;

/**
 * The report's semi-supervised section, drawn from the {@code ssl} and {@code ssl-guard-rail} decisions: the teacher,
 * the pseudo-labels (per-class counts, the teacher's confidence histogram, its pseudo-label accuracy on validation
 * images, whose labels are known), and the guard-rail's comparison of the student with its teacher.
 */
final class SslSection {
    private SslSection() {}

    static void append(StringBuilder html, List<Decision<?>> decisions, List<String> classNames) {
        Decision<?> ssl = find(decisions, "ssl");
        if (ssl == null) {
            return;
        }
        html.append("<h2>Semi-supervised learning</h2>\n<p><b>").append(Html.escape(Formats.value(ssl.value()))).append("</b> (")
                .append(Html.escape(ssl.provenance(", "))).append(")<br>")
                .append(Html.escape(ssl.rationale())).append("</p>\n");
        Map<String, Object> e = ssl.evidence();
        Decision<?> rail = find(decisions, "ssl-guard-rail");
        html.append("<table>\n").append(Html.row("th", "measure", "value"));
        row(html, "teacher's steps", e.get("teacherSteps"), 0);
        row(html, "teacher's validation score", e.get("teacherScore"), 4);
        // with FixMatch chosen, the pseudo-labels below are the teacher's (those a first round's Noisy Student arm trained on,
        // or the weak-teacher test's): FixMatch labels its own weak views each step, at its own threshold (its row below)
        String arm = e.get("fixMatch") instanceof Map<?, ?> ? " (the teacher's; FixMatch labels its own weak views, below)" : "";
        row(html, "unlabeled images pseudo-labeled" + arm, e.get("pseudoLabeled"), 0);
        double[] thresholds = values(e.get("pseudoLabelThresholds"));
        boolean multiLabel = thresholds.length > 0;
        row(html, (multiLabel ? "validation images whose whole label set the teacher's thresholds get right"
                : "pseudo-label accuracy on validation images above the threshold") + arm, e.get("validationPseudoLabelAccuracy"), 4);
        row(html, "confidence threshold" + arm, e.get("threshold"), 2);
        if (e.get("targets") instanceof String t) {
            html.append(Html.row("td", "pseudo-label targets" + Html.escape(arm), Html.escape("soft".equals(t) ? "soft: the teacher's distribution over"
                    + " the classes" : "hard: " + (multiLabel ? "the classes at or above their thresholds" : "the teacher's most likely class"))));
        }
        row(html, "copies of each labeled image", e.get("labeledCopies"), 0);
        row(html, "final run's peak learning rate", e.get("studentPeakLearningRate"), 6);
        if (e.get("fixMatch") instanceof Map<?, ?> f) {
            html.append(Html.row("td", "FixMatch (Sohn et al. 2020)", Html.escape(String.format(java.util.Locale.ROOT,
                    "%s unlabeled images per labeled one; confidence %s; weak view: %s; strong view: %s", f.get("ratio"),
                    f.get("threshold"), f.get("weak"), f.get("strong")))));
        }
        if (e.get("pretraining") instanceof Map<?, ?> p) {
            html.append(Html.row("td", "self-supervised pretraining of the encoder", Html.escape(String.format(java.util.Locale.ROOT,
                    "%s: %s steps of two views each (%s), projection %s wide; views: %s", p.get("method"), p.get("steps"),
                    p.get("seconds") instanceof Number sec ? String.format(java.util.Locale.ROOT, "%.0f s", sec.doubleValue()) : "?",
                    p.get("embedding"), p.get("views")))));
        }
        Decision<?> teacherPretraining = find(decisions, "ssl-pretraining");
        if (teacherPretraining != null && teacherPretraining.evidence().get("scratchTeacherScore") instanceof Number scratch) {
            Map<String, Object> p = teacherPretraining.evidence();
            html.append(Html.row("td", "the teacher's encoder pretrained (SimCLRv2's recipe)", Html.escape(String.format(
                    java.util.Locale.ROOT, "%s: %s steps of two views each (%s); the fine-tuned teacher scored %s against %.4f from"
                            + " scratch: %s", p.get("method"), p.get("steps"), p.get("seconds") instanceof Number sec
                            ? String.format(java.util.Locale.ROOT, "%.0f s", sec.doubleValue()) : "?",
                    p.get("fineTunedTeacherScore") instanceof Number t ? String.format(java.util.Locale.ROOT, "%.4f", t.doubleValue())
                            : "nothing", scratch.doubleValue(), Boolean.TRUE.equals(p.get("used"))
                            ? "it starts the rounds" : "the teacher from scratch starts them"))));
        }
        Object fixMatchSettings = e.get("fixMatch") instanceof Map<?, ?> f ? f : firstRound(e.get("rounds")).get("fixMatchSettings");
        if (rail != null) {
            Map<String, Object> r = rail.evidence();
            row(html, "final run's validation score", r.get("studentScore"), 4);
            row(html, "teacher's validation score (guard-rail)", r.get("teacherScore"), 4);
            if (r.get("gain") instanceof Number g && r.get("low") instanceof Number lo && r.get("high") instanceof Number hi) {
                // records before the 90% interval (two one-sided bounds at the test's 5% level) gave a 95% one
                Object percent = r.get("intervalPercent") instanceof Number n ? n.intValue() : 95;
                html.append(Html.row("td", "final run's gain (" + percent + "% interval)", String.format(java.util.Locale.ROOT,
                        "%+.2f [%+.2f, %+.2f] points", 100 * g.doubleValue(), 100 * lo.doubleValue(), 100 * hi.doubleValue())));
            }
            if (r.get("verdict") instanceof Map<?, ?> v) {
                html.append(Html.row("td", "guard-rail's verdict", Html.escape(verdict(v))));
            }
            html.append(Html.row("td", "trained model", "<b>" + Html.escape(Formats.value(rail.value())) + "</b>"));
            row(html, "dropped final run's test score (for the record; no choice reads it)", r.get("droppedModelTestScore"), 4);
        }
        html.append("</table>\n");
        rounds(html, e.get("rounds"), e.get("finalTeacher"));
        calibration(html, fixMatchSettings);
        int[] predicted = counts(e.get("predictedPerClass"));
        int[] kept = counts(e.get("keptPerClass"));
        int[] balanced = counts(e.get("balancedPerClass"));
        if (multiLabel && predicted.length == thresholds.length) {
            html.append("<h3>Pseudo-labels per class</h3>\n<p class=\"note\">Multi-label: every unlabeled image is kept once; a"
                    + " class is in its pseudo-label set when the teacher's probability reaches the class's threshold, the one that"
                    + " maximises the teacher's F1 on the validation images.</p>\n<table>\n")
                    .append(Html.row("th", "class", "threshold", "unlabeled images labeled with it"));
            for (int k = 0; k < predicted.length; k++) {
                html.append(Html.row("td", Html.escape(k < classNames.size() ? classNames.get(k) : String.valueOf(k)),
                        Formats.fixed(thresholds[k], 3), String.valueOf(predicted[k])));
            }
            html.append("</table>\n");
        } else if (predicted.length > 0 && predicted.length == kept.length && kept.length == balanced.length) {
            html.append("<h3>Pseudo-labels per class</h3>\n<p class=\"note\">Predicted: the teacher's arg-max over all unlabeled "
                    + "images; kept: above the threshold; balanced: after repeats or cuts that even the classes.</p>\n<table>\n")
                    .append(Html.row("th", "class", "predicted", "kept", "balanced"));
            for (int k = 0; k < predicted.length; k++) {
                html.append(Html.row("td", Html.escape(k < classNames.size() ? classNames.get(k) : String.valueOf(k)),
                        String.valueOf(predicted[k]), String.valueOf(kept[k]), String.valueOf(balanced[k])));
            }
            html.append("</table>\n");
        }
        int[] histogram = counts(e.get("confidenceHistogram"));
        if (histogram.length > 0) {
            html.append(Html.img(Charts.histogram("Teacher's confidence on the unlabeled images",
                    multiLabel ? "least certain class, max(p, 1 - p)" : "largest class probability", histogram),
                    "confidence histogram")).append("\n");
        }
    }

    /** The rounds of re-labeling: each round's student against its teacher, and whether it became the next teacher. */
    private static void rounds(StringBuilder html, Object rounds, Object finalTeacher) {
        if (!(rounds instanceof List<?> list) || list.isEmpty()) {
            return;
        }
        html.append("<h3>Rounds</h3>\n<p class=\"note\">A round's student trains from its teacher on the teacher's pseudo-labels;"
                + " when it beats the teacher on validation it becomes the next teacher and labels again. In the first round it"
                + " must also beat the supervised arm: the teacher trained as many steps on the labeled images alone. The final"
                + " run starts from the ").append(Html.escape(String.valueOf(finalTeacher))).append(".");
        boolean fixMatch = list.stream().anyMatch(o -> o instanceof Map<?, ?> r && r.get("fixMatchSteps") != null);
        if (fixMatch) {
            html.append(" The first round's third arm is FixMatch, at the same compute: fewer steps, each with mu unlabeled"
                    + " images per labeled one; it is chosen when it beats the teacher, the supervised arm and the student.");
        }
        html.append("</p>\n<table>\n");
        List<String> head = new java.util.ArrayList<>(List.of("round", "student's steps", "student's score", "teacher's score",
                "supervised arm's score"));
        if (fixMatch) {
            head.addAll(List.of("FixMatch's steps", "FixMatch's score", "share of unlabeled images above FixMatch's threshold"));
        }
        head.add("student against its teacher");
        head.add("next teacher");
        html.append(Html.row("th", head.toArray(String[]::new)));
        for (Object o : list) {
            if (o instanceof Map<?, ?> r) {
                List<String> cells = new java.util.ArrayList<>(List.of(String.valueOf(r.get("round")), String.valueOf(r.get("studentSteps")),
                        score(r.get("studentScore")), score(r.get("teacherScore")), score(r.get("supervisedScore"))));
                if (fixMatch) {
                    cells.addAll(List.of(r.get("fixMatchSteps") == null ? "none" : String.valueOf(r.get("fixMatchSteps")),
                            score(r.get("fixMatchScore")), score(r.get("fixMatchMaskRate"))));
                }
                cells.add(r.get("studentVsTeacher") instanceof Map<?, ?> v ? Html.escape(verdict(v)) : "none");
                cells.add(Boolean.TRUE.equals(r.get("fixMatchChosen")) ? "FixMatch chosen" : Boolean.TRUE.equals(r.get("promoted")) ? "yes"
                        : Boolean.TRUE.equals(r.get("keptNotWorse")) ? "no; not worse, so the final student continues it" : "no");
                html.append(Html.row("td", cells.toArray(String[]::new)));
            }
        }
        html.append("</table>\n");
        for (Object o : list) {
            if (o instanceof Map<?, ?> r && r.get("fixMatchNotRaced") instanceof String n) {
                html.append("<p>Round ").append(r.get("round")).append(": ").append(Html.escape(n)).append(".</p>\n");
            }
        }
    }

    /**
     * How FixMatch's confidence threshold was chosen: for each candidate, the teacher's validation predictions at or above
     * it and the share of them that are right ({@code dev.hone.ssl.FixMatchSettings}).
     */
    private static void calibration(StringBuilder html, Object settings) {
        if (!(settings instanceof Map<?, ?> s) || !(s.get("calibration") instanceof List<?> rows) || rows.isEmpty()) {
            return;
        }
        html.append("<h3>FixMatch's settings</h3>\n<p class=\"note\">").append(Html.escape(String.valueOf(s.get("reason"))))
                .append(".</p>\n<table>\n").append(Html.row("th", "threshold", "teacher's validation predictions at or above it",
                        "share of all", "share right"));
        for (Object o : rows) {
            if (o instanceof Map<?, ?> r) {
                html.append(Html.row("td", String.valueOf(r.get("threshold")), String.valueOf(r.get("predictions")),
                        score(r.get("share")), score(r.get("precision"))));
            }
        }
        html.append("</table>\n");
    }

    /**
     * A comparison's verdict ({@code dev.hone.train.SslGuardRail.Verdict}) in words: its rule, and the calibrated loss
     * reduction with its interval (90%, two one-sided bounds at the test's 5% level; 95% in older records) and p-value
     * where the score did not decide.
     */
    static String verdict(Map<?, ?> v) {
        String rule = String.valueOf(v.get("rule"));
        if (!(v.get("calibratedLossGain") instanceof Number g && v.get("calibratedLossLow") instanceof Number lo
                && v.get("calibratedLossHigh") instanceof Number hi && v.get("calibratedLossPValue") instanceof Number p)) {
            return rule;
        }
        return String.format(java.util.Locale.ROOT, "%s (calibrated loss reduction %+.4f [%+.4f, %+.4f], p=%.3f%s)", rule,
                g.doubleValue(), lo.doubleValue(), hi.doubleValue(), p.doubleValue(),
                Boolean.TRUE.equals(v.get("scoreSignificantlyLower")) ? "; score significantly lower" : "");
    }

    private static Map<?, ?> firstRound(Object rounds) {
        return rounds instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> r ? r : Map.of();
    }

    private static String score(Object value) {
        return value instanceof Number n ? Formats.fixed(n.doubleValue(), 4) : "none";
    }

    private static Decision<?> find(List<Decision<?>> decisions, String name) {
        return decisions == null ? null : decisions.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
    }

    private static void row(StringBuilder html, String name, Object value, int digits) {
        if (value instanceof Number n) {
            html.append(Html.row("td", Html.escape(name), digits == 0 ? String.valueOf(n.longValue()) : Formats.fixed(n.doubleValue(),
                    digits)));
        }
    }

    /** Numbers held in memory (a double array) or read back from a record (a list of numbers); empty for anything else. */
    static double[] values(Object value) {
        if (value instanceof double[] a) {
            return a.clone();
        }
        if (value instanceof List<?> list && list.stream().allMatch(x -> x instanceof Number)) {
            return list.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        }
        return new double[0];
    }

    /** Counts held in memory (an int array) or read back from a record (a list of numbers); empty for anything else. */
    static int[] counts(Object value) {
        if (value instanceof int[] a) {
            return a.clone();
        }
        if (value instanceof List<?> list && list.stream().allMatch(x -> x instanceof Number)) {
            return list.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
        }
        return new int[0];
    }
}
