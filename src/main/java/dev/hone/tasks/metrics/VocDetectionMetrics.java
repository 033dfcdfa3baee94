package dev.hone.tasks.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PASCAL VOC's detection mAP at IoU 0.5, the VOC2010+ definition: per class, the area under the precision-recall
 * curve made monotone (precision at recall r is the highest precision at any recall {@code >= r}), summed over
 * every point where recall changes ("all points", not the VOC2007 11-point mean).
 *
 * <p>Matching follows the VOC devkit ({@code VOCevaldet.m}; {@code voc_eval.py} of py-faster-rcnn is the same):
 * the class's detections of all images are taken by score, highest first (ties keep image order, then row
 * order); each is compared with every true box of its class in its image, and the one of highest IoU decides
 * (the first on ties): IoU {@code >= 0.5} with a box not yet detected is a true positive, with one already
 * detected a false positive (a duplicate), below 0.5 or in an image without such box a false positive. A
 * detection whose best box is difficult ({@code ignore = 1}) counts as neither, however many do; difficult boxes
 * do not count among the positives. There is no cap on detections per image.
 *
 * <p>Two choices differ from the devkit, so that VOC and COCO figures share their boxes: IoU is computed with
 * continuous coordinates ({@code (x2 - x1) * (y2 - y1)}, as pycocotools), not the devkit's {@code +1} pixel
 * convention; and the 0.5 threshold is inclusive, as the devkit's Matlab ({@code voc_eval.py} uses {@code > 0.5}).
 *
 * @param meanAveragePrecision mean AP over the classes with at least one non-difficult box; -1 if none has
 * @param averagePrecision AP per class, in [0, 1]; -1 ({@link DetectionMetrics#UNDEFINED}) for a class with no
 *     non-difficult box
 * @param truths non-difficult true boxes per class
 */
public record VocDetectionMetrics(double meanAveragePrecision, List<Double> averagePrecision, List<Integer> truths) {
    /** VOC's IoU threshold, inclusive. */
    public static final double IOU_THRESHOLD = 0.5;

    public VocDetectionMetrics {
        averagePrecision = List.copyOf(averagePrecision);
        truths = List.copyOf(truths);
    }

    /**
     * Evaluates hone's per-image rows.
     *
     * @param truths per image, rows of {@code class, x1, y1, x2, y2, ignore} (pixels; ignore = 1 marks a difficult
     *     object); rows with class < 0 are padding
     * @param detections per image, rows of {@code class, score, x1, y1, x2, y2}; rows with class < 0 or score
     *     {@code <= 0} are padding
     * @param classes the number of classes K
     * @throws IllegalArgumentException on mismatched image counts, partial rows, classes outside [0, K) or
     *     non-finite values
     */
    public static VocDetectionMetrics evaluate(float[][] truths, float[][] detections, int classes) {
        return evaluate(ImageBoxes.fromRows(truths, detections, classes), classes);
    }

    static VocDetectionMetrics evaluate(List<ImageBoxes> images, int classes) {
        List<Double> ap = new ArrayList<>(classes);
        List<Integer> positives = new ArrayList<>(classes);
        double sum = 0;
        int defined = 0;
        for (int k = 0; k < classes; k++) {
            int npos = 0;
            List<int[]> dets = new ArrayList<>(); // {image, detection}
            for (int i = 0; i < images.size(); i++) {
                ImageBoxes im = images.get(i);
                for (int g = 0; g < im.truths(); g++) {
                    npos += im.truthClass()[g] == k && !im.crowd()[g] ? 1 : 0;
                }
                for (int d = 0; d < im.detections(); d++) {
                    if (im.detectionClass()[d] == k) {
                        dets.add(new int[] {i, d});
                    }
                }
            }
            positives.add(npos);
            if (npos == 0) {
                ap.add(DetectionMetrics.UNDEFINED);
                continue;
            }
            dets.sort((p, q) -> CocoEvaluation.descending(images.get(p[0]).score()[p[1]],
                    images.get(q[0]).score()[q[1]])); // List.sort is stable
            boolean[][] detected = new boolean[images.size()][];
            double[] rec = new double[dets.size()];
            double[] prec = new double[dets.size()];
            int n = 0;
            int tp = 0;
            int fp = 0;
            for (int[] det : dets) {
                ImageBoxes im = images.get(det[0]);
                double[] box = im.detectionBox()[det[1]];
                double ovmax = Double.NEGATIVE_INFINITY;
                int jmax = -1;
                for (int g = 0; g < im.truths(); g++) {
                    if (im.truthClass()[g] == k) {
                        double o = CocoEvaluation.iou(box, im.truthBox()[g], false);
                        if (o > ovmax) {
                            ovmax = o;
                            jmax = g;
                        }
                    }
                }
                if (jmax >= 0 && ovmax >= IOU_THRESHOLD) {
                    if (im.crowd()[jmax]) {
                        continue; // matches a difficult box: neither true nor false positive
                    }
                    if (detected[det[0]] == null) {
                        detected[det[0]] = new boolean[im.truths()];
                    }
                    if (detected[det[0]][jmax]) {
                        fp++;
                    } else {
                        detected[det[0]][jmax] = true;
                        tp++;
                    }
                } else {
                    fp++;
                }
                rec[n] = (double) tp / npos;
                prec[n] = (double) tp / (tp + fp);
                n++;
            }
            double a = areaUnderMonotone(Arrays.copyOf(rec, n), Arrays.copyOf(prec, n));
            ap.add(a);
            sum += a;
            defined++;
        }
        return new VocDetectionMetrics(defined == 0 ? DetectionMetrics.UNDEFINED : sum / defined, ap, positives);
    }

    /** VOC2010+ {@code voc_ap}: sentinels (0, 0) and (1, 0), monotone precision, sum over recall steps. */
    static double areaUnderMonotone(double[] rec, double[] prec) {
        int n = rec.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        System.arraycopy(rec, 0, mrec, 1, n);
        System.arraycopy(prec, 0, mpre, 1, n);
        mrec[n + 1] = 1;
        for (int i = n + 1; i > 0; i--) {
            mpre[i - 1] = Math.max(mpre[i - 1], mpre[i]);
        }
        double ap = 0;
        for (int i = 0; i < n + 1; i++) {
            if (mrec[i + 1] != mrec[i]) {
                ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1];
            }
        }
        return ap;
    }
}
