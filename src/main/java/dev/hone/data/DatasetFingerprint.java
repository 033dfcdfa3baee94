package dev.hone.data;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 over everything a model learns from: shape, class names, labels, pixels and, for a
 * segmentation set, the masks.
 *
 * <p>Recorded with every trained model so that "was this trained on the same data?" has a yes/no
 * answer, whatever the files were called. File names and sources are left out on purpose: moving
 * a folder must not change the fingerprint, changing one pixel must. Each part is length-prefixed so
 * that no two different sets hash the same bytes. The pixels are hashed in one call, which the JDK
 * runs with the CPU's SHA instructions where it has them: Fashion-MNIST's 47 MB takes about 0.1 s.
 *
 * <p>A segmentation set's masks follow the pixels behind a marker, so the same images with other
 * masks differ; a set without masks hashes exactly the bytes it always did, so fingerprints of
 * classification data recorded before are unchanged. A detection set's boxes follow the pixels likewise,
 * behind their own marker: per image, its box count and then its boxes' floats (class, corners, ignore
 * flag), so moving, relabelling, adding or ignoring one box changes the fingerprint.
 */
public final class DatasetFingerprint {
    /** Bumped if the hashed layout ever changes, so old and new fingerprints never collide. */
    private static final String VERSION = "hone-imageset-v1";

    /** Precedes a segmentation set's masks; the pixels' length is fixed by the header, so nothing else can end there. */
    private static final byte[] MASKS = "masks".getBytes(StandardCharsets.UTF_8);

    /** Precedes a detection set's boxes. */
    private static final byte[] BOXES = "boxes".getBytes(StandardCharsets.UTF_8);

    private DatasetFingerprint() {}

    /** Lower-case hex SHA-256 of {@code set}. */
    public static String of(ImageSet set) {
        MessageDigest sha = sha256();
        sha.update(VERSION.getBytes(StandardCharsets.UTF_8));
        ByteBuffer header = ByteBuffer.allocate(5 * Integer.BYTES);
        header.putInt(set.size()).putInt(set.channels()).putInt(set.height()).putInt(set.width())
                .putInt(set.numClasses());
        sha.update(header.array());
        for (String name : set.classNames()) {
            byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(utf8.length).array());
            sha.update(utf8);
        }
        ByteBuffer labels = ByteBuffer.allocate(set.size() * Integer.BYTES);
        labels.asIntBuffer().put(set.labels());
        sha.update(labels.array());
        sha.update(set.pixels());
        if (set.segmentation()) {
            sha.update(MASKS);
            sha.update(set.masks());
        }
        if (set.detection()) {
            sha.update(BOXES);
            for (float[] b : set.boxes()) {
                ByteBuffer buf = ByteBuffer.allocate(Integer.BYTES + b.length * Float.BYTES);
                buf.putInt(b.length / ImageSet.BOX_FIELDS);
                buf.asFloatBuffer().put(b);
                sha.update(buf.array());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
