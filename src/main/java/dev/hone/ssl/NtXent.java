package dev.hone.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * SimCLR's contrastive loss, the normalized temperature-scaled cross-entropy (NT-Xent).
 *
 * <p>From Chen et al. 2020, "A Simple Framework for Contrastive Learning of Visual Representations",
 * arXiv:2002.05709, section 2.1, equation 1. Two augmented views of each of N images give 2N
 * projections; each is an anchor whose positive is the other view of its image and whose negatives
 * are the other 2N - 2 projections of the batch. With {@code z} the L2-normalised projections,
 * {@code s_ij = z_i . z_j / tau} and {@code p(i)} the other view of anchor i:
 *
 * <pre>{@code
 * l_i = -log( exp(s_i,p(i)) / sum_{k != i} exp(s_ik) )        L = (1 / 2N) sum_i l_i
 * }</pre>
 *
 * <p>Larger batches give more negatives and help (the paper trains with 4096). The paper found
 * 0.1 best on ImageNet (Table 5) and 0.5 on CIFAR-10 (Appendix B.9), the small-data setting closer to
 * hone's, hence {@link #PAPER_TEMPERATURE}. The loss is unchanged by scaling either input by a
 * positive constant, since only directions enter.
 */
public final class NtXent {
    /** The temperature of the paper's CIFAR-10 runs (Appendix B.9); its ImageNet runs used 0.1. */
    public static final float PAPER_TEMPERATURE = 0.5f;

    /** F.normalize's floor on a norm, so an all-zero projection gives zeros, not NaN. */
    static final double NORM_EPS = 1e-12;

    /**
     * Added, negated, to an anchor's similarity with itself: exp underflows to exactly 0, and being
     * finite it never meets a 0 weight as {@code -inf * 0 = NaN}.
     */
    private static final float SELF_MASK = 1e9f;

    private NtXent() {}

    /**
     * The mean NT-Xent over all 2N anchors.
     *
     * @param z1 float32 projections of the first view, (N, D), row i the same image as row i of z2
     * @param z2 float32 projections of the second view, (N, D)
     * @param temperature tau, above 0
     * @return a scalar, in {@code z1}'s manager, differentiable in both inputs
     * @throws IllegalArgumentException if the shapes differ, are not 2-D, N is 0, or tau is not above 0
     */
    public static NDArray loss(NDArray z1, NDArray z2, float temperature) {
        Embeddings.checkPair("NT-Xent", z1, z2, 1);
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("NT-Xent temperature must be a finite number above 0: " + temperature);
        }
        int n = (int) z1.getShape().get(0);
        NDManager manager = z1.getManager();
        NDArray z = z1.concat(z2, 0).normalize(2, 1, NORM_EPS);
        NDArray similarities = z.matMul(z.transpose()).div(temperature).sub(manager.eye(2 * n).mul(SELF_MASK));
        long[] other = new long[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            other[i] = (i + n) % (2 * n);
        }
        NDArray positives = manager.create(other).oneHot(2 * n);
        return similarities.logSoftmax(1).mul(positives).sum().div(-2f * n);
    }
}
