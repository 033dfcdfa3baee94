package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.metalearn.probe.ThroughputCache;
import dev.hone.record.Json;
import dev.hone.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two runs of one seed on one machine: the second reuses the first's throughput curve and gets the same batch. */
class ThroughputCacheEndToEndTest {
    @TempDir
    Path tmp;

    private JsonNode batchSize(Path data, String run) throws Exception {
        Path out = tmp.resolve(run);
        Cli.Outcome o = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "4", "--epochs", "1",
                "--seed", "3", "--out", out.toString());
        assertThat(o.status()).as(o.err()).isZero();
        for (JsonNode d : Json.mapper().readTree(out.resolve("training-record.json").toFile()).get("decisions")) {
            if (d.get("name").asText().equals("batch-size")) {
                return d;
            }
        }
        throw new AssertionError("no batch-size decision in " + run);
    }

    @Test
    void theSecondRunReusesTheFirstRunsCurve() throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("images"), 100, 12, 4);
        Path cache = tmp.resolve("cache");
        String before = System.getProperty(ThroughputCache.PROPERTY);
        try {
            // two runs of hone are two processes, each timing its first steps cold; here they share one JVM, whose first run
            // of this network times it cold and the second warm, up to 1.55 times faster in a full test run, which the
            // stale-cache check reads as a curve timed on a busier machine: a run without the cache warms the JVM first
            System.setProperty(ThroughputCache.PROPERTY, "off");
            batchSize(data, "warm-up");
            System.setProperty(ThroughputCache.PROPERTY, cache.toString());
            JsonNode first = batchSize(data, "first");
            JsonNode second = batchSize(data, "second");

            assertThat(first.get("origin").asText()).isEqualTo("LEARNED");
            assertThat(first.get("evidence").get("throughputSource").asText()).contains("measured now, kept in " + cache);
            try (Stream<Path> files = Files.list(cache)) {
                assertThat(files).hasSize(1);
            }
            assertThat(second.get("evidence").get("throughputSource").asText()).contains("reused from " + cache);
            assertThat(second.get("rationale").asText()).contains("reused from").contains("HONE_CACHE=off");
            assertThat(second.get("evidence").get("throughput")).isEqualTo(first.get("evidence").get("throughput"));
            assertThat(second.get("value").asInt()).isEqualTo(first.get("value").asInt());
        } finally {
            if (before == null) {
                System.clearProperty(ThroughputCache.PROPERTY);
            } else {
                System.setProperty(ThroughputCache.PROPERTY, before);
            }
        }
    }
}
