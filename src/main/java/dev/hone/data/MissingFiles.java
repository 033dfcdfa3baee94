package dev.hone.data;

import dev.hone.core.HoneException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a CSV manifest names that do not exist, gathered over the whole manifest so that one error names them
 * all (up to {@link #NAMED}, then a count) instead of the first alone: a user who moved a folder mends every line at
 * once rather than one run per line.
 */
public final class MissingFiles {
    /** How many missing files the error names with their lines; the rest are counted. */
    public static final int NAMED = 5;

    private final Path csv;
    private final String kind;
    private final List<Entry> entries = new ArrayList<>();

    /** A missing file: its line, the path as written, and where it was looked for as the message gives it. */
    private record Entry(int line, String written, String where) {}

    /**
     * @param csv  the manifest, named in the error
     * @param kind what the files are, e.g. {@code "image"} or {@code "mask"}
     */
    public MissingFiles(Path csv, String kind) {
        this.csv = csv;
        this.kind = kind;
    }

    /**
     * Notes a missing file.
     *
     * @param line      the manifest's 1-based line that names it
     * @param written   the path as the line wrote it
     * @param lookedFor where it was looked for, or null when the text is no path on this system; {@code detail} follows
     *                  it in the message (e.g. the image a missing mask belongs to), or is empty
     */
    public void add(int line, String written, Path lookedFor, String detail) {
        if (lookedFor != null && java.nio.file.Files.isDirectory(lookedFor)) {
            detail = detail + ": a folder, not a file";
        } else if (lookedFor != null && otherUnicodeForm(lookedFor)) {
            detail = detail + ": a file of this name with its accents written another way (Unicode's composed and decomposed"
                    + " forms) exists; write the path as the file system has it";
        }
        entries.add(new Entry(line, written, (lookedFor == null ? "" : " (looked for " + lookedFor + detail + ")")));
    }

    /** Whether a file was noted missing. */
    public boolean any() {
        return !entries.isEmpty();
    }

    /**
     * Throws when a file was noted missing: with one, the line's own error; with several, one error naming the first
     * {@link #NAMED} with their lines and counting the rest. The fix is to correct each path or remove its line.
     *
     * @param alsoFix another fix put between those two (e.g. "add the mask"), or empty
     * @param note    a sentence added to the fix (e.g. what a header must read), or empty
     * @throws HoneException when any file is missing
     */
    public void throwIfAny(String alsoFix, String note) {
        if (entries.isEmpty()) {
            return;
        }
        if (java.io.File.separatorChar == '/' && entries.stream().allMatch(e -> e.written().contains("\\"))) {
            note = note + "; the paths use '\\' (Windows), which this system reads as part of a name: write them with '/'";
        }
        String or = alsoFix.isEmpty() ? " or " : ", " + alsoFix + ", or ";
        if (entries.size() == 1) {
            Entry e = entries.get(0);
            throw HoneException.of("CSV row points to a missing " + kind + " file " + e.written() + e.where(),
                    csv + ", line " + e.line(), "correct the path (relative paths start at the CSV's folder)" + or
                            + "remove the line" + note);
        }
        StringBuilder named = new StringBuilder();
        for (Entry e : entries.subList(0, Math.min(NAMED, entries.size()))) {
            named.append(named.isEmpty() ? "" : "; ").append("line ").append(e.line()).append(": ").append(e.written())
                    .append(e.where());
        }
        int more = entries.size() - NAMED;
        throw HoneException.of(entries.size() + " CSV rows point to missing " + kind + " files: " + named
                + (more > 0 ? "; and " + more + " more" : ""), csv,
                "correct each path (relative paths start at the CSV's folder)" + or + "remove its line" + note);
    }

    /** Whether the path in Unicode's composed (NFC) or decomposed (NFD) form names an existing file. */
    private static boolean otherUnicodeForm(Path path) {
        String p = path.toString();
        for (java.text.Normalizer.Form form : new java.text.Normalizer.Form[] {java.text.Normalizer.Form.NFC,
                java.text.Normalizer.Form.NFD}) {
            String other = java.text.Normalizer.normalize(p, form);
            try {
                if (!other.equals(p) && java.nio.file.Files.isRegularFile(Path.of(other))) {
                    return true;
                }
            } catch (java.nio.file.InvalidPathException e) {
                return false;
            }
        }
        return false;
    }

    /** {@link #throwIfAny(String, String)} with no other fix and no note. */
    public void throwIfAny() {
        throwIfAny("", "");
    }
}
