package dev.hone.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Flips, translation, crop-with-padding, zoom, rotation and shear, composed into one affine map per image and applied
 * to the whole batch with one bilinear resampling.
 *
 * <p>Composing first means an image is interpolated once however many geometric steps the policy
 * has, so it blurs once and costs one gather. Pixels that come from outside the source image get a
 * per-channel fill value; {@link Augmenter} passes the normalised value of pixel 0 (black), the way
 * torchvision's affine transforms fill.
 */
final class GeometricOps {
    private GeometricOps() {}

    /**
     * Per-image sampling matrices {@code (a, b, c, d, e, f)}, row-major in an {@code n*6} array:
     * output pixel {@code (x, y)} shows source point {@code (a x + b y + c, d x + e y + f)}, in pixel
     * units with pixel centres at integers.
     *
     * <p>The forward map, about the image centre, is flip, then zoom, rotate, shear, and last the
     * translation (so the shift is in output pixels); the sampling matrix is its inverse. Each
     * transform draws from its own stream, so adding one never changes another's parameters.
     *
     * @param steps the geometric transforms and their magnitudes, in application order
     */
    static float[] samplingMatrices(Map<Transform, Double> steps, int n, int height, int width, long seed) {
        double[][] lin = new double[n][];
        double[][] shift = new double[n][2];
        for (int i = 0; i < n; i++) {
            lin[i] = new double[] {1, 0, 0, 1};
        }
        for (Map.Entry<Transform, Double> step : steps.entrySet()) {
            Transform t = step.getKey();
            double a = t.amount(step.getValue());
            SplittableRandom r = Augmenter.stream(seed, t);
            for (int i = 0; i < n; i++) {
                switch (t) {
                    case FLIP_HORIZONTAL -> then(lin[i], r.nextBoolean() ? -1 : 1, 0, 0, 1);
                    case FLIP_VERTICAL -> then(lin[i], 1, 0, 0, r.nextBoolean() ? -1 : 1);
                    case TRANSLATE -> {
                        shift[i][0] = Augmenter.symmetric(r) * a * width;
                        shift[i][1] = Augmenter.symmetric(r) * a * height;
                    }
                    case CROP -> {
                        // whole pixels, added to any translation: the image moves inside a padded frame
                        shift[i][0] += Math.round(Augmenter.symmetric(r) * a * width);
                        shift[i][1] += Math.round(Augmenter.symmetric(r) * a * height);
                    }
                    case ZOOM -> {
                        double s = 1 + Augmenter.symmetric(r) * a;
                        then(lin[i], s, 0, 0, s);
                    }
                    case ROTATE -> {
                        double th = Math.toRadians(Augmenter.symmetric(r) * a);
                        then(lin[i], Math.cos(th), -Math.sin(th), Math.sin(th), Math.cos(th));
                    }
                    case SHEAR -> {
                        double k = Augmenter.symmetric(r) * a;
                        boolean alongX = r.nextBoolean();
                        then(lin[i], 1, alongX ? k : 0, alongX ? 0 : k, 1);
                    }
                    default -> throw new IllegalArgumentException(t + " is not geometric");
                }
            }
        }
        double cx = (width - 1) / 2.0;
        double cy = (height - 1) / 2.0;
        float[] out = new float[n * 6];
        for (int i = 0; i < n; i++) {
            double[] l = lin[i];
            double det = l[0] * l[3] - l[1] * l[2]; // +-zoom^2, at least 0.36 away from 0: rotation and shear keep area
            double ia = l[3] / det, ib = -l[1] / det, ic = -l[2] / det, id = l[0] / det;
            // src = centre + L^-1 (dst - centre - shift)
            double ux = cx + shift[i][0];
            double uy = cy + shift[i][1];
            out[i * 6] = (float) ia;
            out[i * 6 + 1] = (float) ib;
            out[i * 6 + 2] = (float) (cx - ia * ux - ib * uy);
            out[i * 6 + 3] = (float) ic;
            out[i * 6 + 4] = (float) id;
            out[i * 6 + 5] = (float) (cy - ic * ux - id * uy);
        }
        return out;
    }

    /** {@code l = m * l} for 2x2 row-major matrices: m applies after what l already does. */
    private static void then(double[] l, double a, double b, double c, double d) {
        double l0 = a * l[0] + b * l[2], l1 = a * l[1] + b * l[3];
        double l2 = c * l[0] + d * l[2], l3 = c * l[1] + d * l[3];
        l[0] = l0;
        l[1] = l1;
        l[2] = l2;
        l[3] = l3;
    }

    /**
     * Bilinear resampling of a batch through per-image affine maps.
     *
     * <p>The image is padded with {@code fill} (one pixel before, two after, on each axis) and source
     * coordinates are clamped into the padding, so a corner that falls outside reads the fill and
     * edges blend into it, as PyTorch's {@code grid_sample} does with zero padding. The four corners of
     * every output pixel are fetched with one {@code gather} along the flattened pixel axis. An
     * integer-valued map (flip, whole-pixel shift, quarter turn) copies pixels exactly.
     *
     * @param x float32 (N, C, H, W); the result joins its manager
     * @param sampling {@code N*6} matrices from {@link #samplingMatrices}
     * @param fill one value per channel for pixels from outside the image
     */
    static NDArray resample(NDArray x, float[] sampling, float[] fill) {
        NDManager m = x.getManager();
        Shape s = x.getShape();
        int n = (int) s.get(0), c = (int) s.get(1), h = (int) s.get(2), w = (int) s.get(3);
        int hp = h + 3, wp = w + 3, hw = h * w;
        NDArray padded = m.zeros(new Shape(n, c, hp, wp)).add(m.create(fill, new Shape(1, c, 1, 1)));
        padded.set(new NDIndex().addAllDim(2).addSliceDim(1, h + 1).addSliceDim(1, w + 1), x);

        NDArray src = sourcePoints(m, sampling, n, h, w) // (N, 2[x,y], HW)
                .maximum(0f).minimum(m.create(new float[] {w + 1, h + 1}, new Shape(1, 2, 1)));
        NDArray corner = src.floor();
        NDArray frac = src.sub(corner);
        // flat index x + y * wp, computed in float32: exact while the padded image has under 2^24 pixels
        NDArray topLeft = corner.mul(m.create(new float[] {1, wp}, new Shape(1, 2, 1))).sum(new int[] {1}, true);
        NDArray index = topLeft.add(m.create(new float[] {0, 1, wp, wp + 1}, new Shape(1, 4, 1))) // (N, 4, HW)
                .toType(DataType.INT64, false).reshape(n, 1, 4L * hw).broadcast(new Shape(n, c, 4L * hw));
        NDArray corners = padded.reshape(n, c, (long) hp * wp).gather(index, 2).reshape(n, c, 4, hw);

        NDArray both = m.create(1f).sub(frac).expandDims(2).concat(frac.expandDims(2), 2); // (N, 2[x,y], 2[lo,hi], HW)
        NDArray wx = both.get(new NDIndex().addAllDim().addIndices(0)).expandDims(1); // (N, 1, 2, HW)
        NDArray wy = both.get(new NDIndex().addAllDim().addIndices(1)).expandDims(2); // (N, 2, 1, HW)
        NDArray weights = wy.mul(wx).reshape(n, 1, 4, hw); // order (y0,x0) (y0,x1) (y1,x0) (y1,x1), as the index
        return corners.mul(weights).sum(new int[] {2}).reshape(n, c, h, w);
    }

    /**
     * Nearest-neighbour resampling of per-pixel targets through the same affine maps as
     * {@link #resample}: each output pixel copies the source pixel nearest to its source point, so
     * a one-hot map stays one-hot (a class index must not be blended), and pixels from outside the
     * image become all zeros, which the segmentation loss ignores.
     *
     * @param y float32 (N, K, H, W) dense targets; the result joins its manager
     * @param sampling {@code N*6} matrices from {@link #samplingMatrices}, the images' own
     */
    static NDArray resampleNearest(NDArray y, float[] sampling) {
        NDManager m = y.getManager();
        Shape s = y.getShape();
        int n = (int) s.get(0), c = (int) s.get(1), h = (int) s.get(2), w = (int) s.get(3);
        int hp = h + 2, wp = w + 2, hw = h * w;
        NDArray padded = m.zeros(new Shape(n, c, hp, wp));
        padded.set(new NDIndex().addAllDim(2).addSliceDim(1, h + 1).addSliceDim(1, w + 1), y);
        // nearest source pixel, clamped into the one-pixel zero border
        NDArray src = sourcePoints(m, sampling, n, h, w).add(0.5f).floor()
                .maximum(0f).minimum(m.create(new float[] {w + 1, h + 1}, new Shape(1, 2, 1)));
        NDArray index = src.mul(m.create(new float[] {1, wp}, new Shape(1, 2, 1))).sum(new int[] {1}, true) // (N, 1, HW)
                .toType(DataType.INT64, false).broadcast(new Shape(n, c, hw));
        return padded.reshape(n, c, (long) hp * wp).gather(index, 2).reshape(n, c, h, w);
    }

    /**
     * The source point of every output pixel, (N, 2[x, y], H*W), in the coordinates of the image padded
     * by one pixel before each axis (both resamplers pad so).
     */
    private static NDArray sourcePoints(NDManager m, float[] sampling, int n, int h, int w) {
        int hw = h * w;
        float[] shifted = sampling.clone();
        for (int i = 0; i < n; i++) { // into padded coordinates
            shifted[i * 6 + 2] += 1;
            shifted[i * 6 + 5] += 1;
        }
        float[] grid = new float[3 * hw];
        for (int k = 0; k < hw; k++) {
            grid[k] = k % w;
            grid[hw + k] = k / w;
            grid[2 * hw + k] = 1;
        }
        return m.create(shifted, new Shape(n, 2, 3)).matMul(m.create(grid, new Shape(3, hw)));
    }
}
