package dev.hone.data.unlabeled;

import dev.hone.data.ImageFormat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A SHA-256 over what a semi-supervised model learns from an unlabeled set: its shape and its pixels.
 *
 * <p>The unlabeled counterpart of {@link dev.hone.data.DatasetFingerprint}, under its own version tag
 * so that an unlabeled set and a labelled one never hash the same bytes. File names are left out, so
 * moving or renaming the folder keeps the fingerprint; changing one pixel, adding, removing or
 * reordering an image changes it.
 */
final class UnlabeledFingerprint {
    /** Bumped if the hashed layout ever changes. */
    static final String VERSION = "hone-unlabeled-v1";

    private UnlabeledFingerprint() {}

    /**
     * Lower-case hex SHA-256 of {@code VERSION}, then N, C, H, W as big-endian ints, then the pixels.
     *
     * @param pixels {@code images x format.imageBytes()} bytes, NCHW
     */
    static String of(int images, ImageFormat format, byte[] pixels) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        sha.update(VERSION.getBytes(StandardCharsets.UTF_8));
        sha.update(ByteBuffer.allocate(4 * Integer.BYTES).putInt(images).putInt(format.channels())
                .putInt(format.height()).putInt(format.width()).array());
        sha.update(pixels);
        return HexFormat.of().formatHex(sha.digest());
    }
}
