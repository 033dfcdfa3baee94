package dev.hone.optimize;

import ai.djl.ndarray.NDArray;

/** Layer norms for the trust-ratio optimizers ({@link Lamb}, {@link Lars}). */
final class Norms {
    private Norms() {}

    /**
     * The L2 (Frobenius) norm over every element of {@code a}, i.e. over the whole layer, which is
     * what "layer-wise" means in LARS and LAMB. Computed as {@code sqrt(sum(a^2))} rather than with
     * {@code norm()} so a matrix never gets a spectral norm. Reads one scalar back to the host.
     */
    static double l2(NDArray a) {
        try (NDArray squares = a.square();
                NDArray sum = squares.sum()) {
            return Math.sqrt(sum.getFloat());
        }
    }
}
