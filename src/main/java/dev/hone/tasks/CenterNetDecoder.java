package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import dev.hone.models.CenterNetHead;

/**
 * Turns CenterNet's maps into boxes without non-maximum suppression (Zhou et al. 2019,
 * arXiv:1904.07850, section 4.1): a heatmap cell is a peak when it equals the maximum of its 3x3
 * neighbourhood (one max-pool); the {@code maxDetections} highest peaks over all classes are the
 * detections, each with the size and offset predicted at its cell.
 */
public final class CenterNetDecoder {
    /** Detections kept per image: COCO evaluation's 100. */
    public static final int MAX_DETECTIONS = 100;

    /**
     * The score from which a detection is shown: {@code hone predict}'s and the Java API's default minimum, the
     * test evaluation's operating point, and the threshold of the training metric, centre recall.
     */
    public static final double MIN_SCORE = 0.3;

    /** Floats per detection row: class, score, x1, y1, x2, y2. */
    public static final int FIELDS = 6;

    private CenterNetDecoder() {}

    /**
     * @param outputs (N, K + 4, h, w): heatmap probabilities (not logits), then width, height (cells) and
     *     offset x, y (fractions of a cell)
     * @param maxDetections detections per image; fewer when the maps have fewer cells
     * @return (N, D, 6) float32 rows {@code class, score, x1, y1, x2, y2}, corners in input pixels
     *     ({@link CenterNetHead#STRIDE} per cell), best first; D = min(maxDetections, K*h*w). A box with no area once
     *     clipped to the image (an untrained size head, a centre on the border) is no detection: its row reads class
     *     -1 and score 0, which every reader skips
     */
    public static NDArray decode(NDArray outputs, int maxDetections) {
        Shape s = outputs.getShape();
        int n = (int) s.get(0), k = (int) s.get(1) - CenterNetHead.BOX_CHANNELS, h = (int) s.get(2), w = (int) s.get(3);
        int cells = h * w;
        NDArray heat = outputs.get(new NDIndex(":, :{}", k));
        NDArray box = outputs.get(new NDIndex(":, {}:", k)).reshape(n, CenterNetHead.BOX_CHANNELS, cells);
        NDArray pooled = Pool.maxPool2d(heat, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false);
        NDArray peaks = heat.mul(heat.eq(pooled).toType(heat.getDataType(), false)).reshape(n, (long) k * cells);
        int d = Math.min(maxDetections, k * cells);
        NDList top = peaks.topK(d, 1, true, true);
        NDArray scores = top.get(0); // (N, D)
        // index arithmetic in float32: exact while K*h*w is under 2^24
        NDArray index = top.get(1).toType(DataType.FLOAT32, false);
        NDArray cls = index.div(cells).floor();
        NDArray cell = index.sub(cls.mul(cells));
        NDArray y = cell.div(w).floor();
        NDArray x = cell.sub(y.mul(w));
        NDArray at = cell.toType(DataType.INT64, false).expandDims(1).broadcast(new Shape(n, CenterNetHead.BOX_CHANNELS, d));
        NDArray picked = box.gather(at, 2); // (N, 4, D)
        float stride = CenterNetHead.STRIDE;
        NDArray bw = picked.get(new NDIndex(":, 0")).maximum(0f);
        NDArray bh = picked.get(new NDIndex(":, 1")).maximum(0f);
        NDArray cx = x.add(picked.get(new NDIndex(":, 2")));
        NDArray cy = y.add(picked.get(new NDIndex(":, 3")));
        NDArray x1 = cx.sub(bw.div(2)).mul(stride).clip(0f, w * stride);
        NDArray y1 = cy.sub(bh.div(2)).mul(stride).clip(0f, h * stride);
        NDArray x2 = cx.add(bw.div(2)).mul(stride).clip(0f, w * stride);
        NDArray y2 = cy.add(bh.div(2)).mul(stride).clip(0f, h * stride);
        NDArray area = x2.gt(x1).logicalAnd(y2.gt(y1)).toType(DataType.FLOAT32, false);
        NDArray kept = cls.add(1f).mul(area).sub(1f); // class, or -1 for a box without area
        return NDArrays.stack(new NDList(kept, scores.mul(area), x1, y1, x2, y2), 2);
    }
}
