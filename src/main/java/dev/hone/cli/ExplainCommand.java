package dev.hone.cli;

import dev.hone.report.Explainer;
import dev.hone.report.RecordIo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code hone explain DIR}: the training record, for a person. */
@Command(name = "explain", mixinStandardHelpOptions = true, description = "Explain a finished run: every decision and its evidence.")
final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "the --out folder of a finished run")
    Path dir;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(Explainer.explain(RecordIo.readRecord(dir), RecordIo.findEvaluation(dir).orElse(null)));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
