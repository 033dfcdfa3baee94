package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The work folder keeps when a run first started, so that the record of a resumed run starts there. */
class OutputDirectoryTest {
    private static final RunIdentity IDENTITY = new RunIdentity(Map.of("data", "abc", "seed", "1"));
    private static final String FIRST = "2026-12-06T03:29:35.100Z";
    private static final String SECOND = "2026-12-06T03:30:47.882Z";

    @TempDir
    Path tmp;

    @Test
    void aResumeWithOtherFlagsIsRefusedBeforeTheDataAreRead() {
        Path out = tmp.resolve("run");
        OutputDirectory.prepare(out, IDENTITY, false, FIRST, Map.of()).release(); // stopped
        // the data are not read yet: only the flags are compared, and the same flags pass
        OutputDirectory.checkResumeFlags(out, Map.of("seed", "1"), true, Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputDirectory.checkResumeFlags(out, Map.of("seed", "2"), true, Map.of()))
                .isInstanceOf(dev.hone.core.HoneException.class).hasMessageContaining("seed: 1 vs 2")
                .hasMessageContaining("Fix: resume with the same data and flags, or delete");
        // without --resume, or without an interrupted run, there is nothing to compare here
        OutputDirectory.checkResumeFlags(out, Map.of("seed", "2"), false, Map.of());
        OutputDirectory.checkResumeFlags(tmp.resolve("other"), Map.of("seed", "2"), true, Map.of());
    }

    @Test
    void aMismatchNamesTheDataAndEveryFlagAtOnce() {
        Path out = tmp.resolve("named");
        Map<String, String> sources = OutputDirectory.sources("gone/fashion-mnist-sample", null, null);
        OutputDirectory.prepare(out, new RunIdentity(Map.of("data", "93d2", "test", "held-out", "seed", "1")), false, FIRST,
                sources).release();
        Map<String, String> elsewhere = OutputDirectory.sources("/tmp/clean", "/tmp/test", null);
        // before the data are read: the flags, and the data named otherwise
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputDirectory.checkResumeFlags(out, Map.of("seed", "2"), true,
                elsewhere)).hasMessageContaining("seed: 1 vs 2; data: gone/fashion-mnist-sample vs /tmp/clean");
        // once read: the fingerprints, by the data's names
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputDirectory.prepare(out, new RunIdentity(Map.of("data", "eec0",
                "test", "73aa", "seed", "1")), true, SECOND, elsewhere))
                .hasMessageContaining("data: gone/fashion-mnist-sample vs /tmp/clean (other images)")
                .hasMessageContaining("test: a split held out of --data vs /tmp/test (73aa)").hasMessageNotContaining("93d2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputDirectory.prepare(out, new RunIdentity(Map.of("data", "eec0",
                "test", "held-out", "seed", "1")), true, SECOND, sources))
                .hasMessageContaining("data: the images of gone/fashion-mnist-sample changed");
    }

    @Test
    void sourcesThatExistAreKeptAbsoluteAndAddedOrDroppedOnesAreNamed() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("d"));
        assertThat(OutputDirectory.sources(tmp.resolve("d/./../d").toString(), null, null))
                .containsEntry("data", data.toAbsolutePath().normalize().toString());
        assertThat(OutputDirectory.sources("fashion-mnist", null, null)).containsEntry("data", "fashion-mnist");
        Path out = tmp.resolve("added");
        OutputDirectory.prepare(out, new RunIdentity(Map.of("data", "93d2", "test", "c1f4", "seed", "1")), false, FIRST,
                OutputDirectory.sources("fashion-mnist", null, null)).release();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputDirectory.checkResumeFlags(out, Map.of("seed", "2"), true,
                OutputDirectory.sources("fashion-mnist", null, "/tmp/unlabeled"))).hasMessageContaining("unlabeled: not given vs /tmp/unlabeled");
        // an --unlabeled added with the same flags: refused before the data are read, naming it alone
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputDirectory.checkResumeFlags(out, Map.of("seed", "1"), true,
                OutputDirectory.sources("fashion-mnist", null, "/tmp/unlabeled"))).hasMessageContaining("differs from this one"
                + " (unlabeled: not given vs /tmp/unlabeled)");
        OutputDirectory.checkResumeFlags(out, Map.of("seed", "1"), true, OutputDirectory.sources(" Fashion-MNIST", null, null));
        // the test split the data bring is named after them
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputDirectory.prepare(out, new RunIdentity(Map.of("data", "93d2",
                "test", "c11b", "seed", "1")), true, SECOND, OutputDirectory.sources("fashion-mnist", null, null)))
                .hasMessageContaining("test: the images of the test split of fashion-mnist changed");
    }

    @Test
    void aResumeKeepsTheFirstAttemptsStartAndIsNotRefusedForIt() throws Exception {
        Path out = tmp.resolve("run");
        OutputDirectory first = OutputDirectory.prepare(out, IDENTITY, false, FIRST, Map.of());
        assertThat(first.resuming()).isFalse();
        assertThat(first.firstStart()).isEqualTo(FIRST);
        Path runFile = first.work().resolve(OutputDirectory.RUN_FILE);
        assertThat(Json.mapper().readTree(runFile.toFile()).get("startedAt").asText()).isEqualTo(FIRST);
        first.release();

        // killed; resumed three times: every attempt keeps the first start, and learns when the attempts before it resumed;
        // neither takes part in the identity
        String third = "2026-12-06T04:00:00Z";
        String fourth = "2026-12-06T04:10:00Z";
        OutputDirectory second = OutputDirectory.prepare(out, IDENTITY, true, SECOND, Map.of());
        assertThat(second.earlierResumes()).isEmpty();
        second.release();
        OutputDirectory thirdAttempt = OutputDirectory.prepare(out, IDENTITY, true, third, Map.of());
        assertThat(thirdAttempt.earlierResumes()).containsExactly(SECOND);
        thirdAttempt.release();
        OutputDirectory last = OutputDirectory.prepare(out, IDENTITY, true, fourth, Map.of());
        last.release();
        assertThat(last.resuming()).isTrue();
        assertThat(last.firstStart()).isEqualTo(FIRST);
        assertThat(last.earlierResumes()).containsExactly(SECOND, third);
        JsonNode kept = Json.mapper().readTree(runFile.toFile());
        assertThat(kept.get("startedAt").asText()).isEqualTo(FIRST);
        assertThat(kept.get("resumedAt")).extracting(JsonNode::asText).containsExactly(SECOND, third, fourth);
        // readers of the identity (a resume, an existing --out, HoneModel's evaluate) still read it from the same file
        assertThat(Json.mapper().readValue(runFile.toFile(), RunIdentity.class)).isEqualTo(IDENTITY);
    }

    @Test
    void aRunInProgressIsNotTakenForAnInterruptedOne() throws Exception {
        Path out = tmp.resolve("live");
        OutputDirectory running = OutputDirectory.prepare(out, IDENTITY, false, FIRST, Map.of());
        Path lock = running.work().resolve(WorkLock.FILE);
        assertThat(Files.readString(lock).strip()).isEqualTo(Long.toString(ProcessHandle.current().pid()));
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable second : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> OutputDirectory.checkUsable(out, false), () -> OutputDirectory.checkUsable(out, true),
                () -> OutputDirectory.prepare(out, IDENTITY, true, SECOND, Map.of()))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(second).isInstanceOf(dev.hone.core.HoneException.class)
                    .hasMessageContaining("a run on " + out.toAbsolutePath().normalize() + " is in progress (process "
                            + ProcessHandle.current().pid() + ")").hasMessageContaining("choose another --out");
        }
        running.release(); // stopped: its folder is an interrupted run, resumed as before, and its lock file goes with it
        assertThat(lock).doesNotExist();
        OutputDirectory resumed = OutputDirectory.prepare(out, IDENTITY, true, SECOND, Map.of());
        assertThat(resumed.resuming()).isTrue();
        resumed.commit();
        assertThat(out.resolve(WorkLock.FILE)).doesNotExist();
        assertThat(out.resolve(OutputDirectory.RUN_FILE)).exists();
    }

    @Test
    void aWorkFolderFromBeforeTheStartWasKeptResumesWithAnUnknownFirstStart() throws Exception {
        Path out = tmp.resolve("old");
        Path work = OutputDirectory.workFolder(out);
        Files.createDirectories(work);
        Json.write(work.resolve(OutputDirectory.RUN_FILE), IDENTITY); // run.json as earlier versions wrote it

        OutputDirectory resumed = OutputDirectory.prepare(out, IDENTITY, true, SECOND, Map.of());
        resumed.release();
        assertThat(resumed.resuming()).isTrue();
        assertThat(resumed.firstStart()).isNull(); // the record then starts at this attempt, as before
        assertThat(resumed.earlierResumes()).isEmpty();
        assertThat(Json.mapper().readTree(work.resolve(OutputDirectory.RUN_FILE).toFile()).has("startedAt")).isFalse();
    }

    @Test
    void aNewRunInAWorkFolderItCannotResumeStartsAgain() {
        Path out = tmp.resolve("unreadable");
        OutputDirectory.prepare(out, IDENTITY, false, FIRST, Map.of()).release();
        try {
            Files.writeString(OutputDirectory.workFolder(out).resolve(OutputDirectory.RUN_FILE), "{ not json");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        OutputDirectory again = OutputDirectory.prepare(out, IDENTITY, true, SECOND, Map.of());
        assertThat(again.resuming()).isFalse();
        assertThat(again.firstStart()).isEqualTo(SECOND);
    }
}
