package dev.hone.train;

import dev.hone.loop.Checkpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where {@code --resume} continues an interrupted run, read from its work folder ({@code .OUT.partial}) the way
 * {@link TrainingRun} reads it on resume: the last finished epoch's checkpoint; else the saved plan, training from the first
 * epoch; else, with {@code --unlabeled}, the learners' plan saved before semi-supervised learning; else nothing but the run's
 * identity, so the resume plans again (the learners run again).
 */
public final class ResumePoint {
    private ResumePoint() {}

    /**
     * What a resume of the run into {@code out} continues from, as the end of "to continue ...", e.g. {@code from its
     * checkpoint of epoch 2 in .../checkpoint}; empty when its work folder holds neither a checkpoint nor a plan (a resume
     * then plans again: the learners run again), or does not exist.
     */
    public static Optional<String> describe(Path out) {
        Path work = OutputDirectory.workFolder(out);
        if (!Files.isDirectory(work)) {
            return Optional.empty();
        }
        Optional<Path> checkpoint = new Checkpoints(work.resolve(TrainingRun.CHECKPOINT_DIR)).latest();
        if (checkpoint.isPresent()) {
            int epochs = Checkpoints.completedEpochs(checkpoint.get());
            return Optional.of("from its checkpoint" + (epochs > 0 ? " of epoch " + epochs : "") + " in " + checkpoint.get());
        }
        if (Files.exists(work.resolve(TrainingPlan.FILE))) {
            return Optional.of("with its saved plan (no epoch had finished: training starts from the first epoch)");
        }
        if (Files.exists(work.resolve(TrainingRun.PLAN_BEFORE_SSL))) {
            return Optional.of("with the learners' plan saved before semi-supervised learning (the learners do not run again),"
                    + " semi-supervised learning " + SslProgress.resumePoint(work));
        }
        return Optional.empty();
    }
}
