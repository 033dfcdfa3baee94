package dev.hone.data;

import com.twelvemonkeys.imageio.metadata.CompoundDirectory;
import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The EXIF/TIFF Orientation tag (274): how the stored pixels must be turned to show the image upright.
 *
 * <p>Cameras and phones store the sensor's rows as they came and record the turn in this tag; every
 * image viewer (and Pillow's {@code ImageOps.exif_transpose}) applies it, so a model trained on the
 * stored rows would learn sideways photos. Values follow the TIFF 6.0 / EXIF 2.3 definition of where
 * row 0 and column 0 of the stored image belong: 1 upright, 2 mirrored left-right, 3 turned 180
 * degrees, 4 mirrored top-bottom, 5 transposed, 6 turned 90 degrees clockwise to show, 7 transversed,
 * 8 turned 90 degrees counter-clockwise to show.
 *
 * <p>The tag is read with TwelveMonkeys' metadata library (JPEG APP1 "Exif" segments, TIFF IFD0, and the TIFF
 * structure of PNG's {@code eXIf} and WebP's {@code EXIF} chunks, the latter found here by walking the RIFF chunks, which
 * TwelveMonkeys' WebP reader does not expose); turning the pixels is a pure function here.
 */
public final class ExifOrientation {
    /** The value meaning "stored upright"; also what a missing or unreadable tag means. */
    public static final int NORMAL = 1;

    private ExifOrientation() {}

    /** Whether {@code orientation} shows the stored height as the width: values 5 to 8. */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }

    /**
     * Turns one row-major plane of {@code h x w} stored values upright.
     *
     * @param orientation the tag's value, 1 to 8; anything else counts as {@link #NORMAL}
     * @return a new plane, {@code w x h} when {@link #swapsAxes} else {@code h x w}, or {@code plane}
     *     itself for {@link #NORMAL}
     */
    public static float[] apply(float[] plane, int h, int w, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return plane;
        }
        boolean swap = swapsAxes(orientation);
        int outH = swap ? w : h;
        int outW = swap ? h : w;
        float[] out = new float[plane.length];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                // (sx, sy): the stored pixel shown at (x, y)
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; } // 8
                }
                out[y * outW + x] = plane[sy * w + sx];
            }
        }
        return out;
    }

    /**
     * Reads the tag of a JPEG, TIFF or WebP stream, from its start; the stream is left at its start.
     *
     * <p>A missing, out-of-range or unreadable tag gives {@link #NORMAL}, as in viewers: damaged
     * metadata does not stop an image from being shown, and damaged pixels are caught by the decode.
     *
     * @param format the reader's format name, e.g. {@code "jpeg"}, {@code "tiff"} or {@code "webp"}; others give NORMAL
     */
    static int read(ImageInputStream in, String format) throws IOException {
        String f = format.toLowerCase(java.util.Locale.ROOT);
        try {
            in.seek(0);
            Directory exif;
            if (f.equals("jpeg") || f.equals("jpg")) {
                exif = jpegExif(in);
            } else if (f.equals("tiff") || f.equals("tif")) {
                exif = new TIFFReader().read(in);
            } else if (f.equals("webp")) {
                byte[] tiff = webpExif(in);
                return tiff == null ? NORMAL : fromTiffBytes(tiff);
            } else {
                return NORMAL;
            }
            return valueOf(exif);
        } catch (IOException | RuntimeException e) {
            return NORMAL;
        } finally {
            in.seek(0);
        }
    }

    /** The tag of an EXIF block as PNG's {@code eXIf} chunk holds it: TIFF structure, no header. */
    static int fromTiffBytes(byte[] exif) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(exif))) {
            return valueOf(new TIFFReader().read(in));
        } catch (IOException | RuntimeException e) {
            return NORMAL;
        }
    }

    /**
     * The TIFF structure of a WebP file's {@code EXIF} chunk, or null when it has none: the RIFF container's chunks are
     * walked from the start (Google's WebP container specification; a chunk is a FourCC, a little-endian size and its data,
     * padded to an even length). Some writers put JPEG's {@code Exif\0\0} identifier before the TIFF header, as Pillow
     * accepts; it is dropped.
     */
    private static byte[] webpExif(ImageInputStream in) throws IOException {
        java.nio.ByteOrder order = in.getByteOrder();
        in.setByteOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] fourCc = new byte[4];
            in.readFully(fourCc);
            long riffSize = in.readUnsignedInt();
            in.readFully(fourCc);
            if (!"WEBP".equals(new String(fourCc, java.nio.charset.StandardCharsets.US_ASCII))) {
                return null;
            }
            long end = 8 + riffSize;
            while (in.getStreamPosition() + 8 <= end) {
                in.readFully(fourCc);
                long size = in.readUnsignedInt();
                if ("EXIF".equals(new String(fourCc, java.nio.charset.StandardCharsets.US_ASCII))) {
                    if (size > 64L << 20) {
                        return null;
                    }
                    byte[] data = new byte[(int) size];
                    in.readFully(data);
                    int start = data.length >= 6 && data[0] == 'E' && data[1] == 'x' && data[2] == 'i' && data[3] == 'f' ? 6 : 0;
                    return java.util.Arrays.copyOfRange(data, start, data.length);
                }
                in.seek(in.getStreamPosition() + size + (size & 1));
            }
            return null;
        } finally {
            in.setByteOrder(order);
        }
    }

    private static Directory jpegExif(ImageInputStream in) throws IOException {
        List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
        if (segments.isEmpty()) {
            return null;
        }
        byte[] data;
        try (InputStream s = segments.get(0).data()) {
            data = s.readAllBytes();
        }
        // the identifier is "Exif\0" and a pad byte, which data() leaves in
        int start = data.length > 0 && data[0] == 0 ? 1 : 0;
        try (ImageInputStream tiff = new MemoryCacheImageInputStream(
                new ByteArrayInputStream(data, start, data.length - start))) {
            return new TIFFReader().read(tiff);
        }
    }

    private static int valueOf(Directory exif) {
        if (exif == null) {
            return NORMAL;
        }
        // IFD0 describes the image; IFD1 (a thumbnail) may carry its own tag
        Directory ifd0 = exif instanceof CompoundDirectory c && c.directoryCount() > 0 ? c.getDirectory(0) : exif;
        Entry entry = ifd0.getEntryById(TIFF.TAG_ORIENTATION);
        if (entry == null || !(entry.getValue() instanceof Number n)) {
            return NORMAL;
        }
        int value = n.intValue();
        return value >= 1 && value <= 8 ? value : NORMAL;
    }
}
