package dev.hone.data;

import dev.hone.data.SkippedFiles.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A data folder laid out in splits, {@code DATA/train/<class>/...} beside an optional test folder,
 * and which of its folders hone reads.
 *
 * <p>Data sets name their splits in a few common ways: {@code train/}, {@code training/},
 * {@code train_set/} and {@code training_set/} (Kaggle's cats-and-dogs) for training; {@code test/},
 * {@code testing/}, {@code test_set/}, {@code testing_set/} for testing; {@code val/}, {@code valid/},
 * {@code validation/}, {@code val_set/} for validation. Names match in any case and with '-' for '_'
 * ({@code Training/}, {@code TEST-SET/}). Without this, {@code training/} beside {@code testing/}
 * would be two classes called "testing" and "training".
 *
 * <p>The layout is recognised when {@code DATA} has a training folder and either a test folder or no
 * visible folder other than split names, so {@code DATA/train/} alone is a data set whose test split
 * is held out, not one class called "train". The test folder is the first present of the test names,
 * then of the validation names: with training and validation folders only, validation is the test
 * set; with all three, validation is not read, since hone holds its own validation split out of the
 * training folder, and is reported as an unused folder. Every other entry of {@code DATA} is reported
 * as skipped.
 *
 * @param train the training image folder
 * @param test the test image folder, or null when the run must hold one out of {@code train}
 * @param skipped the entries of {@code DATA} that are not read: unused folders, loose files
 */
record SplitFolders(Path train, Path test, SkippedFiles skipped) {
    /** Names of the training folder, the first present wins. */
    static final List<String> TRAIN_FOLDERS = List.of("train", "training", "train_set", "training_set");

    /** Folders taken as the test set, the first present wins: test names, then validation names. */
    static final List<String> TEST_FOLDERS = List.of("test", "testing", "test_set", "testing_set",
            "val", "valid", "validation", "val_set");

    private static final Set<String> SPLIT_NAMES = Set.copyOf(
            java.util.stream.Stream.concat(TRAIN_FOLDERS.stream(), TEST_FOLDERS.stream()).toList());

    /** The split folders of {@code dir}, or null when it is not laid out in splits. */
    static SplitFolders of(Path dir) {
        return of(dir, entry -> false);
    }

    /**
     * As {@link #of(Path)}; entries of {@code dir} that {@code alsoRead} accepts (a segmentation data
     * set's {@code classes.txt}) are read by the source, so not reported as skipped.
     */
    static SplitFolders of(Path dir, Predicate<Path> alsoRead) {
        List<Path> entries = new ArrayList<>();
        try (var list = Files.list(dir)) {
            list.sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).forEach(entries::add);
        } catch (java.io.IOException e) {
            return null; // the image folder reader names the folder and the problem
        }
        List<Path> folders = entries.stream()
                .filter(p -> !ImageFolderSource.isHidden(p) && Files.isDirectory(p)).toList();
        Optional<Path> train = firstNamed(folders, TRAIN_FOLDERS);
        if (train.isEmpty()) {
            return null;
        }
        Path test = firstNamed(folders, TEST_FOLDERS).orElse(null);
        boolean onlySplits = folders.stream().allMatch(p -> SPLIT_NAMES.contains(normal(p)));
        if (test == null && !onlySplits) {
            return null;
        }
        SkippedFiles.Builder skipped = new SkippedFiles.Builder();
        for (Path entry : entries) {
            if (!entry.equals(train.get()) && !entry.equals(test) && !alsoRead.test(entry)) {
                ImageFolderSource.skip(entry, Reason.OUTSIDE_CLASS_FOLDER, skipped);
            }
        }
        return new SplitFolders(train.get(), test, skipped.build());
    }

    /** The folder with the first of {@code names} present: for each name, the exact name first, else in any spelling. */
    private static Optional<Path> firstNamed(List<Path> folders, List<String> names) {
        return names.stream().map(n -> named(folders, n)).flatMap(Optional::stream).findFirst();
    }

    private static Optional<Path> named(List<Path> folders, String name) {
        return folders.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .or(() -> folders.stream().filter(p -> normal(p).equals(name)).findFirst());
    }

    /** Whether a folder is named as a test split (test, val, validation, ... in any case, '-' or '_'). */
    static boolean isTestName(Path p) {
        return TEST_FOLDERS.contains(normal(p));
    }

    /** The folder's name in lower case with '-' as '_', e.g. "Training-Set" is "training_set". */
    private static String normal(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT).replace('-', '_');
    }
}
