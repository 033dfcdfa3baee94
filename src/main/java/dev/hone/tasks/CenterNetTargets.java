package dev.hone.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageSet;

/**
 * CenterNet's training targets for a batch of boxes (Zhou et al. 2019, arXiv:1904.07850, section 3),
 * built in Java from the few box rows and sent to the device as dense maps.
 *
 * <ul>
 *   <li>{@code heatmap} (N, K, h, w): for each box, a Gaussian splat at its centre cell on its class's
 *       map, with the size-adaptive standard deviation of CornerNet (Law and Deng 2018,
 *       arXiv:1808.01244): radius r such that a box whose corners move by up to r cells keeps IoU at
 *       least {@value #MIN_OVERLAP} with the truth, sigma = (2r + 1) / 6; overlapping splats of one class
 *       keep the maximum. Exactly 1 at each centre cell, the focal loss's positives.
 *   <li>{@code regression} (N, 4, h, w): at each centre cell, the box's width and height in cells
 *       (units of the stride) and the centre's offset from the cell's top-left corner, in [0, 1).
 *   <li>{@code centres} (N, 1, h, w): 1 at each centre cell, where the size and offset losses count.
 * </ul>
 *
 * <p>Boxes with the ignore flag (COCO crowd regions, VOC difficult objects) and padding rows (class
 * below 0) are left out. When two boxes share a centre cell the later one's size and offset win.
 *
 * @param heatmap (N, K, h, w) float32
 * @param regression (N, 4, h, w) float32
 * @param centres (N, 1, h, w) float32
 * @param objects the boxes splatted in each image (N)
 */
public record CenterNetTargets(NDArray heatmap, NDArray regression, NDArray centres, int[] objects) {
    /** The IoU a box moved within the Gaussian's radius keeps, CornerNet's and CenterNet's 0.7. */
    public static final double MIN_OVERLAP = 0.7;

    /**
     * @param boxes (N, B, 6) rows {@code class, x1, y1, x2, y2, ignore} in input pixels, class -1 for padding
     * @param classes K
     * @param height h, the output map's height in cells
     * @param width w, the output map's width in cells
     * @param stride input pixels per cell
     * @param manager owns the returned arrays
     */
    public static CenterNetTargets of(NDArray boxes, int classes, int height, int width, int stride, NDManager manager) {
        Shape s = boxes.getShape();
        int n = (int) s.get(0);
        int b = (int) s.get(1);
        float[] rows = b == 0 ? new float[0] : boxes.toFloatArray();
        int cells = height * width;
        float[] heat = new float[n * classes * cells];
        float[] reg = new float[n * 4 * cells];
        float[] centre = new float[n * cells];
        int[] objects = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < b; j++) {
                int r = (i * b + j) * ImageSet.BOX_FIELDS;
                int c = (int) rows[r];
                if (c < 0 || c >= classes || rows[r + 5] != 0) {
                    continue;
                }
                float x1 = rows[r + 1] / stride, y1 = rows[r + 2] / stride, x2 = rows[r + 3] / stride, y2 = rows[r + 4] / stride;
                float bw = x2 - x1, bh = y2 - y1;
                if (bw <= 0 || bh <= 0) {
                    continue;
                }
                float cx = (x1 + x2) / 2, cy = (y1 + y2) / 2;
                int px = Math.min(width - 1, Math.max(0, (int) Math.floor(cx)));
                int py = Math.min(height - 1, Math.max(0, (int) Math.floor(cy)));
                int radius = Math.max(0, (int) gaussianRadius(bh, bw, MIN_OVERLAP));
                splat(heat, (i * classes + c) * cells, width, height, px, py, radius);
                int at = py * width + px;
                reg[(i * 4) * cells + at] = bw;
                reg[(i * 4 + 1) * cells + at] = bh;
                reg[(i * 4 + 2) * cells + at] = cx - px;
                reg[(i * 4 + 3) * cells + at] = cy - py;
                centre[i * cells + at] = 1;
                objects[i]++;
            }
        }
        return new CenterNetTargets(manager.create(heat, new Shape(n, classes, height, width)),
                manager.create(reg, new Shape(n, 4, height, width)), manager.create(centre, new Shape(n, 1, height, width)), objects);
    }

    /** All objects of the batch. */
    public int total() {
        int t = 0;
        for (int o : objects) {
            t += o;
        }
        return t;
    }

    /**
     * The Gaussian's radius, in cells, for a box of {@code height} x {@code width} cells, as CenterNet's
     * released code computes CornerNet's radius: for each of the three ways the corners can move (one in
     * and one out, both in, both out) the quadratic {@code a r^2 + b r + c = 0} whose root keeps IoU at
     * exactly {@code overlap}, solved as {@code (-b + sqrt(b^2 - 4ac)) / 2} (over 2, not 2a), and the
     * smallest of the three. The exact roots would be 2 to 3 times smaller (0.57 cells rather than 1.9
     * for a 7x7-cell box), leaving most objects a single positive cell with no penalty-reduced
     * neighbours; the paper's results, and its loss weights, were obtained with these radii.
     */
    static double gaussianRadius(double height, double width, double overlap) {
        double sum = height + width, area = height * width;
        double r1 = released(1, -sum, area * (1 - overlap) / (1 + overlap), true);
        double r2 = released(4, -2 * sum, (1 - overlap) * area, true);
        double r3 = released(4 * overlap, -2 * overlap * sum, (overlap - 1) * area, false);
        return Math.min(r1, Math.min(r2, r3));
    }

    /** {@code (|b| + sqrt(b^2 - 4ac)) / 2} for the shrinking cases, {@code (b + sqrt(b^2 - 4ac)) / 2} for the growing one. */
    private static double released(double a, double b, double c, boolean shrinking) {
        double d = Math.sqrt(Math.max(0, b * b - 4 * a * c));
        return ((shrinking ? -b : b) + d) / 2;
    }

    /** Writes max(existing, exp(-d^2 / (2 sigma^2))) around (px, py), sigma = (2r + 1) / 6. */
    private static void splat(float[] heat, int offset, int width, int height, int px, int py, int radius) {
        double sigma = (2 * radius + 1) / 6.0;
        for (int y = Math.max(0, py - radius); y <= Math.min(height - 1, py + radius); y++) {
            for (int x = Math.max(0, px - radius); x <= Math.min(width - 1, px + radius); x++) {
                int dx = x - px, dy = y - py;
                float g = (float) Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
                int at = offset + y * width + x;
                heat[at] = Math.max(heat[at], g);
            }
        }
    }
}
