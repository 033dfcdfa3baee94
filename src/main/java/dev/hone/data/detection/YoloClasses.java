package dev.hone.data.detection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.hone.core.HoneException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The class names of a YOLO data set: class index k is the k-th name.
 *
 * <p>Read from {@code data.yaml} (or {@code data.yml}), whose {@code names} is a list
 * ({@code names: [cat, dog]}) or a map from index to name ({@code names: {0: cat, 1: dog}}, the indices
 * 0 to n-1); else from {@code classes.txt}, one name per line. Looked for in the split's folder, then in
 * the data set's folder, then in {@code labels/}.
 */
final class YoloClasses {
    static final List<String> FILES = List.of("data.yaml", "data.yml", "classes.txt");

    private YoloClasses() {}

    /** The names and the file they came from. */
    record Named(List<String> names, Path file) {}

    /** Whether {@code file} is a class-name file this reader looks for. */
    static boolean isClassesFile(Path file) {
        return FILES.contains(file.getFileName().toString());
    }

    /**
     * The class names of the first of {@code dirs} holding a class-name file, or null when none does.
     *
     * @param dirs folders to look in, in order; null entries are passed over
     * @throws HoneException naming the file when it cannot be read, has no {@code names}, or lists no name,
     *     an empty name or a name twice
     */
    static Named find(List<Path> dirs) {
        for (Path dir : dirs) {
            if (dir == null) {
                continue;
            }
            for (String name : FILES) {
                Path file = dir.resolve(name);
                if (Files.isRegularFile(file)) {
                    List<String> names = name.equals("classes.txt") ? lines(file) : yamlNames(file);
                    return new Named(check(names, file), file);
                }
            }
        }
        return null;
    }

    private static List<String> yamlNames(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw HoneException.of("the YOLO data file is not readable YAML (" + e.getMessage().lines().findFirst().orElse("") + ")",
                    file, "repair the file, or list the class names one per line in classes.txt instead");
        }
        JsonNode names = root == null ? null : root.get("names");
        String fix = "list the classes as names: [cat, dog] or as names: {0: cat, 1: dog}";
        if (names == null || !(names.isArray() || names.isObject())) {
            throw HoneException.of("the YOLO data file has no names list", file, fix);
        }
        List<String> out = new ArrayList<>();
        if (names.isArray()) {
            names.forEach(n -> out.add(n.asText().strip()));
            return out;
        }
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = names.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            try {
                byIndex.put(Integer.parseInt(e.getKey().strip()), e.getValue().asText().strip());
            } catch (NumberFormatException ex) {
                throw HoneException.of("the YOLO names map has the key '" + e.getKey() + "', not a class index", file, fix);
            }
        }
        int k = 0;
        for (Map.Entry<Integer, String> e : byIndex.entrySet()) {
            if (e.getKey() != k++) {
                throw HoneException.of("the YOLO names map skips class index " + (k - 1), file,
                        "number the classes 0 to n-1 without gaps");
            }
            out.add(e.getValue());
        }
        return out;
    }

    private static List<String> lines(Path file) {
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String s = line.replace("\uFEFF", "").strip();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
            return out;
        } catch (IOException e) {
            throw new HoneException("cannot read class names (" + e + "): " + file + ". Fix: save it as readable UTF-8 text", e);
        }
    }

    private static List<String> check(List<String> names, Path file) {
        if (names.isEmpty()) {
            throw HoneException.of("the class-name file lists no classes", file, "name the classes, class 0 first");
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (n.isEmpty() || !seen.add(n)) {
                throw HoneException.of(n.isEmpty() ? "the class-name file has an empty name" : "the class-name file lists '" + n + "' twice",
                        file, "give every class one distinct name");
            }
        }
        return List.copyOf(names);
    }
}
