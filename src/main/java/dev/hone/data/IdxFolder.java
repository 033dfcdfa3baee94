package dev.hone.data;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of IDX files in the MNIST naming: {@code train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]} and optionally the {@code t10k-*} test pair.
 *
 * <p>Classes are the label values present, named by their numbers unless a {@code classes.txt} (one
 * name per line, in label order) sits beside the files: IDX files carry no class names, and
 * Fashion-MNIST with digits for names would make every report unreadable.
 */
public final class IdxFolder {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    /** The optional file of class names, one a line. */
    public static final String CLASSES_FILE = "classes.txt";

    private IdxFolder() {}

    /** Whether {@code dir} holds a {@code train} or {@code t10k} IDX images file. */
    public static boolean isIdxFolder(Path dir) {
        return find(dir, "train", "images-idx3") != null || find(dir, "t10k", "images-idx3") != null;
    }

    /** Whether {@code dir} holds the {@code t10k} test pair's images file. */
    public static boolean hasTestSplit(Path dir) {
        return find(dir, "t10k", "images-idx3") != null;
    }

    /**
     * Reads one split: {@code prefix} is {@code train} or {@code t10k}.
     *
     * <p>The classes are the label values present, in increasing order: labels 0 and 9 alone make two
     * classes, named "0" and "9" (or by lines 0 and 9 of {@code classes.txt}), not ten classes of
     * which eight are empty. A remapping is logged. Given the training split's class names, a test
     * split is matched to them by name when its label names appear among them (so the same folder's
     * t10k files follow the training remapping), else by label value (a named data set's classes).
     *
     * @param classNames the class names, or null to take them from {@code classes.txt} or number them
     */
    public static ImageSet load(Path dir, String prefix, List<String> classNames) {
        Path images = require(dir, prefix, "images-idx3");
        Path labels = require(dir, prefix, "labels-idx1");
        ImageSet raw = IdxReader.read(images, labels, IdxReader.numberedClasses(256));
        int maxLabel = maxLabel(raw.labels());
        List<String> valueNames = valueNames(dir, labels, maxLabel, classNames == null);
        if (classNames != null) {
            return matchTo(raw, valueNames, classNames, labels);
        }
        SortedSet<Integer> present = new TreeSet<>();
        for (int l : raw.labels()) {
            present.add(l);
        }
        int[] index = new int[256];
        List<String> names = new ArrayList<>();
        for (int label : present) {
            index[label] = names.size();
            names.add(valueNames.get(label));
        }
        if (names.size() < valueNames.size()) {
            LOG.info("{}: labels {} are present, so the classes are {} ({}); label values without images are left out",
                    labels.getFileName(), present, names, present.size() == maxLabel + 1 ? "as numbered" : "renumbered 0.."
                            + (names.size() - 1) + " in this order");
        }
        return relabel(raw, index, names);
    }

    /**
     * Names of the label values 0..maxLabel: the lines of classes.txt, else the numbers. A classes.txt
     * too short for the labels is an error when it names the classes ({@code strict}), and ignored when
     * the class names were given (a test split matched to its training split's classes).
     */
    private static List<String> valueNames(Path dir, Path labels, int maxLabel, boolean strict) {
        List<String> names = readClassNames(dir);
        if (names == null || (!strict && names.size() <= maxLabel)) {
            return IdxReader.numberedClasses(maxLabel + 1);
        }
        if (names.size() <= maxLabel) {
            throw HoneException.of(CLASSES_FILE + " names " + names.size() + " classes but the labels in "
                    + labels.getFileName() + " go up to " + maxLabel, dir.resolve(CLASSES_FILE),
                    "write one class name per line for every label value from 0 to " + maxLabel + ", in label order");
        }
        return names;
    }

    /** Maps a split's labels onto given class names: by name when its names are among them, else by value. */
    private static ImageSet matchTo(ImageSet raw, List<String> valueNames, List<String> classNames, Path labels) {
        boolean byName = false;
        for (int l : raw.labels()) {
            byName |= classNames.contains(valueNames.get(l));
        }
        int[] index = new int[256];
        for (int l = 0; l < valueNames.size(); l++) {
            index[l] = byName ? classNames.indexOf(valueNames.get(l)) : (l < classNames.size() ? l : -1);
        }
        for (int l : raw.labels()) {
            if (index[l] < 0) {
                throw HoneException.of("label " + l + (byName ? " (\"" + valueNames.get(l) + "\")" : "")
                        + " is not one of the classes " + classNames, labels,
                        "use data whose labels are among the training labels, or train on data that has this class");
            }
        }
        return relabel(raw, index, classNames);
    }

    private static ImageSet relabel(ImageSet raw, int[] index, List<String> names) {
        int[] labels = new int[raw.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = index[raw.label(i)];
        }
        return new ImageSet(raw.pixels(), labels, 1, raw.height(), raw.width(), names, raw::source);
    }

    private static int maxLabel(int[] labels) {
        int max = -1;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        return max;
    }

    /** The names in {@code dir/classes.txt}, blank lines dropped; null when there is no such file. */
    static List<String> readClassNames(Path dir) {
        Path file = dir.resolve(CLASSES_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> names;
        try {
            // a byte-order mark (Windows' Notepad writes one) is no part of the first name
            names = Files.readAllLines(file).stream().map(s -> s.replace("\uFEFF", "").strip()).filter(s -> !s.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new HoneException("cannot read class names (" + e + "): " + file
                    + ". Fix: check that the file is readable UTF-8 text", e);
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw HoneException.of(CLASSES_FILE + " names a class twice", file, "give each class a distinct name");
        }
        return names;
    }

    private static Path require(Path dir, String prefix, String kind) {
        Path file = find(dir, prefix, kind);
        if (file == null) {
            throw HoneException.of("IDX folder lacks " + prefix + "-" + kind + "-ubyte[.gz]", dir,
                    "add the missing file, or re-download the data set");
        }
        return file;
    }

    /** The file in the usual spellings: dashes or a dot before {@code idx}, gzip or plain. */
    private static Path find(Path dir, String prefix, String kind) {
        for (String sep : new String[] {"-", "."}) {
            for (String ext : new String[] {"", ".gz"}) {
                Path file = dir.resolve(prefix + "-" + kind.replace("-", sep) + "-ubyte" + ext);
                if (Files.isRegularFile(file)) {
                    return file;
                }
            }
        }
        return null;
    }
}
