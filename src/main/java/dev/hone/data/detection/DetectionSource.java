package dev.hone.data.detection;

import dev.hone.data.Conformed;
import dev.hone.data.ImageFileLoader;
import dev.hone.data.ImageFolderSource;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.SkippedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads object-detection data, images with boxes, into a detection {@link ImageSet}
 * ({@link ImageSet#detection()}, {@link ImageSet#withBoxes}).
 *
 * <p>Formats:
 * <ul>
 *   <li>COCO: a {@code .json} file with {@code images}, {@code annotations} and {@code categories}
 *       ({@link CocoAnnotations}); image files beside it, or in the folder given with {@code --images};</li>
 *   <li>Pascal VOC: a folder with {@code Annotations/*.xml} and {@code JPEGImages/}, splits from
 *       {@code ImageSets/Main/} when present ({@link VocAnnotations}, {@link VocSplits});</li>
 *   <li>YOLO: a folder with {@code images/} and {@code labels/}, split folders ({@code train/},
 *       {@code valid/}, {@code test/}) each so laid out, or Ultralytics' {@code images/train/} and
 *       {@code images/val/} with {@code labels/train/} and {@code labels/val/} (see {@code DatasetResolver}); class names from
 *       {@code data.yaml} or {@code classes.txt} ({@link YoloLabels}, {@link YoloClasses}).</li>
 * </ul>
 *
 * <p>Images are decoded and sized as for classification and segmentation; every box is put in pixels of
 * the stored image, scaled by the factors the image is resized by ({@link BoxedImageLoader}). A test set's
 * classes are mapped onto the training classes by name. Images without boxes are negatives beside images with
 * boxes; a training or test set in which no box counts is refused. Every problem is a
 * {@link dev.hone.core.HoneException} naming the annotation file, the image and the fix.
 */
public final class DetectionSource {
    /** What holds no box when no image has one, for the message that refuses such data (see {@link BoxedImageLoader}). */
    private static final String COCO_EMPTY = "the COCO file's \"annotations\" array lists none";
    private static final String VOC_EMPTY = "no XML file in " + VocAnnotations.ANNOTATIONS + "/ holds an <object>";
    private static final String VOC_EMPTY_LISTED = "no XML file in " + VocAnnotations.ANNOTATIONS + "/ of the images it lists"
            + " holds an <object>";

    private DetectionSource() {}

    /**
     * A training set and the test set its source brings, if any, each with what it left out and what conforming its
     * images to one format changed.
     *
     * @param test null when the source brings none
     */
    public record Sets(ImageSet train, String trainSource, ImageSet test, String testSource, SkippedFiles trainSkipped,
            SkippedFiles testSkipped, Conformed trainConformed, Conformed testConformed) {}

    /** Whether {@code path} is a file whose name ends in {@code .json}, read as COCO annotations. */
    public static boolean isCocoFile(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
    }

    /** Whether {@code dir} is a Pascal VOC folder: it holds {@code Annotations/} with {@code .xml} files. */
    public static boolean isVocFolder(Path dir) {
        Path annotations = dir.resolve(VocAnnotations.ANNOTATIONS);
        if (!Files.isDirectory(annotations)) {
            return false;
        }
        try (var list = Files.list(annotations)) {
            return list.anyMatch(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".xml"));
        } catch (java.io.IOException e) {
            return true; // reading the folder names it and the problem
        }
    }

    /**
     * Whether {@code dir} is a YOLO folder: it holds {@code images/} and {@code labels/}, and {@code labels/}
     * holds {@code .txt} files or no images (PNG masks there are segmentation data under another name).
     */
    public static boolean isYoloFolder(Path dir) {
        return Files.isDirectory(dir) && YoloLabels.isYoloFolder(dir);
    }

    /** Whether {@code file} is a YOLO class-name file ({@code data.yaml}, {@code classes.txt}) that a split layout reads. */
    public static boolean isClassesFile(Path file) {
        return YoloClasses.isClassesFile(file);
    }

    /**
     * Reads a COCO annotation file.
     *
     * @param imagesDir the folder the images' {@code file_name}s are relative to, or null for the JSON file's folder
     * @param format the format to conform images to, or null to infer it from the images
     * @param knownClasses the training classes (a test set), or null
     * @throws dev.hone.core.HoneException naming the file and the image for every problem
     */
    public static ImageFolderSource.Read readCoco(Path json, Path imagesDir, ImageFormat format, List<String> knownClasses) {
        CocoAnnotations.Read read = CocoAnnotations.read(json, imagesDir);
        return ImageFolderSource.Read.unskipped(BoxedImageLoader.load(read.images(), json, COCO_EMPTY, format, read.classNames(), knownClasses));
    }

    /**
     * Reads a VOC folder for training: the images of {@code ImageSets/Main/}'s training lists (all, without
     * lists) and, when {@code readTest}, {@code test.txt}'s as the test set, conformed to the training set.
     *
     * @param readTest false when a separate test set is given: {@code test.txt}'s images are then not read
     */
    public static Sets readVoc(Path root, ImageFormat format, boolean readTest) {
        VocSplits.Lists lists = VocSplits.of(root, readTest);
        VocAnnotations.Read train = warnUnannotated(VocAnnotations.read(root, lists.train(), lists.unlisted()), root);
        ImageFileLoader.Readable trainRead = BoxedImageLoader.load(train.images(), root, VOC_EMPTY, format, train.classNames(), null);
        ImageSet trainSet = trainRead.images();
        if (lists.test() == null) {
            return new Sets(trainSet, root.toString(), null, null, SkippedFiles.NONE, SkippedFiles.NONE, trainRead.conformed(),
                    Conformed.NONE);
        }
        VocAnnotations.Read test = VocAnnotations.read(root, lists.test());
        ImageFileLoader.Readable testRead = BoxedImageLoader.load(test.images(), lists.testList(), VOC_EMPTY_LISTED,
                ImageFormat.of(trainSet),
                test.classNames(), trainSet.classNames());
        return new Sets(trainSet, root.toString(), testRead.images(), lists.testList().toString(), SkippedFiles.NONE,
                SkippedFiles.NONE, trainRead.conformed(), testRead.conformed());
    }

    /** Reads a VOC folder given as a test set: {@code test.txt}'s images, else all, with the training classes. */
    public static ImageFolderSource.Read readVocTest(Path root, ImageFormat format, List<String> knownClasses) {
        VocAnnotations.Read test = warnUnannotated(VocAnnotations.read(root, VocSplits.testOnly(root), VocSplits.testUnlisted(root)),
                root);
        return ImageFolderSource.Read.unskipped(BoxedImageLoader.load(test.images(), root, VOC_EMPTY, format, test.classNames(), knownClasses));
    }

    /**
     * Reads a YOLO folder, or one split of a split layout; class names from the split's folder, else
     * {@code root}, else the split's {@code labels/}; without a class-name file, classes are numbered
     * {@code class 0} up to the largest index used (a test set's indices are then the training classes').
     *
     * @param root the folder holding the splits, or null
     * @param knownClasses the training classes (a test set), or null
     */
    public static ImageFolderSource.Read readYolo(Path split, Path root, ImageFormat format, List<String> knownClasses) {
        YoloClasses.Named named = YoloClasses.find(Arrays.asList(split, root, split.resolve(YoloLabels.LABELS)));
        YoloLabels.Found found = YoloLabels.read(split, named == null ? -1 : named.names().size(), named == null ? null : named.file());
        List<String> own = named != null ? named.names() : knownClasses != null ? null : numbered(found.largestClass() + 1);
        ImageFileLoader.Readable read = BoxedImageLoader.load(found.images(), split, yoloEmpty(split.resolve(YoloLabels.LABELS)), format, own, knownClasses);
        return new ImageFolderSource.Read(read.images(), found.skipped(), read.conformed());
    }

    /**
     * Reads one split of Ultralytics' layout, {@code root/images/<split>/} with label files in
     * {@code root/labels/<split>/}; class names as {@link #readYolo}, looked for in {@code root}.
     *
     * @param images the split's image folder, {@code root/images/<split>}
     */
    public static ImageFolderSource.Read readYoloSplit(Path root, Path images, ImageFormat format, List<String> knownClasses) {
        Path labels = root.resolve(YoloLabels.LABELS).resolve(images.getFileName().toString());
        YoloClasses.Named named = YoloClasses.find(Arrays.asList(root, labels));
        YoloLabels.Found found = YoloLabels.read(images, labels, named == null ? -1 : named.names().size(),
                named == null ? null : named.file());
        List<String> own = named != null ? named.names() : knownClasses != null ? null : numbered(found.largestClass() + 1);
        ImageFileLoader.Readable read = BoxedImageLoader.load(found.images(), images, yoloEmpty(labels), format, own, knownClasses);
        return new ImageFolderSource.Read(read.images(), found.skipped(), read.conformed());
    }

    /**
     * Reads only the annotations of the detection data at {@code path} (a COCO file, a VOC or a YOLO folder) and the sizes
     * in their images' headers, decoding no image, and throws the faults they hold: so that a refusal of the training set
     * can name the test set's faults too, its boxes outside their images or without area included.
     *
     * @throws dev.hone.core.HoneException naming the annotation file and every fault found, as the full read does
     */
    public static void checkAnnotations(Path path) {
        if (isCocoFile(path)) {
            CocoAnnotations.Read read = CocoAnnotations.read(path, null);
            BoxedImageLoader.checkGeometry(read.images(), read.classNames());
        } else if (isVocFolder(path)) {
            VocAnnotations.Read read = VocAnnotations.read(path, VocSplits.testOnly(path));
            BoxedImageLoader.checkGeometry(read.images(), read.classNames());
        } else if (isYoloFolder(path)) {
            YoloClasses.Named named = YoloClasses.find(Arrays.asList(path, null, path.resolve(YoloLabels.LABELS)));
            YoloLabels.Found found = YoloLabels.read(path, named == null ? -1 : named.names().size(),
                    named == null ? null : named.file());
            BoxedImageLoader.checkGeometry(found.images(), named != null ? named.names() : numbered(found.largestClass() + 1));
        }
    }

    /** Says how many images of a VOC folder had no XML file and were read as negatives; {@code read} as it is. */
    private static VocAnnotations.Read warnUnannotated(VocAnnotations.Read read, Path root) {
        if (!read.unannotated().isEmpty()) {
            org.slf4j.LoggerFactory.getLogger("hone").warn("data: {} image(s) in {} have no XML file in {}/, read as negatives"
                            + " (images without objects, as LabelImg leaves them), e.g. {}. If they are not annotated yet, move them"
                            + " out of {}/", read.unannotated().size(), root.resolve(VocAnnotations.IMAGES), VocAnnotations.ANNOTATIONS,
                    read.unannotated().get(0), VocAnnotations.IMAGES);
        }
        return read;
    }

    private static String yoloEmpty(Path labels) {
        return "every label file in " + labels + " is empty or missing";
    }

    /** {@code class 0} to {@code class (n-1)}, at least one. */
    static List<String> numbered(int n) {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < Math.max(1, n); k++) {
            names.add("class " + k);
        }
        return names;
    }
}
