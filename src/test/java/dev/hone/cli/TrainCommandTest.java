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
        java.nio.file.Path work = tmp.resolve(".run.partial");
        java.nio.file.Files.createDirectories(work);
        java.nio.file.Files.writeString(work.resolve("plan.json"), "{}");
        assertThat(TrainCommand.interruptedMessage(out, false)).contains("kept in " + work,
                "Fix: run the same command with --resume to continue with its saved plan", "starts from the first epoch",
                "or delete");
        assertThat(TrainCommand.interruptedMessage(out, true)).contains("Fix: run the same command to continue")
                .doesNotContain("with --resume");

        java.nio.file.Files.createDirectories(work.resolve("checkpoint"));
        java.nio.file.Files.writeString(work.resolve("checkpoint").resolve("progress.json"), "{\"completedEpochs\": 2}");
        assertThat(TrainCommand.interruptedMessage(out, false)).contains(
                "with --resume to continue from its checkpoint of epoch 2 in " + work.resolve("checkpoint"), "or delete " + work);
    }

    /**
     * Stopped during the learners, before any plan or epoch: the work folder holds only run.json, and a resume plans again.
     * It said "to continue from its last checkpoint", though there was none.
     */
    @Test
    void anInterruptedRunWithoutPlanOrCheckpointSaysTheResumePlansAgain() throws Exception {
        java.nio.file.Path out = tmp.resolve("run");
        java.nio.file.Path work = tmp.resolve(".run.partial");
        java.nio.file.Files.createDirectories(work);
        dev.hone.record.Json.write(work.resolve("run.json"), new dev.hone.train.RunIdentity(java.util.Map.of("seed", "1")));

        assertThat(TrainCommand.interruptedMessage(out, false)).contains("before a plan or checkpoint was saved in " + work,
                "Fix: run the same command with --resume, which plans again"
                        + " (the learners run again)", "or delete " + work).doesNotContain("checkpoint of", "last checkpoint");
        assertThat(TrainCommand.interruptedMessage(out, true)).contains("Fix: run the same command, which plans again")
                .doesNotContain("with --resume");

        // with --unlabeled, the learners' plan is saved before semi-supervised learning, and a resume starts there
        java.nio.file.Files.writeString(work.resolve("plan-before-ssl.json"), "{}");
        assertThat(TrainCommand.interruptedMessage(out, false)).contains("to continue with the learners' plan saved before"
                + " semi-supervised learning (the learners do not run again), semi-supervised learning from its start");
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
