package dev.hone.data.segmentation;

import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The class names of a segmentation data set: mask value k is class k.
 *
 * <p>Read from {@value #CLASSES_FILE} (one name per line, line k naming value k; blank lines are
 * skipped) or else Pascal VOC's {@value #LABELMAP_FILE} ({@code name:r,g,b:parts:actions} lines; the
 * name is what comes before the first colon, and {@code #} lines are comments). Without either file
 * the classes are numbered, {@code class 0} up to the largest value the masks hold. At most
 * {@value #MAX_CLASSES} classes: mask value 255 is reserved for pixels to ignore.
 */
public final class SegmentationClasses {
    /** One class name per line. */
    public static final String CLASSES_FILE = "classes.txt";

    /** Pascal VOC's class list, {@code name:r,g,b:parts:actions} per line. */
    public static final String LABELMAP_FILE = "labelmap.txt";

    /** Class indices run 0-254: 255 is {@link dev.hone.data.ImageSet#IGNORE}. */
    public static final int MAX_CLASSES = 255;

    private SegmentationClasses() {}

    /** The names and the file they came from. */
    record Named(List<String> names, Path file) {}

    /** Whether {@code file} is a class-name file this reader looks for (so a folder source does not report it as skipped). */
    public static boolean isClassesFile(Path file) {
        String name = file.getFileName().toString();
        return name.equals(CLASSES_FILE) || name.equals(LABELMAP_FILE);
    }

    /**
     * The class names of the first of {@code dirs} holding {@value #CLASSES_FILE} or
     * {@value #LABELMAP_FILE} ({@value #CLASSES_FILE} first in each), or null when none does.
     *
     * @param dirs folders to look in, in order; null entries are passed over
     * @throws HoneException naming the file when it is unreadable, empty, repeats a name or lists more than {@value #MAX_CLASSES}
     */
    static Named find(List<Path> dirs) {
        for (Path dir : dirs) {
            if (dir == null) {
                continue;
            }
            Path classes = dir.resolve(CLASSES_FILE);
            if (Files.isRegularFile(classes)) {
                return new Named(check(lines(classes).stream().map(String::strip).filter(s -> !s.isEmpty()).toList(), classes), classes);
            }
            Path labelmap = dir.resolve(LABELMAP_FILE);
            if (Files.isRegularFile(labelmap)) {
                return new Named(check(labelmapNames(lines(labelmap)), labelmap), labelmap);
            }
        }
        return null;
    }

    /** The names of VOC {@code labelmap.txt} lines: before the first colon; blank and {@code #} lines skipped. */
    static List<String> labelmapNames(List<String> lines) {
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            int colon = s.indexOf(':');
            names.add((colon < 0 ? s : s.substring(0, colon)).strip());
        }
        return names;
    }

    /** {@code class 0} to {@code class (n-1)}. */
    static List<String> numbered(int n) {
        List<String> names = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            names.add("class " + k);
        }
        return names;
    }

    private static List<String> check(List<String> names, Path file) {
        if (names.isEmpty()) {
            throw HoneException.of("class-name file lists no classes", file,
                    "write one class name per line, line k naming mask value k (background first), or delete the file");
        }
        if (names.size() > MAX_CLASSES) {
            throw HoneException.of("class-name file lists " + names.size() + " classes, more than the "
                    + MAX_CLASSES + " mask values 0-254 can index (255 marks pixels to ignore)", file,
                    "list at most " + MAX_CLASSES + " classes");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n.isEmpty() || !seen.add(n)) {
                throw HoneException.of(n.isEmpty() ? "class-name file has a line without a name"
                        : "class-name file lists '" + n + "' twice", file, "give every class one distinct name");
            }
        }
        return List.copyOf(names);
    }

    private static List<String> lines(Path file) {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
                lines.set(0, lines.get(0).substring(1)); // a byte-order mark is no part of the first name
            }
            return lines;
        } catch (CharacterCodingException e) {
            throw HoneException.of("class-name file is not UTF-8 text", file, "save it as UTF-8");
        } catch (IOException e) {
            throw new HoneException("cannot read class names (" + e + "): " + file
                    + ". Fix: check that the file is readable", e);
        }
    }
}
