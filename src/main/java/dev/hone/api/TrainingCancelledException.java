package dev.hone.api;

import dev.hone.train.RunCancelledException;

/**
 * Thrown by {@link HoneTrainer#fit()} when {@link HoneTrainer#cancel()} stopped the run. The run stopped
 * at a batch boundary and left its work folder ({@link #workFolder()}, {@code .OUT.partial} beside {@link #out()})
 * with the saved plan and the checkpoint of its last finished epoch; the unfinished epoch is trained again on
 * resume. Build a trainer with the same options and {@code optResume(true)} to continue: an {@code optEpochs} run
 * reaches the same weights, bit for bit on CPU, as a run never cancelled; a budgeted one paces the rest of its training
 * into its budget at the machine's speed then, so its weights are not bitwise those of a run never cancelled. A run cancelled before its plan was
 * saved keeps less: cancelled during a learner ({@link #phase()}), a resume plans again; during
 * semi-supervised learning, it keeps the learners' plan and the last teacher that finished, and a first teacher
 * cancelled mid-training goes on from its last finished epoch (docs/java-api.md, "Cancelling and resuming").
 */
public final class TrainingCancelledException extends RunCancelledException {
    private final boolean apiTerms;

    TrainingCancelledException(RunCancelledException cause, boolean apiTerms) {
        super(cause.out(), cause.completedEpochs(), cause.phase());
        this.apiTerms = apiTerms;
        initCause(cause);
    }

    /** The message in the API's terms ({@code optResume(true)}) for a trainer built with the builder, else the CLI's. */
    @Override
    public String getMessage() {
        return apiTerms ? ApiTerms.of(super.getMessage()) : super.getMessage();
    }
}
