package dev.hone.data;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/**
 * A folder of IDX files in the MNIST naming: {@code train-images-idx3-ubyte[.gz]},
 * {@code train-labels-idx1-ubyte[.gz]} and optionally the {@code t10k-*} test pair.
 *
 * <p>Classes are numbered {@code "0"} up to the largest label unless a {@code classes.txt} (one name
 * per line, in label order) sits beside the files: IDX files carry no class names, and Fashion-MNIST
 * with digits for names would make every report unreadable.
 */
public final class IdxFolder {
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
     * @param classNames the class names, or null to take them from {@code classes.txt} or number them
     */
    public static ImageSet load(Path dir, String prefix, List<String> classNames) {
        Path images = require(dir, prefix, "images-idx3");
        Path labels = require(dir, prefix, "labels-idx1");
        if (classNames != null) {
            return IdxReader.read(images, labels, classNames);
        }
        ImageSet numbered = IdxReader.read(images, labels, null);
        List<String> names = readClassNames(dir);
        if (names == null) {
            return numbered;
        }
        if (names.size() != numbered.numClasses()) {
            throw HoneException.of(CLASSES_FILE + " names " + names.size() + " classes but the labels in "
                    + labels.getFileName() + " use " + numbered.numClasses() + " (0 to " + (numbered.numClasses() - 1)
                    + ")", dir.resolve(CLASSES_FILE), "write one class name per line, one line per label, in label order");
        }
        return new ImageSet(numbered.pixels(), numbered.labels(), 1, numbered.height(), numbered.width(), names,
                numbered::source);
    }

    /** The names in {@code dir/classes.txt}, blank lines dropped; null when there is no such file. */
    static List<String> readClassNames(Path dir) {
        Path file = dir.resolve(CLASSES_FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> names;
        try {
            names = Files.readAllLines(file).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
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
