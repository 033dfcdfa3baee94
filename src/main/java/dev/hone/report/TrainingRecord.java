package dev.hone.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import java.util.List;
import java.util.Map;

/**
 * The immutable account of one training run, written as {@code training-record.json}.
 *
 * <p>Follows Tribuo's provenance idea: enough to say exactly what was trained on what, how every
 * value was chosen, and how it went. Readers must accept records of earlier format versions.
 *
 * @param startedAt when the run began (ISO-8601): its first attempt's start when it was resumed, except in records of
 *     runs whose interrupted attempt was made before hone kept it (then it equals {@code resumedAt})
 * @param finishedAt when it finished
 * @param resumedAt when the attempt that finished it started, for a run resumed after an interruption ({@code --resume});
 *     null (and absent from the file) for a run that ran in one go, and in records written before it was kept
 * @param earlierResumes when the attempts between the first and the one that finished it started, oldest first, for a
 *     run interrupted more than once; empty (and absent from the file) otherwise, and in records written before they were kept
 * @param environment Java, OS, DJL, PyTorch, device, threads
 * @param data fingerprints and sizes of the train/validation/test splits and how they were made
 * @param decisions every hyperparameter with its origin and evidence
 * @param epochs per-epoch metrics in order
 * @param stopReason why training ended (e.g. {@code completed 10 epochs})
 * @param test the headline test metrics (accuracy, loss, count), the full set is in evaluation.json
 */
public record TrainingRecord(int formatVersion, String hone, String startedAt, String finishedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String resumedAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> earlierResumes, long seed, String command, Map<String, Object> environment, Map<String, Object> data,
        List<Decision<?>> decisions, List<EpochMetrics> epochs, String stopReason,
        Map<String, Object> test) {

    public static final int FORMAT_VERSION = 1;

    public TrainingRecord {
        earlierResumes = earlierResumes == null ? List.of() : List.copyOf(earlierResumes);
    }

    /** A record without earlier resumes: a run in one go, or resumed once. */
    public TrainingRecord(int formatVersion, String hone, String startedAt, String finishedAt, String resumedAt, long seed,
            String command, Map<String, Object> environment, Map<String, Object> data, List<Decision<?>> decisions,
            List<EpochMetrics> epochs, String stopReason, Map<String, Object> test) {
        this(formatVersion, hone, startedAt, finishedAt, resumedAt, List.of(), seed, command, environment, data, decisions,
                epochs, stopReason, test);
    }

    /** The task its {@code task} decision names; single-label for a record without one (written before tasks). */
    public dev.hone.tasks.Task task() {
        return decisions == null ? dev.hone.tasks.SingleLabel.INSTANCE : dev.hone.tasks.Task.named(decisions.stream()
                .filter(d -> "task".equals(d.name())).map(d -> String.valueOf(d.value())).findFirst().orElse(""));
    }
}
