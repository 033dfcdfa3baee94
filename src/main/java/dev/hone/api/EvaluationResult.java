package dev.hone.api;

import dev.hone.report.Evaluation;
import java.util.List;

/**
 * What {@link HoneModel#evaluate} measured.
 *
 * @param evaluation the metrics, as {@code evaluation.json} holds them: the task's own in {@code taskMetrics} (mAP,
 *     AP50, mIoU, ...); what {@code accuracy} and {@code macroF1} hold per task (segmentation: pixel accuracy and mean
 *     Dice; detection: mAP and the macro F1 of boxes at IoU 0.5) is in {@link Evaluation}'s description
 * @param data the images evaluated: the data's test split, or the whole data when it brings none
 * @param skipped lines of the data that were not read (e.g. a CSV row naming a missing file), each with its reason
 * @param conformed one line when images evaluated were resized or converted between colour and grey to the model's
 *     input, with the counts and examples (e.g. "test images: resized 12 to 28x28 (width x height), the model's input;
 *     e.g. a.png (32x32 colour)"); empty when none was
 * @param warnings what a reader of the figures must know about the data, e.g. that they are the images the model was
 *     trained from; empty when there is nothing to say
 */
public record EvaluationResult(Evaluation evaluation, String data, List<String> skipped, List<String> conformed,
        List<String> warnings) {
    public EvaluationResult {
        skipped = List.copyOf(skipped);
        conformed = List.copyOf(conformed);
        warnings = List.copyOf(warnings);
    }
}
