package dev.hone.data.multilabel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Positive examples per class in each part of a split, for the training record.
 *
 * <p>The record shows them so a reader can see that rare classes reached validation and test, and a
 * caller can warn about a class with no positive in its training part.
 */
public final class SplitCounts {

    private SplitCounts() {}

    /**
     * How many of the images {@code indices} show each class.
     *
     * @param targets N x K
     * @return K counts
     */
    public static int[] positives(boolean[][] targets, int[] indices) {
        int[] counts = new int[targets.length == 0 ? 0 : targets[0].length];
        for (int i : indices) {
            for (int k = 0; k < counts.length; k++) {
                counts[k] += targets[i][k] ? 1 : 0;
            }
        }
        return counts;
    }

    /**
     * Class name to part name to positives, in class order then part order: e.g.
     * {@code {"Bag": {"train": 410, "validation": 52, "test": 51}, ...}}, ready to write as JSON.
     *
     * @param classNames K names, in the targets' column order
     * @param parts part name to its image indices, in the order to show them
     */
    public static Map<String, Map<String, Integer>> perClass(List<String> classNames, boolean[][] targets,
                                                             Map<String, int[]> parts) {
        Map<String, Map<String, Integer>> table = new LinkedHashMap<>();
        for (String name : classNames) {
            table.put(name, new LinkedHashMap<>());
        }
        parts.forEach((part, indices) -> {
            int[] counts = positives(targets, indices);
            if (counts.length != 0 && counts.length != classNames.size()) {
                throw new IllegalArgumentException(classNames.size() + " class names for " + counts.length + " target columns");
            }
            for (int k = 0; k < counts.length; k++) {
                table.get(classNames.get(k)).put(part, counts[k]);
            }
        });
        table.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return Collections.unmodifiableMap(table);
    }

    /** The classes with no positive among {@code indices}: for the warning a training split needs. */
    public static List<String> withoutPositives(List<String> classNames, boolean[][] targets, int[] indices) {
        int[] counts = positives(targets, indices);
        return java.util.stream.IntStream.range(0, classNames.size()).filter(k -> k >= counts.length || counts[k] == 0)
                .mapToObj(classNames::get).toList();
    }
}
