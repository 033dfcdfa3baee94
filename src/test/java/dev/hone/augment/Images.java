package dev.hone.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.Normalization;
import java.util.Random;

/** Tiny batches for augmentation tests, with Java-side indexing for reference formulas. */
final class Images {
    static final Normalization GREY = new Normalization(new float[] {0.3f}, new float[] {0.25f});
    static final Normalization RGB = new Normalization(new float[] {0.5f, 0.4f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f});

    private Images() {}

    /** Random pixels in (0.05, 0.95) so that no clamp or exact mean is hit by chance. */
    static float[] pixels(int n, int c, int h, int w, long seed) {
        Random r = new Random(seed);
        float[] p = new float[n * c * h * w];
        for (int i = 0; i < p.length; i++) {
            p[i] = 0.05f + 0.9f * r.nextFloat();
        }
        return p;
    }

    /** The normalised batch of pixel values {@code p}. */
    static NDArray normalised(NDManager m, float[] p, Normalization norm, int n, int h, int w) {
        int c = norm.mean().length;
        float[] x = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            int ch = (i / (h * w)) % c;
            x[i] = (p[i] - norm.mean()[ch]) / norm.std()[ch];
        }
        return m.create(x, new Shape(n, c, h, w));
    }

    /** Pixel values of a normalised array. */
    static float[] pixelsOf(NDArray x, Normalization norm) {
        Shape s = x.getShape();
        int c = (int) s.get(1);
        long plane = s.get(2) * s.get(3);
        float[] v = x.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            int ch = (int) ((i / plane) % c);
            v[i] = v[i] * norm.std()[ch] + norm.mean()[ch];
        }
        return v;
    }

    /** Value at (n, c, y, x) of a flat NCHW array. */
    static float at(float[] v, int c, int h, int w, int n, int ch, int y, int x) {
        return v[((n * c + ch) * h + y) * w + x];
    }

    /** One image's values, NCHW sample {@code n}. */
    static float[] sample(float[] v, int n, int size) {
        float[] s = new float[size];
        System.arraycopy(v, n * size, s, 0, size);
        return s;
    }
}
