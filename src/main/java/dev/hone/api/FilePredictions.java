package dev.hone.api;

import dev.hone.tasks.Predictions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link HoneModel#predictFiles} predicted.
 *
 * @param files the images predicted, in the order of the predictions' rows
 * @param skipped the images that could not be read, each with the reason, in the order given
 * @param predictions per image: class probabilities {@code (N, K)} for classification, predicted masks
 *     {@code (N, H, W)} at the model's input size for segmentation, and for detection the decoded boxes in
 *     input pixels; null when no image could be read (or none was given). The files have no labels, so its
 *     {@code labels}, {@code imageLosses}, {@code meanLoss} and {@code score} mean nothing here; for the class names,
 *     index {@link HoneModel#getClasses()} with a row's arg-max
 */
public record FilePredictions(List<Path> files, Map<Path, String> skipped, Predictions predictions) {
    public FilePredictions {
        files = List.copyOf(files);
        skipped = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(skipped)); // in the order asked
    }
}
