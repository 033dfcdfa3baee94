package dev.hone.augment;

/**
 * Moves boxes through the affine maps that {@link GeometricOps#resample} applies to their images.
 *
 * <p>A sampling matrix maps an output pixel centre to its source point; boxes need the forward map,
 * its inverse. Box corners are continuous coordinates (pixel centres at +0.5), so a corner c maps to
 * {@code A^-1 (c - 0.5 - t) + 0.5}. The four corners of each box are mapped and the box re-fitted to
 * them (a rotated box grows to hold its corners, as in torchvision's v2 transforms and Albumentations),
 * then clipped to the image. A box whose clipped area is below {@value #MIN_VISIBLE} of its re-fitted
 * area, or whose clipped side is under {@value #MIN_SIDE} pixel, is dropped: mostly outside the image,
 * it would teach the detector to find an object it cannot see (Albumentations calls the threshold
 * {@code min_visibility}).
 */
final class BoxAffine {
    /** The fraction of a moved box that must stay inside the image for the box to be kept. */
    static final double MIN_VISIBLE = 0.3;

    /** The smallest side, in pixels, a kept box may have after clipping. */
    static final double MIN_SIDE = 1;

    private static final int FIELDS = 6;

    private BoxAffine() {}

    /**
     * @param rows N*B*6 floats {@code class, x1, y1, x2, y2, ignore}; class below 0 is padding
     * @param sampling N*6 sampling matrices ({@link GeometricOps#samplingMatrices})
     * @param height the images' height in pixels
     * @param width the images' width in pixels
     * @return new rows: moved boxes, dropped ones as padding (class -1, zeros)
     */
    static float[] move(float[] rows, int n, int b, float[] sampling, int height, int width) {
        float[] out = new float[rows.length];
        for (int i = 0; i < n; i++) {
            double a = sampling[i * 6], bb = sampling[i * 6 + 1], tx = sampling[i * 6 + 2];
            double c = sampling[i * 6 + 3], d = sampling[i * 6 + 4], ty = sampling[i * 6 + 5];
            double det = a * d - bb * c;
            double ia = d / det, ib = -bb / det, ic = -c / det, id = a / det;
            for (int j = 0; j < b; j++) {
                int r = (i * b + j) * FIELDS;
                if (rows[r] < 0) {
                    out[r] = -1;
                    continue;
                }
                double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = -Double.MAX_VALUE, maxY = -Double.MAX_VALUE;
                for (int corner = 0; corner < 4; corner++) {
                    double sx = rows[r + (corner % 2 == 0 ? 1 : 3)] - 0.5 - tx;
                    double sy = rows[r + (corner < 2 ? 2 : 4)] - 0.5 - ty;
                    double x = ia * sx + ib * sy + 0.5;
                    double y = ic * sx + id * sy + 0.5;
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
                double area = (maxX - minX) * (maxY - minY);
                double x1 = Math.max(0, minX), y1 = Math.max(0, minY), x2 = Math.min(width, maxX), y2 = Math.min(height, maxY);
                boolean kept = x2 - x1 >= MIN_SIDE && y2 - y1 >= MIN_SIDE && (x2 - x1) * (y2 - y1) >= MIN_VISIBLE * area;
                if (!kept) {
                    out[r] = -1;
                    continue;
                }
                out[r] = rows[r];
                out[r + 1] = (float) x1;
                out[r + 2] = (float) y1;
                out[r + 3] = (float) x2;
                out[r + 4] = (float) y2;
                out[r + 5] = rows[r + 5];
            }
        }
        return out;
    }
}
