package dev.hone.data.multilabel;

import dev.hone.core.HoneException;
import dev.hone.data.CsvRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The rows of a multi-label manifest as {@code (line, path, label set)}, before files are looked up.
 *
 * <p>Two formats, told apart by the header: {@code path,labels} (or {@code path,label}) is a label-set
 * file, any other header {@code path,<class>,...} a multi-hot file with one 0/1 column per class.
 */
final class ManifestRows {
    static final String LABEL_SET_FORMAT = "a header path,labels and one line per image as path,<class names joined by ';'>"
            + " (an empty label means none of the classes)";

    /** One image row. */
    record Entry(int line, String path, Set<String> labels) {}

    /**
     * @param entries the image rows, in file order
     * @param headerClasses the classes a multi-hot header names, in header order; null for a label-set file
     * @param format for the record, e.g. {@code label-set, delimiter ';' (detected)}
     */
    record Parsed(List<Entry> entries, List<String> headerClasses, String format, List<String> warnings) {}

    private ManifestRows() {}

    static boolean isLabelSetHeader(CsvRows.Row header) {
        String second = header.fields().size() == 2 ? header.fields().get(1).toLowerCase(Locale.ROOT) : "";
        return second.equals("labels") || second.equals("label");
    }

    /** Reads a {@code path,labels} body with {@code delimiter}, or a detected one where it is null. */
    static Parsed labelSet(Path csv, List<CsvRows.Row> body, String delimiter) {
        List<String> cells = new ArrayList<>(body.size());
        List<Integer> lines = new ArrayList<>(body.size());
        for (CsvRows.Row row : body) {
            checkWidth(csv, row, 2, "path,labels");
            cells.add(row.fields().get(1));
            lines.add(row.line());
        }
        LabelDelimiter d = delimiter != null ? LabelDelimiter.given(delimiter) : LabelDelimiter.detect(cells, lines, csv);
        List<Entry> entries = new ArrayList<>(body.size());
        String otherJoin = null;
        for (int i = 0; i < body.size(); i++) {
            Set<String> names = new LinkedHashSet<>(d.split(cells.get(i)));
            for (String name : names) {
                if (otherJoin == null && delimiter != null && joinsOtherwise(name, d.symbol())) {
                    otherJoin = "class name '" + name + "' on line " + lines.get(i);
                }
            }
            entries.add(new Entry(lines.get(i), body.get(i).fields().get(0), names));
        }
        List<String> warnings = otherJoin == null ? List.of() : List.of(csv + ": the label delimiter '" + delimiter
                + "' was given, but the " + otherJoin + " holds another of ';', '|' and ',': if that one joins the classes, pass"
                + " it to --label-delimiter (or leave the flag out to detect it)");
        return new Parsed(entries, null, "label-set, delimiter " + d.describe(), warnings);
    }

    /** Whether a class name holds one of the delimiters detection looks for, other than {@code symbol}. */
    private static boolean joinsOtherwise(String name, String symbol) {
        for (String other : LabelDelimiter.SYMBOLS) {
            if (!other.equals(symbol) && name.contains(other)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads a multi-hot body: one 0/1 column per class named in {@code header}.
     *
     * @param delimiter a delimiter the user gave, or null; a multi-hot file uses none, but one that would split a
     *     header class name shows the user expects another format, so it is refused
     */
    static Parsed multiHot(Path csv, CsvRows.Row header, List<CsvRows.Row> body, String delimiter) {
        int pathAt = CsvRows.pathColumn(header.fields());
        if (pathAt > 0) {
            throw HoneException.of("the header names column " + (pathAt + 1) + " ('" + header.fields().get(pathAt) + "') as the"
                    + " image paths, but a multi-hot file holds them in its first column: '" + header.fields().get(0) + "' would"
                    + " be read as the paths and '" + header.fields().get(pathAt) + "' as a class", csv + ", line " + header.line(),
                    "put the path column first, followed only by one 0/1 column per class");
        }
        List<String> classes = header.fields().subList(1, header.fields().size());
        List<String> warnings = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            String name = classes.get(c);
            if (name.isBlank() || classes.indexOf(name) != c) {
                throw HoneException.of("the multi-hot header's column " + (c + 2) + " is " + (name.isBlank() ? "empty"
                        : "a second '" + name + "'"), csv + ", line " + header.line(),
                        "give every class column one distinct name");
            }
            if (delimiter != null && !delimiter.isEmpty() && name.contains(delimiter)) {
                throw HoneException.of("the label delimiter '" + delimiter + "' splits the class name '" + name + "' in column "
                        + (c + 2) + " of the header. This is a multi-hot file (one 0/1 column per class), where each column"
                        + " is one whole class name and no delimiter is used", csv + ", line " + header.line(),
                        "drop --label-delimiter for a multi-hot file, or, if you meant a label-set file, write the header"
                        + " path,labels and the class names joined by the delimiter in the second column");
            }
        }
        if (delimiter != null) {
            warnings.add(csv + " is a multi-hot file (one 0/1 column per class), so the label delimiter '" + delimiter
                    + "' is not used");
        }
        List<Entry> entries = new ArrayList<>(body.size());
        for (CsvRows.Row row : body) {
            checkWidth(csv, row, header.fields().size(), "path and " + classes.size() + " class columns");
            Set<String> labels = new LinkedHashSet<>();
            for (int c = 0; c < classes.size(); c++) {
                if (isOne(csv, row, c + 1, classes.get(c))) {
                    labels.add(classes.get(c));
                }
            }
            entries.add(new Entry(row.line(), row.fields().get(0), labels));
        }
        return new Parsed(entries, List.copyOf(classes), "multi-hot, " + classes.size() + " class columns", warnings);
    }

    /** True for 1, false for 0 ({@code 1.0} and {@code 0.0} too, as pandas writes them); else refused. */
    private static boolean isOne(Path csv, CsvRows.Row row, int column, String className) {
        String v = row.fields().get(column);
        if (v.equals("1") || v.equals("1.0")) {
            return true;
        }
        if (v.equals("0") || v.equals("0.0")) {
            return false;
        }
        throw HoneException.of("the multi-hot value for class '" + className + "' (column " + (column + 1) + ") is '" + v
                + "', not 0 or 1", csv + ", line " + row.line(), "write 1 where the image shows the class and 0 where it does"
                + " not; uncertain (-1) or missing labels, as in CheXpert, must be mapped to 0 or 1 first");
    }

    private static void checkWidth(Path csv, CsvRows.Row row, int width, String columns) {
        if (row.fields().size() != width) {
            throw HoneException.of("CSV row has " + row.fields().size() + " fields, expected " + width + " (" + columns + ")",
                    csv + ", line " + row.line(), CsvRows.separatorHint(row) + "quote fields that contain commas, and give every"
                            + " row the header's columns");
        }
    }
}
