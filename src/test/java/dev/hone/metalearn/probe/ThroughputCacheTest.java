package dev.hone.metalearn.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metalearn.probe.ThroughputProbe.Point;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputCacheTest {
    private static final Map<String, String> KEY = Map.of("model", "resnet9", "input", "(1, 28, 28)", "cpu", "test CPU");
    private static final List<Point> CURVE = List.of(new Point(16, 350.5, true), new Point(32, 410, true),
            new Point(64, 0, false));
    private static final Instant MEASURED = Instant.parse("2026-12-02T06:00:00Z");

    @Test
    void aWrittenCurveIsReadBackForTheSameKey(@TempDir Path dir) {
        ThroughputCache cache = new ThroughputCache(dir.resolve("hone"));
        Path file = cache.write(KEY, CURVE, MEASURED).orElseThrow();

        ThroughputCache.Entry entry = cache.read(KEY, MEASURED.plus(Duration.ofDays(1))).orElseThrow();
        assertThat(entry.points()).isEqualTo(CURVE);
        assertThat(entry.measured()).isEqualTo(MEASURED);
        assertThat(entry.file()).isEqualTo(file);
        assertThat(file.getFileName().toString()).matches("throughput-[0-9a-f]{16}\\.json");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file); // the temporary file was renamed, not left behind
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anotherModelOrMachineDoesNotReuseIt(@TempDir Path dir) {
        ThroughputCache cache = new ThroughputCache(dir);
        cache.write(KEY, CURVE, MEASURED);

        assertThat(cache.read(Map.of("model", "resnet18", "input", "(1, 28, 28)", "cpu", "test CPU"), MEASURED)).isEmpty();
        assertThat(cache.read(Map.of("model", "resnet9", "input", "(1, 28, 28)", "cpu", "other CPU"), MEASURED)).isEmpty();
    }

    @Test
    void anOldEntryIsMeasuredAgain(@TempDir Path dir) {
        ThroughputCache cache = new ThroughputCache(dir);
        cache.write(KEY, CURVE, MEASURED);

        assertThat(cache.read(KEY, MEASURED.plus(ThroughputCache.MAX_AGE).minusSeconds(1))).isPresent();
        assertThat(cache.read(KEY, MEASURED.plus(ThroughputCache.MAX_AGE).plusSeconds(1))).isEmpty();
    }

    @Test
    void aDamagedFileIsSkippedAndAnUnwritableFolderDoesNotStopTheRun(@TempDir Path dir) throws Exception {
        ThroughputCache cache = new ThroughputCache(dir);
        Files.writeString(cache.file(KEY), "{\"key\": {\"cpu\": ");
        assertThat(cache.read(KEY, MEASURED)).isEmpty();

        Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertThat(new ThroughputCache(blocker).write(KEY, CURVE, MEASURED)).isEmpty();
    }

    @Test
    void offKeepsAndReadsNothing() {
        ThroughputCache off = new ThroughputCache(null);
        assertThat(off.enabled()).isFalse();
        assertThat(off.write(KEY, CURVE, MEASURED)).isEmpty();
        assertThat(off.read(KEY, MEASURED)).isEmpty();
    }

    @Test
    void theKeyNamesTheMachine() {
        Map<String, String> key = ThroughputCache.key(Map.of("model", "resnet9"), "cpu()");
        assertThat(key).containsEntry("model", "resnet9").containsEntry("device", "cpu()")
                .containsKeys("engine", "cpu", "cores", "threads", "DNNL_MAX_CPU_ISA");
        assertThat(key.get("engine")).startsWith("PyTorch");
    }
}
