package dev.hone.tasks.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * COCO's box detection metrics, computed as pycocotools' {@code COCOeval} (2.0.x, {@code iouType='bbox'},
 * default parameters) computes them, plus PASCAL VOC's mAP@0.5 ({@link VocDetectionMetrics}).
 *
 * <p>Per image and class, detections are taken by score, highest first (ties keep input order, as numpy's
 * mergesort), at most 100. At each IoU threshold 0.50:0.05:0.95 every detection in turn takes the truth of
 * highest IoU {@code >= threshold} that is not yet matched, preferring regular truths to ignored ones (a crowd
 * region, or a truth outside the area range); a crowd region can take any number of detections, and its IoU is
 * the intersection over the detection's area. Detections matched to an ignored truth, and unmatched detections
 * outside the area range, count for nothing. Over all images, a class's detections are ranked by score, the
 * precision made monotone (the highest precision at any higher recall), and read at the 101 recall points
 * 0:0.01:1 (the first ranked detection reaching each recall; 0 past the highest recall reached). AP is the mean
 * of those 101 precisions; AR the highest recall reached (with at most 1, 10 or 100 detections per image and
 * class); both are then averaged over the IoU thresholds and the classes.
 *
 * <p>Areas: the area ranges (small {@code <= 32²}, medium 32² to 96², large {@code >= 96²} square pixels, both
 * ends inclusive as pycocotools) are read on the box area {@code w * h}, since hone has no segmentation masks;
 * on COCO itself pycocotools uses the annotation's mask area, so APs/APm/APl differ from published COCO figures
 * for boxes whose mask area falls in another range (AP, AP50, AP75 and AR do not use areas).
 *
 * <p>Undefined values are {@link #UNDEFINED} (-1), as pycocotools writes them, so that the record serialises
 * to plain JSON: a class with no regular truth (in the area range) has no AP or AR and is left out of the
 * means; a mean over no class is -1. A class with truths but no detection has AP 0.
 *
 * @param images the number of images evaluated
 * @param ap AP at IoU 0.50:0.05:0.95, area all, 100 detections (COCO's primary metric)
 * @param ap50 AP at IoU 0.50
 * @param ap75 AP at IoU 0.75
 * @param apSmall AP of truths with area {@code <= 32²}
 * @param apMedium AP of truths with area in [32², 96²]
 * @param apLarge AP of truths with area {@code >= 96²}
 * @param ar1 AR with at most 1 detection per image and class
 * @param ar10 AR with at most 10
 * @param ar100 AR with at most 100
 * @param arSmall AR100 of small truths
 * @param arMedium AR100 of medium truths
 * @param arLarge AR100 of large truths
 * @param vocMap50 VOC2010+ mAP at IoU 0.5 ({@link VocDetectionMetrics}), ignored truths taken as VOC difficult
 *     boxes: matched with plain IoU, so a detection inside a large crowd region is a false positive there
 * @param classes per class, in class order
 */
public record DetectionMetrics(int images, double ap, double ap50, double ap75, double apSmall, double apMedium,
        double apLarge, double ar1, double ar10, double ar100, double arSmall, double arMedium, double arLarge,
        double vocMap50, List<ClassMetrics> classes) {
    /** The value of an undefined AP, AR or mean, as pycocotools writes it. */
    public static final double UNDEFINED = -1;

    /**
     * The metrics of one class; AP and AR are -1 when the class has no regular truth.
     *
     * @param truths regular (not ignored) true boxes
     * @param ignoredTruths crowd / difficult true boxes ({@code ignore = 1})
     * @param detections detections evaluated (before the cap of 100 per image)
     * @param ap AP at IoU 0.50:0.05:0.95
     * @param ap50 AP at IoU 0.50
     * @param ap75 AP at IoU 0.75
     * @param ar100 AR at IoU 0.50:0.05:0.95, 100 detections
     * @param vocAp50 VOC2010+ AP at IoU 0.5
     * @param precision50 the monotone precision at IoU 0.5 at each of the 101 {@link #recallThresholds()}, for a
     *     precision-recall chart (pycocotools' {@code eval['precision'][0, :, k, 0, 2]}); empty when undefined
     */
    public record ClassMetrics(int truths, int ignoredTruths, int detections, double ap, double ap50, double ap75,
            double ar100, double vocAp50, List<Double> precision50) {
        public ClassMetrics {
            precision50 = List.copyOf(precision50);
        }
    }

    public DetectionMetrics {
        classes = List.copyOf(classes);
    }

    /** The 101 recall points 0:0.01:1 at which precision is read, the doubles of pycocotools' {@code recThrs}. */
    public static List<Double> recallThresholds() {
        List<Double> out = new ArrayList<>();
        for (double r : CocoEvaluation.RECALL_THRESHOLDS) {
            out.add(r);
        }
        return out;
    }

    /**
     * Evaluates hone's per-image rows.
     *
     * @param truths per image, rows of 6 floats {@code class, x1, y1, x2, y2, ignore}: corners in pixels; ignore
     *     = 1 marks a COCO crowd region or a VOC difficult object (both evaluated as a crowd region here); rows
     *     with class < 0 are padding
     * @param detections per image, rows of 6 floats {@code class, score, x1, y1, x2, y2}; rows with class < 0 or
     *     score {@code <= 0} are padding
     * @param classes the number of classes K; classes are indices in [0, K)
     * @throws IllegalArgumentException on mismatched image counts, partial rows, classes outside [0, K) or
     *     non-finite values
     */
    public static DetectionMetrics evaluate(float[][] truths, float[][] detections, int classes) {
        return evaluate(ImageBoxes.fromRows(truths, detections, classes), classes);
    }

    static DetectionMetrics evaluate(List<ImageBoxes> images, int classes) {
        List<CocoEvaluation.ClassResult> r = CocoEvaluation.evaluate(images, classes);
        VocDetectionMetrics voc = VocDetectionMetrics.evaluate(images, classes);
        int a = CocoEvaluation.ALL;
        int m100 = CocoEvaluation.MAX_DETECTIONS.length - 1;
        List<ClassMetrics> perClass = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            CocoEvaluation.ClassResult c = r.get(k);
            double[][] p = c.precision()[a][m100];
            List<Double> curve = new ArrayList<>();
            if (p[0][0] > -1) {
                for (double v : p[0]) {
                    curve.add(v);
                }
            }
            perClass.add(new ClassMetrics(c.truths(), c.crowds(), c.detections(), mean(List.of(c), true, a, m100, -1),
                    mean(List.of(c), true, a, m100, 0), mean(List.of(c), true, a, m100, 5),
                    mean(List.of(c), false, a, m100, -1), voc.averagePrecision().get(k), curve));
        }
        return new DetectionMetrics(images.size(), mean(r, true, a, m100, -1), mean(r, true, a, m100, 0),
                mean(r, true, a, m100, 5), mean(r, true, CocoEvaluation.SMALL, m100, -1),
                mean(r, true, CocoEvaluation.MEDIUM, m100, -1), mean(r, true, CocoEvaluation.LARGE, m100, -1),
                mean(r, false, a, 0, -1), mean(r, false, a, 1, -1), mean(r, false, a, m100, -1),
                mean(r, false, CocoEvaluation.SMALL, m100, -1), mean(r, false, CocoEvaluation.MEDIUM, m100, -1),
                mean(r, false, CocoEvaluation.LARGE, m100, -1), voc.meanAveragePrecision(), perClass);
    }

    /**
     * {@code summarize}: the mean of the defined ({@code > -1}) precisions (AP) or recalls (AR) over the classes,
     * the IoU thresholds (all, or the one at index {@code t}) and, for AP, the recall points; -1 if none.
     */
    private static double mean(List<CocoEvaluation.ClassResult> r, boolean ap, int area, int maxDet, int t) {
        double sum = 0;
        long n = 0;
        for (CocoEvaluation.ClassResult c : r) {
            for (int ti = 0; ti < CocoEvaluation.IOU_THRESHOLDS.length; ti++) {
                if (t >= 0 && ti != t) {
                    continue;
                }
                if (ap) {
                    for (double v : c.precision()[area][maxDet][ti]) {
                        if (v > -1) {
                            sum += v;
                            n++;
                        }
                    }
                } else {
                    double v = c.recall()[area][maxDet][ti];
                    if (v > -1) {
                        sum += v;
                        n++;
                    }
                }
            }
        }
        return n == 0 ? UNDEFINED : sum / n;
    }
}
