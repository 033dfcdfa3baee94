package dev.hone.data;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The images a model was trained and validated on, kept beside it as 64 bits of each image's pixel digest
 * ({@link DuplicateImages}), so that an evaluation can count how many of the images it scores the model has seen: the
 * same images as a class folder instead of the manifest the run read, or a superset of them, flatter it as much as the
 * run's own data, which a fingerprint of the whole set only recognises when it is the same set. 8 bytes an image (480 KB
 * for Fashion-MNIST's 60,000); 64 bits make a chance match among 10^6 images about 10^-8 likely.
 */
public final class SeenImages {
    /** The file in the model folder. */
    public static final String FILE = "seen-images.bin";
    private static final int MAGIC = 0x484f4e53; // "HONS"

    private SeenImages() {}

    /** The sorted, distinct digests of the images of {@code sets}, for {@link #write}. */
    public static long[] digests(ImageSet... sets) {
        return Arrays.stream(sets).flatMap(s -> Arrays.stream(DuplicateImages.digests(s))).mapToLong(DuplicateImages.Digest::high)
                .sorted().distinct().toArray();
    }

    /** Writes {@code all}, as {@link #digests} made them, into {@code modelDir}. */
    public static void write(Path modelDir, long[] all) {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(modelDir.resolve(FILE))))) {
            out.writeInt(MAGIC);
            out.writeInt(all.length);
            for (long d : all) {
                out.writeLong(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sorted digests kept in {@code modelDir}; null when it keeps none (a model of an earlier hone) or the file is
     * damaged: the check is a warning, never a reason to refuse an evaluation.
     */
    public static long[] read(Path modelDir) {
        Path file = modelDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            int n = in.readInt();
            if (n < 0 || n > (Files.size(file) - 8) / 8) {
                return null;
            }
            long[] digests = new long[n];
            for (int i = 0; i < n; i++) {
                digests[i] = in.readLong();
            }
            return digests;
        } catch (IOException e) {
            return null;
        }
    }

    /** How many images of {@code set} have their digest among {@code seen} (sorted, as {@link #read} returns them). */
    public static int count(long[] seen, ImageSet set) {
        int n = 0;
        for (DuplicateImages.Digest d : DuplicateImages.digests(set)) {
            n += Arrays.binarySearch(seen, d.high()) >= 0 ? 1 : 0;
        }
        return n;
    }
}
