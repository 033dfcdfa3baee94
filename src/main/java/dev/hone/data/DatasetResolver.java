package dev.hone.data;

import dev.hone.core.HoneException;
import dev.hone.data.multilabel.MultiLabelSource;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Turns what a user typed for {@code --data} and {@code --test} into images in memory.
 *
 * <p>One argument covers every layout, tried in this order: a named data set ({@value
 * NamedDatasets#FASHION_MNIST}); a folder of IDX files; a folder laid out in splits, {@code train/}
 * with or without a {@code test/} (or {@code val/}) image folder, see {@link SplitFolders}; any other
 * folder, read as one image folder; a {@code .csv} manifest. A {@code train/} without a test folder
 * gives a bundle without a test set, so the run holds one out. A test set, however it is found, is
 * conformed to the training set's format and class names, so a model trained on one can be scored on
 * the other without further checks. What a folder source leaves out is carried in the bundle as
 * {@link SkippedFiles}, for the record and the console.
 */
public final class DatasetResolver {
    private static final String SOURCES = "a folder laid out as DIR/<class>/*.png, a folder with train/ (and test/)"
            + " image folders, a folder of IDX files, a .csv manifest of path,label rows, or a named data set: "
            + String.join(", ", NamedDatasets.NAMES);

    private DatasetResolver() {}

    /**
     * @param data training data: a named data set or a path
     * @param test separate test data, or null; an error when {@code data} already brings a test split
     * @param format the format to conform images to, or null to infer it from the training images
     */
    public static DataBundle resolve(String data, String test, ImageFormat format) {
        return resolve(data, test, format, null, false);
    }

    /**
     * As {@link #resolve(String, String, ImageFormat)}, reading CSV manifests with label sets.
     *
     * @param labelDelimiter the delimiter between the class names of a label set, or null to detect it
     * @param multiLabel read a {@code path,label} manifest as label sets too (a {@code path,labels} or
     *     multi-hot manifest is read as label sets either way)
     */
    public static DataBundle resolve(String data, String test, ImageFormat format, String labelDelimiter, boolean multiLabel) {
        Labels labels = new Labels(labelDelimiter, multiLabel);
        if (data == null || data.isBlank()) {
            throw HoneException.of("no training data given", "--data is empty", "pass " + SOURCES);
        }
        Split split = resolveTrain(data.strip(), format, labels);
        ImageFormat trainFormat = ImageFormat.of(split.train());
        ImageSet testSet = split.test();
        String testSource = split.testSource();
        SkippedFiles testSkipped = split.testSkipped();
        if (test != null && !test.isBlank()) {
            if (testSet != null) {
                throw HoneException.of("two test sets given: " + data + " brings its own (" + testSource
                        + ") and --test names " + test, data,
                        "drop --test, or point --data at training images alone");
            }
            Labels testLabels = split.train().multiLabel() ? new Labels(labels.delimiter(), true) : labels;
            ImageFolderSource.Read read = resolveTest(test.strip(), trainFormat, split.train().classNames(), testLabels);
            testSet = read.images();
            testSkipped = read.skipped();
            testSource = test.strip();
        }
        return new DataBundle(split.train(), testSet, split.trainSource(), testSource, trainFormat,
                split.trainSkipped(), testSkipped);
    }

    /** A training set and the test set its source brings, if any, with what each left out. */
    private record Split(ImageSet train, String trainSource, ImageSet test, String testSource,
            SkippedFiles trainSkipped, SkippedFiles testSkipped) {
        Split(ImageSet train, String trainSource, ImageSet test, String testSource) {
            this(train, trainSource, test, testSource, SkippedFiles.NONE, SkippedFiles.NONE);
        }
    }

    /** How CSV manifests' labels are read. */
    private record Labels(String delimiter, boolean multiLabel) {
        boolean sets(Path csv) {
            return multiLabel || delimiter != null || MultiLabelSource.isMultiLabel(csv);
        }
    }

    private static Split resolveTrain(String data, ImageFormat format, Labels labels) {
        if (NamedDatasets.isNamed(data)) {
            Path dir = NamedDatasets.folderOf(data);
            List<String> names = NamedDatasets.FASHION_MNIST_CLASSES;
            ImageSet train = conform(IdxFolder.load(dir, "train", names), format);
            ImageSet test = conform(IdxFolder.load(dir, "t10k", names), ImageFormat.of(train));
            String name = data.toLowerCase(Locale.ROOT);
            return new Split(train, name + " (" + dir + ")", test, name + " test (" + dir + ")");
        }
        Path path = existing(data);
        if (Files.isDirectory(path)) {
            if (IdxFolder.isIdxFolder(path)) {
                ImageSet train = conform(IdxFolder.load(path, "train", null), format);
                ImageSet test = !IdxFolder.hasTestSplit(path) ? null
                        : conform(IdxFolder.load(path, "t10k", train.classNames()), ImageFormat.of(train));
                return new Split(train, path.toString(), test, test == null ? null : path + " (t10k)");
            }
            SplitFolders folders = SplitFolders.of(path);
            if (folders != null) {
                ImageFolderSource.Read train = ImageFolderSource.read(folders.train(), format, null);
                SkippedFiles trainSkipped = folders.skipped().plus(train.skipped());
                if (folders.test() == null) {
                    return new Split(train.images(), folders.train().toString(), null, null, trainSkipped, SkippedFiles.NONE);
                }
                ImageFolderSource.Read test = ImageFolderSource.read(folders.test(), ImageFormat.of(train.images()),
                        train.images().classNames());
                return new Split(train.images(), folders.train().toString(), test.images(), folders.test().toString(),
                        trainSkipped, test.skipped());
            }
            ImageFolderSource.Read read = ImageFolderSource.read(path, format, null);
            return new Split(read.images(), path.toString(), null, null, read.skipped(), SkippedFiles.NONE);
        }
        Path csv = requireCsv(path);
        ImageSet set = labels.sets(csv) ? MultiLabelSource.load(csv, format, labels.delimiter(), null)
                : CsvManifestSource.load(csv, format);
        return new Split(set, path.toString(), null, null);
    }

    /** Reads test data in {@code format} with {@code classes}; a named set or IDX folder gives its test split. */
    private static ImageFolderSource.Read resolveTest(String test, ImageFormat format, List<String> classes, Labels labels) {
        if (NamedDatasets.isNamed(test)) {
            return unskipped(conform(IdxFolder.load(NamedDatasets.folderOf(test), "t10k", classes), format));
        }
        Path path = existing(test);
        if (Files.isDirectory(path)) {
            if (IdxFolder.isIdxFolder(path)) {
                String prefix = IdxFolder.hasTestSplit(path) ? "t10k" : "train";
                List<String> own = IdxFolder.readClassNames(path);
                if (own != null && !own.equals(classes)) {
                    throw HoneException.of("test class names " + own + " differ from the training classes " + classes,
                            path.resolve(IdxFolder.CLASSES_FILE), "make the test classes.txt match the training one");
                }
                return unskipped(conform(IdxFolder.load(path, prefix, classes), format));
            }
            SplitFolders folders = SplitFolders.of(path);
            if (folders != null && folders.test() == null) {
                throw HoneException.of("--test names a folder with train/ but no test/ or val/ folder", path,
                        "point --test at the folder of the test images, laid out as DIR/<class>/*.png");
            }
            return ImageFolderSource.read(folders != null ? folders.test() : path, format, classes);
        }
        Path csv = requireCsv(path);
        return unskipped(labels.sets(csv) ? MultiLabelSource.load(csv, format, labels.delimiter(), classes)
                : CsvManifestSource.load(csv, format, classes));
    }

    private static ImageFolderSource.Read unskipped(ImageSet set) {
        return new ImageFolderSource.Read(set, SkippedFiles.NONE);
    }

    private static ImageSet conform(ImageSet set, ImageFormat format) {
        return format == null ? set : PixelConverter.conform(set, format);
    }

    private static Path existing(String spec) {
        Path path;
        try {
            path = Path.of(spec);
        } catch (InvalidPathException e) {
            path = null;
        }
        if (path == null || !Files.exists(path)) {
            throw HoneException.of("data path does not exist and is not a named data set", spec, "pass " + SOURCES);
        }
        return path;
    }

    private static Path requireCsv(Path file) {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            throw HoneException.of("data file is not a .csv manifest", file, "pass " + SOURCES);
        }
        return file;
    }
}
