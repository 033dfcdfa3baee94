package dev.hone.data.multilabel;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a manifest's text and splits it into rows of fields, after RFC 4180.
 *
 * <p>The same rules as {@code dev.hone.data.CsvRows} (comma separators, double-quoted fields that may
 * hold commas, line breaks and doubled quotes, LF or CRLF, an optional byte-order mark, unquoted fields
 * trimmed, blank lines skipped, each row keeping the line it starts on). That class is package-private
 * to {@code dev.hone.data}; this copy goes once it is made public.
 */
final class CsvText {

    private CsvText() {}

    /** One row: the 1-based line it starts on, and its fields. */
    record Row(int line, List<String> fields) {}

    /** The UTF-8 text of {@code csv}, or a {@link HoneException} saying why it cannot be read. */
    static String read(Path csv) {
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

    /** The file itself, however its path was written (symbolic links, {@code ./}, {@code ..}). */
    static Path identity(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    /** @param file named in errors only */
    static List<Row> parse(String text, Path file) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int line = 1;
        int rowLine = 1;
        int quoteLine = 0;
        for (int i = text.startsWith("\uFEFF") ? 1 : 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    line += c == '\n' ? 1 : 0;
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
        if (!(fields.size() == 1 && fields.get(0).isEmpty())) {
            rows.add(new Row(line, List.copyOf(fields)));
        }
    }
}
