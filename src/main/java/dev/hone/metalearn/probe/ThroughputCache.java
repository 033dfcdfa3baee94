package dev.hone.metalearn.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput curves measured on this machine, kept so that later runs of the same model on the same
 * machine reuse them instead of timing again.
 *
 * <p>Why: a throughput curve is timed over a few steps per batch size, and on a CPU the sizes near the
 * rule's plateau line scatter across it from start to start (batch 32 at 86-94% of the best throughput
 * against a 90% line, issue 14), so two runs of one seed chose 32 and 64 and differed in more than the
 * option compared. The device's speed is a property of the machine and the model, not of the run:
 * measured once and reused, it makes the batch size, and every decision built on it, the same for
 * the same seed. It also saves the probe's time (30-60 s of a budget on the 2-core CPU). This is what
 * autotuners do with their measurements (cuDNN's benchmark mode, Triton's autotuning cache).
 *
 * <p>An entry is keyed by everything that sets the speed: the model (its spec, parameter count and
 * input shape), the largest batch probed, the engine and its version, the device, the CPU model, the
 * cores and threads, and {@code DNNL_MAX_CPU_ISA}. Only complete curves are kept (every timing round
 * ran; none was cut short by a small budget), and an entry older than {@link #MAX_AGE} is measured
 * again. The first measurement is still as noisy as any: the cache makes runs agree with each other,
 * not with the truth. Delete the file named in the {@code batch-size} decision, or set
 * {@code HONE_CACHE=off}, to time again.
 *
 * <p>The folder is {@code $HONE_CACHE} (or the {@code hone.cache} system property), else
 * {@code $XDG_CACHE_HOME/hone}, else {@code ~/.cache/hone}; the value {@code off} turns the cache off.
 * A cache that cannot be read or written is skipped with a log line: it never stops a run.
 */
public final class ThroughputCache {
    /** System property naming the cache folder, or {@code off}. */
    public static final String PROPERTY = "hone.cache";
    /** Environment variable naming the cache folder, or {@code off}; the property wins over it. */
    public static final String ENV = "HONE_CACHE";
    /** Entries older than this are measured again (machines change: drivers, BIOS, neighbours). */
    public static final Duration MAX_AGE = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger("hone");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;

    /** A cache in {@code folder}; null turns it off. */
    public ThroughputCache(Path folder) {
        this.folder = folder;
    }

    /** The cache the environment names (see the class comment). */
    public static ThroughputCache fromEnvironment() {
        String named = System.getProperty(PROPERTY, System.getenv(ENV));
        if (named != null && !named.isBlank()) {
            return new ThroughputCache("off".equalsIgnoreCase(named.trim()) ? null : Path.of(named.trim()));
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return new ThroughputCache(base.resolve("hone"));
    }

    /** Whether the cache is on. */
    public boolean enabled() {
        return folder != null;
    }

    /** A reused curve: its points, when it was measured, and its file. */
    public record Entry(List<ThroughputProbe.Point> points, Instant measured, Path file) {}

    /**
     * The curve kept for this key, when there is a readable one younger than {@link #MAX_AGE}.
     *
     * @param key what sets the speed, as named parts (see {@link #file(Map)})
     * @param now the present, to age the entry
     */
    public Optional<Entry> read(Map<String, String> key, Instant now) {
        if (folder == null) {
            return Optional.empty();
        }
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (!JSON.valueToTree(new TreeMap<>(key)).equals(root.get("key"))) {
                return Optional.empty();
            }
            Instant measured = Instant.parse(root.get("measured").asText());
            if (measured.isBefore(now.minus(MAX_AGE))) {
                return Optional.empty();
            }
            List<ThroughputProbe.Point> points = new ArrayList<>();
            for (JsonNode p : root.get("points")) {
                points.add(new ThroughputProbe.Point(p.get("batchSize").asInt(), p.get("imagesPerSecond").asDouble(),
                        p.get("fits").asBoolean()));
            }
            return points.isEmpty() ? Optional.empty() : Optional.of(new Entry(List.copyOf(points), measured, file));
        } catch (IOException | RuntimeException e) {
            LOG.warn("throughput cache: cannot read {} ({}); timing again", file, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Keeps a complete curve for this key: written to a temporary file and renamed, so a reader never
     * sees half of one. Returns the file, or empty when the cache is off or cannot be written.
     */
    public Optional<Path> write(Map<String, String> key, List<ThroughputProbe.Point> points, Instant measured) {
        if (folder == null || points.isEmpty()) {
            return Optional.empty();
        }
        Path file = file(key);
        try {
            Files.createDirectories(folder);
            ObjectNode root = JSON.createObjectNode();
            root.set("key", JSON.valueToTree(new TreeMap<>(key)));
            root.put("measured", measured.toString());
            ArrayNode array = root.putArray("points");
            for (ThroughputProbe.Point p : points) {
                array.addObject().put("batchSize", p.batchSize()).put("imagesPerSecond", p.imagesPerSecond())
                        .put("fits", p.fits());
            }
            Path tmp = Files.createTempFile(folder, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("throughput cache: cannot write {} ({}); the next run times again", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** The entry's file: {@code throughput-<first 16 hex digits of the key's SHA-256>.json} in the folder. */
    Path file(Map<String, String> key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    new TreeMap<>(key).toString().getBytes(StandardCharsets.UTF_8));
            return folder.resolve("throughput-" + HexFormat.of().formatHex(digest, 0, 8) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * The key of a model's curve on this machine: the caller's parts that set the speed (model, input,
     * largest batch probed) plus the machine's: engine and version, device, CPU model, cores, threads
     * and oneDNN's instruction-set cap.
     */
    public static Map<String, String> key(Map<String, String> modelParts, String device) {
        Map<String, String> key = new TreeMap<>(modelParts);
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getInstance();
        key.put("engine", engine.getEngineName() + " " + engine.getVersion());
        key.put("device", device);
        key.put("cpu", cpuModel());
        key.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        key.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "") + "/"
                + System.getProperty("ai.djl.pytorch.num_interop_threads", ""));
        key.put("DNNL_MAX_CPU_ISA", String.valueOf(System.getenv("DNNL_MAX_CPU_ISA")));
        return key;
    }

    /** The CPU's model name from {@code /proc/cpuinfo}, or the architecture where there is none. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the architecture below
        }
        return System.getProperty("os.arch");
    }
}
