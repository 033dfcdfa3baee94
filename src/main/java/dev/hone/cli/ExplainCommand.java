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

    @Parameters(paramLabel = "DIR", description = "the --out folder of a finished run, or its training-record.json")
    Path dir;

    @Override
    public Integer call() {
        // the record file itself names its run folder, where the evaluation is
        Path run = java.nio.file.Files.isRegularFile(dir) && dir.toAbsolutePath().getParent() != null
                ? dir.toAbsolutePath().getParent() : dir;
        checkFinished(run);
        spec.commandLine().getOut().println(Explainer.explain(RecordIo.readRecord(dir), RecordIo.findEvaluation(run).orElse(null)));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** An interrupted run (its {@code .OUT.partial} work folder, or OUT while that exists) has no record yet: say so. */
    private static void checkFinished(Path run) {
        Path abs = run.toAbsolutePath().normalize();
        String name = abs.getFileName() == null ? "" : abs.getFileName().toString();
        boolean workFolder = name.startsWith(".") && name.endsWith(".partial");
        // a work folder may hold a record written just before a kill: its run is still not finished
        if (!workFolder && java.nio.file.Files.exists(run.resolve(RecordIo.RECORD_FILE))) {
            return;
        }
        Path work = workFolder ? abs : dev.hone.train.OutputDirectory.workFolder(abs);
        if (java.nio.file.Files.isDirectory(work)) {
            Path out = work == abs ? abs.resolveSibling(name.substring(1, name.length() - ".partial".length())) : abs;
            throw new dev.hone.core.HoneException("the run of " + out + " has not finished: its work so far is in " + work
                    + ", and a record is written when it ends. Fix: finish it with the same hone train command and --resume,"
                    + " then explain " + out);
        }
    }
}
