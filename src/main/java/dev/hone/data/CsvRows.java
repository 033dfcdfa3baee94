package dev.hone.data;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into rows of fields, after RFC 4180.
 *
 * <p>Hand-written because a manifest needs only the basics and hone keeps its dependencies few:
 * comma separators, double-quoted fields that may hold commas, line breaks and doubled quotes
 * ({@code ""}), LF or CRLF line ends, an optional UTF-8 byte-order mark. Unquoted fields are trimmed
 * of surrounding spaces; quoted fields are kept as written. Blank lines are skipped. Each row keeps
 * the line number it starts on, so errors can point at it.
 */
public final class CsvRows {

    private CsvRows() {}

    /**
     * The UTF-8 text of {@code csv}.
     *
     * @throws HoneException naming the file when it is missing, unreadable or not UTF-8
     */
    public static String read(Path csv) {
        if (!Files.exists(csv)) {
            throw HoneException.of("CSV manifest does not exist", csv, "check the path");
        }
        try {
            return Files.readString(csv, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw HoneException.of("CSV manifest is not UTF-8 text", csv, "save it as UTF-8");
        } catch (IOException e) {
            throw new HoneException("cannot read CSV manifest (" + e + "): " + csv
                    + ". Fix: check that the file is readable", e);
        }
    }

    /** The file itself, however its path was written (symbolic links, {@code ./}, {@code ..}): for finding repeats. */
    public static Path identity(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    /** One row: the 1-based line it starts on, and its fields. */
    public record Row(int line, List<String> fields) {}

    /**
     * For a row of one field that holds a semicolon or a tab, the likely cause of its wrong width, ending in "; " (a
     * spreadsheet saved with another separator); otherwise the empty string.
     */
    public static String separatorHint(Row row) {
        if (row.fields().size() != 1) {
            return "";
        }
        String f = row.fields().get(0);
        String separator = f.contains("\t") ? "tabs" : f.contains(";") ? "semicolons" : null;
        return separator == null ? "" : "the file seems to separate its fields with " + separator + ", and manifests use commas:"
                + " save it as comma-separated (label sets keep ';' between class names inside the labels field); ";
    }

    /** The first three of {@code items} joined by "; ", and "; ..." when there are more: a warning's examples. */
    public static String examples(List<String> items) {
        return String.join("; ", items.subList(0, Math.min(3, items.size()))) + (items.size() > 3 ? "; ..." : "");
    }

    /** Column names manifests give the image's path, normalised by {@link #columnName}. */
    public static final java.util.Set<String> PATH_COLUMNS = java.util.Set.of("path", "file", "filename", "file_name", "filepath",
            "file_path", "image", "images", "image_path", "imagepath", "image_file", "image_name", "img", "img_path", "img_name");

    /**
     * Column names manifests give the class, normalised by {@link #columnName}. Not {@code labels}: a
     * {@code path,labels} file is a multi-label manifest.
     */
    static final java.util.Set<String> LABEL_COLUMNS = java.util.Set.of("label", "class", "class_name", "classname", "category",
            "target");

    /** Lower case with spaces and '-' as '_': "Image Path" and "image-path" are "image_path". */
    static String columnName(String cell) {
        return cell.strip().toLowerCase(java.util.Locale.ROOT).replace(' ', '_').replace('-', '_');
    }

    /**
     * A manifest whose header has more than two columns, among them one named as a path ({@link #PATH_COLUMNS}) and one
     * named as labels ({@link #LABEL_COLUMNS}, or {@code labels} for label sets), e.g. {@code id,path,label,source}: its
     * rows cut to those two columns, in that order, as {@code path,label} files are read. Any other file: {@code rows}
     * unchanged.
     *
     * @param file named in errors only
     * @return the rows, and the names of the columns left out (empty when none)
     * @throws HoneException for a row whose width is not the header's
     */
    public static Named namedColumns(List<Row> rows, Path file) {
        if (rows.isEmpty() || rows.get(0).fields().size() < 3) {
            return new Named(rows, List.of());
        }
        List<String> header = rows.get(0).fields();
        int path = onlyIndex(header, PATH_COLUMNS);
        int label = onlyIndex(header, LABEL_SET_OR_CLASS);
        if (path < 0 || label < 0) {
            return new Named(rows, List.of());
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            if (r.fields().size() != header.size()) {
                throw HoneException.of("CSV row has " + r.fields().size() + " fields, expected the header's " + header.size() + " ("
                        + String.join(",", header) + ")", file + ", line " + r.line(), separatorHint(r) + "quote fields that"
                        + " contain commas, and give every row the header's columns");
            }
            out.add(new Row(r.line(), List.of(r.fields().get(path), r.fields().get(label))));
        }
        List<String> left = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (i != path && i != label) {
                left.add(header.get(i));
            }
        }
        return new Named(out, left);
    }

    /** {@link #namedColumns}' result: the rows and the columns left out. */
    public record Named(List<Row> rows, List<String> ignored) {
        /** Says in the log which columns of {@code csv} are not read, if any. */
        public void logIgnored(Path csv) {
            if (!ignored.isEmpty()) {
                org.slf4j.LoggerFactory.getLogger("hone").info("data: {}: reading the columns '{}' and '{}'; {} not read: {}", csv,
                        rows.get(0).fields().get(0), rows.get(0).fields().get(1), ignored.size() == 1 ? "the other is" : "the others are",
                        String.join(", ", ignored));
            }
        }
    }

    private static final java.util.Set<String> LABEL_SET_OR_CLASS = java.util.stream.Stream.concat(LABEL_COLUMNS.stream(),
            java.util.stream.Stream.of("labels")).collect(java.util.stream.Collectors.toUnmodifiableSet());

    /**
     * The column a header names as image paths ({@link #PATH_COLUMNS}, e.g. {@code path}, {@code filename},
     * {@code image_path}), or -1 when no column or several are.
     */
    public static int pathColumn(List<String> header) {
        return onlyIndex(header, PATH_COLUMNS);
    }

    /** Whether a header cell names a column of image paths ({@link #PATH_COLUMNS}). */
    public static boolean isPathColumn(String cell) {
        return PATH_COLUMNS.contains(columnName(cell));
    }

    /** The index of the one field named one of {@code names} ({@link #columnName}), or -1 when none or several are. */
    private static int onlyIndex(List<String> header, java.util.Set<String> names) {
        int found = -1;
        for (int i = 0; i < header.size(); i++) {
            if (names.contains(columnName(header.get(i)))) {
                if (found >= 0) {
                    return -1;
                }
                found = i;
            }
        }
        return found;
    }

    /** @param file named in errors only */
    public static List<Row> parse(String text, Path file) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int line = 1;
        int rowLine = 1;
        int quoteLine = 0;
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.toString().isBlank()) {
                field.setLength(0);
                quoted = true;
                wasQuoted = true;
                quoteLine = line;
            } else if (c == ',') {
                fields.add(finish(field, wasQuoted));
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                fields.add(finish(field, wasQuoted));
                wasQuoted = false;
                addRow(rows, rowLine, fields);
                fields = new ArrayList<>();
                line++;
                rowLine = line;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw HoneException.of("CSV has a quote that is never closed, opened on line " + quoteLine, file,
                    "close the quoted field with \", and write a quote inside a quoted field as \"\"");
        }
        fields.add(finish(field, wasQuoted));
        addRow(rows, rowLine, fields);
        return rows;
    }

    private static String finish(StringBuilder field, boolean wasQuoted) {
        String s = wasQuoted ? field.toString() : field.toString().strip();
        field.setLength(0);
        return s;
    }

    private static void addRow(List<Row> rows, int line, List<String> fields) {
        boolean blank = fields.size() == 1 && fields.get(0).isEmpty();
        if (!blank) {
            rows.add(new Row(line, List.copyOf(fields)));
        }
    }
}
