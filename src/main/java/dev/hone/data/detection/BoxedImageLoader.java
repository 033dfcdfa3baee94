package dev.hone.data.detection;

import dev.hone.core.HoneException;
import dev.hone.data.FormatInference;
import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFileLoader;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes annotated images into one detection {@link ImageSet}: the images as every source decodes them,
 * the boxes scaled with them.
 *
 * <p>In order: each box's class is mapped onto the set's classes (a test set's by name onto the training
 * classes); the images' headers are read and, without a given format, the format is inferred from them as
 * for classification and segmentation ({@link FormatInference}: the size all images share, else the median
 * height and width, the longer side capped at {@value FormatInference#MAX_SIDE}); a size the annotation
 * declares must be the image's size as shown; the boxes are clipped, checked and scaled to the stored size
 * ({@link BoxGeometry}); then the images are decoded. Each image's label, which only steers stratified
 * splits, is its most frequent box class (ties to the lower index), 0 for an image without boxes.
 *
 * <p>Images without boxes are negatives, but only beside images with boxes: a set in which no box counts
 * (none at all, or every one marked to ignore) is refused before the images are decoded, a training set
 * because there is nothing to learn, a test set because there is nothing to find, so no score would mean anything.
 */
final class BoxedImageLoader {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private BoxedImageLoader() {}

    /**
     * Checks the boxes of {@code images} against the images' sizes, read from their headers (no image is decoded), and
     * refuses them as {@link #load} would: a size the annotation declares other than the image's, else every box outside
     * its image or without area, with its annotation file. An image whose header cannot be read is left to the full read,
     * which names it.
     *
     * @param classNames the source's class names, for messages
     * @throws HoneException naming the faulty boxes and their annotation files
     */
    static void checkGeometry(List<AnnotatedImage> images, List<String> classNames) {
        List<String> faults = new java.util.ArrayList<>();
        java.util.Set<Object> faultyFiles = new java.util.LinkedHashSet<>();
        for (AnnotatedImage a : images) {
            ImageDecoder.Header header;
            try {
                header = ImageDecoder.probe(a.image());
            } catch (RuntimeException unreadable) {
                continue;
            }
            requireDeclaredSize(a, header); // a size the annotation gets wrong is the fault, not the boxes it misplaces
            int before = faults.size();
            BoxGeometry.toStored(a, header.width(), header.height(), header.width(), header.height(), classNames, faults);
            if (faults.size() > before) {
                faultyFiles.add(a.annotation());
            }
        }
        BoxGeometry.refuse(faults, faultyFiles);
    }

    /**
     * @param images the annotated images, in the set's order; at least one
     * @param where the annotation file or folder read, for messages
     * @param noBoxes what holds no box when no image has one, in the source's terms (e.g. {@code every label file
     *     in labels/ is empty or missing}), for the message
     * @param format the format to conform to, or null to infer it from the images
     * @param ownNames the source's class names, which the boxes' classes index; null when the source names
     *     none and its indices are the training classes' (a YOLO test set without names)
     * @param knownClasses the training classes (for a test set), or null
     * @throws HoneException naming the image and the annotation file for a class that is not a training
     *     class, a declared size other than the image's, a box outside the image or without area, or an
     *     image that cannot be read; naming {@code where} when no box counts
     */
    static ImageFileLoader.Readable load(List<AnnotatedImage> images, Object where, String noBoxes, ImageFormat format,
            List<String> ownNames, List<String> knownClasses) {
        int n = images.size();
        if (n == 0) {
            throw HoneException.of("the detection data lists no images", where, "add images and their annotations");
        }
        if (ownNames == null && knownClasses == null) {
            throw new IllegalArgumentException("a training set needs its own class names");
        }
        List<String> names = knownClasses != null ? knownClasses : ownNames;
        List<String> own = ownNames != null ? ownNames : knownClasses;
        int[] classMap = classMap(own, names);
        ImageDecoder.Header[] headers = new ImageDecoder.Header[n];
        dev.hone.data.ParallelReads.firstFailure(n, i -> headers[i] = ImageDecoder.probe(images.get(i).image()));
        ImageFormat target = format != null ? format : FormatInference.fromHeaders(Arrays.asList(headers));
        float[][] boxes = new float[n][];
        int[] labels = new int[n];
        int total = 0;
        List<String> faults = new java.util.ArrayList<>();
        java.util.Set<Object> faultyFiles = new java.util.LinkedHashSet<>();
        for (int i = 0; i < n; i++) {
            AnnotatedImage a = images.get(i);
            requireDeclaredSize(a, headers[i]);
            int before = faults.size();
            float[] stored = BoxGeometry.toStored(a, headers[i].width(), headers[i].height(), target.width(), target.height(), own,
                    faults);
            if (faults.size() > before) {
                faultyFiles.add(a.annotation());
                continue;
            }
            for (int r = 0; r < stored.length; r += ImageSet.BOX_FIELDS) {
                int c = (int) stored[r];
                if (c < 0 || c >= classMap.length || classMap[c] < 0) {
                    throw HoneException.of("a box of " + a.image() + " has class "
                            + (c >= 0 && c < own.size() ? "'" + own.get(c) + "'" : String.valueOf(c))
                            + ", which is not one of the training classes " + names, a.annotation(),
                            "give the test boxes the training classes' names, or remove the boxes of classes the model was not trained on");
                }
                stored[r] = classMap[c];
            }
            boxes[i] = stored;
            labels[i] = mostFrequent(stored, names.size());
            total += stored.length / ImageSet.BOX_FIELDS;
        }
        BoxGeometry.refuse(faults, faultyFiles);
        requireBoxes(boxes, where, noBoxes, knownClasses != null);
        long negatives = Arrays.stream(boxes).filter(b -> b.length == 0).count();
        LOG.info("{}: detection data, {} image{} ({} without boxes), {} box{}, {} classes", where, n, n == 1 ? "" : "s",
                negatives, total, total == 1 ? "" : "es", names.size());
        List<java.nio.file.Path> files = images.stream().map(AnnotatedImage::image).toList();
        ImageFileLoader.Readable read = ImageFileLoader.loadAll(files, labels, names, target);
        return new ImageFileLoader.Readable(read.images().withBoxes(boxes), read.unreadable(), read.conformed());
    }

    /**
     * Refuses a set in which no box counts: without any box, or with every box marked to ignore (VOC's
     * {@code difficult}, COCO's {@code iscrowd}).
     *
     * @param test whether the set is a test set, for the message
     */
    static void requireBoxes(float[][] boxes, Object where, String noBoxes, boolean test) {
        int total = 0;
        int counted = 0;
        for (float[] b : boxes) {
            for (int r = 0; r < b.length; r += ImageSet.BOX_FIELDS) {
                total++;
                counted += b[r + ImageSet.BOX_FIELDS - 1] == 0f ? 1 : 0;
            }
        }
        if (counted > 0) {
            return;
        }
        int n = boxes.length;
        String set = test ? "the test set" : "the detection data";
        String problem = total == 0
                ? set + " has no box: " + (n == 1 ? "its image is" : "all " + n + " images are") + " without boxes (" + noBoxes + ")"
                : set + " has no box that counts: all " + total + " of its boxes are marked to ignore (difficult or iscrowd)";
        String fix = test
                ? "give the test images their boxes, or check that you exported the test split with its annotations;"
                        + " without boxes there is nothing to evaluate a detector on"
                : "add the boxes, or check that you exported the right split with its annotations (images without"
                        + " boxes are only allowed beside images with boxes, as negatives)";
        if (total > 0) {
            fix = "mark at least some boxes as ordinary (difficult 0, iscrowd 0); " + fix;
        }
        throw HoneException.of(problem, where, fix);
    }

    /** For each own class index, its index among {@code names} by name, or -1. */
    private static int[] classMap(List<String> own, List<String> names) {
        int[] map = new int[own.size()];
        for (int k = 0; k < map.length; k++) {
            map[k] = names.indexOf(own.get(k));
        }
        return map;
    }

    private static void requireDeclaredSize(AnnotatedImage a, ImageDecoder.Header header) {
        if (a.width() <= 0 && a.height() <= 0) {
            return;
        }
        if (a.width() != header.width() || a.height() != header.height()) {
            boolean swapped = a.width() == header.height() && a.height() == header.width();
            throw HoneException.of("the annotation gives " + a.image() + " the size " + a.width() + "x" + a.height()
                    + " (width x height) but the image is " + header.width() + "x" + header.height()
                    + (swapped ? " as shown (its EXIF orientation turns it)" : ""), a.annotation(),
                    "annotate the image as it is shown, at its own size: re-export the annotations for these image files"
                            + (swapped ? ", or save the image upright without an EXIF orientation" : ""));
        }
    }

    /** The class with the most boxes in {@code boxes} (ties to the lower index), 0 for none. */
    static int mostFrequent(float[] boxes, int classes) {
        int[] counts = new int[classes];
        for (int r = 0; r < boxes.length; r += ImageSet.BOX_FIELDS) {
            counts[(int) boxes[r]]++;
        }
        int best = 0;
        for (int k = 1; k < classes; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return best;
    }
}
