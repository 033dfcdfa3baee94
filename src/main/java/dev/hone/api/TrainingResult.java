package dev.hone.api;

import dev.hone.report.Evaluation;
import dev.hone.report.TrainingRecord;
import java.nio.file.Path;

/**
 * What a finished {@link HoneTrainer#fit()} produced.
 *
 * @param outputDir the run's output folder ({@code optOut}): {@code model/}, {@code run.json},
 *     {@code training-record.json}, {@code evaluation.json}, {@code metrics.jsonl}, {@code policy.json}, {@code report.html}
 * @param modelDir {@code outputDir/model}: the weights, {@code hone-model.json} (architecture, input
 *     shape, normalisation, classes, task, thresholds, temperature) and {@code serving.properties}; what
 *     {@link HoneModel#load} and DJL's {@code Criteria.optModelPath} take
 * @param record every decision with its evidence, the per-epoch metrics, the environment and the stop
 *     reason, as written to {@code training-record.json}
 * @param evaluation the final evaluation on the test split, as written to {@code evaluation.json}
 */
public record TrainingResult(Path outputDir, Path modelDir, TrainingRecord record, Evaluation evaluation) {}
