package dev.hone.ssl;

import ai.djl.ndarray.NDArray;

/**
 * The Barlow Twins redundancy-reduction loss: drive the cross-correlation matrix of two views'
 * embeddings towards the identity.
 *
 * <p>From Zbontar et al. 2021, "Barlow Twins: Self-Supervised Learning via Redundancy Reduction",
 * arXiv:2103.03230, equation 1. Each of the D embedding dimensions is standardised over the batch,
 * then with {@code C = z1n^T z2n / N} (D x D):
 *
 * <pre>{@code
 * L = sum_i (1 - C_ii)^2  +  lambda * sum_{i != j} C_ij^2
 * }</pre>
 *
 * <p>The first term makes the views agree, the second decorrelates the dimensions so they do not
 * collapse to one. It needs no negatives and works with small batches (the paper's results hold down
 * to 256), but prefers wide embeddings (8192 in the paper). The standardisation is the paper's
 * released code, a BatchNorm without affine parameters: batch mean, biased batch variance and
 * {@value #EPS} added to it; the paper's Algorithm 1 divides by the unbiased standard deviation
 * instead, which scales C by (N - 1) / N.
 */
public final class BarlowTwins {
    /** The paper's lambda, 5e-3 (its released code uses 0.0051). */
    public static final float PAPER_LAMBDA = 5e-3f;

    /** Added to each dimension's batch variance, BatchNorm1d's default, so a constant dimension gives 0, not NaN. */
    public static final float EPS = 1e-5f;

    private BarlowTwins() {}

    /**
     * The Barlow Twins loss of one batch.
     *
     * @param z1 float32 embeddings of the first view, (N, D), row i the same image as row i of z2
     * @param z2 float32 embeddings of the second view, (N, D)
     * @param lambda the weight of the off-diagonal (redundancy) term, at least 0; see {@link #PAPER_LAMBDA}
     * @return a scalar, in {@code z1}'s manager, differentiable in both inputs
     * @throws IllegalArgumentException if the shapes differ, are not 2-D, N is below 2 (no batch
     *     variance), or lambda is negative or not finite
     */
    public static NDArray loss(NDArray z1, NDArray z2, float lambda) {
        if (!(lambda >= 0) || Float.isInfinite(lambda)) {
            throw new IllegalArgumentException("Barlow Twins lambda must be a finite number >= 0: " + lambda);
        }
        NDArray c = crossCorrelation(z1, z2);
        int d = (int) c.getShape().get(0);
        NDArray offDiagonal = c.getManager().eye(d).neg().add(1f);
        NDArray invariance = c.diagonal().neg().add(1f).square().sum();
        NDArray redundancy = c.mul(offDiagonal).square().sum();
        return invariance.add(redundancy.mul(lambda));
    }

    /**
     * The empirical cross-correlation {@code C = z1n^T z2n / N} of the batch-standardised embeddings.
     *
     * @param z1 (N, D) float32
     * @param z2 (N, D) float32
     * @return (D, D), entries in [-1, 1] up to the eps
     * @throws IllegalArgumentException if the shapes differ, are not 2-D, or N is below 2
     */
    public static NDArray crossCorrelation(NDArray z1, NDArray z2) {
        Embeddings.checkPair("Barlow Twins", z1, z2, 2);
        long n = z1.getShape().get(0);
        return standardize(z1).transpose().matMul(standardize(z2)).div(n);
    }

    /**
     * Each column of (N, D) {@code z} minus its batch mean, over the square root of its biased batch
     * variance plus {@link #EPS}.
     */
    static NDArray standardize(NDArray z) {
        NDArray centred = z.sub(z.mean(new int[] {0}, true));
        NDArray variance = centred.square().mean(new int[] {0}, true);
        return centred.div(variance.add(EPS).sqrt());
    }
}
