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
     * @param phase what the run was doing, e.g. {@code training}
     */
    public RunCancelledException(Path out, int completedEpochs, String phase) {
        super("training into " + out + " was cancelled during " + phase + (completedEpochs > 0
                ? "; the checkpoint of epoch " + completedEpochs + " is kept" : "; no epoch had finished")
                + ". Fix: run again with the same options and resume on (--resume) to continue");
        this.out = out;
        this.completedEpochs = completedEpochs;
        this.phase = phase;
    }

    /** What the run was doing when it stopped, e.g. {@code training} or {@code meta-learning}. */
    public String phase() {
        return phase;
    }

    /** The run's output folder, as given. */
    public Path out() {
        return out;
    }

    /** Epochs whose checkpoint was kept; 0 when none finished. */
    public int completedEpochs() {
        return completedEpochs;
    }
}
