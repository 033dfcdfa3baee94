package dev.hone.data;

import dev.hone.core.HoneException;
import java.util.Locale;

/**
 * Checks that a data set fits in the Java heap before it is decoded, and how many images may decode
 * at once.
 *
 * <p>The resident set is exact: {@code N x C x H x W} bytes of the conformed images. One decode needs
 * at most {@link #decodeWorkingSet} besides that: {@link Subsampling} keeps every decoded axis under
 * {@code 2 * OVERSAMPLING} times the target, and a decoded pixel costs at most
 * {@value #DECODE_BYTES_PER_PIXEL} bytes on its way to the target (at the peak: the reader's image
 * at up to 8 bytes a pixel for 16-bit RGBA, the ARGB array, three float planes and one turned copy;
 * a colour conversion's copy is dropped before the planes exist). When the heap cannot
 * hold as many decodes as there are cores, fewer run at once; when it cannot hold the set and one
 * decode, the load is refused with the figures and the fix instead of ending in an
 * {@link OutOfMemoryError} half way. Pure maths; the caller reads the heap.
 */
public final class MemoryBudget {
    /** Bytes one decoded pixel costs at most while it is conformed (see the class comment). */
    public static final int DECODE_BYTES_PER_PIXEL = 28;

    private MemoryBudget() {}

    /** Bytes the conformed set of {@code images} takes: {@code N x C x H x W}. */
    public static long residentBytes(int images, ImageFormat format) {
        return (long) images * format.imageBytes();
    }

    /** The most bytes one decode into {@code format} needs besides its output. */
    public static long decodeWorkingSet(ImageFormat format) {
        long side = 2L * Subsampling.OVERSAMPLING;
        return side * side * format.height() * format.width() * DECODE_BYTES_PER_PIXEL;
    }

    /** Whether the set and at least one decode fit in {@code freeHeap} bytes. */
    public static boolean fits(int images, ImageFormat format, long freeHeap) {
        return residentBytes(images, format) + decodeWorkingSet(format) <= freeHeap;
    }

    /**
     * How many images may decode at once: as many as {@code cores}, fewer when the heap left after
     * the resident set cannot hold that many working sets.
     *
     * @param freeHeap bytes the heap can still give: {@code maxMemory - (totalMemory - freeMemory)}
     * @param maxHeap {@link Runtime#maxMemory()}, for the message
     * @param where the folder or file named in the error
     * @return between 1 and {@code cores}
     * @throws HoneException when the set and one decode do not fit, naming the image count, the bytes
     *     needed, the heap, and the fix
     */
    public static int decodeThreads(int images, ImageFormat format, long freeHeap, long maxHeap, int cores,
            Object where) {
        long resident = residentBytes(images, format);
        long perDecode = decodeWorkingSet(format);
        if (!fits(images, format, freeHeap)) {
            throw HoneException.of(String.format(Locale.ROOT,
                    "the %d %s need %d bytes (%s) in memory at %s, plus up to %s to decode one, but only"
                            + " %s of the Java heap is free (maximum heap %s, from Runtime.maxMemory)",
                    images, images == 1 ? "image" : "images", resident, mib(resident), format, mib(perDecode), mib(freeHeap), mib(maxHeap)),
                    where, "use fewer images, ask for a smaller image size, or give Java more memory"
                            + " (e.g. HONE_JAVA_OPTS=-Xmx16g for ./hone, or -Xmx16g for java)");
        }
        long room = (freeHeap - resident) / perDecode;
        return (int) Math.max(1, Math.min(cores, room));
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
