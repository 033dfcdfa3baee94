package dev.hone.data;

import java.util.List;

/**
 * Picks the {@link ImageFormat} for a set of image files from their headers alone.
 *
 * <p>Sizes are as shown: a phone photo stored 4032x3024 with EXIF orientation 6 counts as 3024 wide
 * and 4032 high ({@link ImageDecoder#probe}).
 *
 * <p>Channels: 3 if any image is colour, else 1, so no colour is thrown away. Size: the one size all
 * images share, else the median height and width, because the median is what most images need the
 * least resizing to reach and an outlier cannot drag it. Either way the longer side is capped at
 * {@value #MAX_SIDE} (keeping the aspect ratio): the size ImageNet models are built for, and what keeps
 * a folder of camera photos from needing tens of gigabytes of memory.
 */
public final class FormatInference {
    /** The largest side an inferred format gets. */
    public static final int MAX_SIDE = 224;

    private FormatInference() {}

    /** The format for images with these headers; at least one header. */
    public static ImageFormat fromHeaders(List<ImageDecoder.Header> headers) {
        if (headers.isEmpty()) {
            throw new IllegalArgumentException("no images to infer a format from");
        }
        boolean colour = headers.stream().anyMatch(ImageDecoder.Header::colour);
        int[] heights = headers.stream().mapToInt(ImageDecoder.Header::height).sorted().toArray();
        int[] widths = headers.stream().mapToInt(ImageDecoder.Header::width).sorted().toArray();
        ImageDecoder.Header first = headers.get(0);
        boolean uniform = headers.stream().allMatch(h -> h.height() == first.height() && h.width() == first.width());
        int h = uniform ? first.height() : median(heights);
        int w = uniform ? first.width() : median(widths);
        int longer = Math.max(h, w);
        if (longer > MAX_SIDE) {
            double scale = (double) MAX_SIDE / longer;
            h = Math.max(1, (int) Math.round(h * scale));
            w = Math.max(1, (int) Math.round(w * scale));
        }
        return new ImageFormat(colour ? 3 : 1, h, w);
    }

    private static int median(int[] sorted) {
        int n = sorted.length;
        return (int) Math.round((sorted[(n - 1) / 2] + (double) sorted[n / 2]) / 2);
    }
}
