package dev.hone.data;

import dev.hone.core.HoneException;
import dev.hone.data.detection.DetectionSource;
import dev.hone.data.multilabel.MultiLabelSource;
import dev.hone.data.segmentation.SegmentationSource;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what a user typed for {@code --data} and {@code --test} into images in memory.
 *
 * <p>One argument covers every layout, tried in this order: a named data set ({@value
 * NamedDatasets#FASHION_MNIST}); a folder of IDX files; a folder laid out in splits, {@code train/}
 * with or without a {@code test/} (or {@code val/}) image folder, see {@link SplitFolders}; any other
 * folder, read as one image folder; a {@code .csv} manifest. Segmentation data (images with class
 * masks, see {@link SegmentationSource}) comes in the same shapes: a folder with {@code images/} and
 * {@code masks/}, such folders as {@code train/} and {@code test/}, or an {@code image,mask} manifest;
 * its sets are segmentation sets, and a test set for them must be segmentation data too. Detection
 * data (images with boxes, see {@link DetectionSource}) is a COCO {@code .json} file, a Pascal VOC folder
 * with {@code Annotations/}, a YOLO folder with {@code images/} and {@code labels/}, or such YOLO folders
 * as {@code train/} and {@code test/}; its sets are detection sets, and a test set for them must be
 * detection data too, in any of these formats, its classes mapped onto the training classes by name. A
 * {@code train/} without a test folder
 * gives a bundle without a test set, so the run holds one out. A test set, however it is found, is
 * conformed to the training set's format and class names, so a model trained on one can be scored on
 * the other without further checks. What a folder source leaves out is carried in the bundle as
 * {@link SkippedFiles}, for the record and the console.
 */
public final class DatasetResolver {
    private static final String SOURCES = "a folder laid out as DIR/<class>/*.png, a folder with train/ (and test/)"
            + " image folders, a folder of IDX files, a .csv manifest of path,label rows, a segmentation folder with"
            + " images/ and masks/ (or an image,mask manifest), detection data (a COCO .json file, a Pascal VOC folder with"
            + " Annotations/ and JPEGImages/, a YOLO folder with images/ and labels/), or a named data set: "
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
        return resolve(data, test, format, labelDelimiter, multiLabel, SegmentationSource.DEFAULT_IGNORE_INDEX);
    }

    /**
     * As {@link #resolve(String, String, ImageFormat, String, boolean)}, with the mask value that marks
     * pixels to ignore in segmentation masks.
     *
     * @param ignoreIndex the user's ignore index, 0-255 (255 unless {@code --ignore-index} says otherwise);
     *     stored as {@link ImageSet#IGNORE} whatever it is
     */
    public static DataBundle resolve(String data, String test, ImageFormat format, String labelDelimiter, boolean multiLabel,
            int ignoreIndex) {
        return resolve(data, test, format, labelDelimiter, multiLabel, ignoreIndex, null);
    }

    /**
     * As {@link #resolve(String, String, ImageFormat, String, boolean, int)}, with the folder that the image
     * file names of a COCO {@code --data} file are relative to.
     *
     * @param images the folder holding the images a COCO file names ({@code --images}), or null for the
     *     JSON file's own folder; only for a COCO {@code --data} file (a COCO {@code --test} file's images
     *     lie beside it)
     * @throws HoneException when {@code images} is given for data other than a COCO file, or is not a folder
     */
    public static DataBundle resolve(String data, String test, ImageFormat format, String labelDelimiter, boolean multiLabel,
            int ignoreIndex, Path images) {
        return resolve(data, test, format, labelDelimiter, multiLabel, ignoreIndex, images, false);
    }

    /**
     * As {@link #resolve(String, String, ImageFormat, String, boolean, int, Path)}, for data to evaluate a trained model
     * on when {@code forEvaluation}: class folders and {@code path,label} manifests may then hold a single class (the
     * classes are matched to the model's by name afterwards), where training needs at least two.
     */
    public static DataBundle resolve(String data, String test, ImageFormat format, String labelDelimiter, boolean multiLabel,
            int ignoreIndex, Path images, boolean forEvaluation) {
        boolean testGiven = test != null && !test.isBlank();
        Labels labels = new Labels(labelDelimiter, multiLabel, ignoreIndex, images, testGiven, forEvaluation);
        if (data == null || data.isBlank()) {
            throw HoneException.of("no training data given", "--data is empty", "pass " + SOURCES);
        }
        if (images != null) {
            requireImagesFolder(data.strip(), images);
        }
        if (testGiven && !NamedDatasets.isNamed(test.strip()) && !exists(test.strip())) {
            // before the training data load, and not mistaken for a second test set when --data brings one
            throw HoneException.of("the --test path does not exist", test.strip(), "pass the folder or file of test images, in"
                    + " a layout --data accepts, or drop --test (hone then tests on the data's own test split or holds one out)");
        }
        Split split;
        try {
            split = resolveTrain(data.strip(), format, labels);
        } catch (HoneException trainFault) {
            throw testFaultsToo(trainFault, data.strip(), testGiven ? test.strip() : null);
        }
        ImageFormat trainFormat = ImageFormat.of(split.train());
        ImageSet testSet = split.test();
        String testSource = split.testSource();
        SkippedFiles testSkipped = split.testSkipped();
        Conformed testConformed = split.testConformed();
        List<String> warnings = new ArrayList<>(split.warnings());
        if (test != null && !test.isBlank()) {
            if (testSet != null) {
                throw HoneException.of("two test sets given: " + data + " brings its own (" + testSource
                        + ") and --test names " + test, data,
                        "drop --test, or point --data at training images alone");
            }
            Labels testLabels = split.train().multiLabel()
                    ? new Labels(labels.delimiter(), true, labels.ignoreIndex(), null, true, labels.forEvaluation()) : labels;
            ImageFolderSource.Read read = split.train().segmentation()
                    ? resolveSegmentationTest(test.strip(), trainFormat, split.train().classNames(), labels.ignoreIndex())
                    : split.train().detection() ? resolveDetectionTest(test.strip(), trainFormat, split.train().classNames())
                    : resolveTest(test.strip(), trainFormat, split.train().classNames(), testLabels);
            // a test set in the other kind of labels: a set of one for a multi-label run, refused when not one for a single-label run
            boolean sets = split.train().multiLabel() || labels.multiLabel(); // a manifest's sets, or --task multi-label
            testSet = LabelKinds.as(read.images(), sets, test.strip(), "--data " + data.strip());
            testSkipped = read.skipped();
            testConformed = read.conformed();
            testSource = test.strip();
            warnings.addAll(read.warnings());
        }
        return new DataBundle(split.train(), testSet, split.trainSource(), testSource, trainFormat,
                split.trainSkipped(), testSkipped, split.trainConformed(), testConformed, warnings);
    }

    /** A training set and the test set its source brings, if any, with what each left out and what conforming changed. */
    private record Split(ImageSet train, String trainSource, ImageSet test, String testSource,
            SkippedFiles trainSkipped, SkippedFiles testSkipped, Conformed trainConformed, Conformed testConformed,
            List<String> warnings) {
        Split(ImageSet train, String trainSource, ImageSet test, String testSource) {
            this(train, trainSource, test, testSource, SkippedFiles.NONE, SkippedFiles.NONE, Conformed.NONE, Conformed.NONE);
        }

        Split(ImageSet train, String trainSource, ImageSet test, String testSource, SkippedFiles trainSkipped,
                SkippedFiles testSkipped, Conformed trainConformed, Conformed testConformed) {
            this(train, trainSource, test, testSource, trainSkipped, testSkipped, trainConformed, testConformed, List.of());
        }

        /**
         * {@code train}, with the files its layout left out ({@code layoutSkipped}), and {@code test} (null when there is
         * none), each with what it left out and what conforming changed; their warnings, the training set's first.
         */
        static Split of(ImageFolderSource.Read train, SkippedFiles layoutSkipped, String trainSource,
                ImageFolderSource.Read test, String testSource) {
            List<String> warnings = new ArrayList<>(train.warnings());
            if (test != null) {
                warnings.addAll(test.warnings());
            }
            return new Split(train.images(), trainSource, test == null ? null : test.images(), testSource,
                    layoutSkipped.plus(train.skipped()), test == null ? SkippedFiles.NONE : test.skipped(), train.conformed(),
                    test == null ? Conformed.NONE : test.conformed(), warnings);
        }
    }

    /**
     * How labels are read: CSV manifests' label sets, segmentation masks' ignore index, the images folder of a
     * COCO file, and whether a separate test set is given (so a VOC folder's test.txt is not read).
     */
    private record Labels(String delimiter, boolean multiLabel, int ignoreIndex, Path images, boolean testGiven,
            boolean forEvaluation) {
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
        if (DetectionSource.isCocoFile(path)) {
            return Split.of(DetectionSource.readCoco(path, labels.images(), format, null), SkippedFiles.NONE, path.toString(), null,
                    null);
        }
        if (Files.isDirectory(path)) {
            if (IdxFolder.isIdxFolder(path)) {
                ImageSet train = conform(IdxFolder.load(path, "train", null), format);
                ImageSet test = !IdxFolder.hasTestSplit(path) ? null
                        : conform(IdxFolder.load(path, "t10k", train.classNames()), ImageFormat.of(train));
                return new Split(train, path.toString(), test, test == null ? null : path + " (t10k)");
            }
            if (SegmentationSource.isSegmentationFolder(path)) {
                ImageFolderSource.Read read = SegmentationSource.readFolder(path, format, null, labels.ignoreIndex());
                return Split.of(read, SkippedFiles.NONE, path.toString(), null, null);
            }
            if (DetectionSource.isVocFolder(path)) {
                DetectionSource.Sets sets = DetectionSource.readVoc(path, format, !labels.testGiven());
                return new Split(sets.train(), sets.trainSource(), sets.test(), sets.testSource(), sets.trainSkipped(),
                        sets.testSkipped(), sets.trainConformed(), sets.testConformed());
            }
            if (DetectionSource.isYoloFolder(path)) {
                SplitFolders inner = SplitFolders.of(path.resolve("images"));
                if (inner != null) {
                    return ultralyticsSplits(path, inner, format);
                }
                ImageFolderSource.Read read = DetectionSource.readYolo(path, null, format, null);
                return Split.of(read, SkippedFiles.NONE, path.toString(), null, null);
            }
            SplitFolders folders = SplitFolders.of(path);
            if (folders != null && SegmentationSource.isSegmentationFolder(folders.train())) {
                return segmentationSplits(path, format, labels.ignoreIndex());
            }
            if (folders != null && DetectionSource.isYoloFolder(folders.train())) {
                return yoloSplits(path, format);
            }
            if (folders != null) {
                ImageFolderSource.Read train = ImageFolderSource.read(folders.train(), format, null);
                ImageFolderSource.Read test = folders.test() == null ? null
                        : ImageFolderSource.read(folders.test(), ImageFormat.of(train.images()), train.images().classNames());
                return Split.of(train, folders.skipped(), folders.train().toString(), test,
                        test == null ? null : folders.test().toString());
            }
            dev.hone.data.segmentation.MaskFolderHint.check(path);
            return Split.of(labels.forEvaluation() ? ImageFolderSource.readForEvaluation(path, format)
                    : ImageFolderSource.read(path, format, null), SkippedFiles.NONE, path.toString(), null, null);
        }
        Path csv = requireCsv(path);
        if (SegmentationSource.isSegmentationManifest(csv)) {
            return Split.of(SegmentationSource.loadManifest(csv, format, null, labels.ignoreIndex()), SkippedFiles.NONE,
                    path.toString(), null, null);
        }
        ImageFolderSource.Read read = labels.sets(csv) ? MultiLabelSource.read(csv, format, labels.delimiter(), null)
                : labels.forEvaluation() ? CsvManifestSource.readForEvaluation(csv, format) : CsvManifestSource.read(csv, format, null);
        return Split.of(read, SkippedFiles.NONE, path.toString(), null, null);
    }

    /** {@code root}'s {@code train/} and test split, each a segmentation folder; class names from a split or {@code root}. */
    private static Split segmentationSplits(Path root, ImageFormat format, int ignoreIndex) {
        SplitFolders folders = SplitFolders.of(root, SegmentationSource::isClassesFile);
        ImageFolderSource.Read train = SegmentationSource.readSplit(folders.train(), root, format, null, ignoreIndex);
        if (folders.test() == null) {
            return Split.of(train, folders.skipped(), folders.train().toString(), null, null);
        }
        if (!SegmentationSource.isSegmentationFolder(folders.test())) {
            throw HoneException.of(folders.train().getFileName() + "/ holds images/ and masks/ but "
                    + folders.test().getFileName() + "/ does not", folders.test(),
                    "lay the test split out as the training split: " + folders.test().resolve("images")
                            + " and the masks of the same names in " + folders.test().resolve("masks"));
        }
        ImageFolderSource.Read test = SegmentationSource.readSplit(folders.test(), root, ImageFormat.of(train.images()),
                train.images().classNames(), ignoreIndex);
        return Split.of(train, folders.skipped(), folders.train().toString(), test, folders.test().toString());
    }

    /** {@code root}'s {@code train/} and test split, each a YOLO folder; class names from a split or {@code root}. */
    private static Split yoloSplits(Path root, ImageFormat format) {
        SplitFolders folders = SplitFolders.of(root, DetectionSource::isClassesFile);
        ImageFolderSource.Read train = DetectionSource.readYolo(folders.train(), root, format, null);
        if (folders.test() == null) {
            return Split.of(train, folders.skipped(), folders.train().toString(), null, null);
        }
        if (!DetectionSource.isYoloFolder(folders.test())) {
            throw HoneException.of(folders.train().getFileName() + "/ holds images/ and labels/ but "
                    + folders.test().getFileName() + "/ does not", folders.test(),
                    "lay the test split out as the training split: " + folders.test().resolve("images")
                            + " and the label files of the same names in " + folders.test().resolve("labels"));
        }
        ImageFolderSource.Read test = DetectionSource.readYolo(folders.test(), root, ImageFormat.of(train.images()),
                train.images().classNames());
        return Split.of(train, folders.skipped(), folders.train().toString(), test, folders.test().toString());
    }

    /**
     * Ultralytics' layout: {@code root/images/train/} beside {@code root/images/val/} (or {@code test/}), the
     * label files in {@code root/labels/train/} and so on.
     */
    private static Split ultralyticsSplits(Path root, SplitFolders splits, ImageFormat format) {
        ImageFolderSource.Read train = DetectionSource.readYoloSplit(root, splits.train(), format, null);
        ImageFolderSource.Read test = splits.test() == null ? null
                : DetectionSource.readYoloSplit(root, splits.test(), ImageFormat.of(train.images()), train.images().classNames());
        return Split.of(train, splits.skipped(), splits.train().toString(), test,
                test == null ? null : splits.test().toString());
    }

    /**
     * The training data's fault, with the test data's beside it when both are detection data and the test set's
     * annotations have faults of their own: a user fixing a COCO, VOC or YOLO export then sees both sets' faults in one
     * run, not the test's only after the training set's are mended. Only the test set's annotations and its images' headers
     * are read (no image is decoded, and its classes are its own), so only their own faults are found: structural ones,
     * and boxes outside their images or without area.
     */
    private static HoneException testFaultsToo(HoneException trainFault, String data, String test) {
        if (test == null || NamedDatasets.isNamed(data) || NamedDatasets.isNamed(test) || !isDetectionSource(Path.of(data))
                || !isDetectionSource(Path.of(test))) {
            return trainFault;
        }
        try {
            DetectionSource.checkAnnotations(Path.of(test));
            return trainFault;
        } catch (HoneException testFault) {
            return new HoneException(trainFault.getMessage() + "\nThe --test data have faults too: " + testFault.getMessage(),
                    trainFault);
        }
    }

    private static boolean isDetectionSource(Path path) {
        return DetectionSource.isCocoFile(path) || Files.isDirectory(path) && (DetectionSource.isVocFolder(path)
                || DetectionSource.isYoloFolder(path));
    }

    /** Reads detection test data in {@code format}, its classes mapped onto {@code classes} by name: COCO, VOC or YOLO. */
    private static ImageFolderSource.Read resolveDetectionTest(String test, ImageFormat format, List<String> classes) {
        String fix = "point --test at detection data as --data is: a COCO .json file, a Pascal VOC folder with Annotations/"
                + " and JPEGImages/, or a YOLO folder with images/ and labels/";
        if (NamedDatasets.isNamed(test)) {
            throw HoneException.of("--data is detection data (images with boxes) but --test names a classification data set",
                    test, fix);
        }
        Path path = existing(test);
        if (DetectionSource.isCocoFile(path)) {
            return DetectionSource.readCoco(path, null, format, classes);
        }
        if (Files.isDirectory(path)) {
            if (DetectionSource.isVocFolder(path)) {
                return DetectionSource.readVocTest(path, format, classes);
            }
            if (DetectionSource.isYoloFolder(path)) {
                SplitFolders inner = SplitFolders.of(path.resolve("images"));
                if (inner != null && inner.test() != null) {
                    return DetectionSource.readYoloSplit(path, inner.test(), format, classes);
                }
                if (inner != null) {
                    throw HoneException.of("--test names a YOLO folder with images/" + inner.train().getFileName()
                            + "/ but no images/test/ or images/val/", path, "point --test at a folder with the test images and labels");
                }
                return DetectionSource.readYolo(path, null, format, classes);
            }
            SplitFolders folders = SplitFolders.of(path, DetectionSource::isClassesFile);
            if (folders != null && folders.test() != null && DetectionSource.isYoloFolder(folders.test())) {
                return DetectionSource.readYolo(folders.test(), path, format, classes);
            }
            if (folders != null && folders.test() == null) {
                throw HoneException.of("--test names a folder with train/ but no test/ or val/ folder", path,
                        "point --test at the folder of the test images and labels, laid out as DIR/images/ and DIR/labels/");
            }
        }
        throw HoneException.of("--data is detection data (images with boxes) but --test is "
                + (isSegmentation(path) ? "segmentation data (images with masks)" : "neither a COCO .json file nor a VOC or YOLO folder"),
                path, fix);
    }

    /** Whether {@code path} holds detection data: a COCO file, a VOC or YOLO folder, or YOLO split folders. */
    private static boolean isDetection(Path path) {
        if (DetectionSource.isCocoFile(path)) {
            return true;
        }
        if (!Files.isDirectory(path)) {
            return false;
        }
        if (DetectionSource.isVocFolder(path) || DetectionSource.isYoloFolder(path)) {
            return true;
        }
        SplitFolders folders = SplitFolders.of(path);
        return folders != null && DetectionSource.isYoloFolder(folders.train());
    }

    /** Refuses {@code --images} for data other than a COCO file, and an images folder that does not exist. */
    private static void requireImagesFolder(String data, Path images) {
        Path path = NamedDatasets.isNamed(data) ? null : existing(data);
        if (path == null || !DetectionSource.isCocoFile(path)) {
            throw HoneException.of("--images names the folder of a COCO file's images, but --data is not a .json file", data,
                    "drop --images, or point --data at a COCO annotation file");
        }
        if (!Files.isDirectory(images)) {
            throw HoneException.of("--images is not a folder", images, "pass the folder that holds the images the COCO file names");
        }
    }

    /** Reads segmentation test data in {@code format} with {@code classes}: a segmentation folder, split layout or manifest. */
    private static ImageFolderSource.Read resolveSegmentationTest(String test, ImageFormat format, List<String> classes,
            int ignoreIndex) {
        String fix = "point --test at segmentation data as --data is: a folder with images/ and masks/, or a .csv"
                + " manifest with the header image,mask";
        if (NamedDatasets.isNamed(test)) {
            throw HoneException.of("--data is segmentation data (images with masks) but --test names a classification"
                    + " data set", test, fix);
        }
        Path path = existing(test);
        if (isDetection(path)) {
            throw HoneException.of("--data is segmentation data (images with masks) but --test holds detection data (images with"
                    + " boxes)", path, fix);
        }
        if (Files.isDirectory(path)) {
            if (SegmentationSource.isSegmentationFolder(path)) {
                return SegmentationSource.readFolder(path, format, classes, ignoreIndex);
            }
            SplitFolders folders = SplitFolders.of(path, SegmentationSource::isClassesFile);
            if (folders != null && folders.test() != null && SegmentationSource.isSegmentationFolder(folders.test())) {
                return SegmentationSource.readSplit(folders.test(), path, format, classes, ignoreIndex);
            }
            if (folders != null && folders.test() == null) {
                throw HoneException.of("--test names a folder with train/ but no test/ or val/ folder", path,
                        "point --test at the folder of the test images and masks, laid out as DIR/images/ and DIR/masks/");
            }
            throw HoneException.of("--data is segmentation data (images with masks) but --test is a folder without"
                    + " images/ and masks/" + (folders != null ? " in its test split" : ""), path, fix);
        }
        Path csv = requireCsv(path);
        if (!SegmentationSource.isSegmentationManifest(csv)) {
            throw HoneException.of("--data is segmentation data (images with masks) but the --test manifest's header is"
                    + " not image,mask", csv, fix);
        }
        return SegmentationSource.loadManifest(csv, format, classes, ignoreIndex);
    }

    /** Whether {@code path} holds segmentation data: a segmentation folder, split layout or manifest. */
    private static boolean isSegmentation(Path path) {
        if (Files.isDirectory(path)) {
            if (SegmentationSource.isSegmentationFolder(path)) {
                return true;
            }
            SplitFolders folders = SplitFolders.of(path);
            return folders != null && SegmentationSource.isSegmentationFolder(folders.train());
        }
        return path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")
                && SegmentationSource.isSegmentationManifest(path);
    }

    /** Reads test data in {@code format} with {@code classes}; a named set or IDX folder gives its test split. */
    private static ImageFolderSource.Read resolveTest(String test, ImageFormat format, List<String> classes, Labels labels) {
        if (NamedDatasets.isNamed(test)) {
            return unskipped(conform(IdxFolder.load(NamedDatasets.folderOf(test), "t10k", classes), format));
        }
        Path path = existing(test);
        if (isSegmentation(path)) {
            throw HoneException.of("--test holds segmentation data (images with masks) but --data is classification data",
                    path, "point --test at classification data laid out as --data is, or --data at segmentation data");
        }
        if (isDetection(path)) {
            throw HoneException.of("--test holds detection data (images with boxes) but --data is classification data",
                    path, "point --test at classification data laid out as --data is, or --data at detection data");
        }
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
        return labels.sets(csv) ? MultiLabelSource.read(csv, format, labels.delimiter(), classes)
                : CsvManifestSource.read(csv, format, classes);
    }

    private static ImageFolderSource.Read unskipped(ImageSet set) {
        return new ImageFolderSource.Read(set, SkippedFiles.NONE);
    }

    private static ImageSet conform(ImageSet set, ImageFormat format) {
        return format == null ? set : PixelConverter.conform(set, format);
    }

    private static boolean exists(String spec) {
        try {
            return Files.exists(Path.of(spec));
        } catch (InvalidPathException e) {
            return false;
        }
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
