package dev.hone.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-channel mean and standard deviation of pixel values scaled to [0,1], computed on the training
 * split only (so nothing about validation or test leaks into preprocessing) and saved with the model.
 *
 * <p>Degenerate statistics are guarded: the standard deviation is kept at least at {@code
 * max(mean, 1 - mean) / }{@value #MAX_STANDARD_SCORE}, so no pixel value lands more than that
 * many units from zero after normalisation. Natural photos (std 0.2 to 0.35) never reach the
 * floor; nearly constant or very sparse images do (one bright pixel in a black 32x32 image has a
 * std of about 0.03, which would map the pixel to about 32), and {@link #degenerate()} names them.
 */
public record Normalization(float[] mean, float[] std) {
    /** The largest magnitude a pixel value in [0,1] may take after normalisation. */
    public static final double MAX_STANDARD_SCORE = 10;

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
            // a constant or sparse channel would blow pixel values up (or divide by zero)
            std[ch] = (float) Math.max(Math.sqrt(Math.max(var, 0)) / 255.0, floor(mean[ch]));
        }
        return new Normalization(mean, std);
    }

    /** The smallest standard deviation used for a channel of this mean (fractions of the range). */
    static double floor(double mean) {
        return Math.max(mean, 1 - mean) / MAX_STANDARD_SCORE;
    }

    /**
     * What is degenerate about these statistics, one line per channel held at the floor (nearly
     * constant or very sparse images); empty when nothing is.
     */
    public List<String> degenerate() {
        List<String> notes = new ArrayList<>();
        for (int ch = 0; ch < mean.length; ch++) {
            if (std[ch] <= floor(mean[ch]) * (1 + 1e-6)) {
                notes.add(String.format("channel %d of the training images barely varies (mean %.4f of the range): its standard"
                        + " deviation is held at %.4f so that no pixel normalises beyond %.0f. Harmless where the images seldom"
                        + " use this colour; if they look blank or nearly constant, check them", ch, mean[ch], std[ch],
                        MAX_STANDARD_SCORE));
            }
        }
        return notes;
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
