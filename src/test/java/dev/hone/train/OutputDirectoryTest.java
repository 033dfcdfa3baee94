package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.record.Json;
import java.nio.file.Files;
import java.nio.file.Path;
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
        OutputDirectory.prepare(out, IDENTITY, false, FIRST);
        // the data are not read yet: only the flags are compared, and the same flags pass
        OutputDirectory.checkResumeFlags(out, Map.of("seed", "1"), true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutputDirectory.checkResumeFlags(out, Map.of("seed", "2"), true))
                .isInstanceOf(dev.hone.core.HoneException.class).hasMessageContaining("seed: 1 vs 2")
                .hasMessageContaining("Fix: resume with the same data and flags, or delete");
        // without --resume, or without an interrupted run, there is nothing to compare here
        OutputDirectory.checkResumeFlags(out, Map.of("seed", "2"), false);
        OutputDirectory.checkResumeFlags(tmp.resolve("other"), Map.of("seed", "2"), true);
    }

    @Test
    void aResumeKeepsTheFirstAttemptsStartAndIsNotRefusedForIt() throws Exception {
        Path out = tmp.resolve("run");
        OutputDirectory first = OutputDirectory.prepare(out, IDENTITY, false, FIRST);
        assertThat(first.resuming()).isFalse();
        assertThat(first.firstStart()).isEqualTo(FIRST);
        Path runFile = first.work().resolve(OutputDirectory.RUN_FILE);
        assertThat(Json.mapper().readTree(runFile.toFile()).get("startedAt").asText()).isEqualTo(FIRST);

        // killed; resumed twice: every attempt keeps the first start, and the start takes no part in the identity
        for (String start : new String[] {SECOND, "2026-12-06T04:00:00Z"}) {
            OutputDirectory resumed = OutputDirectory.prepare(out, IDENTITY, true, start);
            assertThat(resumed.resuming()).isTrue();
            assertThat(resumed.firstStart()).isEqualTo(FIRST);
        }
        JsonNode kept = Json.mapper().readTree(runFile.toFile());
        assertThat(kept.get("startedAt").asText()).isEqualTo(FIRST);
        // readers of the identity (a resume, an existing --out, HoneModel's evaluate) still read it from the same file
        assertThat(Json.mapper().readValue(runFile.toFile(), RunIdentity.class)).isEqualTo(IDENTITY);
    }

    @Test
    void aWorkFolderFromBeforeTheStartWasKeptResumesWithAnUnknownFirstStart() throws Exception {
        Path out = tmp.resolve("old");
        Path work = OutputDirectory.workFolder(out);
        Files.createDirectories(work);
        Json.write(work.resolve(OutputDirectory.RUN_FILE), IDENTITY); // run.json as earlier versions wrote it

        OutputDirectory resumed = OutputDirectory.prepare(out, IDENTITY, true, SECOND);
        assertThat(resumed.resuming()).isTrue();
        assertThat(resumed.firstStart()).isNull(); // the record then starts at this attempt, as before
        assertThat(Json.mapper().readTree(work.resolve(OutputDirectory.RUN_FILE).toFile()).has("startedAt")).isFalse();
    }

    @Test
    void aNewRunInAWorkFolderItCannotResumeStartsAgain() {
        Path out = tmp.resolve("unreadable");
        OutputDirectory.prepare(out, IDENTITY, false, FIRST);
        try {
            Files.writeString(OutputDirectory.workFolder(out).resolve(OutputDirectory.RUN_FILE), "{ not json");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        OutputDirectory again = OutputDirectory.prepare(out, IDENTITY, true, SECOND);
        assertThat(again.resuming()).isFalse();
        assertThat(again.firstStart()).isEqualTo(SECOND);
    }
}
