package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path tmp;

    @Test
    void anInterruptedRunSaysWhereItsWorkIsAndHowToContinue() throws Exception {
        java.nio.file.Path out = tmp.resolve("run");
        assertThat(TrainCommand.interruptedMessage(out, false)).startsWith("hone: interrupted before training began")
                .contains("nothing was written");
        java.nio.file.Files.createDirectories(tmp.resolve(".run.partial"));
        assertThat(TrainCommand.interruptedMessage(out, false)).contains("kept in " + tmp.resolve(".run.partial"),
                "Fix: run the same command with --resume", "or delete");
        assertThat(TrainCommand.interruptedMessage(out, true)).contains("Fix: run the same command to continue")
                .doesNotContain("with --resume");
    }

    @Test
    void theRecordedCommandNamesTrainOnceAndQuotesWhatAShellWouldSplit() {
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(
                "train", "--data", "my data/it's", "--model", "resnet9", "--out", "runs/a", "--epochs", "1");
        // what TrainCommand.call() sees: the subcommand's parse result
        List<String> args = parsed.subcommand().originalArgs();

        assertThat(TrainCommand.commandText(args))
                .isEqualTo("hone train --data 'my data/it'\\''s' --model resnet9 --out runs/a --epochs 1");
    }

    @Test
    void argumentsWithoutTheSubcommandNameStillReadAsATrainCommand() {
        assertThat(TrainCommand.commandText(List.of("--data", "d", "--lr=0.1"))).isEqualTo("hone train --data d --lr=0.1");
    }
}
