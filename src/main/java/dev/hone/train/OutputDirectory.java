package dev.hone.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.hone.core.HoneException;
import dev.hone.record.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run's output directory, written atomically.
 *
 * <p>Everything is written into a hidden sibling work folder ({@code .NAME.partial}), which also
 * holds the checkpoints; only a finished run is renamed to {@code NAME}. So a reader never sees a
 * half-written model, a kill leaves the work folder for {@code --resume}, and an existing run is
 * never overwritten.
 */
public final class OutputDirectory {
    /**
     * The run's identity ({@link RunIdentity}) in its output and work folders, with when its first attempt started
     * ({@link #firstStart}).
     */
    public static final String RUN_FILE = "run.json";
    private static final String RECORD = "training-record.json";

    private final Path out;
    private final Path work;
    private final boolean resuming;
    private final String firstStart;
    private final List<String> earlierResumes;
    private final WorkLock lock;

    private OutputDirectory(Path out, Path work, boolean resuming, String firstStart, List<String> earlierResumes, WorkLock lock) {
        this.lock = lock;
        this.out = out;
        this.work = work;
        this.resuming = resuming;
        this.firstStart = firstStart;
        this.earlierResumes = List.copyOf(earlierResumes);
    }

    /**
     * What {@link #RUN_FILE} holds: the identity's fields, read back as a {@link RunIdentity} (which ignores the rest), and
     * when the run's first attempt started, kept by every resume so that the record of a resumed run starts there, and
     * when each resumed attempt started, oldest first. Not part of the identity: a resume never compares them.
     */
    private record RunFile(Map<String, String> fields,
            @JsonInclude(JsonInclude.Include.NON_NULL) String startedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> sources,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> resumedAt) {}

    /** @throws HoneException for an empty {@code --out}, which would resolve to the current folder and write the run among its files */
    private static void refuseEmpty(Path out) {
        if (out.toString().isBlank()) {
            throw new HoneException("--out is empty. Fix: name the folder to write the run to, e.g. --out runs/first");
        }
    }

    public static Path workFolder(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".partial");
    }

    /**
     * Checks {@code out} and its work folder against this run and prepares the work folder.
     *
     * @param resume whether the user asked to continue an interrupted run
     * @param started when this attempt started (ISO-8601): kept in {@link #RUN_FILE} as the run's first start, unless
     *     this attempt resumes a run that kept its own
     * @param sources the data as the user named them ({@link #sources}), kept in {@link #RUN_FILE} so that a mismatch
     *     names them beside their fingerprints
     */
    public static OutputDirectory prepare(Path out, RunIdentity identity, boolean resume, String started,
            Map<String, String> sources) {
        refuseEmpty(out);
        Path abs = out.toAbsolutePath().normalize();
        Path work = workFolder(abs);
        if (Files.exists(abs)) {
            checkExisting(abs, identity, sources);
        }
        boolean resuming = false;
        String firstStart = started;
        List<String> earlier = List.of();
        WorkLock.refuseIfHeld(work, abs);
        if (Files.exists(work)) {
            RunIdentity previous = readIdentity(work.resolve(RUN_FILE));
            if (!resume) {
                throw interrupted(abs, work);
            }
            if (previous != null && !previous.key().equals(identity.key())) {
                throw new HoneException("the interrupted run in " + work + " differs from this one ("
                        + previous.differences(identity, readSources(work.resolve(RUN_FILE)), sources)
                        + "). Fix: resume with the same data and flags, or delete " + work);
            }
            resuming = previous != null;
            if (resuming) {
                // null for a work folder written before the first start was kept: the record then starts at this attempt
                firstStart = readStart(work.resolve(RUN_FILE));
                earlier = readResumes(work.resolve(RUN_FILE));
            }
        } else if (resume) {
            // a script may pass --resume on every start; a mistyped --out would otherwise start over unnoticed
            org.slf4j.LoggerFactory.getLogger("hone").warn("--resume: no interrupted run of {} to resume (no {}); starting a new"
                    + " run", abs, work);
        }
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new HoneException("cannot create " + work + " (" + e.getMessage() + "): a run is written beside --out first and"
                    + " renamed to it when it ends, so the folder that holds --out (" + work.getParent() + ") must be writable,"
                    + " not only --out. Fix: choose an --out in a writable folder", e);
        }
        List<String> resumes = new ArrayList<>(earlier);
        if (resuming) {
            resumes.add(started);
        }
        WorkLock lock = WorkLock.acquire(work, abs); // before this run writes: a second one started meanwhile is refused here
        try {
            Json.write(work.resolve(RUN_FILE), new RunFile(identity.fields(), firstStart, sources.isEmpty() ? null : sources,
                    resumes));
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return new OutputDirectory(abs, work, resuming, firstStart, earlier, lock);
    }

    /**
     * Refuses an {@code --out} inside a data folder, or a data folder inside {@code --out}.
     *
     * <p>A run written into an image folder becomes one more class folder (or unreadable files) the next
     * time that folder is read, and the run's work folder would be read as data; a data folder inside
     * {@code --out} makes the output folder non-empty and would be moved with the finished run. Paths
     * are compared after resolving symbolic links of the parts that exist.
     *
     * @param flag the data's flag, for the message ({@code --data} or {@code --test})
     * @param data the flag's value: a path, or the name of a named data set (then nothing to check)
     */
    public static void checkApart(Path out, String flag, String data) {
        refuseEmpty(out);
        if (data == null || data.isBlank()) {
            return;
        }
        Path dataPath;
        try {
            dataPath = Path.of(data.strip());
        } catch (java.nio.file.InvalidPathException e) {
            return; // not a path; the data resolver says so
        }
        if (!Files.isDirectory(dataPath)) {
            return; // a named data set, or a CSV manifest file: nothing of the run is read as data
        }
        Path d = real(dataPath);
        Path o = real(out);
        if (o.startsWith(d)) {
            throw new HoneException("--out " + o + (o.equals(d) ? " is the " : " is inside the ") + flag + " folder " + d
                    + ": the run would be written"
                    + " into the data set, and the next run on " + d + " would read it as data. Fix: choose an --out"
                    + " outside " + d + (d.getParent() == null || o.getFileName() == null ? ""
                            : ", e.g. " + d.resolveSibling(d.getFileName() + "-runs").resolve(o.getFileName())));
        }
        if (d.startsWith(o)) {
            throw new HoneException(flag + " folder " + d + " is inside --out " + o + ": the output folder must be new or"
                    + " empty, and the finished run would be moved together with the data. Fix: choose an --out outside "
                    + d + " that does not contain it");
        }
    }

    /** The absolute, normalized path with symbolic links resolved in the longest existing prefix. */
    private static Path real(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return abs;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
        } catch (IOException e) {
            return abs;
        }
    }

    /**
     * The checks of {@link #prepare} that need no run identity, made before the data are read, so that a wrong
     * {@code --out} fails in a second, not after loading: the path is a file, a folder that is neither empty nor a hone
     * run, or an interrupted run's work folder exists and {@code resume} is false.
     *
     * @throws HoneException naming the path and the fix
     */
    public static void checkUsable(Path out, boolean resume) {
        refuseEmpty(out);
        Path abs = out.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            checkFolder(abs);
        }
        Path work = workFolder(abs);
        WorkLock.refuseIfHeld(work, abs);
        if (!resume && Files.exists(work)) {
            throw interrupted(abs, work);
        }
    }

    private static HoneException interrupted(Path out, Path work) {
        return new HoneException("an interrupted run of " + out + " is in " + work
                + ". Fix: add --resume to continue it, or delete " + work + " to start over");
    }

    /** The path is a folder, and empty unless it holds a hone run (whose identity {@link #checkExisting} compares). */
    private static void checkFolder(Path out) {
        if (!Files.isDirectory(out)) {
            throw HoneException.of("the output path exists and is not a folder", out, "choose another --out");
        }
        if (Files.exists(out.resolve(RUN_FILE)) || Files.exists(out.resolve(RECORD))) {
            return;
        }
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent()) {
                throw HoneException.of("the output folder is not empty and is not a hone run", out,
                        "choose a new or empty folder for --out");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkExisting(Path out, RunIdentity identity, Map<String, String> sources) {
        checkFolder(out);
        RunIdentity previous = readIdentity(out.resolve(RUN_FILE));
        if (previous != null && previous.key().equals(identity.key())) {
            throw HoneException.of("this run has already finished", out,
                    "use its results (hone explain " + out + "), or choose another --out to train again");
        }
        if (previous != null || Files.exists(out.resolve(RECORD))) {
            throw new HoneException("the output folder " + out + " already holds a different run"
                    + (previous == null ? "" : " (" + previous.differences(identity, readSources(out.resolve(RUN_FILE)), sources) + ")")
                    + ". Fix: choose another --out, or delete " + out);
        }
    }

    /**
     * Refuses a resume whose flags differ from the interrupted run's, before any image is decoded: {@link #prepare}
     * compares the whole identity, data fingerprints included, only once the data are read, which takes minutes on a
     * large set. Does nothing without {@code resume}, without a work folder, or with an unreadable one (prepare decides).
     *
     * @param flags the identity's flag fields ({@code TrainOptions.identityFields}), without the data's fingerprints
     * @param sources the data as named now ({@link #sources}): where flags differ, data named otherwise than the
     *     interrupted run named them are listed too, so that one message holds every difference it can see before the
     *     images are read (the same images under another path still resume)
     * @throws HoneException naming the flags that differ and the fix
     */
    public static void checkResumeFlags(Path out, Map<String, String> flags, boolean resume, Map<String, String> sources) {
        Path work = workFolder(out);
        RunIdentity previous = resume ? readIdentity(work.resolve(RUN_FILE)) : null;
        if (previous == null) {
            return;
        }
        Map<String, String> theirs = new HashMap<>();
        flags.keySet().forEach(name -> theirs.put(name, previous.fields().get(name)));
        RunIdentity before = new RunIdentity(theirs);
        RunIdentity now = new RunIdentity(flags);
        Map<String, String> named = readSources(work.resolve(RUN_FILE));
        // a --test or --unlabeled given on one side only changes the identity whatever the images
        boolean sourcesDiffer = !named.isEmpty() && !named.keySet().equals(sources.keySet());
        if (!before.key().equals(now.key()) || sourcesDiffer) {
            StringBuilder paths = new StringBuilder();
            if (!named.isEmpty()) { // a run of an earlier hone kept no names
                java.util.TreeSet<String> all = new java.util.TreeSet<>(named.keySet());
                all.addAll(sources.keySet());
                for (String name : all) {
                    String was = named.get(name);
                    String is = sources.get(name);
                    if (!java.util.Objects.equals(was, is)) {
                        paths.append("; ").append(name).append(": ").append(was == null ? "not given" : was).append(" vs ")
                                .append(is == null ? "not given" : is);
                    }
                }
            }
            String flagsDiffer = before.differences(now);
            String all = flagsDiffer.isEmpty() ? paths.substring(2) : flagsDiffer + paths;
            throw new HoneException("the interrupted run in " + work + " differs from this one (" + all
                    + "). Fix: resume with the same data and flags, or delete " + work);
        }
    }

    /**
     * The data as the user named them, for {@link #RUN_FILE}: {@code data}, and {@code test} and {@code unlabeled} when
     * given (a path, or a named data set), under the names of the identity's fingerprint fields.
     */
    public static Map<String, String> sources(String data, String test, String unlabeled) {
        Map<String, String> s = new java.util.TreeMap<>();
        s.put("data", absolute(data));
        if (test != null) {
            s.put("test", absolute(test));
        }
        if (unlabeled != null) {
            s.put("unlabeled", absolute(unlabeled));
        }
        return s;
    }

    /**
     * A path that exists, made absolute and normalised (the same folder named from two working folders is one source, and
     * two folders of one name are two); a named data set (e.g. {@code fashion-mnist}) as given.
     */
    private static String absolute(String given) {
        if (given == null) {
            return null;
        }
        String source = given.strip();
        if (dev.hone.data.NamedDatasets.isNamed(source)) {
            return source.toLowerCase(java.util.Locale.ROOT); // the data set, whatever folder of that name lies here
        }
        try {
            Path p = Path.of(source);
            return Files.exists(p) ? p.toAbsolutePath().normalize().toString() : source;
        } catch (java.nio.file.InvalidPathException e) {
            return source;
        }
    }

    /** The data's names {@link #RUN_FILE} kept; empty when it kept none (a run of an earlier hone) or cannot be read. */
    private static Map<String, String> readSources(Path file) {
        try {
            JsonNode sources = Json.mapper().readTree(file.toFile()).get("sources");
            Map<String, String> s = new java.util.TreeMap<>();
            if (sources != null && sources.isObject()) {
                sources.fields().forEachRemaining(e -> s.put(e.getKey(), e.getValue().asText()));
            }
            return s;
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static RunIdentity readIdentity(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Json.mapper().readValue(file.toFile(), RunIdentity.class);
        } catch (IOException e) {
            return null;
        }
    }

    /** The first start {@link #RUN_FILE} kept, or null when it has none (or cannot be read). */
    private static String readStart(Path file) {
        try {
            JsonNode start = Json.mapper().readTree(file.toFile()).get("startedAt");
            return start == null || !start.isTextual() ? null : start.asText();
        } catch (IOException e) {
            return null;
        }
    }

    /** The resumed attempts' starts {@link #RUN_FILE} kept, oldest first; empty when it has none (or cannot be read). */
    private static List<String> readResumes(Path file) {
        try {
            JsonNode resumed = Json.mapper().readTree(file.toFile()).get("resumedAt");
            List<String> stamps = new ArrayList<>();
            if (resumed != null && resumed.isArray()) {
                resumed.forEach(stamp -> {
                    if (stamp.isTextual()) {
                        stamps.add(stamp.asText());
                    }
                });
            }
            return stamps;
        } catch (IOException e) {
            return List.of();
        }
    }

    public Path out() {
        return out;
    }

    public Path work() {
        return work;
    }

    /** Whether a previous attempt of this same run left a work folder to continue. */
    public boolean resuming() {
        return resuming;
    }

    /**
     * When the run's first attempt started (ISO-8601): this attempt's start for a new run, the start the work folder kept
     * for a resume; null for a resume of a work folder written before hone kept it.
     */
    public String firstStart() {
        return firstStart;
    }

    /**
     * When the attempts that resumed this run before this one started (ISO-8601), oldest first: empty for a new run and
     * for a first resume, and for a work folder written before hone kept them.
     */
    public List<String> earlierResumes() {
        return earlierResumes;
    }

    /**
     * Called when a run fails: a work folder that holds no checkpoint has nothing worth resuming,
     * so it is removed and the failed run leaves nothing behind; one with a checkpoint is kept.
     */
    public void discardIfNothingToResume(java.nio.file.Path checkpointDir) {
        if (!Files.exists(checkpointDir.resolve("progress.json"))
                && !Files.exists(checkpointDir.resolveSibling(checkpointDir.getFileName() + ".old").resolve("progress.json"))) {
            dev.hone.loop.Checkpoints.deleteTree(work);
        }
    }

    /** Releases this run's lock on the work folder (a finished, failed or cancelled run); again, it does nothing. */
    public void release() {
        lock.close();
    }

    /**
     * Publishes the finished run: the work folder becomes {@code out} in one rename. The lock file moves with it, still
     * locked, so that no second run can take the work folder before it is gone; it is removed from {@code out} after.
     */
    public void commit() {
        try {
            if (Files.isDirectory(out)) {
                Files.delete(out); // checked empty in prepare()
            }
            Files.move(work, out, StandardCopyOption.ATOMIC_MOVE);
            lock.removeFileFrom(out);
        } catch (IOException e) {
            throw new HoneException("cannot move " + work + " to " + out + " (" + e.getMessage()
                    + "). Fix: make sure nothing else writes to " + out + ", then run again with --resume", e);
        } finally {
            release();
        }
    }
}
