package dev.hone.data.unlabeled;

import dev.hone.data.Conformed;
import dev.hone.data.ImageFormat;
import dev.hone.data.SkippedFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Images without labels, decoded and held in memory as unsigned bytes of shape {@code (N, C, H, W)},
 * in the labelled data's {@link ImageFormat}, for semi-supervised training.
 *
 * <p>FixMatch (Sohn et al. 2020, arXiv:2001.07685) trains on these with pseudo-labels from weakly
 * augmented views; Noisy Student (Xie et al. 2020, arXiv:1911.04252) labels them with a teacher and
 * trains a noised student. Both need them resident like the labelled set, so {@link #pixels()} has
 * exactly {@link dev.hone.data.ImageSet}'s layout and becomes a uint8 tensor on the device the same way;
 * normalisation happens there, as for the labelled images.
 *
 * <p>Made by {@link UnlabeledImages#read}, which has already left out the images that copy a labelled
 * or test image ({@link #copiesOfLabeled()}), repeats of an earlier unlabeled image ({@link #repeats()})
 * and, for a folder, files that are no image or cannot be decoded ({@link #skipped()}).
 */
public final class UnlabeledSet {
    /** How many examples {@link #describe()} and {@link #lines()} name per kind of dropped image. */
    public static final int EXAMPLES = 3;

    /**
     * An unlabeled image left out because its decoded pixels equal another image's.
     *
     * @param file the unlabeled file left out
     * @param original the image it copies: a labelled or test image's source (a file, or {@code file#index}
     *     for IDX data), or the earlier unlabeled file it repeats
     * @param ofTest whether the original is a test image: trained on as unlabeled, it would leak into the test figures
     */
    public record Copy(String file, String original, boolean ofTest) {
        @Override
        public String toString() {
            return file + " = " + original;
        }
    }

    private final Path path;
    private final ImageFormat format;
    private final byte[] pixels;
    private final IntFunction<String> sourceOf;
    private final int size;
    private final String fingerprint;
    private final List<Copy> copiesOfLabeled;
    private final List<Copy> repeats;
    private final SkippedFiles skipped;
    private final Conformed conformed;

    /**
     * @param pixels {@code size x format.imageBytes()} bytes, NCHW
     * @param sourceOf the file image i was read from
     * @param conformed what bringing the decoded images to {@code format} changed
     */
    UnlabeledSet(Path path, ImageFormat format, byte[] pixels, int size, IntFunction<String> sourceOf,
            List<Copy> copiesOfLabeled, List<Copy> repeats, SkippedFiles skipped, Conformed conformed) {
        if (pixels.length != (long) size * format.imageBytes()) {
            throw new IllegalArgumentException(pixels.length + " bytes are not " + size + " images of " + format);
        }
        this.path = Objects.requireNonNull(path);
        this.format = Objects.requireNonNull(format);
        this.pixels = pixels;
        this.size = size;
        this.sourceOf = Objects.requireNonNull(sourceOf);
        this.copiesOfLabeled = List.copyOf(copiesOfLabeled);
        this.repeats = List.copyOf(repeats);
        this.skipped = Objects.requireNonNull(skipped);
        this.conformed = Objects.requireNonNull(conformed);
        this.fingerprint = UnlabeledFingerprint.of(size, format, pixels);
    }

    /** The folder or CSV read, as given. */
    public Path path() { return path; }

    /** N: the images kept. */
    public int size() { return size; }

    /** C, H and W of every image: the labelled data's. */
    public ImageFormat format() { return format; }

    /**
     * The backing N*C*H*W bytes, values 0-255 read as unsigned, image-major then channel-major (NCHW),
     * not a copy: callers must not modify it.
     */
    public byte[] pixels() { return pixels; }

    /** The file image {@code i} was read from, for reports. */
    public String source(int i) {
        Objects.checkIndex(i, size);
        return sourceOf.apply(i);
    }

    /**
     * Lower-case hex SHA-256 of the kept images' shape and pixels, in order, under the version tag
     * {@value UnlabeledFingerprint#VERSION}; file names play no part.
     */
    public String fingerprint() { return fingerprint; }

    /** Images left out because they equal a labelled or test image (hash match confirmed byte by byte), in read order. */
    public List<Copy> copiesOfLabeled() { return copiesOfLabeled; }

    /** The {@link #copiesOfLabeled()} whose original is a test image. */
    public List<Copy> copiesOfTest() {
        return copiesOfLabeled.stream().filter(Copy::ofTest).toList();
    }

    /** Images left out because they repeat an earlier unlabeled image (the first is kept), in read order. */
    public List<Copy> repeats() { return repeats; }

    /** Entries of a folder passed over: hidden, not images, or unreadable (with the decoder's reason). */
    public SkippedFiles skipped() { return skipped; }

    /**
     * What bringing the decoded images to {@link #format()} changed: how many were resized, and converted between colour
     * and grey (counted over every decoded image, the copies left out included).
     */
    public Conformed conformed() { return conformed; }

    /**
     * For the record: path, images, format, fingerprint, the two kinds of dropped copies as
     * {@code {count, examples}}, the skipped files as {@link SkippedFiles#describe()} and what conforming changed
     * ({@link Conformed#describe()}).
     */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path.toString());
        m.put("images", size);
        m.put("format", format.toString());
        m.put("fingerprint", fingerprint);
        m.put("copiesOfLabeled", counted(copiesOfLabeled));
        m.put("copiesOfTest", counted(copiesOfTest()));
        m.put("repeats", counted(repeats));
        m.put("skipped", skipped.describe());
        m.put("conformed", conformed.describe());
        return m;
    }

    /** One line for the console per fact worth knowing: what was read, then each kind of image left out. */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add("unlabeled: " + size + " image" + (size == 1 ? "" : "s") + " from " + path + " at " + format);
        lines.addAll(conformed.lines("unlabeled images", format, "as the labelled images are"));
        if (!copiesOfLabeled.isEmpty()) {
            lines.add("dropped " + copiesOfLabeled.size() + " unlabeled image" + (copiesOfLabeled.size() == 1 ? "" : "s")
                    + " identical to labelled or test images, e.g. " + copiesOfLabeled.get(0));
        }
        List<Copy> ofTest = copiesOfTest();
        if (!ofTest.isEmpty()) {
            lines.add(ofTest.size() + " of them " + (ofTest.size() == 1 ? "is a copy of a test image" : "are copies of test images")
                    + " (trained on, they would have leaked into the test figures): " + String.join(", ", ofTest.stream()
                    .limit(EXAMPLES).map(Copy::toString).toList()) + (ofTest.size() > EXAMPLES ? " and " + (ofTest.size()
                    - EXAMPLES) + " more" : ""));
        }
        if (!repeats.isEmpty()) {
            lines.add("dropped " + repeats.size() + " repeated unlabeled image" + (repeats.size() == 1 ? "" : "s")
                    + " (the first copy is kept), e.g. " + repeats.get(0));
        }
        lines.addAll(skipped.lines("unlabeled images"));
        return lines;
    }

    private static Map<String, Object> counted(List<Copy> copies) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", copies.size());
        m.put("examples", copies.stream().limit(EXAMPLES).map(Copy::toString).toList());
        return m;
    }
}
