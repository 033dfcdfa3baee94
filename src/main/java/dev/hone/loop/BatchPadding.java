package dev.hone.loop;

import ai.djl.ndarray.NDArray;

/**
 * Inference batches of one image are padded to two before a forward pass, and the copy's output dropped after it.
 *
 * <p>Why: libtorch (2.7, CPU) picks oneDNN for a convolution when the batch holds more than one image, or the
 * kernel is larger than 3x3, or the input is large (more than 20,480 values); a one-image batch through a small
 * 3x3 convolution (a grey 28x28 image's first layer) falls to its other backends, and asks NNPACK first. On a CPU that
 * NNPACK does not support, every such call logs {@code Could not initialize NNPACK! Reason: Unsupported hardware.} on
 * standard error, so {@code hone predict} on one image printed it once per convolution. The padded batch costs one
 * image's extra forward pass; in inference mode (BatchNorm on its running statistics, no dropout) the padded image's
 * output is the same as alone.
 */
public final class BatchPadding {
    private BatchPadding() {}

    /**
     * {@code images} with its one image repeated when it holds only one; otherwise {@code images} itself.
     *
     * @param images (N, ...), N at least 1
     * @return (max(N, 2), ...)
     */
    public static NDArray atLeastTwo(NDArray images) {
        return images.getShape().get(0) == 1 ? images.repeat(0, 2) : images;
    }

    /**
     * The first {@code rows} rows of {@code output} along its first axis: a forward pass's output for the images
     * before {@link #atLeastTwo} padded them; {@code output} itself when it has no more rows.
     *
     * @param output (M, ...)
     * @param rows how many rows the caller's batch had, at most M
     * @return (rows, ...)
     */
    public static NDArray firstRows(NDArray output, long rows) {
        return output.getShape().get(0) > rows ? output.get("0:" + rows) : output;
    }
}
