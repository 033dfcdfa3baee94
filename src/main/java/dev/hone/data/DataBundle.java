package dev.hone.data;

/**
 * The data a run trains and tests on, with where each part came from.
 *
 * @param train the training images
 * @param test held-out images in the same format and with the same class names, or null when the
 *     source has none (a split is then made from {@code train})
 * @param trainSource where the training images came from, for the record (a path or dataset name)
 * @param testSource where the test images came from, or null
 * @param format the format both sets are in
 */
public record DataBundle(ImageSet train, ImageSet test, String trainSource, String testSource, ImageFormat format) {}
