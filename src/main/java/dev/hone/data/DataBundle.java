package dev.hone.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The data a run trains and tests on, with where each part came from, what was left out of it, and what bringing its
 * images to one format changed.
 *
 * @param train the training images
 * @param test held-out images in the same format and with the same class names, or null when the
 *     source has none (a split is then made from {@code train})
 * @param trainSource where the training images came from, for the record (a path or dataset name)
 * @param testSource where the test images came from, or null
 * @param format the format both sets are in
 * @param trainSkipped the files of the training source that were not read, and why
 * @param testSkipped the files of the test source that were not read, and why
 * @param trainConformed the training images resized or converted between colour and grey to {@code format}
 * @param testConformed the test images resized or converted to {@code format}
 * @param warnings what the sources said the user should hear about the data without stopping the run (each naming the
 *     data and the fix), training data first; for the console and the record's {@code data.warnings}; empty when nothing
 */
public record DataBundle(ImageSet train, ImageSet test, String trainSource, String testSource, ImageFormat format,
        SkippedFiles trainSkipped, SkippedFiles testSkipped, Conformed trainConformed, Conformed testConformed,
        List<String> warnings) {

    /**
     * Checks that every report is present ({@link SkippedFiles#NONE} when nothing was skipped, {@link Conformed#NONE} when
     * nothing was resized or converted).
     */
    public DataBundle {
        Objects.requireNonNull(trainSkipped);
        Objects.requireNonNull(testSkipped);
        Objects.requireNonNull(trainConformed);
        Objects.requireNonNull(testConformed);
        warnings = List.copyOf(warnings);
    }

    /** A bundle without warnings. */
    public DataBundle(ImageSet train, ImageSet test, String trainSource, String testSource, ImageFormat format,
            SkippedFiles trainSkipped, SkippedFiles testSkipped, Conformed trainConformed, Conformed testConformed) {
        this(train, test, trainSource, testSource, format, trainSkipped, testSkipped, trainConformed, testConformed, List.of());
    }

    /** A bundle of sources that skip nothing (IDX, CSV, named data sets). */
    public DataBundle(ImageSet train, ImageSet test, String trainSource, String testSource, ImageFormat format) {
        this(train, test, trainSource, testSource, format, SkippedFiles.NONE, SkippedFiles.NONE, Conformed.NONE, Conformed.NONE);
    }

    /** This bundle with other training and test sets (the same images, read as another task reads them). */
    public DataBundle withSets(ImageSet newTrain, ImageSet newTest) {
        return new DataBundle(newTrain, newTest, trainSource, testSource, format, trainSkipped, testSkipped, trainConformed,
                testConformed, warnings);
    }

    /** This bundle with {@code more} warnings after its own (what hone noticed in the data once it was read). */
    public DataBundle withWarnings(List<String> more) {
        if (more.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(warnings);
        all.addAll(more);
        return new DataBundle(train, test, trainSource, testSource, format, trainSkipped, testSkipped, trainConformed,
                testConformed, all);
    }

    /** One console line per reason a file was skipped, training data first; empty when none was. */
    public List<String> skippedLines() {
        List<String> lines = new ArrayList<>(trainSkipped.lines("training data"));
        lines.addAll(testSkipped.lines("test data"));
        return lines;
    }

    /**
     * One console line per set whose images were resized or converted between colour and grey ({@link Conformed#lines}),
     * training data first; empty when none was.
     *
     * @param why why {@link #format} is what it is, e.g. "the network's input"
     */
    public List<String> conformedLines(String why) {
        List<String> lines = new ArrayList<>(trainConformed.lines("training images", format, why));
        lines.addAll(testConformed.lines("test images", format, "as the training images are"));
        return lines;
    }
}
