package dev.hone.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** Shape checks shared by the two-view losses, so each names the method and what was wrong. */
final class Embeddings {
    private Embeddings() {}

    /**
     * Checks that {@code z1} and {@code z2} are both (N, D) with at least {@code minRows} rows.
     *
     * @throws IllegalArgumentException naming {@code method} when they are not
     */
    static void checkPair(String method, NDArray z1, NDArray z2, int minRows) {
        Shape a = z1.getShape();
        Shape b = z2.getShape();
        if (a.dimension() != 2 || !a.equals(b)) {
            throw new IllegalArgumentException(method + " needs two (N, D) embeddings of one shape, one row per image"
                    + " and view; got " + a + " and " + b + " (flatten features before the projection head)");
        }
        if (a.get(0) < minRows || a.get(1) < 1) {
            throw new IllegalArgumentException(method + " needs at least " + minRows + " rows and 1 column, got " + a);
        }
    }
}
