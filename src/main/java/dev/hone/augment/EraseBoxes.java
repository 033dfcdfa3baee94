package dev.hone.augment;

import java.util.SplittableRandom;

/**
 * The rectangles random erasing blanks, one per image: top-left corner and size in pixels.
 *
 * <p>Following Zhong et al. (arXiv:1708.04896): the area is a uniform fraction of the image up to
 * the limit, the aspect ratio log-uniform in [1/3, 3], and the position uniform among those where
 * the rectangle fits. A side longer than the image is cut to the image, which makes very elongated
 * rectangles a little smaller than drawn.
 */
record EraseBoxes(int height, int width, int[] top, int[] left, int[] rows, int[] cols) {
    static final double MAX_ASPECT = 3;

    /** Draws {@code n} rectangles of up to {@code maxFraction} of an {@code height x width} image. */
    static EraseBoxes draw(SplittableRandom r, int n, int height, int width, double maxFraction) {
        int[] top = new int[n], left = new int[n], rows = new int[n], cols = new int[n];
        for (int i = 0; i < n; i++) {
            double area = r.nextDouble() * maxFraction * height * width;
            double aspect = Math.exp(Augmenter.symmetric(r) * Math.log(MAX_ASPECT));
            rows[i] = (int) Math.min(height, Math.round(Math.sqrt(area * aspect)));
            cols[i] = (int) Math.min(width, Math.round(Math.sqrt(area / aspect)));
            top[i] = r.nextInt(height - rows[i] + 1);
            left[i] = r.nextInt(width - cols[i] + 1);
        }
        return new EraseBoxes(height, width, top, left, rows, cols);
    }

    /** N x H: 1 where row y of image i is inside its rectangle. */
    float[] rowMask() {
        return mask(height, top, rows);
    }

    /** N x W: 1 where column x of image i is inside its rectangle. */
    float[] columnMask() {
        return mask(width, left, cols);
    }

    /** Pixels erased in image i. */
    int area(int i) {
        return rows[i] * cols[i];
    }

    private static float[] mask(int side, int[] start, int[] length) {
        float[] m = new float[start.length * side];
        for (int i = 0; i < start.length; i++) {
            for (int k = start[i]; k < start[i] + length[i]; k++) {
                m[i * side + k] = 1;
            }
        }
        return m;
    }
}
