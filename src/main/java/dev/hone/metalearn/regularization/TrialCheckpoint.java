package dev.hone.metalearn.regularization;

import ai.djl.Model;
import dev.hone.core.TrainingState;
import dev.hone.loop.Checkpoints;
import dev.hone.optimize.HoneOptimizer;
import dev.hone.record.EpochMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resumable trial's checkpoint folder and the identity of the run that writes it, kept in a file beside the folder
 * ({@code <scratch>.trial}): a run started again with the same identity (after a kill or a cancel) continues from the
 * folder's last finished epoch; any other run deletes it and starts from its beginning. Data order and random draws
 * are functions of the seed and the epoch ({@link dev.hone.loop.FitLoop}), so the resumed run ends with the weights the
 * uninterrupted one would have.
 */
final class TrialCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private final Path identityFile;
    private final String identity;

    private TrialCheckpoint(Path scratch, String identity) {
        this.identityFile = scratch.resolveSibling(scratch.getFileName() + ".trial");
        this.identity = identity;
    }

    /** The checkpoint of the run {@code identity} describes, in {@code scratch}. */
    static TrialCheckpoint of(Path scratch, String identity) {
        return new TrialCheckpoint(scratch, identity);
    }

    /**
     * Restores the last finished epoch of an earlier run with this identity into {@code model}, {@code optimizer} and
     * {@code state} (its learning-rate scale and schedule frame), and returns its epochs' metrics; for any other
     * checkpoint, or none, deletes what is there, records this run's identity and returns no epochs.
     *
     * @param model the initialized model
     * @param optimizer the optimizer, bound to the model's parameters
     * @param phase what trains, for the log line, e.g. {@code "ssl teacher"}
     * @throws UncheckedIOException when the identity cannot be written
     */
    List<EpochMetrics> restore(Checkpoints checkpoints, Model model, HoneOptimizer optimizer, TrainingState state, String phase) {
        Optional<Path> latest = checkpoints.latest();
        if (latest.isPresent() && identity.equals(saved())) {
            Checkpoints.Progress p = checkpoints.restore(latest.get(), model, optimizer);
            state.setLearningRateScale(p.learningRateScale() > 0 ? p.learningRateScale() : 1);
            state.restoreScheduleFrame(p.schedule());
            LOG.info("{}: continues from the checkpoint of its epoch {}, left by an interrupted run", phase, p.completedEpochs());
            return p.history();
        }
        checkpoints.deleteAll();
        try {
            Files.createDirectories(identityFile.getParent());
            Files.writeString(identityFile, identity, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + identityFile, e);
        }
        return List.of();
    }

    /** The run ended: its identity goes with its checkpoint, which the caller deleted. */
    void finished() {
        try {
            Files.deleteIfExists(identityFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + identityFile, e);
        }
    }

    private String saved() {
        try {
            return Files.exists(identityFile) ? Files.readString(identityFile, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null; // unreadable: start the run again
        }
    }
}
