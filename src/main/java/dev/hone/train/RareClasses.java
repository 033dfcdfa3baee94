package dev.hone.train;

import dev.hone.data.ImageSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Multi-label classes too rare to reach every split, found before splitting.
 *
 * <p>A class needs one image in each part the data is split into: training, validation and, unless a test set was
 * given, test; so 3 images, or 2 with a given test set. Iterative stratification gives every part one image of a class
 * as soon as the class has that many. A class with fewer misses validation (its decision threshold is learned there)
 * or test (its average precision is measured there), so those figures mean nothing for it. It is a warning, not an
 * error: the class still trains, and the warnings go to the console and the record's {@code data.warnings}.
 */
final class RareClasses {
    private RareClasses() {}

    /**
     * One warning per rare class of a multi-label training set, naming the class, its images and the source; none for
     * other sets.
     *
     * @param set the training images, test hold-out not yet taken
     * @param source where they came from, named in each warning
     * @param testGiven whether a test set came with the data, so none is held out of {@code set}
     */
    static List<String> warnings(ImageSet set, String source, boolean testGiven) {
        int needed = testGiven ? 2 : 3;
        List<String> warnings = new ArrayList<>();
        if (!set.multiLabel()) {
            return warnings;
        }
        int[] images = set.classCounts();
        for (int k = 0; k < images.length; k++) {
            if (images[k] == 0 || images[k] >= needed) {
                continue;
            }
            String name = set.classNames().get(k);
            String missed = testGiven ? "validated" : images[k] == 1 ? "validated or tested" : "both validated and tested";
            String meaningless = testGiven ? "threshold means" : images[k] == 1 ? "threshold and average precision mean"
                    : "threshold or average precision means";
            warnings.add(String.format(Locale.ROOT, "class '%s' labels only %d image%s (%s in %s): it cannot be %s, since %s"
                    + " need one image each, so its %s nothing; add images or drop the label", name, images[k],
                    images[k] == 1 ? "" : "s", filesOf(set, k), source, missed,
                    testGiven ? "training and validation" : "training, validation and test", meaningless));
        }
        return warnings;
    }

    /**
     * The warning for the classes of a multi-label training split with no positive image, which the model cannot learn
     * (every image of theirs went to validation or test); empty when every class has one, and for other sets.
     *
     * @param train the training split, after validation and test were taken out
     */
    static List<String> absentFromTraining(ImageSet train) {
        if (!train.multiLabel()) {
            return List.of();
        }
        List<String> none = new ArrayList<>();
        int[] positives = train.classCounts();
        for (int k = 0; k < positives.length; k++) {
            if (positives[k] == 0) {
                none.add(train.classNames().get(k));
            }
        }
        if (none.isEmpty()) {
            return List.of();
        }
        String them = none.size() == 1 ? "it" : "them";
        return List.of(String.format(Locale.ROOT, "the training split has no positive example of %s: the model cannot learn"
                + " %s; add images showing %s", none, them, them));
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
