package dev.hone.api;

import dev.hone.report.Evaluation;
import java.util.List;

/**
 * What {@link HoneModel#evaluate} measured.
 *
 * @param evaluation the metrics, as {@code evaluation.json} holds them (the task's own: accuracy, mAP, mIoU, ...)
 * @param data the images evaluated: the data's test split, or the whole data when it brings none
 * @param skipped lines of the data that were not read (e.g. a CSV row naming a missing file), each with its reason
 */
public record EvaluationResult(Evaluation evaluation, String data, List<String> skipped) {
    public EvaluationResult {
        skipped = List.copyOf(skipped);
    }
}
