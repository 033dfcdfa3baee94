package dev.hone.record;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What one epoch measured; one line of {@code metrics.jsonl} and one entry of the record.
 *
 * @param trainAccuracy the task's training measure ({@code Task#trainingMeasure}: accuracy, pixel accuracy, centre
 *     recall) over the epoch's training batches, in [0, 1]: the correct units of all batches over all counted
 *     units ({@code Task#tally})
 * @param seconds wall-clock seconds of this epoch's training steps (evaluation excluded)
 * @param imagesPerSecond training throughput over the epoch
 * @param trainedAt the sizes, width x height in pixels, of the images the epoch's training steps saw when progressive
 *     resizing downscaled some of them, e.g. {@code 16x16} or {@code 16x16 to 20x20}; null (left out of the JSON) when
 *     every step saw full-size images. Validation always runs at full size, so an epoch trained smaller scores low on it.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss,
        double valAccuracy, double learningRate, double seconds, double imagesPerSecond,
        @JsonInclude(JsonInclude.Include.NON_NULL) String trainedAt) {

    /** An epoch whose training steps all saw full-size images. */
    public EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
            double learningRate, double seconds, double imagesPerSecond) {
        this(epoch, trainLoss, trainAccuracy, valLoss, valAccuracy, learningRate, seconds, imagesPerSecond, null);
    }
}
