package dev.hone.data;

import dev.hone.core.HoneException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a CSV manifest of {@code path,label} rows, for images that are not sorted into class folders.
 *
 * <p>A header row is optional. It is recognised when its first cell is not an existing file and its
 * cells read as column names: {@code path,label} and the other common spellings ({@code filename,label},
 * {@code image,label}, {@code file,class}, {@code image_path,category}, ...), or one known name beside
 * another plain word ({@code filename,breed}). A first row that is neither a header nor a file is
 * refused with a note that a header must be {@code path,label}. Relative paths are
 * resolved from the CSV's own folder, so a manifest moves with its images. Class names are the
 * distinct labels, sorted, so class indices do not depend on row order; images keep the row order.
 *
 * <p>An image listed twice (the same file, however its path is spelled) is read once: with the same
 * label the later row is ignored with a warning; with two labels the manifest is refused, because a
 * single-label classifier cannot learn both and silently keeping one would train on a guess. In a
 * multi-label manifest (not yet supported) such rows will instead be merged into one image with both
 * labels.
 */
public final class CsvManifestSource {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    private static final String FORMAT = "write one line per image as path,label (a header line path,label"
            + " is optional; paths are relative to the CSV's folder)";

    private CsvManifestSource() {}

    /**
     * Reads the manifest {@code csv}.
     *
     * @param format the format to conform images to, or null to infer it from the images
     */
    public static ImageSet load(Path csv, ImageFormat format) {
        return load(csv, format, null);
    }

    /**
     * Reads {@code csv} with the class names of another set (a test set conformed to its training set).
     *
     * @param knownClasses class names the labels index into; every label must be one of them.
     *     Null: the sorted distinct labels, at least two
     */
    public static ImageSet load(Path csv, ImageFormat format, List<String> knownClasses) {
        return read(csv, format, knownClasses).images();
    }

    /**
     * {@link #load(Path, ImageFormat, List)}, with what conforming the images to one format changed; a manifest skips no
     * file ({@link SkippedFiles#NONE}).
     */
    public static ImageFolderSource.Read read(Path csv, ImageFormat format, List<String> knownClasses) {
        return read(csv, format, knownClasses, 2);
    }

    /**
     * Reads {@code csv} with its own labels as the class names, one class enough: data to evaluate a trained model on,
     * whose classes the labels are then matched to by name.
     */
    public static ImageFolderSource.Read readForEvaluation(Path csv, ImageFormat format) {
        return read(csv, format, null, 1);
    }

    private static ImageFolderSource.Read read(Path csv, ImageFormat format, List<String> knownClasses, int minClasses) {
        CsvRows.Named named = CsvRows.namedColumns(CsvRows.parse(CsvRows.read(csv), csv), csv);
        named.logIgnored(csv);
        List<CsvRows.Row> rows = named.rows();
        Path base = csv.toAbsolutePath().getParent();
        boolean header = !rows.isEmpty() && isHeader(rows.get(0), base);
        int firstLine = rows.isEmpty() ? 0 : rows.get(0).line();
        if (header) {
            rows = rows.subList(1, rows.size());
        }
        if (rows.isEmpty()) {
            throw HoneException.of("CSV manifest lists no images", csv, FORMAT);
        }
        List<Path> files = new ArrayList<>(rows.size());
        List<String> labels = new ArrayList<>(rows.size());
        List<Integer> lines = new ArrayList<>(rows.size());
        Map<Path, Integer> listed = new HashMap<>();
        MissingFiles missing = new MissingFiles(csv, "image");
        List<String> repeats = new ArrayList<>();
        boolean firstLineMissing = false;
        for (CsvRows.Row row : rows) {
            String where = csv + ", line " + row.line();
            if (row.fields().size() != 2) {
                throw HoneException.of("CSV row has " + row.fields().size() + " fields, expected 2 (path,label)",
                        where, CsvRows.separatorHint(row) + "quote fields that contain commas, and " + FORMAT);
            }
            String path = row.fields().get(0);
            String label = ImageFolderSource.composed(row.fields().get(1));
            if (path.isEmpty()) {
                throw HoneException.of("CSV row has an empty path", where, FORMAT);
            }
            if (label.isEmpty()) {
                throw HoneException.of("CSV row has an empty label for " + path, where,
                        "give the image's class in the second column, or remove the line; if an image may show several"
                                + " classes or none (multi-label data), name the column labels (a header path,labels) and"
                                + " join its classes with ';'");
            }
            Path file = base.resolve(path).normalize();
            if (!Files.isRegularFile(file)) {
                firstLineMissing |= !header && row.line() == firstLine;
                missing.add(row.line(), path, file, "");
                continue;
            }
            Integer earlier = listed.putIfAbsent(CsvRows.identity(file), files.size());
            if (earlier != null) {
                repeats.add(rejectOrSkipRepeat(csv, path, lines.get(earlier), labels.get(earlier), row.line(), label));
                continue;
            }
            files.add(file);
            labels.add(label);
            lines.add(row.line());
        }
        if (!repeats.isEmpty()) {
            LOG.warn("{}: {} line{} an image listed earlier with the same label ({}); each image is used once and the later"
                    + " lines are ignored", csv, repeats.size(), repeats.size() == 1 ? " lists" : "s list", CsvRows.examples(repeats));
        }
        missing.throwIfAny("", firstLineMissing
                ? "; if line " + firstLine + " is meant as a header, a header must read path,label" : "");
        refuseMaskPaths(csv, base, labels, lines);
        String joined = knownClasses == null ? joinedLabels(csv, labels, lines) : null;
        List<String> classNames = knownClasses != null ? knownClasses : List.copyOf(new TreeSet<>(labels));
        if (knownClasses == null && classNames.size() < minClasses) {
            throw HoneException.of("CSV manifest has only 1 class (" + classNames.get(0)
                    + "), a classifier needs at least 2", csv, "list images of at least two classes");
        }
        int[] indices = new int[labels.size()];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = classNames.indexOf(labels.get(i));
            if (indices[i] < 0) {
                throw HoneException.of("CSV label '" + labels.get(i) + "' is not one of the training classes "
                        + classNames, csv + ", line " + lines.get(i), "use a training class or remove the line");
            }
        }
        ImageFileLoader.Readable read = ImageFileLoader.loadAll(files, indices, classNames, format, i -> csv + ", line " + lines.get(i));
        // a warning reaches the console, the record's data.warnings and the run's summary with the data's others
        return new ImageFolderSource.Read(read.images(), SkippedFiles.NONE, read.conformed(),
                joined == null ? List.of() : List.of(joined));
    }

    /**
     * The warning when class names hold ';' or '|', the characters that join label sets: a multi-label manifest whose header
     * says {@code label} rather than {@code labels} reads as single-label, each combination of classes one class. Null
     * when none does.
     */
    static String joinedLabels(Path csv, List<String> labels, List<Integer> lines) {
        Set<String> joined = new TreeSet<>();
        int first = -1;
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).contains(";") || labels.get(i).contains("|")) {
                joined.add(labels.get(i));
                first = first < 0 ? i : first;
            }
        }
        return first < 0 ? null : String.format("%s: %d of the class names hold ';' or '|' (e.g. '%s' on line %d), so each"
                + " such combination trains as one class of a single-label model; if these cells list several classes of one"
                + " image, name the column labels (a header path,labels) to train a multi-label model", csv, joined.size(),
                labels.get(first), lines.get(first));
    }

    /**
     * A file listed again at {@code line}, first at {@code firstLine}: refused with two labels, else
     * skipped; returns what the warning says of it.
     */
    private static String rejectOrSkipRepeat(Path csv, String path, int firstLine, String firstLabel, int line, String label) {
        if (!firstLabel.equals(label)) {
            throw HoneException.of("CSV lists the image " + path + " under two labels: '" + firstLabel + "' on line " + firstLine
                    + " and '" + label + "' on line " + line + "; a single-label classifier cannot learn both", csv,
                    "keep the one line with the right label and delete the other");
        }
        return "line " + line + " repeats line " + firstLine + ", " + path;
    }

    /**
     * Refuses a manifest whose labels are mostly image files beside the CSV: an {@code image,mask} manifest without its
     * header, whose every mask would otherwise be a class of one image.
     */
    private static void refuseMaskPaths(Path csv, Path base, List<String> labels, List<Integer> lines) {
        int files = 0;
        int first = -1;
        for (int i = 0; i < labels.size(); i++) {
            try {
                Path p = Path.of(labels.get(i));
                if (ImageFolderSource.hasImageExtension(p) && Files.isRegularFile(base.resolve(p))) {
                    files++;
                    first = first < 0 ? i : first;
                }
            } catch (java.nio.file.InvalidPathException e) {
                // a label no file can have names none
            }
        }
        if (files > 0 && 2 * files > labels.size()) {
            throw HoneException.of(files + " of the " + labels.size() + " rows give an image file as the label (e.g. "
                    + labels.get(first) + ", line " + lines.get(first) + "), as the masks of a segmentation manifest do, but"
                    + " the CSV has no header image,mask", csv, "to train segmentation, make the CSV's first line the header"
                    + " image,mask (in place of any other header); to classify, give each image its class name in the second column");
        }
    }

    /**
     * Whether {@code row} is a header: its first cell names no existing file (a file called "image" is
     * data), and its cells are column names: both known, or one known beside a plain word such as
     * {@code breed} (letters, digits, '_', '-' and spaces; no dot or slash, which a path would have).
     */
    static boolean isHeader(CsvRows.Row row, Path base) {
        List<String> f = row.fields();
        if (f.size() != 2 || exists(base, f.get(0))) {
            return false;
        }
        boolean pathName = CsvRows.PATH_COLUMNS.contains(CsvRows.columnName(f.get(0)));
        boolean labelName = CsvRows.LABEL_COLUMNS.contains(CsvRows.columnName(f.get(1)));
        return pathName && labelName || (pathName || labelName) && plainWord(f.get(0)) && plainWord(f.get(1));
    }

    private static boolean plainWord(String cell) {
        return cell.matches("[\\p{L}][\\p{L}\\p{N} _-]*");
    }

    private static boolean exists(Path base, String cell) {
        try {
            return !cell.isEmpty() && Files.exists(base.resolve(cell));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}
