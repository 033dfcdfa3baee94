package dev.hone.data;

import dev.hone.data.SkippedFiles.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A data folder laid out in splits, {@code DATA/train/<class>/...} beside an optional test folder,
 * and which of its folders hone reads.
 *
 * <p>The layout is recognised when {@code DATA} has a {@code train/} folder and either a test folder
 * or no visible folder other than the split names below, so {@code DATA/train/} alone is a data set
 * whose test split is held out, not one class called "train". The test folder is the first present
 * of {@code test/}, {@code val/}, {@code valid/} and {@code validation/}: with {@code train/} and
 * {@code val/} only, {@code val/} is the test set; with {@code train/}, {@code val/} and {@code test/},
 * {@code val/} is not read, since hone holds its own validation split out of {@code train/}, and is
 * reported as an unused folder. Names match in any case ({@code Train/}, {@code TEST/}). Every other
 * entry of {@code DATA} is reported as skipped.
 *
 * @param train the training image folder
 * @param test the test image folder, or null when the run must hold one out of {@code train}
 * @param skipped the entries of {@code DATA} that are not read: unused folders, loose files
 */
record SplitFolders(Path train, Path test, SkippedFiles skipped) {
    /** The folder holding the training images. */
    static final String TRAIN = "train";

    /** Folders taken as the test set, the first present wins. */
    static final List<String> TEST_FOLDERS = List.of("test", "val", "valid", "validation");

    private static final Set<String> SPLIT_NAMES = Set.of(TRAIN, "test", "val", "valid", "validation");

    /** The split folders of {@code dir}, or null when it is not laid out in splits. */
    static SplitFolders of(Path dir) {
        List<Path> entries = new ArrayList<>();
        try (var list = Files.list(dir)) {
            list.sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).forEach(entries::add);
        } catch (java.io.IOException e) {
            return null; // the image folder reader names the folder and the problem
        }
        List<Path> folders = entries.stream()
                .filter(p -> !ImageFolderSource.isHidden(p) && Files.isDirectory(p)).toList();
        Optional<Path> train = named(folders, TRAIN);
        if (train.isEmpty()) {
            return null;
        }
        Path test = TEST_FOLDERS.stream().map(n -> named(folders, n)).flatMap(Optional::stream).findFirst().orElse(null);
        boolean onlySplits = folders.stream().allMatch(p -> SPLIT_NAMES.contains(lower(p)));
        if (test == null && !onlySplits) {
            return null;
        }
        SkippedFiles.Builder skipped = new SkippedFiles.Builder();
        for (Path entry : entries) {
            if (!entry.equals(train.get()) && !entry.equals(test)) {
                ImageFolderSource.skip(entry, Reason.OUTSIDE_CLASS_FOLDER, skipped);
            }
        }
        return new SplitFolders(train.get(), test, skipped.build());
    }

    /** The folder called {@code name}: the exact name first, else in any case. */
    private static Optional<Path> named(List<Path> folders, String name) {
        return folders.stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                .or(() -> folders.stream().filter(p -> lower(p).equals(name)).findFirst());
    }

    private static String lower(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
