package dev.hone.metalearn.probe;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.hone.metalearn.probe.ThroughputProbe.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThroughputCacheTest {
    private static final Map<String, String> KEY = Map.of("model", "resnet9", "input", "(1, 28, 28)", "cpu", "test CPU");
    private static final Map<String, String> OTHER = Map.of("model", "resnet18", "input", "(1, 28, 28)", "cpu", "test CPU");
    private static final List<Point> CURVE = List.of(new Point(16, 350.5, true), new Point(32, 410, true),
            new Point(64, 402, true));
    private static final Instant MEASURED = Instant.parse("2026-12-02T06:00:00Z");

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aWrittenCurveIsReadBackForTheSameKey(@TempDir Path dir) throws IOException {
        ThroughputCache cache = new ThroughputCache(dir.resolve("hone"));
        Path file = cache.write(KEY, CURVE, MEASURED).orElseThrow();

        ThroughputCache.Entry entry = cache.read(KEY, MEASURED.plus(Duration.ofDays(1))).orElseThrow();
        assertThat(entry.points()).isEqualTo(CURVE);
        assertThat(entry.measured()).isEqualTo(MEASURED);
        assertThat(entry.file()).isEqualTo(file);
        assertThat(file.getFileName().toString()).matches("throughput-[0-9a-f]{16}\\.json");
        assertThat(files(file.getParent())).containsExactly(file); // the temporary file was renamed, not left behind
    }

    @Test
    void anotherKeyDoesNotReuseIt(@TempDir Path dir) throws IOException {
        ThroughputCache cache = new ThroughputCache(dir);
        Path file = cache.write(KEY, CURVE, MEASURED).orElseThrow();
        assertThat(cache.read(OTHER, MEASURED)).isEmpty();

        // even at the other key's file name (a hash collision), the key inside the file must match
        Files.move(file, cache.file(OTHER));
        assertThat(cache.read(OTHER, MEASURED)).isEmpty();
    }

    @Test
    void anOldOrFutureEntryIsTimedAgain(@TempDir Path dir) {
        ThroughputCache cache = new ThroughputCache(dir);
        cache.write(KEY, CURVE, MEASURED);

        assertThat(cache.read(KEY, MEASURED.plus(ThroughputCache.MAX_AGE).minusSeconds(1))).isPresent();
        assertThat(cache.read(KEY, MEASURED.plus(ThroughputCache.MAX_AGE).plusSeconds(1))).isEmpty();
        assertThat(cache.read(KEY, MEASURED.minus(Duration.ofDays(1)))).as("measured in the future").isEmpty();
    }

    @Test
    void aCurveThatRanOutOfMemoryOrHasOnePointIsNotKept(@TempDir Path dir) throws IOException {
        ThroughputCache cache = new ThroughputCache(dir);
        assertThat(cache.write(KEY, List.of(new Point(16, 350, true), new Point(32, 0, false)), MEASURED)).isEmpty();
        assertThat(cache.write(KEY, List.of(new Point(16, 350, true)), MEASURED)).isEmpty();
        assertThat(files(dir)).isEmpty();
    }

    @Test
    void aDamagedOrImplausibleFileIsTimedAgain(@TempDir Path dir) throws IOException {
        ThroughputCache cache = new ThroughputCache(dir);
        Files.writeString(cache.file(KEY), "{\"key\": {\"cpu\": ");
        assertThat(cache.read(KEY, MEASURED)).isEmpty();

        Path file = cache.write(KEY, CURVE, MEASURED).orElseThrow();
        String good = Files.readString(file);
        for (String bad : List.of(good.replace("350.5", "0.0"), good.replace("350.5", "\"fast\""), good.replace("\"batchSize\" : 32",
                "\"batchSize\" : 8"), good.replace("\"batchSize\" : 16", "\"batchSize\" : 16.5"))) {
            assertThat(bad).isNotEqualTo(good);
            Files.writeString(file, bad);
            assertThat(cache.read(KEY, MEASURED)).as(bad).isEmpty();
        }
    }

    @Test
    void anUnwritableFolderDoesNotStopTheRun(@TempDir Path dir) throws IOException {
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
    void theFolderComesFromThePropertyThenTheVariableThenXdgThenHome(@TempDir Path dir) {
        String a = dir.resolve("a").toString();
        String b = dir.resolve("b").toString();
        assertThat(ThroughputCache.fromNames(a, b, "/xdg", "/home/u").file(KEY).getParent()).isEqualTo(Path.of(a));
        assertThat(ThroughputCache.fromNames(null, b, "/xdg", "/home/u").file(KEY).getParent()).isEqualTo(Path.of(b));
        assertThat(ThroughputCache.fromNames(" ", null, "/xdg", "/home/u").file(KEY).getParent()).isEqualTo(Path.of("/xdg/hone"));
        assertThat(ThroughputCache.fromNames(null, null, null, "/home/u").file(KEY).getParent()).isEqualTo(Path.of("/home/u/.cache/hone"));
        assertThat(ThroughputCache.fromNames("OFF", b, "/xdg", "/home/u").enabled()).isFalse();
        assertThat(ThroughputCache.fromNames(null, "off", "/xdg", "/home/u").enabled()).isFalse();
        // a relative folder (an unknown home, "?") would land in the working folder: off instead
        assertThat(ThroughputCache.fromNames(null, null, null, "?").enabled()).isFalse();
        assertThat(ThroughputCache.fromNames("relative/cache", null, null, "/home/u").enabled()).isFalse();
    }

    @Test
    void theKeyNamesTheMachine() {
        Map<String, String> key = ThroughputCache.key(Map.of("model", "resnet9"), Device.cpu());
        assertThat(key).containsEntry("model", "resnet9").containsEntry("device", Device.cpu().toString())
                .containsKeys("hone", "engine", "host", "cpu", "cores", "threads", "DNNL_MAX_CPU_ISA", "GLIBC_TUNABLES");
        assertThat(key.get("engine")).startsWith("PyTorch");
    }
}
