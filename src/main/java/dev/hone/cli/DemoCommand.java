package dev.hone.cli;

import dev.hone.core.HoneException;
import dev.hone.api.HoneTrainer;
import dev.hone.api.TrainingResult;
import dev.hone.train.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code hone demo}: trains resnet9 on the Fashion-MNIST sample shipped in {@code data/}, so a fresh
 * checkout shows the whole path (decisions, training, evaluation, report) in a few minutes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train resnet9 on the embedded Fashion-MNIST sample and show where the results are.")
final class DemoCommand implements Callable<Integer> {
    static final String SAMPLE = "data/fashion-mnist-sample";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/demo-<time> in the current folder)")
    Path out;

    /** Two minutes: meta-learning plus about 5 epochs of the 7,200 training images on 2 cores (docs/BENCHMARKS.md). */
    static final String DEMO_BUDGET = "2m";

    @Option(names = "--budget", description = "wall-clock budget for the whole demo (default " + DEMO_BUDGET + ")")
    String budget;

    @Option(names = "--epochs", description = "fix the number of epochs instead of a budget")
    Integer epochs;

    @Option(names = "--resume", description = "continue an interrupted demo of the same --out, as train --resume does")
    boolean resume;

    @Override
    public Integer call() {
        Path home = Path.of(System.getProperty("hone.home", "."));
        Path sample = home.resolve(SAMPLE);
        if (!Files.isDirectory(sample)) {
            throw HoneException.of("the embedded demo dataset is missing", sample,
                    "run ./hone from the hone checkout (it sets hone.home), or restore " + SAMPLE + " with git checkout");
        }
        Path target = out != null ? out : Path.of("runs").resolve("demo-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (budget != null && epochs != null) {
            throw new HoneException("--budget and --epochs both fix how long the demo trains. Fix: give one of them");
        }
        String demoBudget = epochs != null ? null : budget != null ? budget : DEMO_BUDGET;
        String again = "hone demo --out " + TrainCommand.shellWord(target.toString()) + (budget != null ? " --budget "
                + TrainCommand.shellWord(budget) : "") + (epochs != null ? " --epochs " + epochs : "") + " --resume";
        TrainingResult result = StoppableFit.fit(console -> HoneTrainer.of(new TrainOptions(sample.toString(), null, "resnet9",
                target, epochs, null, resume, null, null, null, null, null, null, null, demoBudget, null, null, null, "hone demo",
                false, null, null, null, null, null, null, null, null, null, null, null), console), target,
                resume && out != null ? "run the same command" : "run " + again);
        if (result == null) {
            return TrainCommand.STOPPED;
        }
        Summary.print(spec.commandLine().getOut(), result);
        return 0;
    }
}
