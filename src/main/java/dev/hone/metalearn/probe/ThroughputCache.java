package dev.hone.metalearn.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hone.record.Json;
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
 * measured once and reused, it makes the batch size, and the other decisions read from the curve,
 * the same for the same seed. It also saves the probe's time (30-40 s of a budget on the 2-core CPU). This is what
 * autotuners do with their measurements (cuDNN's benchmark mode, Triton's autotuning cache).
 *
 * <p>An entry is keyed by what sets the speed: the model (its spec, parameter count, input shape and
 * loss), the largest batch probed, the probe's method, hone's version, the engine and its version, the
 * device (and a GPU's compute capability and memory), the host, the CPU model, the cores and threads,
 * and the environment variables that change kernels or the allocator ({@code DNNL_MAX_CPU_ISA},
 * {@code OMP_NUM_THREADS}, {@code MKL_NUM_THREADS}, {@code GLIBC_TUNABLES}). Only complete curves are
 * kept (every timing round ran, none was cut short by a small budget, no batch ran out of memory), and
 * an entry older than {@link #MAX_AGE} is timed again; expired files are left in place. An entry
 * whose file does not parse, or whose figures are not a throughput curve, is timed again too.
 *
 * <p>What it does not do: the first measurement is as noisy as any, and a curve timed while the
 * machine was busy stays until it expires. The cache makes runs agree with each other, not with the
 * truth. Decisions read from the curve (the batch size, the budget plan's speed) are the same in a
 * run that reuses it; decisions that depend on the time left (probe lengths under a tight budget, the
 * regularization search's trials) see the 30-60 s the first run spent timing. Delete the file named in
 * the {@code batch-size} decision, or set {@code HONE_CACHE=off}, to time again.
 *
 * <p>The folder is the {@code hone.cache} system property, else {@code $HONE_CACHE}, else
 * {@code $XDG_CACHE_HOME/hone}, else {@code ~/.cache/hone}; {@code off} turns the cache off, and so
 * does a folder that is not an absolute path. A cache that cannot be read or written is skipped with
 * a log line: it never stops a run.
 */
public final class ThroughputCache {
    /** System property naming the cache folder, or {@code off}. */
    public static final String PROPERTY = "hone.cache";
    /** Environment variable naming the cache folder, or {@code off}; the property wins over it. */
    public static final String ENV = "HONE_CACHE";
    /** Entries older than this are measured again (machines change: drivers, BIOS, neighbours). */
    public static final Duration MAX_AGE = Duration.ofDays(30);

    private static final Logger LOG = LoggerFactory.getLogger("hone");
    private static final ObjectMapper JSON = Json.mapper();

    private final Path folder;

    /** A cache in {@code folder}; null turns it off. */
    public ThroughputCache(Path folder) {
        this.folder = folder;
    }

    /** The cache the environment names (see the class comment). */
    public static ThroughputCache fromEnvironment() {
        return fromNames(System.getProperty(PROPERTY), System.getenv(ENV), System.getenv("XDG_CACHE_HOME"),
                System.getProperty("user.home"));
    }

    /** The cache from the property, the variable, {@code XDG_CACHE_HOME} and the home folder, in that order. */
    static ThroughputCache fromNames(String property, String variable, String xdg, String home) {
        String named = property != null && !property.isBlank() ? property : variable;
        try {
            Path folder;
            if (named != null && !named.isBlank()) {
                if ("off".equalsIgnoreCase(named.trim())) {
                    return new ThroughputCache(null);
                }
                folder = Path.of(named.trim());
            } else if (xdg != null && !xdg.isBlank()) {
                folder = Path.of(xdg).resolve("hone");
            } else {
                folder = Path.of(home == null ? "" : home, ".cache", "hone");
            }
            if (!folder.isAbsolute()) {
                LOG.warn("throughput cache: {} is not an absolute path; the curve is timed in every run", folder);
                return new ThroughputCache(null);
            }
            return new ThroughputCache(folder);
        } catch (java.nio.file.InvalidPathException e) {
            LOG.warn("throughput cache: {}; the curve is timed in every run", e.getMessage());
            return new ThroughputCache(null);
        }
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
            if (measured.isBefore(now.minus(MAX_AGE)) || measured.isAfter(now.plus(Duration.ofMinutes(5)))) {
                return Optional.empty();
            }
            List<ThroughputProbe.Point> points = points(root.get("points"));
            if (points.isEmpty()) {
                LOG.warn("throughput cache: {} holds no throughput curve; timing again", file);
                return Optional.empty();
            }
            return Optional.of(new Entry(List.copyOf(points), measured, file));
        } catch (IOException | RuntimeException e) {
            LOG.warn("throughput cache: cannot read {} ({}); timing again", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** The points of a kept curve, or empty unless they are one: two or more, batch sizes rising, finite positive figures. */
    private static List<ThroughputProbe.Point> points(JsonNode array) {
        List<ThroughputProbe.Point> points = new ArrayList<>();
        if (array == null || !array.isArray()) {
            return List.of();
        }
        int last = 0;
        for (JsonNode p : array) {
            JsonNode b = p.get("batchSize");
            JsonNode ips = p.get("imagesPerSecond");
            if (b == null || !b.isInt() || ips == null || !ips.isNumber() || b.asInt() <= last
                    || !(ips.asDouble() > 0) || !Double.isFinite(ips.asDouble())) {
                return List.of();
            }
            last = b.asInt();
            points.add(new ThroughputProbe.Point(b.asInt(), ips.asDouble(), true));
        }
        return points.size() >= 2 ? points : List.of();
    }

    /**
     * Keeps a curve for this key: written to a temporary file and renamed, so a reader never sees half of
     * one. Returns the file, or empty when the cache is off, the curve is not one a later run could use
     * (fewer than two points, or a batch that ran out of memory), or the folder cannot be written.
     */
    public Optional<Path> write(Map<String, String> key, List<ThroughputProbe.Point> points, Instant measured) {
        if (folder == null || points.size() < 2 || points.stream().anyMatch(p -> !p.fits())) {
            return Optional.empty();
        }
        Path file = file(key);
        Path tmp = null;
        try {
            Files.createDirectories(folder);
            ObjectNode root = JSON.createObjectNode();
            root.set("key", JSON.valueToTree(new TreeMap<>(key)));
            root.put("measured", measured.toString());
            ArrayNode array = root.putArray("points");
            for (ThroughputProbe.Point p : points) {
                array.addObject().put("batchSize", p.batchSize()).put("imagesPerSecond", p.imagesPerSecond());
            }
            tmp = Files.createTempFile(folder, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, JSON.writeValueAsString(root), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            return Optional.of(file);
        } catch (IOException | RuntimeException e) {
            LOG.warn("throughput cache: cannot write {} ({}); the next run times again", file, e.getMessage());
            return Optional.empty();
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("throughput cache: cannot remove {} ({})", tmp, e.getMessage());
                }
            }
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
     * The key of a curve on this machine: the caller's parts (model, input, largest batch, probe method)
     * plus the machine's: hone's and the engine's versions, the device (with a GPU's compute capability
     * and memory), the host, the CPU model, cores, threads and the environment variables that change
     * kernels or the allocator.
     */
    public static Map<String, String> key(Map<String, String> parts, ai.djl.Device device) {
        Map<String, String> key = new TreeMap<>(parts);
        ai.djl.engine.Engine engine = ai.djl.engine.Engine.getInstance();
        String hone = ThroughputCache.class.getPackage().getImplementationVersion();
        key.put("hone", hone == null ? "dev" : hone);
        key.put("engine", engine.getEngineName() + " " + engine.getVersion());
        key.put("device", device.toString());
        if (device.isGpu()) {
            try {
                key.put("gpu", "compute capability " + ai.djl.util.cuda.CudaUtils.getComputeCapability(device.getDeviceId())
                        + ", " + ai.djl.util.cuda.CudaUtils.getGpuMemory(device).getMax() + " bytes");
            } catch (RuntimeException | LinkageError e) {
                key.put("gpu", "unknown");
            }
        }
        key.put("host", host());
        key.put("cpu", cpuModel());
        key.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
        key.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "") + "/"
                + System.getProperty("ai.djl.pytorch.num_interop_threads", ""));
        for (String variable : List.of("DNNL_MAX_CPU_ISA", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "GLIBC_TUNABLES")) {
            key.put(variable, String.valueOf(System.getenv(variable)));
        }
        return key;
    }

    /** The host's name ({@code HOSTNAME}, else {@code /etc/hostname}), or empty. */
    static String host() {
        String named = System.getenv("HOSTNAME");
        if (named != null && !named.isBlank()) {
            return named.trim();
        }
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
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
