package dev.hone.cli;

import dev.hone.core.HoneException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hone}: trains computer-vision models without hand-tuning, and explains every choice.
 *
 * <p>Errors a user can act on ({@link HoneException}) print as one message and exit with status 2;
 * anything else is reported by {@link ErrorReport} as a bug, in one line, with its stack trace only
 * under {@code HONE_DEBUG=1}, and exits with status 1.
 */
@Command(name = "hone", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Trains computer-vision models without hand-tuning, and explains every choice it made.",
        subcommands = {TrainCommand.class, DemoCommand.class, EvaluateCommand.class, PredictCommand.class,
                ExplainCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit status (for tests and for {@link #main}). */
    public static int run(String... args) {
        Runtime.configure();
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler(new ErrorReport());
        try {
            return cli.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; OutOfMemoryError and its kin end up here
            return ErrorReport.report(e, cli.getErr());
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"hone " + (v == null ? "dev" : v) + " (DJL 0.35.1, PyTorch 2.7.1)"};
        }
    }
}
