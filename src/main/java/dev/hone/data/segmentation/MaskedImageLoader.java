package dev.hone.data.segmentation;

import dev.hone.core.HoneException;
import dev.hone.data.FormatInference;
import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFileLoader;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.PixelConverter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes image and mask pairs into one segmentation {@link ImageSet}: the images as every source
 * decodes them, the masks as class indices at the images' size.
 *
 * <p>In order: the images' headers are read and, without a given format, the format is inferred from
 * them as for classification ({@link FormatInference}); each mask is read ({@link MaskReader}), must
 * have its image's size as shown, and is resized by nearest neighbour ({@link PixelConverter#nearest})
 * so no value is blended; values are mapped (the user's ignore index to {@link ImageSet#IGNORE}, binary
 * 0/255 masks to 0/1) and checked against the classes; then the images are decoded.
 *
 * <p>Binary masks: when every mask holds only 0 and 255, with some 255, the masks are foreground and
 * background (255 is class 1, not "ignore"), unless a class-name file or the training classes list
 * other than two classes. Each image's label, which only steers stratified splits, is its most frequent
 * class other than 0 (background) when it shows one, else 0; ties go to the lower index.
 * Without a class-name file, masks of which most are binary and a few hold other values (anti-aliased edges) are
 * refused ({@link #refuseNearlyBinary}), since reading them as classes would make 255 "ignore" in every mask.
 *
 * <p>Without a class-name file, the classes are numbered up to the largest value of any mask, so one
 * stray value (a corrupt mask, a value meant as "ignore") makes every value below it a class. Values no
 * pixel of any mask uses are then a warning, not an error, since masks may skip values on purpose: it
 * lists them and the masks that hold the values above the first unused one ({@link #unusedValues}).
 */
final class MaskedImageLoader {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    private static final String FIX_RANGE = "write one class name per line in classes.txt, line k naming mask value k,"
            + " for every value the masks use; or pass --ignore-index N if that value marks pixels to ignore; or correct the mask";

    private MaskedImageLoader() {}

    /** The decoded set, and what the user should hear about it (each naming the data), empty when nothing. */
    record Loaded(ImageFileLoader.Readable read, List<String> warnings) {}

    /**
     * @param pairs the images and their masks, in the set's order; at least one
     * @param where the folder or manifest read, for messages
     * @param format the format to conform to, or null to infer it from the images
     * @param knownClasses the training classes (for a test set), or null
     * @param named the class-name file found beside the data, or null
     * @param ignoreIndex the mask value that marks pixels to ignore, 0-255; stored as {@link ImageSet#IGNORE}
     * @throws HoneException naming the image and its mask for any mismatch, value outside the classes,
     *     mask that is all ignore or unreadable file
     */
    static Loaded load(List<MaskPairs.Pair> pairs, Path where, ImageFormat format, List<String> knownClasses,
            SegmentationClasses.Named named, int ignoreIndex) {
        requireIgnoreIndex(ignoreIndex);
        int n = pairs.size();
        List<Path> images = pairs.stream().map(MaskPairs.Pair::image).toList();
        ImageDecoder.Header[] headers = new ImageDecoder.Header[n];
        // an image a CSV lists is named with the CSV and its line, and its fix is to remove the line, not the file
        IntFunction<String> listedAt = pairs.get(0).line() > 0 ? i -> where + ", line " + pairs.get(i).line() : null;
        dev.hone.data.ParallelReads.firstFailure(n, i -> headers[i] = listing(listedAt, i,
                () -> ImageDecoder.probe(images.get(i))));
        ImageFormat target = format != null ? format : FormatInference.fromHeaders(Arrays.asList(headers));
        int hw = target.height() * target.width();
        long total = (long) n * hw;
        if (total > Integer.MAX_VALUE - 16) {
            throw HoneException.of("the " + n + " masks need " + (total >> 20) + " MiB at " + target.height() + "x"
                    + target.width() + ", more than one array can hold", where, "ask for a smaller image size or use fewer images");
        }
        byte[] masks = new byte[(int) total];
        int[][] histograms = new int[n][];
        dev.hone.data.ParallelReads.firstFailure(n, i -> histograms[i] = listing(listedAt, i,
                () -> readInto(pairs.get(i), headers[i], target, masks, i * hw)));

        boolean binary = isBinary(histograms, ignoreIndex, named, knownClasses);
        if (!binary && named == null && knownClasses == null) {
            refuseNearlyBinary(histograms, ignoreIndex, pairs, where);
        }
        int[] map = byName(valueMap(ignoreIndex, binary), named, knownClasses, where);
        List<String> classNames = classNames(histograms, map, binary, named, knownClasses, where);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int k = i;
            labels[i] = listing(listedAt, i, () -> check(mapped(histograms[k], map), classNames, pairs.get(k), named, knownClasses,
                    ignoreIndex));
        }
        for (int p = 0; p < masks.length; p++) {
            masks[p] = (byte) map[masks[p] & 0xFF]; // every value is 0-254 or IGNORE now: check refused the rest
        }
        LOG.info("{}: segmentation data, {} image{} with masks, {} classes{}", where, n, n == 1 ? "" : "s", classNames.size(),
                binary ? " (masks of 0 and 255 read as background and foreground)" : "");
        List<String> warnings = named == null && knownClasses == null && !binary
                ? unusedValues(histograms, map, classNames.size(), pairs, where) : List.of();
        ImageFileLoader.Readable read = ImageFileLoader.loadAll(images, labels, classNames, target, listedAt);
        return new Loaded(new ImageFileLoader.Readable(read.images().withMasks(masks), read.unreadable(), read.conformed()), warnings);
    }

    /** A read of pair {@code i}, whose failure names the manifest line that lists it when {@code listedAt} is given. */
    private static <T> T listing(IntFunction<String> listedAt, int i, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (HoneException e) {
            throw listedAt == null ? e : ImageFileLoader.listed(e, listedAt.apply(i));
        }
    }

    /** How many masks a warning about unused values names before it counts the rest. */
    private static final int MASKS_NAMED = 3;

    /**
     * A warning when numbered classes (no class-name file) leave values that no pixel of any mask uses, e.g. classes
     * 11-36 of 38 because one mask holds a stray 37: the unused values, compactly, and the masks holding the values
     * above the first unused one, highest first, with their pixel counts; else nothing.
     *
     * @param classes the number of classes, the largest value used plus one
     */
    static List<String> unusedValues(int[][] histograms, int[] map, int classes, List<MaskPairs.Pair> pairs, Path where) {
        long[] pixels = new long[classes];
        int[][] mapped = new int[histograms.length][];
        for (int i = 0; i < histograms.length; i++) {
            mapped[i] = mapped(histograms[i], map);
            for (int v = 0; v < classes; v++) {
                pixels[v] += mapped[i][v];
            }
        }
        List<Integer> unused = new java.util.ArrayList<>();
        for (int v = 0; v < classes; v++) {
            if (pixels[v] == 0) {
                unused.add(v);
            }
        }
        if (unused.isEmpty()) {
            return List.of();
        }
        int gap = unused.get(0);
        // the masks holding values above the first unused one, the highest value first
        List<Integer> holders = new java.util.ArrayList<>();
        int[] highest = new int[histograms.length];
        for (int i = 0; i < mapped.length; i++) {
            for (int v = classes - 1; v > gap; v--) {
                if (mapped[i][v] > 0) {
                    highest[i] = v;
                    holders.add(i);
                    break;
                }
            }
        }
        holders.sort((a, b) -> Integer.compare(highest[b], highest[a]));
        List<String> named = new java.util.ArrayList<>();
        for (int i : holders.subList(0, Math.min(MASKS_NAMED, holders.size()))) {
            int v = highest[i];
            named.add(pairs.get(i).mask() + " (value " + v + ", " + mapped[i][v] + (mapped[i][v] == 1 ? " pixel)" : " pixels)"));
        }
        String masks = String.join(", ", named) + (holders.size() > MASKS_NAMED ? " and " + (holders.size() - MASKS_NAMED)
                + " more mask" + (holders.size() - MASKS_NAMED == 1 ? "" : "s") : "");
        return List.of(where + ": no pixel of any mask has the value" + (unused.size() == 1 ? " " : "s ") + ranges(unused)
                + ", yet without a class-name file the classes are numbered 0-" + (classes - 1) + " up to the largest value, so "
                + unused.size() + " of the " + classes + " classes have no pixel to learn from; the masks with values above " + gap
                + ": " + masks + (unused.size() > 1 ? "; a gap this wide usually means a corrupt mask" : "")
                + ". Fix: add a " + SegmentationClasses.CLASSES_FILE + " naming mask value k on line k, or repair the masks"
                + " (a warning only: the numbered classes are used as they are)");
    }

    /** Sorted values, compactly: {@code 3, 5-7, 11-36}. */
    static String ranges(List<Integer> sorted) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            b.append(b.length() == 0 ? "" : ", ").append(sorted.get(i));
            if (j > i) {
                b.append(j == i + 1 ? ", " : "-").append(sorted.get(j));
            }
            i = j + 1;
        }
        return b.toString();
    }

    /** Reads one mask into {@code dest} at {@code offset}, resized to {@code target}; returns the histogram of its raw values. */
    private static int[] readInto(MaskPairs.Pair pair, ImageDecoder.Header header, ImageFormat target, byte[] dest, int offset) {
        MaskReader.Mask mask = MaskReader.read(pair.mask(), pair.image());
        if (mask.height() != header.height() || mask.width() != header.width()) {
            boolean swapped = mask.height() == header.width() && mask.width() == header.height();
            throw HoneException.of("mask is " + mask.width() + "x" + mask.height() + " (width x height)"
                    + " but its image " + pair.image() + " is " + header.width() + "x" + header.height()
                    + (swapped ? " as shown (its EXIF orientation may turn it)" : ""), pair.mask(),
                    "give each mask exactly its image's size, as the image is shown upright; resize or re-export the mask"
                            + " with nearest-neighbour sampling");
        }
        int[] histogram = new int[256];
        for (byte v : mask.values()) {
            histogram[v & 0xFF]++;
        }
        byte[] resized = PixelConverter.nearest(mask.values(), 1, mask.height(), mask.width(), target.height(), target.width());
        System.arraycopy(resized, 0, dest, offset, resized.length);
        return histogram;
    }

    /** Whether every mask holds only 0 and 255, some 255, and nothing names other than two classes. */
    static boolean isBinary(int[][] histograms, int ignoreIndex, SegmentationClasses.Named named, List<String> knownClasses) {
        if (ignoreIndex == 0 || (named != null && named.names().size() != 2) || (knownClasses != null && knownClasses.size() != 2)) {
            return false;
        }
        boolean foreground = false;
        for (int[] h : histograms) {
            if (otherThanBinary(h) > 0) {
                return false;
            }
            foreground |= h[255] > 0;
        }
        return foreground;
    }

    /**
     * Refuses masks of which most are binary (only 0 and 255, some 255) while a few hold other values, as anti-aliased or
     * bilinearly resized edges do: read as they are, 255 would be the ignore index in every mask, so no foreground pixel
     * would be learned or scored, and each stray value would number a class. Does nothing when fewer than half the
     * masks are binary (multi-class masks with 255 as ignore, Pascal VOC's, stay as they are), or the ignore index is not
     * 255.
     *
     * @throws HoneException naming the masks with other values (the first {@value #MASKS_NAMED}, their values and pixels)
     */
    static void refuseNearlyBinary(int[][] histograms, int ignoreIndex, List<MaskPairs.Pair> pairs, Path where) {
        if (ignoreIndex != ImageSet.IGNORE) {
            return; // with another ignore index a 255 is a class, which the value check refuses with its own reason
        }
        int binaryMasks = 0;
        List<Integer> others = new java.util.ArrayList<>();
        for (int i = 0; i < histograms.length; i++) {
            int[] h = histograms[i];
            if (otherThanBinary(h) == 0) {
                binaryMasks += h[255] > 0 ? 1 : 0;
            } else {
                others.add(i);
            }
        }
        if (others.isEmpty() || 2 * binaryMasks <= histograms.length) {
            return;
        }
        List<String> named = new java.util.ArrayList<>();
        for (int i : others.subList(0, Math.min(MASKS_NAMED, others.size()))) {
            int[] h = histograms[i];
            int most = 1;
            for (int v = 2; v < 255; v++) {
                most = h[v] > h[most] ? v : most;
            }
            int pixels = otherThanBinary(h);
            named.add(pairs.get(i).mask() + " (" + pixels + (pixels == 1 ? " pixel" : " pixels") + ", e.g. value " + most + ")");
        }
        throw HoneException.of(binaryMasks + " of the " + histograms.length + " masks hold only 0 and 255 (background and"
                + " foreground), but " + others.size() + (others.size() == 1 ? " holds" : " hold") + " other values too: "
                + String.join(", ", named) + (others.size() > MASKS_NAMED ? " and " + (others.size() - MASKS_NAMED) + " more" : "")
                + ". Read as they are, 255 would mark pixels to ignore in every mask, so no foreground pixel would be learned, and"
                + " each other value would be a class", where, "make every mask 0 and 255 only (threshold at 128; resize masks with"
                + " nearest-neighbour sampling, never bilinear), or add a " + SegmentationClasses.CLASSES_FILE + " naming mask value"
                + " k on line k if the values are classes");
    }

    /** The pixels of a mask's raw histogram with a value other than 0 and 255. */
    private static int otherThanBinary(int[] histogram) {
        int n = 0;
        for (int v = 1; v < 255; v++) {
            n += histogram[v];
        }
        return n;
    }

    /** A raw 255 that is neither the ignore index nor binary foreground: a class no byte can store, refused by {@link #check}. */
    static final int CLASS_255 = 256;

    /**
     * Raw value to stored value: the ignore index to {@link ImageSet#IGNORE}; for binary masks 255 to 1;
     * a raw 255 that is a class to {@link #CLASS_255}; every other value to itself.
     */
    static int[] valueMap(int ignoreIndex, boolean binary) {
        int[] map = new int[256];
        for (int v = 0; v < 256; v++) {
            map[v] = v;
        }
        map[255] = binary ? 1 : CLASS_255;
        if (!binary) {
            map[ignoreIndex] = ImageSet.IGNORE;
        }
        return map;
    }

    /**
     * {@code map} renumbered to the training classes' order where a test set's class-name file lists the same names in
     * another order: its mask value of each name becomes the training index of that name.
     */
    private static int[] byName(int[] map, SegmentationClasses.Named named, List<String> knownClasses, Path where) {
        if (named == null || knownClasses == null || named.names().equals(knownClasses)
                || !sameNames(named.names(), knownClasses)) {
            return map;
        }
        int[] out = map.clone();
        for (int v = 0; v < out.length; v++) {
            if (out[v] < named.names().size()) {
                out[v] = knownClasses.indexOf(named.names().get(out[v]));
            }
        }
        LOG.info("{}: {} lists the training classes in another order; its mask values are mapped to the training classes by"
                + " name", where, named.file());
        return out;
    }

    private static boolean sameNames(List<String> a, List<String> b) {
        return a.size() == b.size() && new java.util.HashSet<>(a).equals(new java.util.HashSet<>(b));
    }

    /** Pixels per stored value (index {@link #CLASS_255} included) of a mask with these raw counts. */
    private static int[] mapped(int[] histogram, int[] map) {
        int[] out = new int[CLASS_255 + 1];
        for (int v = 0; v < 256; v++) {
            out[map[v]] += histogram[v];
        }
        return out;
    }

    private static List<String> classNames(int[][] histograms, int[] map, boolean binary, SegmentationClasses.Named named,
            List<String> knownClasses, Path where) {
        if (knownClasses != null) {
            if (named != null && !sameNames(named.names(), knownClasses)) {
                throw HoneException.of("the class names " + named.names() + " differ from the training classes " + knownClasses,
                        named.file(), "make this file list the training data's class names");
            }
            return knownClasses;
        }
        List<String> names = named != null ? named.names()
                : binary ? List.of("background", "foreground") : SegmentationClasses.numbered(largest(histograms, map) + 1);
        if (names.size() < 2) {
            throw HoneException.of(named != null ? "the class-name file lists 1 class (" + names.get(0)
                    + "), segmentation needs at least 2" : "every mask holds only class 0 (and pixels to ignore)",
                    named != null ? named.file() : where,
                    "label at least two classes, e.g. 0 for background and 1 for the objects");
        }
        return names;
    }

    /** The largest class value of any mask ({@link #CLASS_255} counting as 255). */
    private static int largest(int[][] histograms, int[] map) {
        int max = 0;
        for (int[] h : histograms) {
            int[] m = mapped(h, map);
            for (int v = 0; v < m.length; v++) {
                if (m[v] > 0 && v != ImageSet.IGNORE) {
                    max = Math.max(max, Math.min(v, 255));
                }
            }
        }
        return max;
    }

    /** Checks one mask's values against the classes and returns its label for stratified splits. */
    private static int check(int[] mapped, List<String> classNames, MaskPairs.Pair pair, SegmentationClasses.Named named,
            List<String> knownClasses, int ignoreIndex) {
        int k = classNames.size();
        String both = pair.mask() + " (the mask of " + pair.image() + ")";
        if (mapped[CLASS_255] > 0) {
            throw HoneException.of("mask value 255 is a class index because the ignore index is " + ignoreIndex
                    + ", but class indices stop at " + (SegmentationClasses.MAX_CLASSES - 1), both,
                    "mark pixels to ignore with one value only (255, or the --ignore-index value)");
        }
        for (int v = k; v < ImageSet.IGNORE; v++) {
            if (mapped[v] > 0) {
                String classes = knownClasses != null ? "the " + k + " training classes (0-" + (k - 1) + ")"
                        : named != null ? "the " + k + " classes of " + named.file() + " (0-" + (k - 1) + ")"
                        : k + " classes";
                throw HoneException.of("mask value " + v + " (" + mapped[v] + (mapped[v] == 1 ? " pixel" : " pixels") + ") is outside " + classes
                        + " and is not the ignore index " + ignoreIndex, both,
                        knownClasses != null ? "use test masks whose values are training classes, or mark those pixels "
                                + ignoreIndex + " to ignore them" : FIX_RANGE);
            }
        }
        int total = 0;
        for (int v = 0; v < k; v++) {
            total += mapped[v];
        }
        if (total == 0) {
            throw HoneException.of("mask is all ignore (every pixel is " + ignoreIndex + "), so its image teaches nothing",
                    both, "label the image's pixels with class indices, or remove the image and its mask");
        }
        int label = 0;
        int most = 0;
        for (int v = 1; v < k; v++) {
            if (mapped[v] > most) {
                most = mapped[v];
                label = v;
            }
        }
        return label;
    }

    static void requireIgnoreIndex(int ignoreIndex) {
        if (ignoreIndex < 0 || ignoreIndex > 255) {
            throw HoneException.of("the ignore index must be a mask value from 0 to 255", "--ignore-index " + ignoreIndex,
                    "pass the value your masks use for pixels to ignore, e.g. --ignore-index 255 (Pascal VOC's)");
        }
    }
}
