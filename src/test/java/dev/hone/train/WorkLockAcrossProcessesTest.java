package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The work lock held by another process, as two {@code hone train} runs on one {@code --out} meet it: the second is
 * refused and told the first one's process id, and a first one killed with {@code kill -9} leaves a folder that resumes.
 */
class WorkLockAcrossProcessesTest {
    private static final RunIdentity IDENTITY = new RunIdentity(Map.of("data", "abc", "seed", "1"));
    private static final String HELD = "held";

    @TempDir
    Path tmp;

    /** The first run: prepares {@code args[0]} as a new run, says so, and holds it until it is killed. */
    public static final class FirstRun {
        public static void main(String[] args) throws Exception {
            OutputDirectory.prepare(Paths.get(args[0]), IDENTITY, false, "2026-12-07T23:00:00Z", Map.of());
            System.out.println(HELD);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5)); // killed by the test long before
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aSecondProcessIsRefusedNamingTheFirstAndAKilledOneLeavesAFolderThatResumes() throws Exception {
        Path out = tmp.resolve("run");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        Process first = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FirstRun.class.getName(),
                out.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader said = new BufferedReader(new InputStreamReader(first.getInputStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder all = new StringBuilder();
            while ((line = said.readLine()) != null && !line.equals(HELD)) {
                all.append(line).append('\n');
            }
            assertThat(line).as("the first run's output:\n%s", all).isEqualTo(HELD);

            String inProgress = "a run on " + out.toAbsolutePath().normalize() + " is in progress (process " + first.pid() + ")";
            assertThatThrownBy(() -> OutputDirectory.checkUsable(out, true)).isInstanceOf(HoneException.class)
                    .hasMessageContaining(inProgress);
            assertThatThrownBy(() -> OutputDirectory.prepare(out, IDENTITY, true, "2026-12-07T23:01:00Z", Map.of()))
                    .isInstanceOf(HoneException.class).hasMessageContaining(inProgress)
                    .hasMessageContaining("stop it (Ctrl-C) and continue it with --resume");
            // checking did not release the first process's lock: a second check is refused the same way
            assertThatThrownBy(() -> OutputDirectory.checkUsable(out, true)).hasMessageContaining(inProgress);
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook runs, the lock file stays, the system drops the lock
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(OutputDirectory.workFolder(out).resolve(WorkLock.FILE)).exists();
        OutputDirectory.checkUsable(out, true);
        OutputDirectory resumed = OutputDirectory.prepare(out, IDENTITY, true, "2026-12-07T23:02:00Z", Map.of());
        assertThat(resumed.resuming()).isTrue();
        resumed.commit();
        assertThat(out.resolve(WorkLock.FILE)).doesNotExist();
        assertThat(out.resolve(OutputDirectory.RUN_FILE)).exists();
    }
}
