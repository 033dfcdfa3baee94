package dev.hone.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.SplittableRandom;

/** Gaussian noise, blur and erasing on a batch of pixels in [0,1], with per-image strengths. */
final class NoiseOps {
    /**
     * Sizes of the two noise tables: distinct primes, so that (k mod T1, k mod T2) never repeats
     * within an image of fewer than T1*T2 (16.8 million) values.
     */
    static final int TABLE_1 = 4093;
    static final int TABLE_2 = 4099;

    private NoiseOps() {}

    /**
     * Adds Gaussian noise with standard deviation {@code sigma[i]} to image i, clamped to [0,1].
     *
     * <p>The engine's generator cannot be seeded without reseeding it for everything else (dropout,
     * other techniques), and drawing every pixel's noise in Java would move the work off the GPU. So
     * Java draws two small tables of standard normals, standardised to mean 0 and variance 1, and the
     * engine reads value k of image i as {@code (t1[(a_i + k s_i) mod T1] + t2[(b_i + k r_i) mod T2]) / sqrt 2}
     * with random offsets and strides per image. Each value is the mean of two independent normals,
     * so it is normal with the same variance; within an image no two values share both entries.
     * Two images may reuse a table entry at unrelated pixels, which is harmless for augmentation.
     */
    static NDArray gaussian(NDArray p, float[] sigma, long seed) {
        NDManager m = p.getManager();
        Shape s = p.getShape();
        int n = (int) s.get(0);
        long size = s.size() / n;
        SplittableRandom r = new SplittableRandom(seed);
        NDArray noise = lookup(m, r, TABLE_1, n, size).add(lookup(m, r, TABLE_2, n, size)); // (N, C*H*W)
        float[] scale = new float[n];
        for (int i = 0; i < n; i++) {
            scale[i] = (float) (sigma[i] / Math.sqrt(2));
        }
        return noise.mul(m.create(scale, new Shape(n, 1))).reshape(s).add(p).clip(0f, 1f);
    }

    /** Draws a table and per-image offsets and strides, and reads {@code size} values per image from it. */
    private static NDArray lookup(NDManager m, SplittableRandom r, int tableSize, int n, long size) {
        long[] offset = new long[n];
        long[] stride = new long[n];
        for (int i = 0; i < n; i++) {
            offset[i] = r.nextInt(tableSize);
            stride[i] = 1 + r.nextInt(tableSize - 1); // coprime with the prime table size: a permutation
        }
        NDArray k = m.arange(0, (int) size, 1, DataType.INT64).reshape(1, size);
        NDArray index = k.mul(m.create(stride, new Shape(n, 1))).add(m.create(offset, new Shape(n, 1))).mod(tableSize);
        return m.create(standardNormals(r, tableSize)).take(m, index);
    }

    /** {@code size} normal draws shifted and scaled to exactly mean 0 and variance 1. */
    static float[] standardNormals(SplittableRandom r, int size) {
        double[] t = new double[size];
        double mean = 0;
        for (int i = 0; i < size; i++) {
            t[i] = r.nextGaussian();
            mean += t[i] / size;
        }
        double var = 0;
        for (double v : t) {
            var += (v - mean) * (v - mean) / size;
        }
        float[] f = new float[size];
        for (int i = 0; i < size; i++) {
            f[i] = (float) ((t[i] - mean) / Math.sqrt(var));
        }
        return f;
    }

    /**
     * Blends image i towards a blurred copy with weight {@code weight[i]}. The blur is a binomial
     * (discrete Gaussian) kernel, 3x3 below 64 pixels a side and 5x5 above, run depthwise; at the
     * border it averages only the pixels inside the image, so a constant image stays constant.
     */
    static NDArray blur(NDArray p, float[] weight) {
        NDManager m = p.getManager();
        Shape s = p.getShape();
        int c = (int) s.get(1);
        float[] row = Math.min(s.get(2), s.get(3)) < 64 ? new float[] {1, 2, 1} : new float[] {1, 4, 6, 4, 1};
        int k = row.length;
        float total = 0;
        for (float v : row) {
            total += v;
        }
        float[] kernel = new float[c * k * k];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < k; y++) {
                for (int x = 0; x < k; x++) {
                    kernel[(ch * k + y) * k + x] = row[y] * row[x] / (total * total);
                }
            }
        }
        NDArray weights = m.create(kernel, new Shape(c, 1, k, k));
        Shape pad = new Shape(k / 2, k / 2);
        Shape one = new Shape(1, 1);
        NDArray summed = Conv2d.conv2d(p, weights, null, one, pad, one, c).singletonOrThrow();
        int h = (int) s.get(2), w = (int) s.get(3);
        NDArray blurred = summed.div(m.create(kernelMass(row, total, h, w), new Shape(1, 1, h, w)));
        return blurred.sub(p).mul(ColourOps.perImage(m, weight)).add(p);
    }

    /**
     * The kernel's weight that falls inside an {@code h x w} image at each pixel, row-major: 1 inside, less near the
     * border, where the zero padding takes the rest. The kernel is separable, so this is the outer product of the
     * two axes' sums. Computed here, not by convolving a single image of ones: a one-image, one-channel convolution
     * falls outside oneDNN, and on CPUs where NNPACK cannot start libtorch then logs a warning on every call.
     */
    static float[] kernelMass(float[] row, float total, int h, int w) {
        float[] down = axisMass(row, total, h), across = axisMass(row, total, w);
        float[] mass = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                mass[y * w + x] = down[y] * across[x];
            }
        }
        return mass;
    }

    private static float[] axisMass(float[] row, float total, int n) {
        int half = row.length / 2;
        float[] mass = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < row.length; j++) {
                int at = i + j - half;
                if (at >= 0 && at < n) {
                    mass[i] += row[j] / total;
                }
            }
        }
        return mass;
    }

    /**
     * Sets the rectangle {@code rows x cols} of each image to {@code fill} (one value per channel).
     *
     * @param rows N x H, 1 where a row is inside image i's rectangle, else 0
     * @param cols N x W, likewise for columns
     */
    static NDArray erase(NDArray p, float[] rows, float[] cols, float[] fill) {
        NDManager m = p.getManager();
        Shape s = p.getShape();
        long n = s.get(0);
        NDArray mask = m.create(rows, new Shape(n, 1, s.get(2), 1)).mul(m.create(cols, new Shape(n, 1, 1, s.get(3))));
        NDArray keep = m.create(1f).sub(mask);
        // p * 0 + fill * 1 is exactly fill, so an erased pixel renormalises to exactly 0
        return p.mul(keep).add(mask.mul(m.create(fill, new Shape(1, fill.length, 1, 1))));
    }
}
