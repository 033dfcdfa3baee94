package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExifOrientationTest {
    /**
     * Stored, 2 rows x 3 columns:
     * <pre>
     * 1 2 3
     * 4 5 6
     * </pre>
     * Expected: the image as shown, row by row, by the TIFF 6.0 meaning of each value (where stored
     * row 0 / column 0 belong), written out by hand.
     */
    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
        "1, 2, 3, '1 2 3 4 5 6'", // upright
        "2, 2, 3, '3 2 1 6 5 4'", // mirrored left-right
        "3, 2, 3, '6 5 4 3 2 1'", // turned 180
        "4, 2, 3, '4 5 6 1 2 3'", // mirrored top-bottom
        "5, 3, 2, '1 4 2 5 3 6'", // transposed: stored row 0 is shown as column 0
        "6, 3, 2, '4 1 5 2 6 3'", // turned 90 clockwise to show: stored row 0 becomes the right column
        "7, 3, 2, '6 3 5 2 4 1'", // transversed
        "8, 3, 2, '3 6 2 5 1 4'", // turned 90 counter-clockwise to show: stored row 0 becomes the left column, upwards
    })
    void turnsTheStoredPixelsAsTheTagSays(int orientation, int shownH, int shownW, String shown) {
        float[] stored = {1, 2, 3, 4, 5, 6};
        float[] out = ExifOrientation.apply(stored, 2, 3, orientation);
        assertThat(ExifOrientation.swapsAxes(orientation)).isEqualTo(shownH == 3);
        StringBuilder s = new StringBuilder();
        for (float v : out) {
            s.append(s.length() == 0 ? "" : " ").append((int) v);
        }
        assertThat(s.toString()).isEqualTo(shown);
        assertThat(out).hasSize(shownH * shownW);
    }

    @ParameterizedTest
    @CsvSource({"0", "9", "-1"})
    void valuesOutsideOneToEightLeaveThePixels(int orientation) {
        float[] stored = {1, 2, 3, 4, 5, 6};
        assertThat(ExifOrientation.apply(stored, 2, 3, orientation)).isSameAs(stored);
        assertThat(ExifOrientation.swapsAxes(orientation)).isFalse();
    }

    /**
     * A WebP's EXIF chunk is found past chunks of odd size (padded to even) and read with or without JPEG's "Exif\0\0"
     * prefix, which some writers put before the TIFF header; the stream keeps its byte order.
     */
    @org.junit.jupiter.api.Test
    void aWebpExifChunkIsFoundPastOddChunksWithOrWithoutItsPrefix() throws Exception {
        byte[] file;
        try (java.io.InputStream in = ExifOrientationTest.class.getResourceAsStream("/decode/orientation-6.webp")) {
            file = in.readAllBytes();
        }
        // the fixture's chunks after "RIFF" size "WEBP": keep all but EXIF, whose TIFF data is prefixed anew
        java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
        byte[] tiff = null;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(file).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int at = 12; at + 8 <= file.length; ) {
            String kind = new String(file, at, 4, java.nio.charset.StandardCharsets.US_ASCII);
            int size = b.getInt(at + 4);
            if (kind.equals("EXIF")) {
                tiff = java.util.Arrays.copyOfRange(file, at + 8, at + 8 + size);
            } else {
                chunks.write(file, at, 8 + size + (size & 1));
            }
            at += 8 + size + (size & 1);
        }
        assertThat(tiff).isNotNull();
        for (boolean prefixed : new boolean[] {false, true}) {
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.write(chunks.toByteArray());
            body.write(chunk("ODD!", new byte[] {1, 2, 3}));
            byte[] exif = prefixed ? concat("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII), tiff) : tiff;
            body.write(chunk("EXIF", exif));
            byte[] riff = concat(concat("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII), le(4 + body.size())),
                    concat("WEBP".getBytes(java.nio.charset.StandardCharsets.US_ASCII), body.toByteArray()));
            try (javax.imageio.stream.ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(
                    new java.io.ByteArrayInputStream(riff))) {
                in.setByteOrder(java.nio.ByteOrder.LITTLE_ENDIAN); // as a reader may have left it
                assertThat(ExifOrientation.read(in, "webp")).as("prefixed %s", prefixed).isEqualTo(6);
                assertThat(in.getByteOrder()).isEqualTo(java.nio.ByteOrder.LITTLE_ENDIAN);
                assertThat(in.getStreamPosition()).isZero();
            }
        }
    }

    private static byte[] chunk(String kind, byte[] data) {
        byte[] head = concat(kind.getBytes(java.nio.charset.StandardCharsets.US_ASCII), le(data.length));
        return concat(concat(head, data), new byte[data.length & 1]);
    }

    private static byte[] le(int v) {
        return java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] concat(byte[] a, byte[] c) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + c.length);
        System.arraycopy(c, 0, out, a.length, c.length);
        return out;
    }
}
