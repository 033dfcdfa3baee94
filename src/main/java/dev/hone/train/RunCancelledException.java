package dev.hone.train;

import dev.hone.core.HoneException;
import java.nio.file.Path;

/**
 * Thrown by {@link TrainingRun#run(TrainOptions, RunHooks)} when the caller cancelled it. What has
 * been done stays in the output's work folder ({@code .OUT.partial}): the saved plan and the
 * checkpoint of the last finished epoch, so the same options with resume continue from there and
 * reach the weights an uninterrupted run reaches.
 */
public class RunCancelledException extends HoneException {
    private final transient Path out;
    private final int completedEpochs;
    private final String phase;

    /**
     * @param out the run's output folder, as given
     * @param completedEpochs epochs whose checkpoint was kept (0: none; a resume starts training afresh)
     * @param phase what the run was doing: see {@link #phase()}
     */
    public RunCancelledException(Path out, int completedEpochs, String phase) {
        super("training into " + out + " was cancelled during " + phase + (completedEpochs > 0
                ? "; the checkpoint of epoch " + completedEpochs + " is kept" : "training".equals(phase)
                ? "; no epoch had finished" : ResumePoint.describe(out).map(d -> "; a resume continues " + d)
                .orElse("; a resume plans again")) + ", and the work so far is in " + OutputDirectory.workFolder(out)
                + ". Fix: run again with the same options and resume on (--resume) to continue");
        this.out = out;
        this.completedEpochs = completedEpochs;
        this.phase = phase;
    }

    /**
     * What the run was doing when it stopped: {@code data loading}; a learner ({@code the batch-size learner}, {@code the
     * optimizer and learning-rate learners}, {@code the schedule learner}, {@code the imbalance learner}, {@code the
     * regularization search}); a semi-supervised phase ({@code ssl teacher}, {@code ssl round 1, supervised arm},
     * {@code ssl round 1, FixMatch arm}, {@code ssl round N, student}, {@code ssl pretraining (simclr)} or {@code (barlow-twins)},
     * {@code ssl fine-tuned teacher}); {@code meta-learning} (once it ended); or {@code training}.
     */
    public String phase() {
        return phase;
    }

    /** The run's output folder, as given: it does not exist yet; the work so far is in {@link #workFolder()}. */
    public Path out() {
        return out;
    }

    /** The work folder the run left, {@code .OUT.partial} beside {@link #out()}, which a resume continues from. */
    public Path workFolder() {
        return OutputDirectory.workFolder(out);
    }

    /** Epochs whose checkpoint was kept; 0 when none finished. */
    public int completedEpochs() {
        return completedEpochs;
    }
}
