package dev.hone.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files and folders a source looked at but did not read, counted by reason, with a few examples.
 *
 * <p>A skipped file must never pass unnoticed: 30 of 90 images used without a word looks like a
 * working run. Every entry a folder source passes over lands here, the record's {@code data} section
 * keeps it, and the console gets one line per reason. Only counts and the first {@value #EXAMPLES}
 * paths per reason are kept, so a folder of a million stray files costs a few bytes. An unreadable
 * (damaged, truncated, or not really an image) file of an image folder is skipped too, and its
 * example carries the decoder's reason, so one bad download among thousands does not stop a run.
 */
public final class SkippedFiles {
    /** How many example paths are kept per reason. */
    public static final int EXAMPLES = 3;

    /** Nothing skipped: sources that do not walk folders (IDX, CSV, named data sets). */
    public static final SkippedFiles NONE = new SkippedFiles(new EnumMap<>(Reason.class), new EnumMap<>(Reason.class));

    /** Why an entry was left out. */
    public enum Reason {
        /** A name starting with '.', e.g. {@code .DS_Store}, {@code ._x.jpg} or a {@code .git} folder (counted once). */
        HIDDEN("hidden", "names starting with '.'"),
        /** A file whose extension is not one hone reads as an image. */
        UNSUPPORTED_FORMAT("unsupported format", "readable: " + String.join(", ", ImageFolderSource.EXTENSIONS_IN_ORDER)
                + "; convert HEIC, AVIF and raw camera files to JPEG or PNG"),
        /** A file with an image extension that the decoder could not read: damaged, truncated or not an image. */
        UNREADABLE("unreadable", "damaged, truncated or not an image; the other images were read, re-export or remove each"),
        /** An image lying next to the class folders instead of inside one, so it has no class. */
        OUTSIDE_CLASS_FOLDER("outside any class folder", "put it in the folder of its class"),
        /** A folder of the data that no split reads, e.g. {@code val/} beside {@code train/} and {@code test/}. */
        UNUSED_FOLDER("unused folder", "hone reads train/ and one test folder, and holds its validation split out of train/"),
        /** Neither a regular file nor a folder (a socket, a broken link), or a link back to a folder already read. */
        NOT_A_REGULAR_FILE("not a regular file", "a broken link, device or link loop"),
        /** A file or folder of a segmentation data set other than its {@code images/}, {@code masks/} and class-name file. */
        OUTSIDE_SEGMENTATION_FOLDERS("outside images/ and masks/",
                "a segmentation data set reads DIR/images/ and their masks in DIR/masks/");

        private final String label;
        private final String hint;

        Reason(String label, String hint) {
            this.label = label;
            this.hint = hint;
        }

        /** A short phrase for people, e.g. "unsupported format". */
        public String label() { return label; }

        /** Why it matters or what to do, shown after the count. */
        public String hint() { return hint; }

        /** The record's key, e.g. {@code unsupportedFormat}. */
        public String key() {
            String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
            StringBuilder b = new StringBuilder(words[0]);
            for (int i = 1; i < words.length; i++) {
                b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
            return b.toString();
        }
    }

    private final Map<Reason, Integer> counts;
    private final Map<Reason, List<String>> examples;

    private SkippedFiles(Map<Reason, Integer> counts, Map<Reason, List<String>> examples) {
        this.counts = Collections.unmodifiableMap(counts);
        this.examples = Collections.unmodifiableMap(examples);
    }

    /** How many entries were skipped for {@code reason}. */
    public int count(Reason reason) {
        return counts.getOrDefault(reason, 0);
    }

    /** All entries skipped, over every reason. */
    public int total() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Whether nothing was skipped. */
    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** The first few paths skipped for {@code reason}, in the order they were met. */
    public List<String> examples(Reason reason) {
        return examples.getOrDefault(reason, List.of());
    }

    /** Both reports added together, e.g. a training and a test folder of one data set. */
    public SkippedFiles plus(SkippedFiles other) {
        Builder b = new Builder();
        for (SkippedFiles s : List.of(this, other)) {
            s.counts.forEach((reason, n) -> {
                b.counts.merge(reason, n, Integer::sum);
                for (String e : s.examples(reason)) {
                    List<String> kept = b.examples.computeIfAbsent(reason, r -> new ArrayList<>());
                    if (kept.size() < EXAMPLES) {
                        kept.add(e);
                    }
                }
            });
        }
        return b.build();
    }

    /**
     * One line per reason for the console, e.g. {@code skipped 4 files of the training data, unsupported
     * format (readable: png, ...), e.g. /data/cat/a.txt; /data/cat/b.txt; /data/dog/c.txt; ...}, naming up to
     * {@link #EXAMPLES}; empty when nothing was skipped. A hidden folder counts as one file.
     *
     * @param where what was read, e.g. "training data"
     */
    public List<String> lines(String where) {
        List<String> lines = new ArrayList<>();
        counts.forEach((reason, n) -> {
            String noun = reason == Reason.UNUSED_FOLDER ? "folder" : "file";
            lines.add("skipped " + n + " " + noun + (n == 1 ? "" : "s") + " of the " + where + ", " + reason.label()
                    + " (" + reason.hint() + "), e.g. " + String.join("; ", examples(reason))
                    + (n > examples(reason).size() ? "; ..." : ""));
        });
        return lines;
    }

    /** For the record: {@code {reasonKey: {count, examples}}}, in reason order; empty when nothing was skipped. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        counts.forEach((reason, n) -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("count", n);
            r.put("examples", examples(reason));
            m.put(reason.key(), r);
        });
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SkippedFiles s && counts.equals(s.counts) && examples.equals(s.examples);
    }

    @Override
    public int hashCode() {
        return counts.hashCode();
    }

    @Override
    public String toString() {
        return counts.isEmpty() ? "nothing skipped" : String.join("; ", lines("data"));
    }

    /** Collects skipped entries while a folder is walked; not thread-safe. */
    public static final class Builder {
        private final Map<Reason, Integer> counts = new EnumMap<>(Reason.class);
        private final Map<Reason, List<String>> examples = new EnumMap<>(Reason.class);

        /** Counts {@code path} as skipped for {@code reason}, keeping it as an example while there are few. */
        public Builder add(Path path, Reason reason) {
            return add(path, reason, null);
        }

        /**
         * Counts {@code path} as skipped for {@code reason}; its example reads {@code path (detail)}, e.g.
         * the decoder's message for an unreadable image.
         *
         * @param detail why this file in particular was skipped, or null
         */
        public Builder add(Path path, Reason reason, String detail) {
            counts.merge(reason, 1, Integer::sum);
            List<String> kept = examples.computeIfAbsent(reason, r -> new ArrayList<>());
            if (kept.size() < EXAMPLES) {
                kept.add(detail == null ? path.toString() : path + " (" + detail + ")");
            }
            return this;
        }

        /** What was collected so far, as an immutable value. */
        public SkippedFiles build() {
            Map<Reason, List<String>> copy = new EnumMap<>(Reason.class);
            examples.forEach((r, l) -> copy.put(r, List.copyOf(l)));
            return new SkippedFiles(new EnumMap<>(counts), copy);
        }
    }
}
