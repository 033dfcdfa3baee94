package dev.hone.metalearn.regularization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (transform, magnitude) pairs grouped by their Frechet distance, so that the policy search runs
 * over a handful of distortion levels instead of every combination of transforms and magnitudes.
 *
 * <p>Pairs are sorted by distance and cut into groups of equal size (quantiles): group 0 holds the
 * gentlest pairs. The policy of level {@code k} takes, for each transform, the largest magnitude
 * among its pairs in groups {@code 0..k-1}; level 0 is no augmentation. Quantiles rather than
 * clustering keep every level a real step up, whatever the spread of the distances.
 *
 * @param pairs every measured pair, in measurement order
 * @param groups the pairs of each group, gentlest group first, each sorted by distance
 */
public record DistanceGroups(List<Pair> pairs, List<List<Pair>> groups) {

    /** One measured pair: a transform id, its magnitude in (0,1], and the distance it caused. */
    public record Pair(String transform, double magnitude, double distance) {}

    public static DistanceGroups of(List<Pair> pairs, int groupCount) {
        if (pairs.isEmpty()) {
            return new DistanceGroups(List.of(), List.of());
        }
        List<Pair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparingDouble(Pair::distance).thenComparing(Pair::transform).thenComparingDouble(Pair::magnitude));
        int k = Math.max(1, Math.min(groupCount, sorted.size()));
        List<List<Pair>> groups = new ArrayList<>();
        for (int g = 0; g < k; g++) {
            int from = (int) Math.round((double) g * sorted.size() / k);
            int to = (int) Math.round((double) (g + 1) * sorted.size() / k);
            groups.add(List.copyOf(sorted.subList(from, to)));
        }
        return new DistanceGroups(List.copyOf(pairs), List.copyOf(groups));
    }

    public int levels() {
        return groups.size();
    }

    /** Transform id to magnitude at {@code level} (0 = none, {@link #levels()} = every pair allowed). */
    public Map<String, Double> policyAt(int level) {
        Map<String, Double> policy = new LinkedHashMap<>();
        for (int g = 0; g < Math.min(level, groups.size()); g++) {
            for (Pair p : groups.get(g)) {
                policy.merge(p.transform(), p.magnitude(), Math::max);
            }
        }
        return policy;
    }

    /** The distance of a transform at a magnitude, or NaN if that pair was not measured. */
    public double distance(String transform, double magnitude) {
        return pairs.stream().filter(p -> p.transform().equals(transform) && Math.abs(p.magnitude() - magnitude) < 1e-9)
                .mapToDouble(Pair::distance).findFirst().orElse(Double.NaN);
    }

    /** The group index of a pair, or -1. */
    public int groupOf(String transform, double magnitude) {
        for (int g = 0; g < groups.size(); g++) {
            for (Pair p : groups.get(g)) {
                if (p.transform().equals(transform) && Math.abs(p.magnitude() - magnitude) < 1e-9) {
                    return g;
                }
            }
        }
        return -1;
    }
}
