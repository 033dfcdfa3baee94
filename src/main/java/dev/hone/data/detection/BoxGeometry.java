package dev.hone.data.detection;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import java.util.List;

/**
 * Turns an annotated image's boxes into the stored image's pixels, or refuses them naming the image.
 *
 * <p>Corners are first put in pixels of the image as shown (a YOLO fraction times the image's width or
 * height). A corner outside the image by at most {@value #TOLERANCE_PIXELS} pixel, as exports rounding
 * to whole or 1-based pixels leave them, is clipped to the image; further out, or a box without area,
 * is refused. Then both axes are scaled by the factors the image is resized by: the stored size over
 * the shown size, so box and pixels stay aligned.
 */
final class BoxGeometry {
    /** How far, in pixels of the original image, a corner may lie outside it and be clipped rather than refused. */
    static final float TOLERANCE_PIXELS = 1f;

    private static final String FIX_BOX = "correct or delete the box in the annotation file (corners must lie inside the"
            + " image, with x2 > x1 and y2 > y1)";

    private BoxGeometry() {}

    /**
     * The boxes of {@code a} in pixels of a {@code storedWidth x storedHeight} image.
     *
     * @param shownWidth the image's width as shown (after its EXIF orientation), in pixels
     * @param shownHeight its height as shown
     * @param classNames the source's class names, for messages
     * @param faults where a box outside the image or without area is described (and left out), so that the caller can
     *     name every such box of a set at once
     */
    static float[] toStored(AnnotatedImage a, int shownWidth, int shownHeight, int storedWidth, int storedHeight,
            List<String> classNames, List<String> faults) {
        float[] in = a.boxes();
        float[] out = new float[in.length];
        int kept = 0;
        float fx = a.normalised() ? shownWidth : 1f;
        float fy = a.normalised() ? shownHeight : 1f;
        double sx = (double) storedWidth / shownWidth;
        double sy = (double) storedHeight / shownHeight;
        for (int r = 0; r < in.length; r += ImageSet.BOX_FIELDS) {
            float x1 = in[r + 1] * fx;
            float y1 = in[r + 2] * fy;
            float x2 = in[r + 3] * fx;
            float y2 = in[r + 4] * fy;
            if (!(x2 > x1 && y2 > y1)) {
                faults.add(a.image() + " has a box without area: " + describe(in[r], x1, y1, x2, y2, classNames));
                continue;
            }
            float t = TOLERANCE_PIXELS;
            if (x1 < -t || y1 < -t || x2 > shownWidth + t || y2 > shownHeight + t) {
                faults.add(a.image() + " has a box outside its " + shownWidth + "x" + shownHeight + " image (width x height) by"
                        + " more than " + (int) t + " pixel: " + describe(in[r], x1, y1, x2, y2, classNames));
                continue;
            }
            x1 = clip(x1, shownWidth);
            y1 = clip(y1, shownHeight);
            x2 = clip(x2, shownWidth);
            y2 = clip(y2, shownHeight);
            if (!(x2 > x1 && y2 > y1)) {
                faults.add(a.image() + " has a box without area inside its " + shownWidth + "x" + shownHeight + " image: "
                        + describe(in[r], x1, y1, x2, y2, classNames));
                continue;
            }
            int o = kept * ImageSet.BOX_FIELDS;
            out[o] = in[r];
            out[o + 1] = (float) Math.min(storedWidth, x1 * sx);
            out[o + 2] = (float) Math.min(storedHeight, y1 * sy);
            out[o + 3] = (float) Math.min(storedWidth, x2 * sx);
            out[o + 4] = (float) Math.min(storedHeight, y2 * sy);
            out[o + 5] = in[r + 5];
            kept++;
        }
        return java.util.Arrays.copyOf(out, kept * ImageSet.BOX_FIELDS);
    }

    /**
     * Refuses a set with boxes outside their images or without area, naming how many, the first {@link #SHOWN} of them
     * and the annotation files they come from: an export with hundreds of such boxes is corrected in one round.
     *
     * @param faults the boxes {@link #toStored} described
     * @param files the annotation files of those boxes, in order of appearance
     * @throws HoneException when {@code faults} is not empty
     */
    static void refuse(List<String> faults, java.util.Collection<Object> files) {
        if (faults.isEmpty()) {
            return;
        }
        String shown = String.join("; ", faults.subList(0, Math.min(SHOWN, faults.size())));
        throw HoneException.of((faults.size() == 1 ? "a box lies outside its image or has no area (" : faults.size()
                + " boxes lie outside their images or have no area (the first " + Math.min(SHOWN, faults.size()) + ": ") + shown
                + (faults.size() > SHOWN ? "; and " + (faults.size() - SHOWN) + " more" : "") + ")",
                files.size() == 1 ? files.iterator().next() : files.size() + " annotation files, first " + files.iterator().next(),
                FIX_BOX);
    }

    /** Faulty boxes a refusal names one by one; the rest are counted. */
    static final int SHOWN = 5;

    private static float clip(float v, int side) {
        return Math.max(0f, Math.min(side, v));
    }

    /** E.g. {@code 'cat' [x1=3.0, y1=4.0, x2=10.0, y2=12.0] in pixels}. */
    static String describe(float cls, float x1, float y1, float x2, float y2, List<String> classNames) {
        int c = (int) cls;
        String name = c >= 0 && c < classNames.size() ? "'" + classNames.get(c) + "' " : "class " + c + " ";
        return name + "[x1=" + x1 + ", y1=" + y1 + ", x2=" + x2 + ", y2=" + y2 + "] in pixels";
    }
}
