package dev.hone.tasks.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * One image's true and detected boxes in the form pycocotools evaluates: class indices, {@code [x, y, w, h]}
 * boxes in pixels as doubles, the truth's area and crowd flag, the detections' scores. The detection metrics
 * read hone's flat float rows into this form ({@link #fromRows}); {@link ScoreCocoDetections} fills it from
 * COCO JSON directly, keeping the JSON's doubles and its annotation areas as pycocotools does.
 *
 * @param truthClass class index in [0, K) per true box
 * @param truthBox {@code [x, y, w, h]} per true box, pixels
 * @param truthArea the area used for the area ranges, square pixels ({@code w * h} for hone's rows)
 * @param crowd whether each true box is a crowd region (COCO {@code iscrowd}) / difficult object (VOC)
 * @param detectionClass class index in [0, K) per detection
 * @param score confidence per detection, higher is surer
 * @param detectionBox {@code [x, y, w, h]} per detection, pixels
 */
record ImageBoxes(int[] truthClass, double[][] truthBox, double[] truthArea, boolean[] crowd, int[] detectionClass,
        double[] score, double[][] detectionBox) {
    /** Floats per truth row: class, x1, y1, x2, y2, ignore. */
    static final int TRUTH_ROW = 6;
    /** Floats per detection row: class, score, x1, y1, x2, y2. */
    static final int DETECTION_ROW = 6;

    /**
     * Reads hone's per-image rows, skipping padding: truth rows with class < 0, detection rows with class < 0 or
     * score <= 0.
     *
     * @throws IllegalArgumentException if the image counts differ, an array is not whole rows, a class is not an
     *     integer in [0, K), a coordinate is not finite or a score is NaN or infinite
     */
    static List<ImageBoxes> fromRows(float[][] truths, float[][] detections, int classes) {
        if (truths == null || detections == null) {
            throw new IllegalArgumentException("truths and detections must not be null");
        }
        if (truths.length != detections.length) {
            throw new IllegalArgumentException(truths.length + " images of truths but " + detections.length
                    + " of detections; pass one (possibly empty) array per image for both");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("classes is " + classes + "; a detector has at least one class");
        }
        List<ImageBoxes> out = new ArrayList<>(truths.length);
        for (int i = 0; i < truths.length; i++) {
            out.add(fromRows(i, truths[i] == null ? new float[0] : truths[i],
                    detections[i] == null ? new float[0] : detections[i], classes));
        }
        return out;
    }

    private static ImageBoxes fromRows(int image, float[] t, float[] d, int classes) {
        wholeRows("truths", image, t, TRUTH_ROW, "class, x1, y1, x2, y2, ignore");
        wholeRows("detections", image, d, DETECTION_ROW, "class, score, x1, y1, x2, y2");
        int g = 0;
        for (int r = 0; r < t.length; r += TRUTH_ROW) {
            g += t[r] < 0 ? 0 : 1;
        }
        int n = 0;
        for (int r = 0; r < d.length; r += DETECTION_ROW) {
            if (Float.isNaN(d[r + 1]) || Float.isInfinite(d[r + 1])) {
                throw new IllegalArgumentException("detection " + r / DETECTION_ROW + " of image " + image
                        + " has score " + d[r + 1] + "; scores must be finite: check the model output for NaN");
            }
            n += d[r] < 0 || d[r + 1] <= 0 ? 0 : 1;
        }
        int[] tc = new int[g];
        double[][] tb = new double[g][];
        double[] ta = new double[g];
        boolean[] crowd = new boolean[g];
        int j = 0;
        for (int r = 0; r < t.length; r += TRUTH_ROW) {
            if (t[r] < 0) {
                continue;
            }
            tc[j] = classOf("truth", image, r / TRUTH_ROW, t[r], classes);
            tb[j] = box("truth", image, r / TRUTH_ROW, t, r + 1);
            ta[j] = tb[j][2] * tb[j][3];
            crowd[j] = t[r + 5] != 0;
            j++;
        }
        int[] dc = new int[n];
        double[] ds = new double[n];
        double[][] db = new double[n][];
        j = 0;
        for (int r = 0; r < d.length; r += DETECTION_ROW) {
            if (d[r] < 0 || d[r + 1] <= 0) {
                continue;
            }
            dc[j] = classOf("detection", image, r / DETECTION_ROW, d[r], classes);
            ds[j] = d[r + 1];
            db[j] = box("detection", image, r / DETECTION_ROW, d, r + 2);
            j++;
        }
        return new ImageBoxes(tc, tb, ta, crowd, dc, ds, db);
    }

    private static void wholeRows(String what, int image, float[] rows, int width, String layout) {
        if (rows.length % width != 0) {
            throw new IllegalArgumentException(what + " of image " + image + " has " + rows.length
                    + " floats, not a whole number of rows of " + width + " (" + layout + ")");
        }
    }

    private static int classOf(String what, int image, int row, float value, int classes) {
        int c = (int) value;
        if (c != value || c >= classes) {
            throw new IllegalArgumentException(what + " " + row + " of image " + image + " has class " + value
                    + "; classes are integers in [0, " + classes + ") and a negative class marks padding");
        }
        return c;
    }

    /** {@code [x, y, w, h]} from the corners at {@code rows[at..at+3]}; w and h are exact differences. */
    private static double[] box(String what, int image, int row, float[] rows, int at) {
        for (int q = at; q < at + 4; q++) {
            if (!Float.isFinite(rows[q])) {
                throw new IllegalArgumentException(what + " " + row + " of image " + image + " has coordinate "
                        + rows[q] + "; box corners must be finite pixels");
            }
        }
        double x1 = rows[at];
        double y1 = rows[at + 1];
        return new double[] {x1, y1, rows[at + 2] - x1, rows[at + 3] - y1};
    }

    int truths() {
        return truthClass.length;
    }

    int detections() {
        return detectionClass.length;
    }
}
