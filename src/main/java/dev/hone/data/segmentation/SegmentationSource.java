package dev.hone.data.segmentation;

import dev.hone.data.ImageFileLoader;
import dev.hone.data.ImageFolderSource;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.SkippedFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Reads semantic-segmentation data, images with a class mask each, into a segmentation
 * {@link ImageSet} ({@link ImageSet#segmentation()}).
 *
 * <p>Layouts: a folder with {@code images/} and {@code masks/}, an image and its mask sharing a name up
 * to the extension ({@link MaskPairs}); a folder of splits, {@code train/} and {@code test/} (or
 * {@code val/}) each laid out so (see {@code DatasetResolver}); a CSV manifest with the header
 * {@code image,mask} ({@link SegmentationManifest}). Masks are single-channel PNGs of class indices,
 * palette PNGs whose index is the class (Pascal VOC), or binary masks of 0 and 255
 * ({@link MaskReader}, {@link MaskedImageLoader}). Class names come from {@code classes.txt} or VOC's
 * {@code labelmap.txt} beside the data ({@link SegmentationClasses}), else are numbered.
 *
 * <p>Images are decoded and conformed as for classification; masks are resized with them by nearest
 * neighbour and stay class indices, {@link ImageSet#IGNORE} marking pixels to ignore. Every problem is
 * a {@link dev.hone.core.HoneException} that names the image and its mask and says the fix.
 */
public final class SegmentationSource {
    /** The mask value of pixels to ignore unless told otherwise: Pascal VOC's object boundaries. */
    public static final int DEFAULT_IGNORE_INDEX = ImageSet.IGNORE;

    private SegmentationSource() {}

    /** Whether {@code dir} is a segmentation folder: it holds {@code images/} and {@code masks/} (any case). */
    public static boolean isSegmentationFolder(Path dir) {
        return MaskPairs.isSegmentationFolder(dir);
    }

    /** Whether {@code csv} is a segmentation manifest: its header is {@code image,mask}. */
    public static boolean isSegmentationManifest(Path csv) {
        return SegmentationManifest.isSegmentationManifest(csv);
    }

    /** Whether {@code file} is a class-name file ({@code classes.txt}, {@code labelmap.txt}) that a split layout reads. */
    public static boolean isClassesFile(Path file) {
        return SegmentationClasses.isClassesFile(file);
    }

    /**
     * Reads the segmentation folder {@code dir} ({@code images/} + {@code masks/}), class names from the
     * class-name file in {@code dir}.
     *
     * @param format the format to conform images and masks to, or null to infer it from the images
     * @param knownClasses the training classes (a test set conformed to its training set), or null
     * @param ignoreIndex the mask value of pixels to ignore, 0-255 ({@link #DEFAULT_IGNORE_INDEX}); stored as {@link ImageSet#IGNORE}
     * @return the set and what in the folder was not read
     * @throws dev.hone.core.HoneException naming the files for every problem
     */
    public static ImageFolderSource.Read readFolder(Path dir, ImageFormat format, List<String> knownClasses, int ignoreIndex) {
        return readSplit(dir, null, format, knownClasses, ignoreIndex);
    }

    /**
     * As {@link #readFolder}, for one split of a split layout: class names from the class-name file in
     * {@code split}, else in {@code root}.
     *
     * @param root the folder holding the splits, or null
     */
    public static ImageFolderSource.Read readSplit(Path split, Path root, ImageFormat format, List<String> knownClasses,
            int ignoreIndex) {
        MaskedImageLoader.requireIgnoreIndex(ignoreIndex);
        MaskPairs.Found found = MaskPairs.inFolder(split);
        SegmentationClasses.Named named = SegmentationClasses.find(Arrays.asList(split, root));
        MaskedImageLoader.Loaded loaded = MaskedImageLoader.load(found.pairs(), split, format, knownClasses, named, ignoreIndex);
        ImageFileLoader.Readable read = loaded.read();
        return new ImageFolderSource.Read(read.images(), found.skipped(), read.conformed(), loaded.warnings());
    }

    /**
     * Reads the segmentation manifest {@code csv}; class names from the class-name file in its folder. A manifest skips no
     * file.
     *
     * @param format the format to conform images and masks to, or null to infer it from the images
     * @param knownClasses the training classes, or null
     * @param ignoreIndex the mask value of pixels to ignore, 0-255
     * @throws dev.hone.core.HoneException naming the CSV line or the files for every problem
     */
    public static ImageFolderSource.Read loadManifest(Path csv, ImageFormat format, List<String> knownClasses, int ignoreIndex) {
        MaskedImageLoader.requireIgnoreIndex(ignoreIndex);
        List<MaskPairs.Pair> pairs = SegmentationManifest.read(csv);
        SegmentationClasses.Named named = SegmentationClasses.find(List.of(csv.toAbsolutePath().getParent()));
        MaskedImageLoader.Loaded loaded = MaskedImageLoader.load(pairs, csv, format, knownClasses, named, ignoreIndex);
        ImageFileLoader.Readable read = loaded.read();
        return new ImageFolderSource.Read(read.images(), SkippedFiles.NONE, read.conformed(), loaded.warnings());
    }
}
