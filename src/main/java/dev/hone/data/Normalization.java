package dev.hone.data;

import java.util.Arrays;

/**
 * Per-channel mean and standard deviation of pixel values scaled to [0,1], computed on the training
 * split only (so nothing about validation or test leaks into preprocessing) and saved with the model.
 */
public record Normalization(float[] mean, float[] std) {

    public static Normalization of(ImageSet set) {
        int c = set.channels();
        int plane = set.height() * set.width();
        double[] sum = new double[c];
        double[] sumSq = new double[c];
        byte[] px = set.pixels();
        for (int i = 0; i < set.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                long s = 0;
                long s2 = 0;
                for (int k = 0; k < plane; k++) {
                    int v = px[base + k] & 0xff;
                    s += v;
                    s2 += (long) v * v;
                }
                sum[ch] += s;
                sumSq[ch] += s2;
            }
        }
        double n = (double) set.size() * plane;
        float[] mean = new float[c];
        float[] std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            double var = sumSq[ch] / n - m * m;
            mean[ch] = (float) (m / 255.0);
            // a constant channel would divide by zero; 1/255 keeps it finite and harmless
            std[ch] = (float) Math.max(Math.sqrt(Math.max(var, 0)) / 255.0, 1.0 / 255.0);
        }
        return new Normalization(mean, std);
    }

    @Override
    public String toString() {
        return "mean=" + Arrays.toString(mean) + " std=" + Arrays.toString(std);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }
}
