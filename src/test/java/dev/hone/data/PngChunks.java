package dev.hone.data;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds PNG chunks by hand for tests of metadata the usual writers cannot produce. */
final class PngChunks {

    private PngChunks() {}

    /** {@code png} with a chunk of {@code type} inserted after IHDR (8-byte signature + 25-byte IHDR). */
    static byte[] insertAfterHeader(byte[] png, String type, byte[] data) {
        byte[] kind = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(kind);
        crc.update(data);
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put(kind).put(data).putInt((int) crc.getValue());
        int at = 8 + 25;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, at);
        out.writeBytes(chunk.array());
        out.write(png, at, png.length - at);
        return out.toByteArray();
    }

    /** An iCCP payload: name, NUL, compression method 0, zlib-compressed profile. */
    static byte[] iccpPayload(String name, byte[] profile) {
        Deflater deflater = new Deflater();
        deflater.setInput(profile);
        deflater.finish();
        byte[] buffer = new byte[profile.length + 64];
        int n = deflater.deflate(buffer);
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        out.write(0);
        out.write(0);
        out.write(buffer, 0, n);
        return out.toByteArray();
    }
}
