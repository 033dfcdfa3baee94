package dev.hone.train;

import dev.hone.core.HoneException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the splits hold enough images for hone's measurements, and what to say when they do not.
 *
 * <p>Below these minimums a probe or a trial measures noise, so hone falls back to its rules
 * (each such decision says {@code DEFAULT} and why) instead of pretending to have learned:
 *
 * <ul>
 *   <li>the probes (noise scale, range tests, throughput) need {@value #MIN_PROBE_IMAGES} training
 *       images, the noise-scale probe's large batch;
 *   <li>anything judged on validation (schedule trials, the regularization search, early stopping,
 *       the after-training choices) needs {@value #MIN_VALIDATION_IMAGES} validation images, below
 *       which one image moves accuracy by more than 5 points.
 * </ul>
 *
 * An empty test split cannot be evaluated at all, so it is refused.
 *
 * @param trainImages images in the training split
 * @param validationImages images in the validation split
 * @param testImages images in the test split
 */
record DataSufficiency(int trainImages, int validationImages, int testImages) {
    static final int MIN_PROBE_IMAGES = Defaults.NOISE_SMALL_BATCH * Defaults.NOISE_ACCUMULATE;
    static final int MIN_VALIDATION_IMAGES = 10;

    static DataSufficiency of(Splitting split) {
        return new DataSufficiency(split.train().size(), split.validation().size(), split.test().size());
    }

    /** Whether the optimization probes can run on the training split. */
    boolean probes() {
        return trainImages >= MIN_PROBE_IMAGES;
    }

    /** Whether validation can judge trials and early stopping. */
    boolean judging() {
        return validationImages >= MIN_VALIDATION_IMAGES;
    }

    /**
     * Refuses an empty test split, naming the data and the fix.
     *
     * @throws HoneException when there is no test image
     */
    void requireTest(String source) {
        if (testImages == 0) {
            throw HoneException.of("the test split is empty: every class has fewer than 2 images, so none could be held out "
                    + "for testing", source, "add images (at least 3 per class: one each for training, validation and test), "
                    + "or give a separate test set with --test");
        }
    }

    /** One line per shortfall, for the console and the record; empty when there is none. */
    List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (!probes()) {
            w.add(String.format("the training split has %d images, fewer than the %d the probes need: batch size, optimizer, "
                    + "learning rate and schedule come from rules, not measurements", trainImages, MIN_PROBE_IMAGES));
        }
        if (validationImages == 0) {
            w.add("the validation split is empty (a class needs at least 3 images to give one each to training, validation "
                    + "and test): nothing can judge the schedule, the regularization or early stopping, so they come from rules "
                    + "and every planned epoch runs");
        } else if (!judging()) {
            w.add(String.format("the validation split has %d images, fewer than the %d needed to judge trials: the schedule, "
                    + "the regularization and early stopping come from rules, and every planned epoch runs",
                    validationImages, MIN_VALIDATION_IMAGES));
        }
        if (testImages > 0 && testImages < MIN_VALIDATION_IMAGES) {
            w.add(String.format("the test split has %d images: one image moves test accuracy by %.0f points", testImages,
                    100.0 / testImages));
        }
        return w;
    }

    /** Why a learner fell back to its rule, for its decision. */
    String reason() {
        return !probes() ? String.format("only %d training images (the probes need %d)", trainImages, MIN_PROBE_IMAGES)
                : String.format("only %d validation images (trials need %d)", validationImages, MIN_VALIDATION_IMAGES);
    }
}
