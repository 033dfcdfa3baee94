package dev.hone.record;

/**
 * What one epoch measured; one line of {@code metrics.jsonl} and one entry of the record.
 *
 * @param trainAccuracy the task's training measure ({@code Task#trainingMeasure}: accuracy, pixel accuracy, centre
 *     recall) over the epoch's training batches, in [0, 1]: the correct units of all batches over all counted
 *     units ({@code Task#tally})
 * @param seconds wall-clock seconds of this epoch's training steps (evaluation excluded)
 * @param imagesPerSecond training throughput over the epoch
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss,
        double valAccuracy, double learningRate, double seconds, double imagesPerSecond) {}
