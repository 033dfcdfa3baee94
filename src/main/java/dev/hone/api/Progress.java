package dev.hone.api;

import java.time.Duration;

/**
 * Where training stands after an optimizer step.
 *
 * @param epoch the current epoch, 1-based
 * @param totalEpochs the planned epochs
 * @param batch optimizer steps done in this epoch, 1-based (a step may accumulate several micro-batches)
 * @param batchesPerEpoch optimizer steps per epoch
 * @param step optimizer steps since the start of training, across resumes
 * @param totalSteps the planned optimizer steps (fewer than {@code totalEpochs * batchesPerEpoch} when a
 *     budget ends training part-way through the last epoch)
 * @param loss the last batch's mean training loss (the task's loss on the head's logits)
 * @param learningRate the learning rate of the last step
 * @param epochEta the time left in this epoch's training steps at this epoch's pace so far
 * @param eta the time left in all of training's steps at the pace since training started in this
 *     process; validation passes, the final evaluation and the outputs come on top
 */
public record Progress(int epoch, int totalEpochs, int batch, int batchesPerEpoch, long step, long totalSteps,
        double loss, double learningRate, Duration epochEta, Duration eta) {

    /** The share of training's steps done, from 0 to 1. */
    public double fraction() {
        return totalSteps == 0 ? 1 : Math.min(1, (double) step / totalSteps);
    }
}
