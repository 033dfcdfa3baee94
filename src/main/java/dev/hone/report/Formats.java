package dev.hone.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.hone.record.EpochMetrics;
import dev.hone.record.Json;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How the report and {@code hone explain} write numbers, durations and evidence, so both say the same
 * thing the same way.
 *
 * <p>Records are read back generically (a decision's value is whatever JSON held), so these helpers
 * accept any JSON-shaped object and never fail on an unexpected shape: a report should still appear
 * for a record this version does not fully understand.
 */
public final class Formats {
    /** Lists longer than this are summarised in one-line evidence; the full list stays in the JSON. */
    private static final int MAX_LIST = 8;
    private static final int MAX_LINE = 240;
    private static final ObjectWriter SORTED = Json.mapper().writer()
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).without(SerializationFeature.INDENT_OUTPUT);

    private Formats() {}

    /** A decision value or evidence item for a person: integers plainly, reals to 4 significant digits. */
    static String value(Object v) {
        if (v instanceof Double || v instanceof Float) {
            return dev.hone.record.Numbers.readable(((Number) v).doubleValue());
        }
        if (v instanceof Number || v instanceof String || v instanceof Boolean) {
            return v.toString();
        }
        if (v instanceof List<?> list && list.size() > MAX_LIST) {
            String ends = "[" + list.size() + " values: " + value(list.get(0)) + " .. " + value(list.get(list.size() - 1));
            if (list.stream().allMatch(x -> x instanceof Number)) {
                // the ends of an unsorted list hide its range: 60 class counts of 1 to 36 read "5 .. 5"
                Object min = list.stream().min(java.util.Comparator.comparingDouble(x -> ((Number) x).doubleValue())).get();
                Object max = list.stream().max(java.util.Comparator.comparingDouble(x -> ((Number) x).doubleValue())).get();
                boolean sorted = ((Number) min).doubleValue() == ((Number) list.get(0)).doubleValue()
                        && ((Number) max).doubleValue() == ((Number) list.get(list.size() - 1)).doubleValue();
                return sorted ? ends + "]" : ends + "; min " + value(min) + ", max " + value(max) + "]";
            }
            return ends + "]";
        }
        if (v instanceof List<?> list && list.stream().allMatch(x -> x instanceof Number)) {
            return list.stream().map(Formats::value).collect(Collectors.joining(",", "[", "]"));
        }
        return v == null ? "null" : json(v);
    }

    /** Evidence as {@code key=value, ...} in key order, cut to one readable line. */
    static String evidence(Map<String, Object> evidence) {
        if (evidence == null || evidence.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : new TreeMap<>(evidence).entrySet()) {
            if (e.getKey().equals("charts")) {
                continue; // the report draws them; as text they are thousands of numbers
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(value(e.getValue()));
        }
        return sb.length() > MAX_LINE ? sb.substring(0, MAX_LINE - 3) + "..." : sb.toString();
    }

    /** One line of JSON with map keys sorted at every depth, so the same record always reads the same. */
    static String json(Object value) {
        try {
            return SORTED.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** A measure's name for a narrow column: {@code acc} for accuracy; the standard short names (mAP, mIoU) as they are. */
    static String shortMeasure(String name) {
        return name.equals("accuracy") ? "acc" : name;
    }

    /** A fraction as a percentage with two decimals. */
    static String percent(double fraction) {
        return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.2f%%", 100 * fraction) : "n/a";
    }

    /** As {@link #percent(double)} for a value read from JSON: {@code n/a} when it is not a number (absent, null). */
    static String percentOf(Object fraction) {
        return fraction instanceof Number n ? percent(n.doubleValue()) : "n/a";
    }

    /** A metric with {@code digits} decimals, or {@code n/a} for NaN (e.g. no validation set). */
    static String fixed(double x, int digits) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%." + digits + "f", x) : "n/a";
    }

    /** As {@link #fixed(double, int)}, and {@code n/a} for null (a class without test images). */
    static String fixed(Double x, int digits) {
        return x == null ? "n/a" : fixed(x.doubleValue(), digits);
    }

    /** {@code 1h 02m 03s}, {@code 2m 03s} or {@code 4.2 s}. */
    /**
     * "a sample of 1000 of the 10000 test images: the budget ran out before a pass over all of them (see the
     * test-evaluation decision)" when the record's test figures are a budget's sample ({@code sampledFrom} in its test
     * map), else null.
     */
    public static String sampledTest(Map<String, Object> test) {
        if (test == null || !(test.get("sampledFrom") instanceof Number all)) {
            return null;
        }
        return "a sample of " + test.get("count") + " of the " + all + " test images: the budget ran out before a pass over"
                + " all of them (see the test-evaluation decision)";
    }

    /**
     * "epochs 1 to 17 trained on downscaled images (progressive resizing) but were validated at full size, so their
     * validation figures are low until the images reach full size" when some epochs trained smaller (their
     * {@link EpochMetrics#trainedAt}), else null.
     */
    public static String downscaledEpochs(List<EpochMetrics> epochs) {
        List<Integer> smaller = epochs == null ? List.of()
                : epochs.stream().filter(e -> e.trainedAt() != null).map(EpochMetrics::epoch).toList();
        if (smaller.isEmpty()) {
            return null;
        }
        int first = smaller.get(0);
        int last = smaller.get(smaller.size() - 1);
        String which = first == last ? "epoch " + first + " trained" : smaller.size() == last - first + 1
                ? "epochs " + first + " to " + last + " trained" : smaller.size() + " epochs (" + first + " to " + last + ") trained";
        return which + " on downscaled images (progressive resizing) but " + (first == last ? "was" : "were")
                + " validated at full size, so " + (first == last ? "its" : "their")
                + " validation figures are low until the images reach full size";
    }

    public static String duration(Duration d) {
        long s = d.getSeconds();
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%dh %02dm %02ds", s / 3600, s / 60 % 60, s % 60);
        }
        if (s >= 60) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /**
     * Wall-clock time of the run from its start and finish stamps (ISO-8601), else the sum of the
     * epochs' training seconds; empty when neither is known. For a resumed run, from its first attempt's start: the
     * pause between the attempts included ({@link #resumedPart} is the last attempt's).
     */
    static Optional<Duration> runTime(TrainingRecord record) {
        try {
            if (record.startedAt() != null && record.finishedAt() != null) {
                return Optional.of(Duration.between(OffsetDateTime.parse(record.startedAt()),
                        OffsetDateTime.parse(record.finishedAt())));
            }
        } catch (DateTimeParseException e) {
            // a stamp in another format: fall back to the epochs, which are always in seconds
        }
        if (record.epochs() == null || record.epochs().isEmpty()) {
            return Optional.empty();
        }
        double seconds = record.epochs().stream().mapToDouble(EpochMetrics::seconds).sum();
        return Optional.of(Duration.ofMillis(Math.round(seconds * 1000)));
    }

    /**
     * Wall-clock time of the attempt that finished a resumed run, from its resume to its finish; empty for a run in one
     * go, or stamps that cannot be read.
     */
    static Optional<Duration> resumedPart(TrainingRecord record) {
        if (record.resumedAt() == null || record.finishedAt() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.between(OffsetDateTime.parse(record.resumedAt()), OffsetDateTime.parse(record.finishedAt())));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The time a resumed run worked, its pause before {@code --resume} left out: the seconds the stopped run had spent (the
     * {@code resume} decision's {@code secondsSpentBefore}) and {@link #resumedPart}; empty for a run in one go, or when
     * either is unknown.
     */
    static Optional<Duration> workTime(TrainingRecord record) {
        Optional<Duration> part = resumedPart(record);
        if (part.isEmpty() || record.decisions() == null) {
            return Optional.empty();
        }
        return record.decisions().stream().filter(d -> "resume".equals(d.name()) && d.evidence() != null
                        && d.evidence().get("secondsSpentBefore") instanceof Number)
                .map(d -> part.get().plusMillis(Math.round(1000 * ((Number) d.evidence().get("secondsSpentBefore")).doubleValue())))
                .reduce((a, b) -> b);
    }

    /** {@code "the pause before --resume left out"}, or the pauses before each for a run resumed more than once. */
    static String pausesLeftOut(TrainingRecord record) {
        return record.earlierResumes().isEmpty() ? "the pause before --resume left out"
                : "the pauses before each --resume left out";
    }

    /**
     * When a resumed run's attempts after the first started, oldest first, e.g. {@code "A, B and C"} (the record's earlier
     * resumes and its {@code resumedAt}); empty for a run in one go.
     */
    static String resumes(TrainingRecord record) {
        if (record.resumedAt() == null) {
            return "";
        }
        List<String> all = new java.util.ArrayList<>(record.earlierResumes());
        all.add(record.resumedAt());
        return all.size() == 1 ? all.get(0) : String.join(", ", all.subList(0, all.size() - 1)) + " and " + all.get(all.size() - 1);
    }

    /**
     * Whether the record is of a resumed run whose first attempt's start is unknown (interrupted before hone kept it): its
     * start is then the resumed attempt's, and its time that attempt's only.
     */
    static boolean firstStartUnknown(TrainingRecord record) {
        return record.resumedAt() != null && record.resumedAt().equals(record.startedAt());
    }

    /**
     * Image counts of the splits in a record's {@code data}: every entry that is an object with a
     * {@code count}, {@code size} or {@code images} field (e.g. {@code "train": {"count": 54000, ...}}).
     */
    static Map<String, Object> splitSizes(Map<String, Object> data) {
        Map<String, Object> sizes = new LinkedHashMap<>();
        if (data == null) {
            return sizes;
        }
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> split) {
                for (String key : List.of("count", "size", "images")) {
                    if (split.get(key) instanceof Number n) {
                        sizes.put(e.getKey(), n);
                        break;
                    }
                }
            }
        }
        return sizes;
    }

    /** {@code train 54000, validation 6000, test 10000}. */
    static String splitSizesLine(Map<String, Object> data) {
        StringBuilder sb = new StringBuilder();
        splitSizes(data).forEach((k, v) -> sb.append(sb.length() > 0 ? ", " : "").append(k).append(' ').append(v));
        return sb.toString();
    }
}
