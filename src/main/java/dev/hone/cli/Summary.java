package dev.hone.cli;

import dev.hone.train.TrainingRun;
import java.io.PrintWriter;

/** The lines printed when a run finishes: the headline and where everything is. */
final class Summary {
    private Summary() {}

    static void print(PrintWriter out, TrainingRun.Result r) {
        out.printf("test accuracy: %.2f%% on %d images%n", 100 * r.evaluation().accuracy(), r.evaluation().count());
        out.println("stopped:       " + r.record().stopReason());
        out.println("model:         " + r.out().resolve("model"));
        out.println("record:        " + r.out().resolve("training-record.json"));
        out.println("evaluation:    " + r.out().resolve("evaluation.json"));
        out.println("report:        " + r.out().resolve("report.html"));
        out.println("explain it:    ./hone explain " + r.out());
        out.flush();
    }
}
