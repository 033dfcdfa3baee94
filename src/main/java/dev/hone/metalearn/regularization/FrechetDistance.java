package dev.hone.metalearn.regularization;

/**
 * The simplified Frechet distance between two sets of feature vectors: each set is summarised by
 * its mean and a diagonal covariance, so the distance is
 * {@code |mu1 - mu2|^2 + sum(var1 + var2 - 2 sqrt(var1 var2))}.
 *
 * <p>The full Frechet (FID) distance needs a matrix square root of the covariance product; the
 * Masterful paper simplifies it to diagonal covariances, which costs O(d) and is stable on a few
 * hundred images, where a full d x d covariance would be singular. It measures how far a
 * (transform, magnitude) pair moves images away from the data the model has seen.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** The distance between two summaries of equal dimension. */
    public static double diagonal(double[] mean1, double[] var1, double[] mean2, double[] var2) {
        int d = mean1.length;
        if (var1.length != d || mean2.length != d || var2.length != d) {
            throw new IllegalArgumentException("feature dimensions differ: " + d + ", " + var1.length + ", " + mean2.length + ", " + var2.length);
        }
        double sum = 0;
        for (int i = 0; i < d; i++) {
            double dm = mean1[i] - mean2[i];
            sum += dm * dm + var1[i] + var2[i] - 2 * Math.sqrt(Math.max(0, var1[i]) * Math.max(0, var2[i]));
        }
        return sum;
    }

    /** The distance between two sets of feature rows ({@code n x d} and {@code m x d}). */
    public static double between(float[][] a, float[][] b) {
        Summary sa = Summary.of(a);
        Summary sb = Summary.of(b);
        return diagonal(sa.mean, sa.variance, sb.mean, sb.variance);
    }

    /** Per-dimension mean and (population) variance of feature rows. */
    public record Summary(double[] mean, double[] variance) {
        public static Summary of(float[][] rows) {
            if (rows.length == 0) {
                throw new IllegalArgumentException("no feature rows");
            }
            int d = rows[0].length;
            double[] mean = new double[d];
            double[] m2 = new double[d];
            for (float[] row : rows) {
                for (int i = 0; i < d; i++) {
                    mean[i] += row[i];
                }
            }
            for (int i = 0; i < d; i++) {
                mean[i] /= rows.length;
            }
            for (float[] row : rows) {
                for (int i = 0; i < d; i++) {
                    double dx = row[i] - mean[i];
                    m2[i] += dx * dx;
                }
            }
            for (int i = 0; i < d; i++) {
                m2[i] /= rows.length;
            }
            return new Summary(mean, m2);
        }
    }
}
