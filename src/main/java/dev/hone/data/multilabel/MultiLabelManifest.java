package dev.hone.data.multilabel;

import dev.hone.core.HoneException;
import dev.hone.data.CsvRows;
import dev.hone.data.MissingFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A multi-label CSV manifest: image files and, per image, the set of classes it shows.
 *
 * <p>Two formats, told apart by the header line (which is required):
 * <ul>
 *   <li><b>label set</b>, {@code path,labels}: the second cell holds zero or more class names joined by a
 *       delimiter ({@code ;}, {@code |}, a comma inside a quoted cell or a space, detected by {@link LabelDelimiter}
 *       unless given). Class
 *       names may hold spaces and slashes. An empty cell is a valid negative: an image showing none of the
 *       classes, not an unlabeled one.</li>
 *   <li><b>multi-hot</b>, {@code path,<class 1>,<class 2>,...}: one 0/1 column per class, as medical
 *       datasets (ChestX-ray14 exports, CheXpert) ship them.</li>
 * </ul>
 * Relative paths start at the CSV's folder. Class names are sorted, so class indices do not depend on the
 * row or column order. A file listed on several rows (however its path is spelled) is one image with the
 * union of the rows' label sets, and a warning names it with its lines.
 *
 * <p>Loaded without known classes (a training manifest), a multi-hot class that is positive in no row is
 * refused: nothing can be learned for it. Loaded against known classes (a test set), a class with no
 * positive is a warning, since its average precision is undefined there. The caller re-checks classes
 * without positives on its training split.
 *
 * @param files the images, in first-listed order, N of them
 * @param classNames the K class names, sorted
 * @param targets N x K, {@code targets[i][k]} true when image i shows class k (arrays are not copied)
 * @param warnings things the user should hear about, each naming the file; empty when none
 * @param format how the file was read, for the record, e.g. {@code label-set, delimiter ';' (detected)}
 * @param lines the line that first lists each file, for errors about the file
 */
public record MultiLabelManifest(List<Path> files, List<String> classNames, boolean[][] targets, List<String> warnings,
                                 String format, List<Integer> lines) {

    /** Reads {@code csv}, detecting its format and delimiter; see {@link #load(Path, String, List)}. */
    public static MultiLabelManifest load(Path csv) {
        return load(csv, null, null);
    }

    /**
     * Reads {@code csv}.
     *
     * @param delimiter the label delimiter the user gave ({@code --label-delimiter}), or null to detect it
     * @param knownClasses the classes labels must index into (a test set read against its training set), or null
     *     for the sorted set of names the file shows
     * @throws HoneException naming the file, the line and the fix: no header, no image rows, a row of the wrong
     *     width, a missing image, non-0/1 multi-hot values, a delimiter that splits a multi-hot class name, an
     *     ambiguous delimiter, a class outside {@code knownClasses}, a multi-hot class that never occurs, or no
     *     class at all
     */
    public static MultiLabelManifest load(Path csv, String delimiter, List<String> knownClasses) {
        CsvRows.Named named = CsvRows.namedColumns(CsvRows.parse(CsvRows.read(csv), csv), csv);
        named.logIgnored(csv);
        List<CsvRows.Row> rows = named.rows();
        if (rows.isEmpty()) {
            throw HoneException.of("CSV manifest is empty", csv, ManifestRows.LABEL_SET_FORMAT);
        }
        Path base = csv.toAbsolutePath().getParent();
        CsvRows.Row header = rows.get(0);
        if (header.fields().size() < 2 || Files.isRegularFile(base.resolve(header.fields().get(0)))) {
            throw HoneException.of("a multi-label manifest needs a header line, but line " + header.line() + " is '"
                    + String.join(",", header.fields()) + "'", csv, "start the file with path,labels (label sets) or"
                    + " path,<class 1>,<class 2>,... (0/1 columns)");
        }
        List<CsvRows.Row> body = rows.subList(1, rows.size());
        if (body.isEmpty()) {
            throw HoneException.of("CSV manifest lists no images, only its header", csv, "add one line per image");
        }
        ManifestRows.Parsed parsed = ManifestRows.isLabelSetHeader(header)
                ? ManifestRows.labelSet(csv, body, delimiter) : ManifestRows.multiHot(csv, header, body, delimiter);
        List<String> warnings = new ArrayList<>(parsed.warnings());
        List<Path> files = new ArrayList<>();
        List<Set<String>> labels = new ArrayList<>();
        List<List<Integer>> lines = new ArrayList<>();
        Map<Path, Integer> listed = new HashMap<>();
        MissingFiles missing = new MissingFiles(csv, "image");
        for (ManifestRows.Entry e : parsed.entries()) {
            Path file = resolve(csv, base, e);
            if (!Files.isRegularFile(file)) {
                missing.add(e.line(), e.path(), file, "");
                continue;
            }
            Integer earlier = listed.putIfAbsent(CsvRows.identity(file), files.size());
            if (earlier == null) {
                files.add(file);
                labels.add(new LinkedHashSet<>(e.labels()));
                lines.add(new ArrayList<>(List.of(e.line())));
            } else {
                labels.get(earlier).addAll(e.labels());
                lines.get(earlier).add(e.line());
            }
        }
        missing.throwIfAny();
        List<String> repeated = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            if (lines.get(i).size() > 1) {
                repeated.add(files.get(i) + " on lines " + lines.get(i) + ", labels " + new TreeSet<>(labels.get(i)));
            }
        }
        if (!repeated.isEmpty()) { // one warning, with examples: a file listing every image twice would flood the console
            warnings.add(csv + ": " + repeated.size() + (repeated.size() == 1 ? " image is" : " images are") + " listed on"
                    + " several lines (" + CsvRows.examples(repeated) + "); each is used once with the union of its lines' labels");
        }
        List<String> classNames = classNames(csv, parsed, labels, knownClasses);
        boolean[][] targets = new boolean[files.size()][classNames.size()];
        for (int i = 0; i < files.size(); i++) {
            for (String name : labels.get(i)) {
                int k = classNames.indexOf(name);
                if (k < 0) {
                    throw HoneException.of("the label '" + name + "' is not one of the training classes " + classNames,
                            csv + ", line " + lines.get(i).get(0), "use a training class or remove the label");
                }
                targets[i][k] = true;
            }
        }
        checkPositives(csv, header, parsed.headerClasses() != null && knownClasses == null, classNames, targets, warnings);
        return new MultiLabelManifest(List.copyOf(files), classNames, targets, List.copyOf(warnings), parsed.format(),
                lines.stream().map(l -> l.get(0)).toList());
    }

    /** Number of images. */
    public int size() {
        return files.size();
    }

    private static Path resolve(Path csv, Path base, ManifestRows.Entry e) {
        String where = csv + ", line " + e.line();
        if (e.path().isEmpty()) {
            throw HoneException.of("CSV row has an empty path", where, ManifestRows.LABEL_SET_FORMAT);
        }
        return base.resolve(e.path()).normalize();
    }

    private static List<String> classNames(Path csv, ManifestRows.Parsed parsed, List<Set<String>> labels,
                                           List<String> knownClasses) {
        if (knownClasses != null) {
            if (parsed.headerClasses() != null && !new TreeSet<>(parsed.headerClasses()).equals(new TreeSet<>(knownClasses))) {
                throw HoneException.of("the multi-hot header's classes " + parsed.headerClasses()
                        + " are not the training classes " + knownClasses, csv + ", line 1",
                        "give this file one column for each training class, in any order");
            }
            return List.copyOf(knownClasses);
        }
        Set<String> names = new TreeSet<>();
        if (parsed.headerClasses() != null) {
            names.addAll(parsed.headerClasses());
        }
        labels.forEach(names::addAll);
        if (names.isEmpty()) {
            throw HoneException.of("no row of the manifest names a class: every label cell is empty", csv,
                    "name each image's classes in the labels column; empty cells are only for images with none");
        }
        return List.copyOf(names);
    }

    /** Refuses (a training multi-hot file) or warns about classes positive in no row. */
    private static void checkPositives(Path csv, CsvRows.Row header, boolean refuse, List<String> classNames,
                                       boolean[][] targets, List<String> warnings) {
        for (int k = 0; k < classNames.size(); k++) {
            int positives = 0;
            for (boolean[] t : targets) {
                positives += t[k] ? 1 : 0;
            }
            if (positives > 0) {
                continue;
            }
            String name = classNames.get(k);
            if (refuse) {
                throw HoneException.of("the class '" + name + "' in the multi-hot header (column "
                        + (header.fields().indexOf(name) + 1) + ") never occurs: it is 0 in every row, so nothing can be"
                        + " learned for it", csv + ", line " + header.line(),
                        "remove the column, or add images that show " + name);
            }
            warnings.add(csv + ": the class '" + name + "' has no positive example here, so its average"
                    + " precision cannot be measured on this file");
        }
    }
}
