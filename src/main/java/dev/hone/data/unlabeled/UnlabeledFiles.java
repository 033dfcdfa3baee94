package dev.hone.data.unlabeled;

import dev.hone.core.HoneException;
import dev.hone.data.CsvRows;
import dev.hone.data.MissingFiles;
import dev.hone.data.ImageFolderSource;
import dev.hone.data.SkippedFiles;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the image files of an unlabeled set: every image below a folder, or the paths of a CSV.
 *
 * <p>A folder is walked to any depth with the labelled readers' rules ({@link ImageFolderSource#imageFiles}):
 * class subfolders, flat and nested layouts all read alike, files sorted by their path relative to the
 * folder; hidden entries and files without an image extension are skipped and counted. A CSV lists one
 * image per line, in the column an optional header names as paths ({@code path}, {@code filename}, {@code image},
 * ...; in any position) or else the first, other columns ignored; relative paths start at the CSV's folder. Nothing is
 * decoded here.
 */
final class UnlabeledFiles {
    private static final String CSV_FORMAT = "write one image path per line (an optional header line names the path"
            + " column, e.g. path or filename; relative paths start at the CSV's folder)";

    private UnlabeledFiles() {}

    /**
     * The images below {@code dir}, at any depth, sorted by relative path.
     *
     * @param skipped receives every entry passed over, with its reason
     * @throws HoneException when no image is found, naming the folder and the extensions that count
     */
    static List<Path> inFolder(Path dir, SkippedFiles.Builder skipped) {
        List<Path> files = ImageFolderSource.imageFiles(dir, skipped);
        if (files.isEmpty()) {
            SkippedFiles seen = skipped.build();
            String others = seen.isEmpty() ? "" : "; it holds " + seen.total() + " other entries, e.g. " + firstExample(seen);
            throw HoneException.of("no unlabeled images found in this folder or any folder below it (images are files"
                    + " ending in ." + String.join(", .", ImageFolderSource.EXTENSIONS_IN_ORDER)
                    + " in any case; names starting with '.' are ignored)" + others, dir,
                    "put the unlabeled " + ImageFolderSource.FORMATS + " images in this folder, in any layout of"
                            + " subfolders, or point at a .csv that lists them");
        }
        return files;
    }

    /** The images a CSV lists, in line order, and the line that lists each. */
    record Listed(List<Path> files, List<Integer> lines) {}

    /**
     * The images {@code csv} lists, in line order; each must exist. The paths are read from the column a header names
     * as paths ({@code path}, {@code filename}, {@code image_path}, ...: {@link CsvRows#pathColumn}), else from the first.
     *
     * @throws HoneException when the CSV is missing, unreadable or lists no image, or a line names no
     *     path or a missing file (naming the line and the path)
     */
    static Listed inCsv(Path csv) {
        List<CsvRows.Row> rows = CsvRows.parse(CsvRows.read(csv), csv);
        Path base = csv.toAbsolutePath().getParent();
        int column = 0;
        if (!rows.isEmpty()) {
            List<String> first = rows.get(0).fields();
            int named = CsvRows.pathColumn(first);
            if (named >= 0 && !exists(base, first.get(named))) {
                column = named;
                rows = rows.subList(1, rows.size());
                if (first.size() > 1) {
                    org.slf4j.LoggerFactory.getLogger("hone").info("data: {}: reading the image paths from column {} ('{}')", csv,
                            column + 1, first.get(column));
                }
            } else if (isHeader(first.get(0), base)) {
                rows = rows.subList(1, rows.size());
            } else if (!exists(base, first.get(0)) && !first.get(0).contains(".")) {
                // "image_url": no file, no extension, a column name hone does not know
                throw HoneException.of("the CSV's first line starts with '" + first.get(0) + "', which is neither an image file"
                        + " nor a header column hone reads paths from", csv + ", line " + rows.get(0).line(), "name the path"
                        + " column one of " + String.join(", ", new java.util.TreeSet<>(CsvRows.PATH_COLUMNS))
                        + ", or remove the header line");
            }
        }
        if (rows.isEmpty()) {
            throw HoneException.of("CSV of unlabeled images lists no images", csv, CSV_FORMAT);
        }
        List<Path> files = new ArrayList<>(rows.size());
        List<Integer> lines = new ArrayList<>(rows.size());
        MissingFiles missing = new MissingFiles(csv, "image");
        for (CsvRows.Row row : rows) {
            String where = csv + ", line " + row.line();
            if (row.fields().size() <= column) {
                throw HoneException.of("CSV line has " + row.fields().size() + " fields, and the header puts the image paths in"
                        + " column " + (column + 1), where, "give every line the header's columns");
            }
            String cell = row.fields().get(column);
            if (cell.isEmpty()) {
                throw HoneException.of("CSV line has an empty path", where, CSV_FORMAT + ", or remove the line");
            }
            Path file = resolve(base, cell);
            if (file == null || !Files.exists(file)) {
                missing.add(row.line(), cell, file, "");
                continue;
            }
            files.add(file);
            lines.add(row.line());
        }
        missing.throwIfAny();
        return new Listed(files, lines);
    }

    /**
     * A header whose first cell names the paths (when several cells do, {@link CsvRows#pathColumn} names none): a path
     * column's name that is not also the name of a file.
     */
    private static boolean isHeader(String first, Path base) {
        return CsvRows.isPathColumn(first) && !exists(base, first);
    }

    private static boolean exists(Path base, String cell) {
        Path file = resolve(base, cell);
        return file != null && Files.exists(file);
    }

    /** {@code cell} from {@code base}, or null when it is no valid path on this system. */
    private static Path resolve(Path base, String cell) {
        try {
            return base.resolve(cell).normalize();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String firstExample(SkippedFiles skipped) {
        for (SkippedFiles.Reason reason : SkippedFiles.Reason.values()) {
            if (skipped.count(reason) > 0) {
                return skipped.examples(reason).get(0) + " (" + reason.label() + ")";
            }
        }
        return "";
    }
}
