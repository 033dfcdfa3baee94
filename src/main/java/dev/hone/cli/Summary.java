package dev.hone.cli;

import dev.hone.report.Evaluation;
import dev.hone.train.TrainingRun;
import java.io.PrintWriter;
import java.util.Locale;

/** The lines printed when a run finishes: the headline, what to be wary of, and where everything is. */
final class Summary {
    private Summary() {}

    static void print(PrintWriter out, TrainingRun.Result r) {
        out.println("test accuracy: " + headline(r.evaluation()));
        for (String warning : r.evaluation().warnings()) {
            out.println("warning:       " + warning);
        }
        out.println("stopped:       " + r.record().stopReason());
        out.println("model:         " + r.out().resolve("model"));
        out.println("record:        " + r.out().resolve("training-record.json"));
        out.println("evaluation:    " + r.out().resolve("evaluation.json"));
        out.println("report:        " + r.out().resolve("report.html"));
        out.println("explain it:    ./hone explain " + r.out());
        out.flush();
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
