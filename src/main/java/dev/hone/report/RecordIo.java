package dev.hone.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.hone.core.HoneException;
import dev.hone.record.EpochMetrics;
import dev.hone.record.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a training run wrote: {@code training-record.json}, {@code evaluation.json} and
 * {@code metrics.jsonl}.
 *
 * <p>Reading goes through {@link Json#mapper()}, which ignores unknown fields, so records of earlier
 * and later format versions load. A decision's value comes back as whatever JSON holds: a
 * {@link Number}, {@link String}, {@link Boolean}, {@link java.util.List} or {@link java.util.Map},
 * not the Java type it was written from (a {@code float} 0.1 reads back as the {@code double} 0.1).
 * Every failure is a {@link HoneException} that names the file and says what to check, because these
 * readers serve {@code hone explain}, where the user typed the path.
 */
public final class RecordIo {
    public static final String RECORD_FILE = "training-record.json";
    public static final String EVALUATION_FILE = "evaluation.json";
    public static final String METRICS_FILE = "metrics.jsonl";

    private static final String DIRECTORY_HINT = "is this a hone output directory? it should contain "
            + RECORD_FILE;

    private RecordIo() {}

    /** Reads a training record; {@code path} may be the file or the run directory holding it. */
    public static TrainingRecord readRecord(Path path) {
        return read(resolve(path, RECORD_FILE), TrainingRecord.class);
    }

    /** Reads an evaluation; {@code path} may be the file or the run directory holding it. */
    public static Evaluation readEvaluation(Path path) {
        return read(resolve(path, EVALUATION_FILE), Evaluation.class);
    }

    /** The evaluation in a run directory, empty when the run wrote none (e.g. it had no test set). */
    public static Optional<Evaluation> findEvaluation(Path directory) {
        Path file = resolve(directory, EVALUATION_FILE);
        return Files.isRegularFile(file) ? Optional.of(read(file, Evaluation.class)) : Optional.empty();
    }

    /** Reads a JSON Lines file of per-epoch metrics; blank lines are skipped. */
    public static List<EpochMetrics> readMetrics(Path jsonl) {
        Path file = resolve(jsonl, METRICS_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(requireFile(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw HoneException.of("cannot read metrics (" + e.getMessage() + ")", file, DIRECTORY_HINT);
        }
        List<EpochMetrics> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(Json.mapper().readValue(line, EpochMetrics.class));
            } catch (JsonProcessingException e) {
                throw HoneException.of("line " + (i + 1) + " is not valid epoch metrics ("
                        + Json.describe(e).replace(" at line 1, column ", " at column ") + ")", file,
                        "the file may be truncated by an interrupted run; delete that line and retry");
            }
        }
        return out;
    }

    private static Path resolve(Path path, String fileName) {
        return Files.isDirectory(path) ? path.resolve(fileName) : path;
    }

    private static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw HoneException.of("no such file", file, DIRECTORY_HINT);
        }
        return file;
    }

    private static <T> T read(Path file, Class<T> type) {
        requireFile(file);
        try {
            return Json.mapper().readValue(file.toFile(), type);
        } catch (JsonProcessingException e) {
            throw HoneException.of("cannot parse " + file.getFileName() + " as a hone "
                    + type.getSimpleName() + " (" + Json.describe(e) + ")", file,
                    "the file may be truncated or edited by hand; " + DIRECTORY_HINT
                    + " as written by hone train, or rerun the training");
        } catch (IOException e) {
            throw HoneException.of("cannot read " + type.getSimpleName() + " (" + e.getMessage() + ")", file,
                    "check that the file is readable");
        }
    }
}
