package dev.hone.cli;

import dev.hone.report.Evaluation;
import dev.hone.train.TrainingRun;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The lines printed when a run finishes: the headline, what to be wary of, and where everything is. */
final class Summary {
    private Summary() {}

    static void print(PrintWriter out, TrainingRun.Result r) {
        out.println("test accuracy: " + headline(r.evaluation()));
        for (String warning : r.evaluation().warnings()) {
            out.println("warning:       " + warning);
        }
        for (String warning : duplicateWarnings(r.record().data())) {
            out.println("duplicates:    " + warning);
        }
        out.println("stopped:       " + r.record().stopReason());
        out.println("model:         " + r.out().resolve("model"));
        out.println("record:        " + r.out().resolve("training-record.json"));
        out.println("evaluation:    " + r.out().resolve("evaluation.json"));
        out.println("report:        " + r.out().resolve("report.html"));
        out.println("explain it:    ./hone explain " + r.out());
        out.flush();
    }

    /** The record's {@code data.duplicates.warnings}, repeated here because the first ones scroll away. */
    static List<String> duplicateWarnings(Map<String, Object> data) {
        if (data != null && data.get("duplicates") instanceof Map<?, ?> d && d.get("warnings") instanceof List<?> w) {
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
