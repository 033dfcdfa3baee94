package dev.hone.tasks.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * pycocotools' {@code COCOeval} for boxes ({@code iouType='bbox'}, default {@code Params}), step by step:
 * {@code computeIoU} and {@code evaluateImg} per image and class, then {@code accumulate} per class, area range
 * and detection cap. Comments name the pycocotools (2.0.x, {@code cocoeval.py}, {@code maskApi.c bbIou}) step
 * each part follows. The one deliberate difference: pycocotools marks a match by storing the annotation id and
 * tests it for non-zero, so a truth with id 0 never counts as matched; here a match is a flag.
 */
final class CocoEvaluation {
    /** {@code iouThrs}: 0.50:0.05:0.95, the doubles of {@code np.linspace(.5, .95, 10)}. */
    static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
    /** {@code recThrs}: 0:0.01:1, the doubles of {@code np.linspace(0, 1, 101)}. */
    static final double[] RECALL_THRESHOLDS = linspace(0, 1, 101);
    /** {@code maxDets}. */
    static final int[] MAX_DETECTIONS = {1, 10, 100};
    /** {@code areaRng}: all, small, medium, large, square pixels, both ends inclusive. */
    static final double[][] AREA_RANGES = {{0, 1e10}, {0, 32 * 32}, {32 * 32, 96 * 96}, {96 * 96, 1e10}};
    static final int ALL = 0;
    static final int SMALL = 1;
    static final int MEDIUM = 2;
    static final int LARGE = 3;
    /** {@code np.spacing(1)}, added to the precision's denominator. */
    private static final double EPS = Math.ulp(1.0);

    /** Per class: {@code precision[a][m][t][r]} and {@code recall[a][m][t]}, -1 where undefined. */
    record ClassResult(double[][][][] precision, double[][][] recall, int truths, int crowds, int detections) {}

    private CocoEvaluation() {}

    /** {@code np.linspace(start, stop, num)}: {@code i * ((stop - start) / (num - 1)) + start}, last = stop. */
    static double[] linspace(double start, double stop, int num) {
        double step = (stop - start) / (num - 1);
        double[] y = new double[num];
        for (int i = 0; i < num; i++) {
            y[i] = i * step + start;
        }
        y[num - 1] = stop;
        return y;
    }

    static List<ClassResult> evaluate(List<ImageBoxes> images, int classes) {
        int n = images.size();
        int[][][] truthsOf = new int[n][][];
        int[][][] detectionsOf = new int[n][][];
        for (int i = 0; i < n; i++) {
            truthsOf[i] = group(images.get(i).truthClass(), classes);
            detectionsOf[i] = group(images.get(i).detectionClass(), classes);
        }
        List<ClassResult> out = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            // evaluateImg for every image and area range; null where the image has neither truth nor detection
            ImageEval[][] e = new ImageEval[AREA_RANGES.length][n];
            int truths = 0;
            int crowds = 0;
            int dets = 0;
            for (int i = 0; i < n; i++) {
                ImageBoxes im = images.get(i);
                int[] g = truthsOf[i][k];
                int[] d = detectionsOf[i][k];
                dets += d.length;
                for (int gi : g) {
                    if (im.crowd()[gi]) {
                        crowds++;
                    } else {
                        truths++;
                    }
                }
                if (g.length == 0 && d.length == 0) {
                    continue;
                }
                int[] sorted = byScore(im, d);
                double[][] iou = iou(im, sorted, g);
                for (int a = 0; a < AREA_RANGES.length; a++) {
                    e[a][i] = evaluateImage(im, sorted, g, iou, AREA_RANGES[a]);
                }
            }
            double[][][][] precision = new double[AREA_RANGES.length][MAX_DETECTIONS.length][][];
            double[][][] recall = new double[AREA_RANGES.length][MAX_DETECTIONS.length][];
            for (int a = 0; a < AREA_RANGES.length; a++) {
                for (int m = 0; m < MAX_DETECTIONS.length; m++) {
                    precision[a][m] = new double[IOU_THRESHOLDS.length][RECALL_THRESHOLDS.length];
                    recall[a][m] = new double[IOU_THRESHOLDS.length];
                    for (double[] p : precision[a][m]) {
                        Arrays.fill(p, -1);
                    }
                    Arrays.fill(recall[a][m], -1);
                    accumulate(e[a], MAX_DETECTIONS[m], precision[a][m], recall[a][m]);
                }
            }
            out.add(new ClassResult(precision, recall, truths, crowds, dets));
        }
        return out;
    }

    /** One image and class at one area range, as {@code evaluateImg} returns it. */
    private record ImageEval(double[] scores, boolean[][] matched, boolean[][] ignored, int nonIgnoredTruths) {}

    /** Indices of each class's entries, in input order. */
    private static int[][] group(int[] cls, int classes) {
        int[] count = new int[classes];
        for (int c : cls) {
            count[c]++;
        }
        int[][] out = new int[classes][];
        for (int k = 0; k < classes; k++) {
            out[k] = new int[count[k]];
            count[k] = 0;
        }
        for (int i = 0; i < cls.length; i++) {
            out[cls[i]][count[cls[i]]++] = i;
        }
        return out;
    }

    /**
     * {@code computeIoU}/{@code evaluateImg}: the detections by score, highest first, stable (numpy's mergesort
     * keeps ties in input order), at most {@code maxDets[-1]} = 100.
     */
    private static int[] byScore(ImageBoxes im, int[] d) {
        Integer[] order = new Integer[d.length];
        for (int j = 0; j < d.length; j++) {
            order[j] = d[j];
        }
        double[] s = im.score();
        Arrays.sort(order, (p, q) -> descending(s[p], s[q])); // object sort is stable
        int keep = Math.min(order.length, MAX_DETECTIONS[MAX_DETECTIONS.length - 1]);
        int[] out = new int[keep];
        for (int j = 0; j < keep; j++) {
            out[j] = order[j];
        }
        return out;
    }

    /**
     * {@code maskApi.c bbIou}: intersection over union of [x, y, w, h] boxes with continuous coordinates; for a
     * crowd truth the intersection over the detection's area. {@code iou[d][g]}.
     */
    private static double[][] iou(ImageBoxes im, int[] d, int[] g) {
        double[][] o = new double[d.length][g.length];
        for (int di = 0; di < d.length; di++) {
            for (int gi = 0; gi < g.length; gi++) {
                o[di][gi] = iou(im.detectionBox()[d[di]], im.truthBox()[g[gi]], im.crowd()[g[gi]]);
            }
        }
        return o;
    }

    /** {@code bbIou} of one detection box and one truth box, both [x, y, w, h]; 0 when they do not overlap. */
    static double iou(double[] db, double[] gb, boolean crowd) {
        double w = Math.min(db[2] + db[0], gb[2] + gb[0]) - Math.max(db[0], gb[0]);
        if (w <= 0) {
            return 0;
        }
        double h = Math.min(db[3] + db[1], gb[3] + gb[1]) - Math.max(db[1], gb[1]);
        if (h <= 0) {
            return 0;
        }
        double da = db[2] * db[3];
        double i = w * h;
        double u = crowd ? da : da + gb[2] * gb[3] - i;
        return i / u;
    }

    /** {@code evaluateImg} at one area range, the greedy matching at each IoU threshold. */
    private static ImageEval evaluateImage(ImageBoxes im, int[] d, int[] g, double[][] iou, double[] range) {
        int gn = g.length;
        boolean[] ignore = new boolean[gn];
        int regular = 0;
        for (int gi = 0; gi < gn; gi++) {
            double area = im.truthArea()[g[gi]];
            ignore[gi] = im.crowd()[g[gi]] || area < range[0] || area > range[1];
            regular += ignore[gi] ? 0 : 1;
        }
        // truths with ignore last, stable
        int[] gt = new int[gn];
        int at = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int gi = 0; gi < gn; gi++) {
                if (ignore[gi] == (pass == 1)) {
                    gt[at++] = gi;
                }
            }
        }
        int dn = d.length;
        int tn = IOU_THRESHOLDS.length;
        boolean[][] matched = new boolean[tn][dn];
        boolean[][] ignored = new boolean[tn][dn];
        if (gn > 0) {
            for (int t = 0; t < tn; t++) {
                boolean[] taken = new boolean[gn];
                for (int di = 0; di < dn; di++) {
                    double best = Math.min(IOU_THRESHOLDS[t], 1 - 1e-10);
                    int m = -1;
                    for (int q = 0; q < gn; q++) {
                        int gi = gt[q];
                        boolean crowd = im.crowd()[g[gi]];
                        if (taken[gi] && !crowd) {
                            continue; // already matched and not a crowd
                        }
                        if (m > -1 && !ignore[m] && ignore[gi]) {
                            break; // matched a regular truth; the rest are ignored ones
                        }
                        if (iou[di][gi] < best) {
                            continue;
                        }
                        best = iou[di][gi]; // ties: the later truth wins, as pycocotools
                        m = gi;
                    }
                    if (m == -1) {
                        continue;
                    }
                    ignored[t][di] = ignore[m];
                    matched[t][di] = true;
                    taken[m] = true;
                }
            }
        }
        // unmatched detections outside the area range are ignored
        for (int di = 0; di < dn; di++) {
            double[] b = im.detectionBox()[d[di]];
            double area = b[2] * b[3];
            if (area < range[0] || area > range[1]) {
                for (int t = 0; t < tn; t++) {
                    ignored[t][di] |= !matched[t][di];
                }
            }
        }
        double[] scores = new double[dn];
        for (int di = 0; di < dn; di++) {
            scores[di] = im.score()[d[di]];
        }
        return new ImageEval(scores, matched, ignored, regular);
    }

    /** {@code accumulate} for one class, area range and detection cap; leaves -1 where undefined. */
    private static void accumulate(ImageEval[] images, int maxDet, double[][] precision, double[] recall) {
        int total = 0;
        int regular = 0;
        boolean any = false;
        for (ImageEval e : images) {
            if (e != null) {
                any = true;
                total += Math.min(maxDet, e.scores().length);
                regular += e.nonIgnoredTruths();
            }
        }
        if (!any || regular == 0) {
            return; // no image, or no truth that counts: AP and AR undefined
        }
        int tn = IOU_THRESHOLDS.length;
        double[] scores = new double[total];
        boolean[][] matched = new boolean[tn][total];
        boolean[][] ignored = new boolean[tn][total];
        int at = 0;
        for (ImageEval e : images) {
            if (e == null) {
                continue;
            }
            int take = Math.min(maxDet, e.scores().length);
            System.arraycopy(e.scores(), 0, scores, at, take);
            for (int t = 0; t < tn; t++) {
                System.arraycopy(e.matched()[t], 0, matched[t], at, take);
                System.arraycopy(e.ignored()[t], 0, ignored[t], at, take);
            }
            at += take;
        }
        Integer[] order = new Integer[total];
        for (int j = 0; j < total; j++) {
            order[j] = j;
        }
        Arrays.sort(order, (p, q) -> descending(scores[p], scores[q])); // stable, as mergesort
        double[] rc = new double[total];
        double[] pr = new double[total];
        for (int t = 0; t < tn; t++) {
            double tp = 0;
            double fp = 0;
            for (int j = 0; j < total; j++) {
                int o = order[j];
                if (!ignored[t][o]) {
                    if (matched[t][o]) {
                        tp++;
                    } else {
                        fp++;
                    }
                }
                rc[j] = tp / regular;
                pr[j] = tp / (fp + tp + EPS);
            }
            recall[t] = total > 0 ? rc[total - 1] : 0;
            for (int j = total - 1; j > 0; j--) {
                if (pr[j] > pr[j - 1]) {
                    pr[j - 1] = pr[j];
                }
            }
            double[] q = precision[t];
            Arrays.fill(q, 0);
            for (int r = 0; r < RECALL_THRESHOLDS.length; r++) {
                int idx = searchLeft(rc, total, RECALL_THRESHOLDS[r]);
                if (idx >= total) {
                    break; // recall never reaches this point: precision stays 0
                }
                q[r] = pr[idx];
            }
        }
    }

    /** Higher score first; equal scores (0.0 and -0.0 too) compare equal, as numpy's sort of {@code -score}. */
    static int descending(double a, double b) {
        return a > b ? -1 : a < b ? 1 : 0;
    }

    /** {@code np.searchsorted(a[0..n), v, side='left')}: the first index with {@code a[i] >= v}, n if none. */
    private static int searchLeft(double[] a, int n, double v) {
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
