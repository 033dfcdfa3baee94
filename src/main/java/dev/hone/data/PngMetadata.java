package dev.hone.data;

import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import org.w3c.dom.Node;

/**
 * The two PNG chunks that change how a PNG looks but that the JDK's PNG reader does not act on:
 * {@code iCCP} (an ICC profile; the reader tags the pixels sRGB regardless) and {@code eXIf} (EXIF,
 * with an Orientation tag; the reader keeps it as an unknown chunk). Both are read from the reader's
 * native metadata tree ({@code javax_imageio_png_1.0}).
 */
final class PngMetadata {
    private static final String PNG_FORMAT = "javax_imageio_png_1.0";

    private PngMetadata() {}

    /** The native metadata tree of a PNG, or null when {@code metadata} is not the JDK PNG reader's. */
    static Node tree(IIOMetadata metadata) {
        if (metadata == null || !PNG_FORMAT.equals(metadata.getNativeMetadataFormatName())) {
            return null;
        }
        return metadata.getAsTree(PNG_FORMAT);
    }

    /**
     * The RGB profile of a PNG's {@code iCCP} chunk; null when there is none, it is not RGB, it is
     * sRGB already, or it cannot be parsed.
     *
     * @param tree from {@link #tree}, or null
     */
    static ICC_Profile iccProfile(Node tree) {
        if (tree == null) {
            return null;
        }
        Node iccp = child(tree, "iCCP");
        if (!(iccp instanceof IIOMetadataNode node) || !(node.getUserObject() instanceof byte[] compressed)) {
            return null;
        }
        try {
            ICC_Profile profile = ICC_Profile.getInstance(inflate(compressed));
            boolean rgb = profile.getColorSpaceType() == ColorSpace.TYPE_RGB;
            return rgb && !new ICC_ColorSpace(profile).isCS_sRGB() ? profile : null;
        } catch (IllegalArgumentException | DataFormatException e) {
            return null;
        }
    }

    /**
     * The EXIF block of a PNG's {@code eXIf} chunk, which the JDK reader keeps as an unknown chunk;
     * null when there is none.
     *
     * @param tree from {@link #tree}, or null
     */
    static byte[] exif(Node tree) {
        if (tree == null) {
            return null;
        }
        Node chunks = child(tree, "UnknownChunks");
        for (Node c = chunks == null ? null : chunks.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof IIOMetadataNode node && "eXIf".equals(node.getAttribute("type"))
                    && node.getUserObject() instanceof byte[] data) {
                return data;
            }
        }
        return null;
    }

    private static Node child(Node parent, String name) {
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (name.equals(c.getNodeName())) {
                return c;
            }
        }
        return null;
    }

    private static byte[] inflate(byte[] compressed) throws DataFormatException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new DataFormatException("truncated iCCP profile");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
