package dev.hone.api;

import dev.hone.train.RunCancelledException;

/**
 * Thrown by {@link HoneTrainer#fit()} when {@link HoneTrainer#cancel()} stopped the run. The run stopped
 * at a batch boundary and left its work folder ({@code .OUT.partial} beside {@link #out()}) with the
 * saved plan and the checkpoint of its last finished epoch; the unfinished epoch is trained again on
 * resume. Build a trainer with the same options and {@code optResume(true)} to continue: it reaches
 * the same weights, bit for bit on CPU, as a run never cancelled. A run cancelled before its plan was
 * saved keeps less: cancelled during a learner ({@link #phase()}), a resume plans again; during
 * semi-supervised learning, it keeps the learners' plan and starts semi-supervised learning again from its
 * teacher. With a budget, the resumed run spends the whole budget again.
 */
public final class TrainingCancelledException extends RunCancelledException {
    TrainingCancelledException(RunCancelledException cause) {
        super(cause.out(), cause.completedEpochs(), cause.phase());
        initCause(cause);
    }
}
