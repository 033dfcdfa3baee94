package dev.hone.record;

/**
 * What one epoch measured; one line of {@code metrics.jsonl} and one entry of the record.
 *
 * @param seconds wall-clock seconds of this epoch's training steps (evaluation excluded)
 * @param imagesPerSecond training throughput over the epoch
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss,
        double valAccuracy, double learningRate, double seconds, double imagesPerSecond) {}
