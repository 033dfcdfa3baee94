package dev.hone.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Brightness, contrast, saturation and hue on a batch of pixels in [0,1], one factor per image.
 *
 * <p>The formulas are torchvision's {@code ColorJitter} ones: brightness scales, contrast and
 * saturation blend with a grey image, each result clamped to [0,1] as a camera would saturate. Hue
 * is a rotation of the chroma plane in YIQ space, which keeps luma and needs one 3x3 matrix per
 * image instead of a round trip through HSV. Grey is ITU-R BT.601 luma for three channels and the
 * channel mean otherwise.
 */
final class ColourOps {
    /** ITU-R BT.601 luma weights, as in torchvision's {@code rgb_to_grayscale}. */
    static final float[] LUMA = {0.299f, 0.587f, 0.114f};
    private static final double[][] RGB_TO_YIQ = {
        {0.299, 0.587, 0.114}, {0.595716, -0.274453, -0.321263}, {0.211456, -0.522591, 0.311135}};
    private static final double[][] YIQ_TO_RGB = invert(RGB_TO_YIQ);

    private ColourOps() {}

    /** {@code p * factor}, clamped. */
    static NDArray brightness(NDArray p, float[] factor) {
        return p.mul(perImage(p.getManager(), factor)).clip(0f, 1f);
    }

    /** {@code mean + factor * (p - mean)} with the image's mean grey, clamped. */
    static NDArray contrast(NDArray p, float[] factor) {
        long n = p.getShape().get(0);
        NDArray mean = grey(p).reshape(n, -1).mean(new int[] {1}).reshape(n, 1, 1, 1); // DJL's PyTorch reduces one axis at a time
        return blend(p, mean, factor);
    }

    /** {@code grey + factor * (p - grey)} with each pixel's own grey, clamped. */
    static NDArray saturation(NDArray p, float[] factor) {
        return blend(p, grey(p), factor);
    }

    /** Rotates each image's (I, Q) chroma by its angle in radians; needs three channels. */
    static NDArray hue(NDArray p, float[] radians) {
        Shape s = p.getShape();
        int n = (int) s.get(0);
        float[] mats = new float[n * 9];
        for (int i = 0; i < n; i++) {
            double cos = Math.cos(radians[i]), sin = Math.sin(radians[i]);
            double[][] rot = {{1, 0, 0}, {0, cos, -sin}, {0, sin, cos}};
            double[][] m = multiply(YIQ_TO_RGB, multiply(rot, RGB_TO_YIQ));
            for (int r = 0; r < 3; r++) {
                for (int c = 0; c < 3; c++) {
                    mats[i * 9 + r * 3 + c] = (float) m[r][c];
                }
            }
        }
        NDArray rgb = p.getManager().create(mats, new Shape(n, 3, 3)).matMul(p.reshape(n, 3, s.get(2) * s.get(3)));
        return rgb.reshape(s).clip(0f, 1f);
    }

    /** Grey level per pixel, (N, 1, H, W). */
    static NDArray grey(NDArray p) {
        long c = p.getShape().get(1);
        if (c == 3) {
            return p.mul(p.getManager().create(LUMA, new Shape(1, 3, 1, 1))).sum(new int[] {1}, true);
        }
        return p.mean(new int[] {1}, true);
    }

    private static NDArray blend(NDArray p, NDArray towards, float[] factor) {
        return p.sub(towards).mul(perImage(p.getManager(), factor)).add(towards).clip(0f, 1f);
    }

    /** One value per image, shaped to broadcast over (N, C, H, W). */
    static NDArray perImage(NDManager m, float[] values) {
        return m.create(values, new Shape(values.length, 1, 1, 1));
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        double[][] r = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    r[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return r;
    }

    /** 3x3 inverse by cofactors. */
    static double[][] invert(double[][] a) {
        double[][] r = new double[3][3];
        double det = 0;
        for (int j = 0; j < 3; j++) {
            det += a[0][j] * cofactor(a, 0, j);
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                r[j][i] = cofactor(a, i, j) / det;
            }
        }
        return r;
    }

    private static double cofactor(double[][] a, int i, int j) {
        int r0 = (i + 1) % 3, r1 = (i + 2) % 3, c0 = (j + 1) % 3, c1 = (j + 2) % 3;
        return a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0];
    }
}
