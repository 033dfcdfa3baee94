package dev.hone.metalearn.regularization;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (transform, magnitude) pairs grouped by their Frechet distance, so that the policy search need not
 * try every combination of transforms and magnitudes: it takes each transform at its largest
 * magnitude in the gentler half of the groups, and a stronger one only for transforms that earned it.
 *
 * <p>Pairs are sorted by distance and cut into groups of equal size (quantiles): group 0 holds the
 * gentlest pairs. The policy of level {@code k} takes, for each transform, the largest magnitude
 * among its pairs in groups {@code 0..k-1}; level 0 is no augmentation. Quantiles rather than
 * clustering keep every level a real step up, whatever the spread of the distances.
 *
 * <p>A pair that moves most images, or most of one class's, to another predicted class
 * ({@link #LABEL_CHANGE}) is vetoed: it stays in {@link #pairs} for the record but joins no group, so no policy can hold it. Such a
 * transform changes what the image shows for this data (a flip that turns "left" into "right"),
 * or the network cannot yet see through it; neither makes a safe augmentation.
 *
 * @param pairs every measured pair, in measurement order
 * @param groups the pairs of each group, gentlest group first, each sorted by distance
 */
public record DistanceGroups(List<Pair> pairs, List<List<Pair>> groups) {

    /** Above this share of images whose predicted class a pair changes, the pair is vetoed. */
    public static final double LABEL_CHANGE = 0.5;

    /**
     * One measured pair: a transform id, its magnitude in (0,1], the distance it caused, and the
     * share of images whose predicted class it changed, over all or in one class, the larger (a
     * fraction; NaN where the task has no single predicted class per image).
     */
    public record Pair(String transform, double magnitude, double distance, double classChange) {
        public Pair(String transform, double magnitude, double distance) {
            this(transform, magnitude, distance, Double.NaN);
        }

        /** Whether this pair moves most images to another class, so no policy may hold it. */
        public boolean vetoed() {
            return classChange > LABEL_CHANGE;
        }
    }

    public static DistanceGroups of(List<Pair> pairs, int groupCount) {
        if (pairs.isEmpty()) {
            return new DistanceGroups(List.of(), List.of());
        }
        List<Pair> sorted = new ArrayList<>(pairs.stream().filter(p -> !p.vetoed()).toList());
        if (sorted.isEmpty()) {
            return new DistanceGroups(List.copyOf(pairs), List.of());
        }
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

    /** The pairs left out of every group because they change the predicted class. */
    public List<Pair> vetoed() {
        return pairs.stream().filter(Pair::vetoed).toList();
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
