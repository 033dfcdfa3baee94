package dev.hone.train;

import dev.hone.data.ImageSet;
import dev.hone.record.Decision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Multi-label classes too rare to reach every split, found before splitting.
 *
 * <p>A class needs one image in each part the data is split into: training, validation and, unless a test set was
 * given, test; so 3 images, or 2 with a given test set. Iterative stratification gives every part one image of a class
 * as soon as the class has that many. A class with fewer misses validation (its decision threshold is learned there)
 * or test (its average precision is measured there), so those figures mean nothing for it. It is a warning, not an
 * error: the class still trains.
 *
 * @param counts class name to its images, for each class below {@code needed}, in class order
 * @param needed the images a class needs: 3, or 2 with a given test set
 * @param warnings one console line per such class, each naming the class, its images and the source
 */
record RareClasses(Map<String, Integer> counts, int needed, List<String> warnings) {

    /**
     * The rare classes of a multi-label training set; none for other sets.
     *
     * @param set the training images, test hold-out not yet taken
     * @param source where they came from, named in each warning
     * @param testGiven whether a test set came with the data, so none is held out of {@code set}
     */
    static RareClasses of(ImageSet set, String source, boolean testGiven) {
        int needed = testGiven ? 2 : 3;
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        if (!set.multiLabel()) {
            return new RareClasses(counts, needed, warnings);
        }
        int[] images = set.classCounts();
        for (int k = 0; k < images.length; k++) {
            if (images[k] == 0 || images[k] >= needed) {
                continue;
            }
            String name = set.classNames().get(k);
            counts.put(name, images[k]);
            String missed = testGiven ? "validated" : images[k] == 1 ? "validated or tested" : "both validated and tested";
            String meaningless = testGiven ? "threshold means" : images[k] == 1 ? "threshold and average precision mean"
                    : "threshold or average precision means";
            warnings.add(String.format(Locale.ROOT, "class '%s' labels only %d image%s (%s in %s): it cannot be %s, since %s"
                    + " need one image each, so its %s nothing; add images or drop the label", name, images[k],
                    images[k] == 1 ? "" : "s", filesOf(set, k), source, missed,
                    testGiven ? "training and validation" : "training, validation and test", meaningless));
        }
        return new RareClasses(counts, needed, warnings);
    }

    /**
     * A decision naming the rare classes, for the record, e.g. {@code rare-classes = Unicorn (1 image)} with the warnings
     * as its rationale and the counts as its evidence; empty when there are none.
     */
    Optional<Decision<?>> decision() {
        if (counts.isEmpty()) {
            return Optional.empty();
        }
        List<String> named = new ArrayList<>();
        counts.forEach((name, images) -> named.add(name + " (" + images + (images == 1 ? " image)" : " images)")));
        return Optional.of(Decision.derived("rare-classes", String.join(", ", named), "images per class",
                String.join("; ", warnings), Map.of("images", counts, "neededImages", needed)));
    }

    private static String filesOf(ImageSet set, int k) {
        List<String> files = new ArrayList<>();
        for (int i = 0; i < set.size(); i++) {
            if (set.positive(i, k)) {
                files.add(set.source(i));
            }
        }
        return String.join(", ", files);
    }
}
