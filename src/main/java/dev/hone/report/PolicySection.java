package dev.hone.report;

import dev.hone.metalearn.regularization.PairedComparison;
import dev.hone.record.Decision;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The report's regularization section, drawn from the {@code regularization-policy} decision's
 * evidence: the distance table with each pair's group, the search's trials, what each kept
 * technique contributed on validation, and a grid of sample images under the chosen transforms.
 */
final class PolicySection {
    static final String DECISION = "regularization-policy";

    private PolicySection() {}

    static void append(StringBuilder html, List<Decision<?>> decisions, byte[] samplesPng) {
        Decision<?> d = decisions == null ? null : decisions.stream().filter(x -> x.name().equals(DECISION)).findFirst().orElse(null);
        if (d == null) {
            return;
        }
        html.append("<h2>Regularization policy</h2>\n<p><b>").append(Html.escape(Formats.value(d.value()))).append("</b> (")
                .append(Html.escape(d.provenance(", "))).append(")<br>")
                .append(Html.escape(d.rationale())).append("</p>\n");
        distances(html, d.evidence().get("distances"));
        trials(html, d.evidence().get("trials"));
        contributions(html, d.evidence().get("contributions"), Boolean.TRUE.equals(d.evidence().get("contributionsChained")));
        if (samplesPng != null) {
            html.append("<h3>Training images under each chosen transform</h3>\n<p class=\"note\">Top row: originals; each further "
                    + "row: the same images under one chosen transform at its chosen magnitude (random per image, as in training).</p>\n")
                    .append(Html.img(samplesPng, "augmentation samples")).append("\n");
        }
    }

    /** Transforms down, magnitudes across; each cell the distance and its group. */
    private static void distances(StringBuilder html, Object table) {
        if (!(table instanceof List<?> rows) || rows.isEmpty()) {
            return;
        }
        Map<String, Map<Double, String>> grid = new TreeMap<>();
        TreeSet<Double> magnitudes = new TreeSet<>();
        for (Object o : rows) {
            if (o instanceof Map<?, ?> r && r.get("magnitude") instanceof Number m && r.get("distance") instanceof Number dist) {
                magnitudes.add(m.doubleValue());
                grid.computeIfAbsent(String.valueOf(r.get("transform")), k -> new TreeMap<>())
                        .put(m.doubleValue(), Boolean.TRUE.equals(r.get("vetoed")) && r.get("classChange") instanceof Number c
                                ? String.format("%.3g (vetoed: %.0f%% change class)", dist.doubleValue(), 100 * c.doubleValue())
                                : String.format("%.3g (g%s)", dist.doubleValue(), r.get("group")));
            }
        }
        html.append("<h3>Distance analysis</h3>\n<p class=\"note\">Simplified Frechet distance between the features of "
                + "the scoring images and of the same images augmented, per (transform, magnitude); gN is the distance group "
                + "(g0 gentlest). The search takes each transform at its largest magnitude in the gentler half of the groups. A pair that moves most correctly predicted images to another "
                + "class is vetoed as label-changing and joins no group.</p>\n<table>\n");
        String[] head = new String[magnitudes.size() + 1];
        head[0] = "transform";
        int i = 1;
        for (double m : magnitudes) {
            head[i++] = "magnitude " + m;
        }
        html.append(Html.row("th", head));
        grid.forEach((t, cells) -> {
            String[] row = new String[magnitudes.size() + 1];
            row[0] = Html.escape(t);
            int j = 1;
            for (double m : magnitudes) {
                row[j++] = Html.escape(cells.getOrDefault(m, ""));
            }
            html.append(Html.row("td", row));
        });
        html.append("</table>\n");
    }

    private static void trials(StringBuilder html, Object table) {
        if (!(table instanceof List<?> rows) || rows.isEmpty()) {
            return;
        }
        html.append("<h3>Search trials</h3>\n<p class=\"note\">Race trials run one epoch of a trial (length); full-length ones are "
                + "compared with the incumbent by a paired bootstrap of the per-image validation loss (reduction, interval, "
                + "one-sided p; the interval is 90%, its ends one-sided bounds at the test's 5% level, so a kept candidate's lies"
                + " above 0; older records gave 95%), and kept only when it is significant and the score is not significantly lower.</p>\n<table>\n")
                .append(Html.row("th", "stage", "candidate", "policy", "length", "score", "loss", "loss reduction over incumbent",
                        "seconds", "kept"));
        for (Object o : rows) {
            if (o instanceof Map<?, ?> r) {
                String key = "lossReductionInterval" + PairedComparison.INTERVAL_PERCENT;
                Object interval = r.get(key) != null ? r.get(key) : r.get("lossReductionInterval95"); // records before the 90% one
                String percent = r.get(key) != null ? PairedComparison.INTERVAL_PERCENT + "%" : "95%";
                String gain = r.get("lossReductionOverIncumbent") instanceof Number g
                        && interval instanceof List<?> ci && ci.size() == 2 && r.get("pValue") instanceof Number p
                        ? String.format("%+.4f [%+.4f, %+.4f] (%s), p=%.3f", g.doubleValue(), ((Number) ci.get(0)).doubleValue(),
                                ((Number) ci.get(1)).doubleValue(), percent, p.doubleValue())
                        : "";
                html.append(Html.row("td", Html.escape(r.get("stage")), Html.escape(r.get("candidate")), Html.escape(r.get("policy")),
                        number(r.get("length"), 2), number(r.get("valAccuracy"), 4), number(r.get("valLoss"), 4), gain,
                        number(r.get("seconds"), 1), Boolean.TRUE.equals(r.get("kept")) ? "<b>yes</b>"
                                : r.get("notKept") instanceof String why ? "no: " + Html.escape(why) : ""));
            }
        }
        html.append("</table>\n");
    }

    private static void contributions(StringBuilder html, Object table, boolean chained) {
        if (!(table instanceof List<?> rows) || rows.isEmpty()) {
            return;
        }
        html.append("<h3>What each chosen technique contributed (search subset)</h3>\n")
                .append(chained ? "<p class=\"note\">The chosen policy's steps from the plain run, each over the step before it,"
                        + " so the gains add up to the chosen policy's.</p>\n" : "<p class=\"note\">Each change kept, over the"
                        + " incumbent it replaced or extended.</p>\n").append("<table>\n")
                .append(Html.row("th", "technique", "validation score gain", "validation loss reduction"));
        for (Object o : rows) {
            if (o instanceof Map<?, ?> r && r.get("valAccuracyGain") instanceof Number g) {
                html.append(Html.row("td", Html.escape(r.get("technique")), String.format("%+.2f points", 100 * g.doubleValue()),
                        r.get("valLossReduction") instanceof Number l ? String.format("%+.4f", l.doubleValue()) : ""));
            }
        }
        html.append("</table>\n");
    }

    private static String number(Object v, int digits) {
        return v instanceof Number n ? Formats.fixed(n.doubleValue(), digits) : "";
    }
}
