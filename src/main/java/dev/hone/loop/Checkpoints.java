package dev.hone.loop;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import dev.hone.core.HoneException;
import dev.hone.models.ModelFactory;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.record.EpochMetrics;
import dev.hone.record.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * End-of-epoch checkpoints: weights (with BatchNorm statistics), optimizer state and progress.
 *
 * <p>Random state needs no saving: the data order and the engine seed are functions of (seed,
 * epoch). A checkpoint is written to a temporary folder and swapped in by renames, so a kill at any
 * moment leaves either the previous or the new checkpoint whole.
 */
public final class Checkpoints {
    private static final String WEIGHTS = "weights.params";
    private static final String OPTIMIZER = "optimizer.bin";
    private static final String PROGRESS = "progress.json";

    private final Path dir;

    /** @param dir the checkpoint folder, e.g. {@code OUT.partial/checkpoint} */
    public Checkpoints(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * What a checkpoint remembers besides tensors.
     *
     * @param learningRateScale the factor divergence back-offs had applied (1 when none)
     * @param schedule the schedules' frame after a budget's re-plans (null in checkpoints written before it was saved)
     */
    public record Progress(int completedEpochs, List<EpochMetrics> history, double learningRateScale,
            dev.hone.core.TrainingState.ScheduleFrame schedule) {}

    public void save(Model model, HoneOptimizer optimizer, Progress progress) {
        Path tmp = dir.resolveSibling(dir.getFileName() + ".tmp");
        Path old = dir.resolveSibling(dir.getFileName() + ".old");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve(WEIGHTS))))) {
                ModelFactory.writeWeights(model, out);
            }
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp.resolve(OPTIMIZER))))) {
                optimizer.saveState(out);
            }
            Json.write(tmp.resolve(PROGRESS), progress);
            deleteTree(old);
            if (Files.exists(dir)) {
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir, e);
        }
    }

    /** The newest whole checkpoint, if any (the previous one if a kill fell between the renames). */
    public Optional<Path> latest() {
        Path old = dir.resolveSibling(dir.getFileName() + ".old");
        if (Files.exists(dir.resolve(PROGRESS))) {
            return Optional.of(dir);
        }
        if (Files.exists(old.resolve(PROGRESS))) {
            return Optional.of(old);
        }
        return Optional.empty();
    }

    /** The epochs a checkpoint's progress names; 0 when it cannot be read (a resume then says so itself). */
    public static int completedEpochs(Path checkpoint) {
        try {
            return Json.read(checkpoint.resolve(PROGRESS), Progress.class).completedEpochs();
        } catch (java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /**
     * Restores weights and optimizer state into an initialized model and a bound optimizer.
     *
     * @throws HoneException naming the file and the fix when a file of the checkpoint is damaged or incomplete (a resume
     *     builds the same model, so weights that do not fit it are damaged too)
     */
    public Progress restore(Path checkpoint, Model model, HoneOptimizer optimizer) {
        Path file = checkpoint.resolve(WEIGHTS);
        try {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                // restores into the live arrays the Trainer holds (DJL's loadParameters would replace them)
                ModelFactory.readWeights(model, in);
            }
            NDManager manager = model.getNDManager();
            file = checkpoint.resolve(OPTIMIZER);
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                optimizer.loadState(in, manager);
            }
            file = checkpoint.resolve(PROGRESS);
            return Json.read(file, Progress.class);
        } catch (IOException | java.io.UncheckedIOException | HoneException e) {
            throw damaged(file, checkpoint, e);
        }
    }

    /** A checkpoint's file that cannot be read back: which, why, and the two ways on. */
    static HoneException damaged(Path file, Path checkpoint, Exception e) {
        Throwable cause = e instanceof HoneException && e.getCause() != null ? e.getCause() : e;
        String why = cause instanceof java.io.EOFException ? "it ends early"
                : cause instanceof java.io.UncheckedIOException u ? Json.problem(u)
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        Path work = checkpoint.getParent();
        for (Path p = checkpoint; p != null && p.getFileName() != null; p = p.getParent()) {
            if (p.getFileName().toString().endsWith(".partial")) {
                work = p; // the run's work folder, above a phase's own checkpoints
                break;
            }
        }
        return new HoneException("the interrupted run's checkpoint cannot be read: " + file + " is damaged or incomplete ("
                + why + "). Fix: delete " + checkpoint + " to resume from the first epoch of its phase, or delete " + work
                + " and train again without --resume", e);
    }

    public void deleteAll() {
        for (String suffix : new String[] {"", ".tmp", ".old"}) {
            deleteTree(dir.resolveSibling(dir.getFileName() + suffix));
        }
    }

    /** Deletes a file or folder tree; nothing if it does not exist. */
    public static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + path, e);
        }
    }
}
