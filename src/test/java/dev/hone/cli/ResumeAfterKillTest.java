package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import dev.hone.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training process killed with SIGKILL in the middle of an epoch, then resumed with --resume,
 * ends with weights bitwise equal to those of an uninterrupted run of the same seed.
 */
class ResumeAfterKillTest {
    @TempDir
    Path tmp;

    private List<String> args(Path data, Path out) {
        return List.of("train", "--data", data.toString(), "--model", "resnet9", "--width", "8", "--epochs", "4",
                "--batch-size", "16", "--seed", "3", "--out", out.toString());
    }

    /**
     * Starts {@code hone train} in a child JVM (working folder {@code tmp}, where a crash log would land) and returns it
     * once {@code file} exists, the child has ended, or 180 s have passed.
     */
    private Process trainUntil(Path file, Path data, Path out, Path log) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads", "2"),
                "-Dai.djl.pytorch.num_interop_threads=1", Main.class.getName()));
        command.addAll(args(data, out));
        Process child = new ProcessBuilder(command).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!Files.exists(file) && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return child;
    }

    @Test
    void resumedRunEqualsUninterruptedRun() throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("images"), 200, 16, 2);
        Path killed = tmp.resolve("killed");
        Path checkpoint = tmp.resolve(".killed.partial").resolve("checkpoint").resolve("progress.json");

        Process child = trainUntil(checkpoint, data, killed, tmp.resolve("child.log"));
        assertThat(child.isAlive()).as("child still training after its first checkpoint: " + Files.readString(tmp.resolve("child.log"))).isTrue();
        JsonNode progress = Json.mapper().readTree(checkpoint.toFile());
        Thread.sleep(300); // into the next epoch
        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks, no cleanup
        assertThat(killed).doesNotExist();
        assertThat(progress.get("completedEpochs").asInt()).isLessThan(4);
        String firstStart = Json.mapper().readTree(tmp.resolve(".killed.partial").resolve("run.json").toFile())
                .get("startedAt").asText();

        List<String> resume = new ArrayList<>(args(data, killed));
        resume.add("--resume");
        Cli.Outcome resumed = Cli.run(resume.toArray(String[]::new));
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("resuming after epoch");

        Path straight = tmp.resolve("straight");
        Cli.Outcome uninterrupted = Cli.run(args(data, straight).toArray(String[]::new));
        assertThat(uninterrupted.status()).as(uninterrupted.err()).isZero();

        assertThat(Files.readAllBytes(killed.resolve("model").resolve("model-0000.params")))
                .isEqualTo(Files.readAllBytes(straight.resolve("model").resolve("model-0000.params")));
        assertThat(Files.readAllLines(killed.resolve("metrics.jsonl"))).hasSize(4);
        JsonNode a = Json.mapper().readTree(killed.resolve("evaluation.json").toFile());
        JsonNode b = Json.mapper().readTree(straight.resolve("evaluation.json").toFile());
        assertThat(a.get("accuracy")).isEqualTo(b.get("accuracy"));
        // the record starts where the killed attempt did, and says when the resumed part began
        JsonNode record = Json.mapper().readTree(killed.resolve("training-record.json").toFile());
        assertThat(record.get("startedAt").asText()).isEqualTo(firstStart);
        assertThat(java.time.Instant.parse(record.get("resumedAt").asText())).isAfter(java.time.Instant.parse(firstStart));
        assertThat(Json.mapper().readTree(straight.resolve("training-record.json").toFile()).has("resumedAt")).isFalse();
    }

    /**
     * SIGTERM (a kill, or Ctrl-C's SIGINT) stops the run at its next batch before the JVM exits: exiting while PyTorch
     * was inside a step crashed the JVM (SIGSEGV in torchBackward, seen under {@code timeout}).
     */
    @Test
    void aTerminatedRunStopsAtItsNextBatchAndSaysHowToResume() throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("term-images"), 200, 16, 2);
        Path out = tmp.resolve("terminated");
        Path checkpoint = tmp.resolve(".terminated.partial").resolve("checkpoint").resolve("progress.json");
        Path log = tmp.resolve("terminated.log");
        Process child = trainUntil(checkpoint, data, out, log);
        assertThat(child.isAlive()).as(Files.readString(log)).isTrue();
        child.destroy(); // SIGTERM: the shutdown hook runs
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = Files.readString(log);
        assertThat(child.exitValue()).as(printed).isEqualTo(143);
        assertThat(printed).contains("hone: interrupted; the run so far is kept in").contains("--resume")
                .contains("to continue from its checkpoint of epoch")
                .doesNotContain("fatal error").doesNotContain("internal error").doesNotContain("\tat ");
        try (var files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("hs_err"));
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void anInterruptedRunIsNotSilentlyRestartedOrMixedWithAnother() throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("images"), 20, 12, 2);
        Path out = tmp.resolve("run");
        Files.createDirectories(tmp.resolve(".run.partial"));
        Json.write(tmp.resolve(".run.partial").resolve("run.json"), new dev.hone.train.RunIdentity(java.util.Map.of("seed", "99")));
        Cli.Outcome withoutResume = Cli.run(args(data, out).toArray(String[]::new));
        assertThat(withoutResume.status()).isEqualTo(2);
        assertThat(withoutResume.err()).contains("interrupted run").contains("--resume");

        List<String> resume = new ArrayList<>(args(data, out));
        resume.add("--resume");
        Cli.Outcome mismatched = Cli.run(resume.toArray(String[]::new));
        assertThat(mismatched.status()).isEqualTo(2);
        assertThat(mismatched.err()).contains("differs from this one").contains("seed");
    }
}
