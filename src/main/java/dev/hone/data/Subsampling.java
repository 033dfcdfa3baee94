package dev.hone.data;

/**
 * How coarsely a large image is read: every n-th row and column, chosen so the decoded image stays at
 * least {@value #OVERSAMPLING} times the target size on each axis.
 *
 * <p>A 16000x13000 photo decoded whole needs about 830 MB as one {@code BufferedImage} and several
 * times that on the way to float planes; read with {@code ImageReadParam.setSourceSubsampling} for a
 * 224-pixel target it needs well under 1 MB, and a folder of such photos no longer ends in an
 * {@link OutOfMemoryError}. Subsampling only skips pixels, so reading at the target size itself would
 * alias fine texture; keeping {@value #OVERSAMPLING}x as many pixels and letting {@link Resampler}
 * average them down keeps that small. A period of n is chosen only once the image is at least
 * {@code 2 * OVERSAMPLING} times the target, so ordinary photos decode exactly as before. Either way
 * the decoded length stays under {@code 2 * OVERSAMPLING} times the target on each axis, which bounds
 * the memory one decode needs ({@link MemoryBudget}). Pure maths.
 */
public final class Subsampling {
    /** How many decoded pixels per target pixel subsampling keeps at least, on each axis. */
    public static final int OVERSAMPLING = 2;

    private Subsampling() {}

    /**
     * The subsampling period along one axis: read one pixel in every {@code period}.
     *
     * @param sourceLength pixels the image has on this axis, at least 1
     * @param targetLength pixels wanted on this axis, at least 1
     * @return at least 1; {@code sourceLength / period >= OVERSAMPLING * targetLength} whenever the
     *     period is above 1
     */
    public static int period(int sourceLength, int targetLength) {
        return Math.max(1, sourceLength / (OVERSAMPLING * targetLength));
    }

    /** Pixels decoded along an axis of {@code sourceLength} read with {@code period}. */
    public static int decodedLength(int sourceLength, int period) {
        return (sourceLength + period - 1) / period;
    }
}
