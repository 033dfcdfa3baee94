package dev.hone.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds images whose decoded pixels are identical, within one set or across two.
 *
 * <p>A copy of a training image in the test set makes the test score measure memory, not
 * generalisation: in one report, copies placed in {@code test/} lifted "83%" from an honest 44%. The
 * comparison is on the conformed uint8 pixels, so the same picture saved as PNG and as a lossless
 * re-encode, or under another name, is found; a re-compressed JPEG or a resized copy is a near
 * duplicate and is not (that needs perceptual hashing, out of scope here).
 *
 * <p>Each image is keyed by the first 128 bits of the SHA-256 of its pixels. SHA-256 because the JDK
 * has it everywhere and runs it with the CPU's SHA instructions (about 0.1 s for Fashion-MNIST's 47 MB,
 * see {@link DatasetFingerprint}), with no new dependency; 128 bits because a chance collision among
 * even 10^9 images is below 10^-20, and two longs make a cheap map key. A hash match is then confirmed
 * byte by byte, so a reported duplicate is always exact whatever the hash. Results list images in index
 * order, so they are deterministic.
 *
 * <p>A segmentation set's masks play no part: the same picture in train and test leaks whatever its
 * masks say, as it does under two class labels. {@link ImageSet#subset} keeps the masks of the images
 * left after dropping copies.
 */
public final class DuplicateImages {
    private DuplicateImages() {}

    /** 128 bits of the SHA-256 of one image's pixels. */
    public record Digest(long high, long low) {}

    /**
     * Image {@code index} of one set has the same pixels as image {@code original} of another set (or
     * of the same set, an earlier image).
     */
    public record Match(int index, int original) {}

    /** The digest of every image of {@code set}, in order. */
    public static Digest[] digests(ImageSet set) {
        MessageDigest sha = sha256();
        int bytes = set.imageBytes();
        byte[] pixels = set.pixels();
        Digest[] out = new Digest[set.size()];
        for (int i = 0; i < out.length; i++) {
            sha.update(pixels, i * bytes, bytes);
            ByteBuffer d = ByteBuffer.wrap(sha.digest());
            out[i] = new Digest(d.getLong(), d.getLong());
        }
        return out;
    }

    /**
     * The images of {@code set} whose pixels also occur in {@code reference}, each with the first such
     * image of {@code reference}. Both sets must have the same image format.
     */
    public static List<Match> across(ImageSet reference, Digest[] referenceDigests, ImageSet set, Digest[] digests) {
        requireSameFormat(reference, set);
        Map<Digest, List<Integer>> index = index(referenceDigests);
        List<Match> out = new ArrayList<>();
        for (int i = 0; i < digests.length; i++) {
            List<Integer> candidates = index.get(digests[i]);
            if (candidates == null) {
                continue;
            }
            for (int r : candidates) {
                if (samePixels(reference, r, set, i)) {
                    out.add(new Match(i, r));
                    break;
                }
            }
        }
        return out;
    }

    /** As {@link #across(ImageSet, Digest[], ImageSet, Digest[])}, computing the digests. */
    public static List<Match> across(ImageSet reference, ImageSet set) {
        return across(reference, digests(reference), set, digests(set));
    }

    /** The images of {@code set} that repeat an earlier image of it, each with the first such image. */
    public static List<Match> within(ImageSet set, Digest[] digests) {
        Map<Digest, List<Integer>> seen = new HashMap<>();
        List<Match> out = new ArrayList<>();
        for (int i = 0; i < digests.length; i++) {
            List<Integer> earlier = seen.computeIfAbsent(digests[i], d -> new ArrayList<>(1));
            int original = -1;
            for (int e : earlier) {
                if (samePixels(set, e, set, i)) {
                    original = e;
                    break;
                }
            }
            if (original >= 0) {
                out.add(new Match(i, original));
            } else {
                earlier.add(i); // only first copies are kept as originals
            }
        }
        return out;
    }

    /** The indices of {@code set} not named by any of {@code matches}, ascending. */
    public static int[] without(int size, List<Match> matches) {
        boolean[] drop = new boolean[size];
        matches.forEach(m -> drop[m.index()] = true);
        int[] kept = new int[size];
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!drop[i]) {
                kept[n++] = i;
            }
        }
        return Arrays.copyOf(kept, n);
    }

    private static Map<Digest, List<Integer>> index(Digest[] digests) {
        Map<Digest, List<Integer>> index = new HashMap<>(digests.length * 2);
        for (int i = 0; i < digests.length; i++) {
            index.computeIfAbsent(digests[i], d -> new ArrayList<>(1)).add(i);
        }
        return index;
    }

    private static boolean samePixels(ImageSet a, int i, ImageSet b, int j) {
        int bytes = a.imageBytes();
        return Arrays.equals(a.pixels(), i * bytes, (i + 1) * bytes, b.pixels(), j * bytes, (j + 1) * bytes);
    }

    private static void requireSameFormat(ImageSet a, ImageSet b) {
        if (a.channels() != b.channels() || a.height() != b.height() || a.width() != b.width()) {
            throw new IllegalArgumentException("images of " + a.channels() + "x" + a.height() + "x" + a.width()
                    + " and " + b.channels() + "x" + b.height() + "x" + b.width() + " cannot be compared");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
