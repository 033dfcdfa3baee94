package dev.hone.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The data a run trains and tests on, with where each part came from and what was left out of it.
 *
 * @param train the training images
 * @param test held-out images in the same format and with the same class names, or null when the
 *     source has none (a split is then made from {@code train})
 * @param trainSource where the training images came from, for the record (a path or dataset name)
 * @param testSource where the test images came from, or null
 * @param format the format both sets are in
 * @param trainSkipped the files of the training source that were not read, and why
 * @param testSkipped the files of the test source that were not read, and why
 */
public record DataBundle(ImageSet train, ImageSet test, String trainSource, String testSource, ImageFormat format,
        SkippedFiles trainSkipped, SkippedFiles testSkipped) {

    /** Checks that both skipped-file reports are present ({@link SkippedFiles#NONE} when nothing was skipped). */
    public DataBundle {
        Objects.requireNonNull(trainSkipped);
        Objects.requireNonNull(testSkipped);
    }

    /** A bundle of sources that skip nothing (IDX, CSV, named data sets). */
    public DataBundle(ImageSet train, ImageSet test, String trainSource, String testSource, ImageFormat format) {
        this(train, test, trainSource, testSource, format, SkippedFiles.NONE, SkippedFiles.NONE);
    }

    /** This bundle with other training and test sets (the same images, read as another task reads them). */
    public DataBundle withSets(ImageSet newTrain, ImageSet newTest) {
        return new DataBundle(newTrain, newTest, trainSource, testSource, format, trainSkipped, testSkipped);
    }

    /** One console line per reason a file was skipped, training data first; empty when none was. */
    public List<String> skippedLines() {
        List<String> lines = new ArrayList<>(trainSkipped.lines("training data"));
        lines.addAll(testSkipped.lines("test data"));
        return lines;
    }
}
