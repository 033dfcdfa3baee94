package dev.hone.train;

import dev.hone.data.ImageSet;
import dev.hone.report.Evaluation;
import dev.hone.tasks.CenterNetDecoder;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.metrics.DetectionMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The test evaluation of a detection model, {@code evaluation.json}'s {@code detection} section: COCO's
 * metrics ({@link DetectionMetrics}: mAP over IoU 0.50:0.95, AP50, AP75, AP by object size, AR at 1,
 * 10 and 100 detections, per-class AP, precision-recall curves at IoU 0.5) and VOC's mAP@0.5, with the
 * best and worst images by their own F1 ({@code worstImages}, {@code bestImages}, rows {@code index, source, f1,
 * detections, truths}); the top-level {@code worst} of the classification tasks is left out.
 *
 * <p>The shared fields read: {@code accuracy} is the mAP (COCO AP 0.50:0.95), {@code macroF1} the mean
 * over classes of F1 at IoU 0.5 for detections scoring at least {@link #SCORE_SHOWN}; per-class
 * precision, recall and F1 are at that operating point, support is the class's true boxes.
 */
final class DetectionEvaluation {
    /** Images listed at each end of the per-image ranking. */
    static final int SHOWN = 6;

    /** The score from which a detection is shown and counted in the operating-point figures, as {@code hone predict}'s default. */
    static final double SCORE_SHOWN = CenterNetDecoder.MIN_SCORE;

    /** The IoU at which a detection matches a true box in the operating-point figures. */
    static final double MATCH_IOU = 0.5;

    private DetectionEvaluation() {}

    static Evaluation of(Predictions test, ImageSet testSet, String testName) {
        return of(test, testSet, testName, null);
    }

    /** @param validation the validation predictions, whose best and worst images are listed too; may be null */
    static Evaluation of(Predictions test, ImageSet testSet, String testName, Predictions validation) {
        List<String> names = testSet.classNames();
        int k = names.size();
        DetectionMetrics metrics = DetectionMetrics.evaluate(test.targets(), test.probabilities(), k);
        int[][] counts = new int[k][3]; // true positives, detections, truths at the operating point
        double[] perImage = new double[test.targets().length];
        for (int i = 0; i < perImage.length; i++) {
            perImage[i] = match(test.targets()[i], test.probabilities()[i], counts);
        }
        List<Evaluation.ClassMetrics> perClass = new ArrayList<>();
        List<Map<String, Object>> detail = new ArrayList<>();
        Map<String, Object> curves = new LinkedHashMap<>();
        double f1Sum = 0;
        int f1Classes = 0;
        for (int c = 0; c < k; c++) {
            DetectionMetrics.ClassMetrics cm = metrics.classes().get(c);
            Double precision = counts[c][1] == 0 ? null : (double) counts[c][0] / counts[c][1];
            Double recall = counts[c][2] == 0 ? null : (double) counts[c][0] / counts[c][2];
            Double f1 = precision == null || recall == null ? null : precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            if (f1 != null) {
                f1Sum += f1;
                f1Classes++;
            }
            perClass.add(new Evaluation.ClassMetrics(names.get(c), precision, recall, f1, cm.truths()));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", names.get(c));
            row.put("truths", cm.truths());
            row.put("AP", undefinedAsNull(cm.ap()));
            row.put("AP50", undefinedAsNull(cm.ap50()));
            row.put("AP75", undefinedAsNull(cm.ap75()));
            row.put("AR100", undefinedAsNull(cm.ar100()));
            row.put("vocAP50", undefinedAsNull(cm.vocAp50()));
            detail.add(row);
            if (!cm.precision50().isEmpty()) {
                curves.put(names.get(c), cm.precision50());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mAP", undefinedAsNull(metrics.ap()));
        m.put("AP50", undefinedAsNull(metrics.ap50()));
        m.put("AP75", undefinedAsNull(metrics.ap75()));
        m.put("APsmall", undefinedAsNull(metrics.apSmall()));
        m.put("APmedium", undefinedAsNull(metrics.apMedium()));
        m.put("APlarge", undefinedAsNull(metrics.apLarge()));
        m.put("AR1", undefinedAsNull(metrics.ar1()));
        m.put("AR10", undefinedAsNull(metrics.ar10()));
        m.put("AR100", undefinedAsNull(metrics.ar100()));
        m.put("vocMAP50", undefinedAsNull(metrics.vocMap50()));
        m.put("scoreShown", SCORE_SHOWN);
        m.put("perClass", detail);
        m.put("precisionRecall50", Map.of("recall", DetectionMetrics.recallThresholds(), "precision", curves));
        Integer[] order = IntStream.range(0, perImage.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> perImage[i]).thenComparing(i -> i));
        ShownImages shown = ShownImages.of(order, perImage, SHOWN);
        m.put("worstImages", ranked(order, perImage, test, testSet, 0, shown.worstEnd()));
        List<Map<String, Object>> best = ranked(order, perImage, test, testSet, shown.bestFrom(), order.length);
        java.util.Collections.reverse(best);
        m.put("bestImages", best);
        if (validation != null && validation.targets().length > 0) {
            double[] valImage = new double[validation.targets().length];
            for (int i = 0; i < valImage.length; i++) {
                valImage[i] = match(validation.targets()[i], validation.probabilities()[i], new int[k][3]);
            }
            Integer[] valOrder = IntStream.range(0, valImage.length).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(valOrder, Comparator.comparingDouble((Integer i) -> valImage[i]).thenComparing(i -> i));
            ShownImages valShown = ShownImages.of(valOrder, valImage, SHOWN);
            m.put("validationWorstImages", ranked(valOrder, valImage, validation, null, 0, valShown.worstEnd()));
            List<Map<String, Object>> valBest = ranked(valOrder, valImage, validation, null, valShown.bestFrom(), valOrder.length);
            java.util.Collections.reverse(valBest);
            m.put("validationBestImages", valBest);
        }
        // no top-level worst: a "most confidently wrong class" has no meaning for boxes; worstImages ranks the images
        return new Evaluation(testName, test.targets().length, Math.max(0, metrics.ap()), test.meanLoss(), names, perClass,
                f1Classes == 0 ? 0 : f1Sum / f1Classes, null, null, null, null, "detection", m);
    }

    /**
     * Greedy matching of one image's detections scoring at least {@link #SCORE_SHOWN}, best first, each to
     * the unmatched true box of its class with the highest IoU at least {@link #MATCH_IOU}; ignored truths
     * absorb their matches without counting.
     *
     * @param counts per class: true positives, counted detections and regular truths, added to
     * @return the image's F1 at that operating point (1 for an image with neither truths nor detections)
     */
    static double match(float[] truths, float[] detections, int[][] counts) {
        int t = truths.length / 6;
        boolean[] used = new boolean[t];
        int regular = 0, tp = 0, counted = 0;
        for (int j = 0; j < t; j++) {
            int c = (int) truths[j * 6];
            if (c >= 0 && truths[j * 6 + 5] == 0) {
                regular++;
                counts[c][2]++;
            }
        }
        for (int r = 0; r < detections.length; r += CenterNetDecoder.FIELDS) {
            int c = (int) detections[r];
            if (c < 0 || detections[r + 1] < SCORE_SHOWN) {
                continue;
            }
            int best = -1;
            double bestIou = MATCH_IOU;
            for (int j = 0; j < t; j++) {
                if (used[j] || (int) truths[j * 6] != c) {
                    continue;
                }
                double iou = iou(detections, r + 2, truths, j * 6 + 1);
                if (iou >= bestIou) {
                    bestIou = iou;
                    best = j;
                }
            }
            boolean ignored = best >= 0 && truths[best * 6 + 5] != 0;
            if (ignored) {
                continue;
            }
            counted++;
            counts[c][1]++;
            if (best >= 0) {
                used[best] = true;
                tp++;
                counts[c][0]++;
            }
        }
        return regular + counted == 0 ? 1 : 2.0 * tp / (regular + counted);
    }

    /** IoU of the corner boxes at {@code a[i..i+3]} and {@code b[j..j+3]}. */
    private static double iou(float[] a, int i, float[] b, int j) {
        double w = Math.min(a[i + 2], b[j + 2]) - Math.max(a[i], b[j]);
        double h = Math.min(a[i + 3], b[j + 3]) - Math.max(a[i + 1], b[j + 1]);
        if (w <= 0 || h <= 0) {
            return 0;
        }
        double inter = w * h;
        return inter / ((a[i + 2] - a[i]) * (a[i + 3] - a[i + 1]) + (b[j + 2] - b[j]) * (b[j + 3] - b[j + 1]) - inter);
    }

    /** @param set the images' set, for their sources; null to leave the sources out */
    private static List<Map<String, Object>> ranked(Integer[] order, double[] perImage, Predictions p, ImageSet set, int from, int to) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int j = from; j < to; j++) {
            int i = order[j];
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", i);
            if (set != null) {
                row.put("source", set.source(i));
            }
            row.put("f1", perImage[i]);
            List<float[]> detections = new ArrayList<>();
            float[] d = p.probabilities()[i];
            for (int r = 0; r < d.length; r += CenterNetDecoder.FIELDS) {
                if (d[r] >= 0 && d[r + 1] >= SCORE_SHOWN) {
                    detections.add(new float[] {d[r], d[r + 1], d[r + 2], d[r + 3], d[r + 4] - d[r + 2], d[r + 5] - d[r + 3]});
                }
            }
            List<float[]> truths = new ArrayList<>();
            float[] t = p.targets()[i];
            for (int r = 0; r < t.length; r += 6) {
                if (t[r] >= 0) {
                    truths.add(new float[] {t[r], t[r + 1], t[r + 2], t[r + 3] - t[r + 1], t[r + 4] - t[r + 2], t[r + 5]});
                }
            }
            row.put("detections", detections); // [class, score, x, y, w, h]
            row.put("truths", truths); // [class, x, y, w, h, ignore]
            out.add(row);
        }
        return out;
    }

    private static Double undefinedAsNull(double v) {
        return v == DetectionMetrics.UNDEFINED || Double.isNaN(v) ? null : v;
    }
}
