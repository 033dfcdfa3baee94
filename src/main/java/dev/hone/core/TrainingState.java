package dev.hone.core;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import java.util.Optional;

/**
 * The fit loop's mutable state: the current batch's tensors and the loop's counters.
 *
 * <p>Techniques change it; observers get {@link #view()}, a wrapper that cannot be cast back.
 * Targets are dense (one row per image, one column per class) inside the loop so that label
 * smoothing, MixUp and CutMix compose over one format. Stopping is a request recorded here, never
 * an exception.
 */
public final class TrainingState implements TrainingView {
    private boolean stepSkipped;
    private int totalEpochs;
    private final int batchesPerEpoch;
    private long totalSteps;
    /** The schedules' frame: the total planned at the start, and the position (and step) of the last re-plan. */
    private final long scheduleTotal;
    private long anchorStep;
    private double anchorPosition;
    /**
     * Where the schedules stood, at which step and with which total, before the first of the re-plans to fewer steps since
     * the last one to more; null when there is none, so a re-plan to more steps holds them where they stand.
     */
    private Double cutPosition;
    private long cutStep;
    private long cutTotal;
    /** Where the current epoch began, in steps and in the schedules' position, for an epoch trained again. */
    private long epochStartStep = -1;
    private double epochStartPosition;
    private int epoch;
    private int batchInEpoch;
    private int microBatch;
    private long globalStep;
    private double learningRate;
    private double lastLoss = Double.NaN;
    private double validationLoss = Double.NaN;
    private double validationAccuracy = Double.NaN;
    private double learningRateScale = 1.0;
    private NDArray inputs;
    private NDArray targets;
    private NDArray outputs;
    private NDArray loss;
    private String stopReason;
    private volatile boolean cancelled;
    private final TrainingView view = new ReadOnly(this);

    public TrainingState(int totalEpochs, int batchesPerEpoch, double learningRate) {
        this(totalEpochs, batchesPerEpoch, (long) totalEpochs * batchesPerEpoch, learningRate);
    }

    /**
     * @param totalSteps the planned optimizer steps; fewer than {@code totalEpochs * batchesPerEpoch}
     *     when a time budget ends training part-way through the last epoch
     */
    public TrainingState(int totalEpochs, int batchesPerEpoch, long totalSteps, double learningRate) {
        this.totalEpochs = totalEpochs;
        this.batchesPerEpoch = batchesPerEpoch;
        this.totalSteps = Math.min(totalSteps, (long) totalEpochs * batchesPerEpoch);
        this.scheduleTotal = this.totalSteps;
        this.learningRate = learningRate;
    }

    public TrainingView view() { return view; }

    @Override public int epoch() { return epoch; }
    @Override public int totalEpochs() { return totalEpochs; }
    @Override public int batchInEpoch() { return batchInEpoch; }
    @Override public int batchesPerEpoch() { return batchesPerEpoch; }
    @Override public long globalStep() { return globalStep; }
    @Override public long totalSteps() { return totalSteps; }
    @Override public long scheduleStep() { return (long) Math.floor(schedulePosition() + 1e-9); }
    @Override public long scheduleTotal() { return scheduleTotal; }
    @Override public double learningRate() { return learningRate; }
    @Override public double lastLoss() { return lastLoss; }
    @Override public int batchSize() { return inputs == null ? 0 : (int) inputs.getShape().get(0); }
    @Override public Optional<String> stopReason() { return Optional.ofNullable(stopReason); }
    @Override public double validationLoss() { return validationLoss; }
    @Override public double validationAccuracy() { return validationAccuracy; }
    @Override public double learningRateScale() { return learningRateScale; }
    @Override public int microBatch() { return microBatch; }

    public NDArray inputs() { return inputs; }
    public NDArray targets() { return targets; }
    public NDArray outputs() { return outputs; }
    public NDArray loss() { return loss; }

    /** Positions the counters, e.g. when resuming after {@code completedEpochs}. */
    public void startEpoch(int epoch) {
        this.epoch = epoch;
        this.batchInEpoch = 0;
        this.microBatch = 0;
        double left = schedulePosition(); // where the schedules stand at the step a back-off leaves
        this.globalStep = (long) (epoch - 1) * batchesPerEpoch;
        if (globalStep < anchorStep) {
            // the epoch is trained again (a divergence back-off) after a re-plan part-way through it: the schedules go
            // back to where they stood at its start, or less where a recovery from a slow patch moved them back since
            anchorPosition = globalStep == epochStartStep ? Math.min(epochStartPosition, left)
                    : Math.min(globalStep, anchorPosition);
            anchorStep = globalStep;
        }
        if (cutPosition != null && globalStep < cutStep) {
            // a cut during the epoch trained again: its steps may still come back, counted from the epoch's start
            cutPosition = Math.min(cutPosition, anchorPosition);
            cutStep = globalStep;
        }
        epochStartStep = globalStep;
        epochStartPosition = schedulePosition();
    }

    /**
     * The schedules' frame after re-plans: the total now planned, the step and position of the last re-plan, and where
     * the schedules stood before re-plans to fewer steps not yet followed by one to more ({@code cutPosition}, null when
     * none; checkpoints written before it was saved read null). Saved with each checkpoint, so a resumed run goes on
     * with the re-planned total from where its schedules stood.
     */
    public record ScheduleFrame(long totalSteps, long anchorStep, double anchorPosition, long cutStep, Double cutPosition,
            long cutTotal) {

        /** A frame without re-plans to fewer steps pending. */
        public ScheduleFrame(long totalSteps, long anchorStep, double anchorPosition) {
            this(totalSteps, anchorStep, anchorPosition, 0, null, 0);
        }
    }

    /** This state's {@link ScheduleFrame}. */
    public ScheduleFrame scheduleFrame() {
        return new ScheduleFrame(totalSteps, anchorStep, anchorPosition, cutStep, cutPosition, cutTotal);
    }

    /**
     * Takes up a checkpoint's {@link ScheduleFrame} (a state built from the same plan); null, from a checkpoint written
     * before frames were saved, leaves the plan's total.
     */
    public void restoreScheduleFrame(ScheduleFrame frame) {
        if (frame == null || frame.totalSteps() < 1) {
            return;
        }
        totalSteps = frame.totalSteps();
        totalEpochs = (int) Math.max(Math.max(1, epoch), (totalSteps + batchesPerEpoch - 1) / batchesPerEpoch);
        anchorStep = frame.anchorStep();
        anchorPosition = frame.anchorPosition();
        cutStep = frame.cutStep();
        cutPosition = frame.cutPosition();
        cutTotal = frame.cutTotal();
    }

    public void beginBatch(NDArray inputs, NDArray targets) {
        this.inputs = Objects.requireNonNull(inputs);
        this.targets = Objects.requireNonNull(targets);
        this.outputs = null;
        this.loss = null;
        this.stepSkipped = false;
    }

    /** Set by the loop before {@code AFTER_STEP}: whether it skipped the step, a gradient not being finite. */
    public void setStepSkipped(boolean skipped) {
        this.stepSkipped = skipped;
    }

    @Override
    public boolean stepSkipped() {
        return stepSkipped;
    }

    /** Called by the loop after the optimizer step. */
    public void endBatch(double batchLoss) {
        lastLoss = batchLoss;
        batchInEpoch++;
        microBatch = 0;
        globalStep++;
        inputs = targets = outputs = loss = null;
    }

    /**
     * Called by the loop after a micro-batch whose gradients are kept for a later step (gradient
     * accumulation): the batch's tensors are released but no step is counted.
     */
    public void endMicroBatch(double batchLoss) {
        lastLoss = batchLoss;
        microBatch++;
        inputs = targets = outputs = loss = null;
    }

    public void setInputs(NDArray inputs) { this.inputs = Objects.requireNonNull(inputs); }
    public void setTargets(NDArray targets) { this.targets = Objects.requireNonNull(targets); }
    public void setOutputs(NDArray outputs) { this.outputs = outputs; }
    public void setLoss(NDArray loss) { this.loss = loss; }
    public void setLearningRate(double learningRate) { this.learningRate = learningRate; }

    /** Set by the loop after each validation pass, before {@link Event#VALIDATION_END}. */
    public void setValidation(double loss, double accuracy) {
        this.validationLoss = loss;
        this.validationAccuracy = accuracy;
    }

    /** A multiplier schedules apply to their rate; halved each time training diverges and backs off. */
    public void setLearningRateScale(double scale) { this.learningRateScale = scale; }

    /**
     * Re-plans the total optimizer steps, e.g. when a budgeted run slows down or speeds up; the epochs follow (the last
     * may be partial). Never before the next step. The schedules read the step against the new total
     * ({@link #scheduleStep}): a re-plan to fewer steps moves them on to where the new total puts them, so a run whose
     * time is shorter than planned still anneals by its deadline. One to more steps holds them where they stand until the
     * steps catch up, so a run that speeds up late does not raise its learning rate again (reading the new total alone
     * moved it from 6.3e-4 back to 8.2e-4 at 80% of a 4-minute run, issue 14), except soon after re-plans to fewer
     * steps (within as many steps as they took away, until they are all back): then they go back by what those moved
     * them on, at most to where they stood before the first of them, moved on by the steps since at the new total's
     * pace. Without that, a 1-minute run whose steps ran 3 to 9 times slower for 25 s
     * (another job on the machine) was re-planned from 419 to 153 steps, then to 309 once the machine recovered, and
     * trained its last 10 epochs at 0.7% of its peak learning rate: 57% on test, against 73-79% for the same command on a
     * steady machine (a fresh review, 2026-12-07).
     *
     * @return the total now planned
     */
    public long replan(long steps) {
        long planned = totalSteps;
        long total = Math.max(globalStep + 1, steps);
        double position = schedulePosition();
        anchorPosition = anchorAfter(total, position);
        if (total < planned && (cutPosition == null || !withinCutWindow())) {
            // a slow patch begins (or the last one's steps never came back in time, and this one starts afresh)
            cutPosition = position;
            cutStep = globalStep;
            cutTotal = planned;
        } else if (total > planned && cutPosition != null && (!withinCutWindow() || total >= cutTotal)) {
            cutPosition = null; // all the steps the cuts took are back, or too late to count as given back
        }
        totalSteps = total;
        totalEpochs = (int) Math.max(epoch, (totalSteps + batchesPerEpoch - 1) / batchesPerEpoch);
        anchorStep = globalStep;
        return totalSteps;
    }

    /**
     * Where the schedules would stand, in steps of {@link #scheduleTotal}, right after {@link #replan}{@code (steps)};
     * changes nothing. The budget pacer reckons the steps left from it.
     */
    public double positionAfterReplan(long steps) {
        long total = Math.max(globalStep + 1, steps);
        double read = (double) globalStep * scheduleTotal / total;
        return Math.min(scheduleTotal, Math.max(read, anchorAfter(total, schedulePosition())));
    }

    /**
     * Where a re-plan to {@code total} anchors the schedules: where they stand ({@code position}), or, when steps come
     * back soon after a slow patch cut them, back by what its cuts moved them on, but not before where they stood at its
     * first cut, moved on by the steps since at the new total's pace.
     */
    private double anchorAfter(long total, double position) {
        if (total > totalSteps && cutPosition != null && withinCutWindow()) {
            return Math.min(position, cutPosition + (globalStep - cutStep) * (double) scheduleTotal / total);
        }
        return position;
    }

    /** Whether steps coming back now are the pending cut's: within as many steps of it as it took away so far. */
    private boolean withinCutWindow() {
        return globalStep - cutStep <= cutTotal - totalSteps;
    }

    /**
     * Where the schedules stand, in steps of {@link #scheduleTotal}: the step read against the total now planned
     * ({@code globalStep * scheduleTotal / totalSteps}; the step itself until a re-plan), but never below where they
     * stood at the last re-plan.
     */
    double schedulePosition() {
        double read = totalSteps == scheduleTotal ? globalStep : (double) globalStep * scheduleTotal / totalSteps;
        return Math.max(read, anchorPosition);
    }

    /** Asks the loop to stop after the current batch; the first reason wins and is recorded. */
    public void requestStop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** The stop reason of a run cancelled by its caller ({@link #requestCancel}). */
    public static final String CANCELLED = "cancelled by the caller";

    /**
     * Asks the loop to stop after the current batch and to leave the unfinished epoch out: no
     * validation, no checkpoint, so the last checkpoint (the end of the previous epoch) is where a
     * resumed run continues, and it reaches the same weights as a run never stopped.
     */
    public void requestCancel() {
        cancelled = true;
        requestStop(CANCELLED);
    }

    /** Whether {@link #requestCancel} was called. */
    public boolean cancelled() {
        return cancelled;
    }

    private record ReadOnly(TrainingView s) implements TrainingView {
        @Override public int epoch() { return s.epoch(); }
        @Override public int totalEpochs() { return s.totalEpochs(); }
        @Override public int batchInEpoch() { return s.batchInEpoch(); }
        @Override public int batchesPerEpoch() { return s.batchesPerEpoch(); }
        @Override public long globalStep() { return s.globalStep(); }
        @Override public long totalSteps() { return s.totalSteps(); }
        @Override public long scheduleStep() { return s.scheduleStep(); }
        @Override public long scheduleTotal() { return s.scheduleTotal(); }
        @Override public double learningRate() { return s.learningRate(); }
        @Override public double lastLoss() { return s.lastLoss(); }
        @Override public int batchSize() { return s.batchSize(); }
        @Override public Optional<String> stopReason() { return s.stopReason(); }
        @Override public double validationLoss() { return s.validationLoss(); }
        @Override public double validationAccuracy() { return s.validationAccuracy(); }
        @Override public double learningRateScale() { return s.learningRateScale(); }
        @Override public int microBatch() { return s.microBatch(); }
        @Override public boolean stepSkipped() { return s.stepSkipped(); }
    }
}
