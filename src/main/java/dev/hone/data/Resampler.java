package dev.hone.data;

/**
 * Resizes one image plane: area averaging when shrinking, bilinear when enlarging.
 *
 * <p>Area averaging (each output pixel is the mean of the source area it covers) does not alias when
 * shrinking by large factors, which plain bilinear does; bilinear with half-pixel centres matches
 * what PIL and OpenCV do when enlarging. Each axis picks its method on its own and the two passes are
 * separable, so the cost is linear in the pixel count. Pure maths: no ImageIO, no DJL.
 */
public final class Resampler {

    private Resampler() {}

    /**
     * Resizes a row-major plane of {@code sh x sw} values to {@code dh x dw}.
     *
     * @return a new array, or {@code src} itself when the size is unchanged
     */
    public static float[] resize(float[] src, int sh, int sw, int dh, int dw) {
        if (sh == dh && sw == dw) {
            return src;
        }
        Taps tx = Taps.of(sw, dw);
        Taps ty = Taps.of(sh, dh);
        float[] rows = new float[sh * dw];
        for (int y = 0; y < sh; y++) {
            int in = y * sw;
            int out = y * dw;
            for (int x = 0; x < dw; x++) {
                float[] w = tx.weights[x];
                int first = tx.first[x];
                float sum = 0;
                for (int k = 0; k < w.length; k++) {
                    sum += w[k] * src[in + first + k];
                }
                rows[out + x] = sum;
            }
        }
        float[] dst = new float[dh * dw];
        for (int y = 0; y < dh; y++) {
            float[] w = ty.weights[y];
            int first = ty.first[y];
            int out = y * dw;
            for (int k = 0; k < w.length; k++) {
                int in = (first + k) * dw;
                float wk = w[k];
                for (int x = 0; x < dw; x++) {
                    dst[out + x] += wk * rows[in + x];
                }
            }
        }
        return dst;
    }

    /** For each output index along one axis: the first source index it reads and the weights of its taps. */
    private record Taps(int[] first, float[][] weights) {

        static Taps of(int srcLen, int dstLen) {
            int[] first = new int[dstLen];
            float[][] weights = new float[dstLen][];
            double scale = (double) srcLen / dstLen;
            for (int o = 0; o < dstLen; o++) {
                if (dstLen < srcLen) {
                    area(o, scale, srcLen, first, weights);
                } else {
                    bilinear(o, scale, srcLen, first, weights);
                }
            }
            return new Taps(first, weights);
        }

        private static void area(int o, double scale, int srcLen, int[] first, float[][] weights) {
            double lo = o * scale;
            double hi = Math.min(srcLen, (o + 1) * scale);
            int a = (int) Math.floor(lo);
            int b = Math.min(srcLen, (int) Math.ceil(hi));
            float[] w = new float[b - a];
            for (int i = a; i < b; i++) {
                double overlap = Math.min(hi, i + 1) - Math.max(lo, i);
                w[i - a] = (float) (overlap / (hi - lo));
            }
            first[o] = a;
            weights[o] = w;
        }

        private static void bilinear(int o, double scale, int srcLen, int[] first, float[][] weights) {
            double c = (o + 0.5) * scale - 0.5;
            int i0 = (int) Math.floor(c);
            float f = (float) (c - i0);
            if (i0 < 0) {
                i0 = 0;
                f = 0;
            }
            if (i0 >= srcLen - 1) {
                first[o] = srcLen - 1;
                weights[o] = new float[] {1f};
                return;
            }
            first[o] = i0;
            weights[o] = new float[] {1f - f, f};
        }
    }
}
