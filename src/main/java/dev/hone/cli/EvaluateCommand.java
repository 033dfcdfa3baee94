package dev.hone.cli;

import dev.hone.data.DataBundle;
import dev.hone.data.DatasetResolver;
import dev.hone.data.ImageSet;
import dev.hone.record.Json;
import dev.hone.report.Evaluation;
import dev.hone.report.EvaluationMetrics;
import dev.hone.tasks.Predictions;
import dev.hone.train.TrainedModel;
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
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate a trained model on labelled data.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model-dir", required = true, paramLabel = "DIR", description = "the --out folder of a finished run")
    Path modelDir;

    @Option(names = "--data", required = true, paramLabel = "NAME|PATH", description = "labelled data, as for train")
    String data;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the full evaluation as JSON")
    Path json;

    @Override
    public Integer call() {
        try (TrainedModel model = TrainedModel.load(modelDir)) {
            DataBundle bundle = DatasetResolver.resolve(data, null, model.descriptor().input());
            bundle.skippedLines().forEach(spec.commandLine().getErr()::println);
            ImageSet set = model.alignClasses(bundle.test() != null ? bundle.test() : bundle.train());
            String name = bundle.test() != null ? bundle.testSource() : bundle.trainSource();
            Evaluation e = model.evaluate(set, name);
            PrintWriter out = spec.commandLine().getOut();
            String task = Summary.taskLine(e);
            if (task != null) {
                out.println(task);
            }
            out.printf("accuracy %.4f  loss %.4f  macro-F1 %.4f  on %d images of %s%n", e.accuracy(), e.loss(), e.macroF1(), e.count(), name);
            boolean pixels = "segmentation".equals(e.task());
            out.printf("%-20s %9s %9s %9s %8s%n", "class", "precision", "recall", pixels ? "dice" : "f1", pixels ? "pixels" : "support");
            for (Evaluation.ClassMetrics c : e.perClass()) {
                out.printf("%-20s %9s %9s %9s %8d%n", c.name(), metric(c.precision()), metric(c.recall()), metric(c.f1()),
                        c.support());
            }
            e.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
            if (json != null) {
                Json.write(json, e);
                out.println("written: " + json);
            }
            out.flush();
        }
        return 0;
    }

    /** A per-class figure, or n/a for a class without test images. */
    private static String metric(Double value) {
        return value == null ? "n/a" : String.format("%.4f", value);
    }
}
