package dev.hone.train;

import dev.hone.data.ImageSet;
import dev.hone.report.Evaluation;
import dev.hone.report.MaskImages;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.Segmentation;
import dev.hone.tasks.metrics.SegmentationMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The test evaluation of a segmentation model, {@code evaluation.json}'s {@code segmentation} section:
 * mIoU over the classes present, IoU and Dice per class, pixel accuracy, mean Dice and the pixel
 * confusion matrix ({@link SegmentationMetrics}), with the best and worst images by their own mIoU ({@code worstImages},
 * {@code bestImages}, rows {@code index, source, mIoU, predictedMask}); the top-level {@code worst} of the classification
 * tasks is left out.
 *
 * <p>The shared fields read: {@code accuracy} is the pixel accuracy, {@code macroF1} the mean Dice
 * (Dice is F1 over pixels), per-class precision and recall are over pixels, support is pixels.
 */
final class SegmentationEvaluation {
    /** Images listed at each end of the per-image mIoU ranking. */
    static final int SHOWN = 6;

    private SegmentationEvaluation() {}

    static Evaluation of(Predictions test, ImageSet testSet, String testName) {
        return of(test, testSet, testName, null);
    }

    /** @param validation the validation predictions, whose best and worst images are listed too; may be null */
    static Evaluation of(Predictions test, ImageSet testSet, String testName, Predictions validation) {
        List<String> names = testSet.classNames();
        int k = names.size();
        SegmentationMetrics metrics = SegmentationMetrics.of(test.probabilities(), test.targets(), k, Segmentation.IGNORE);
        long[][] c = metrics.confusion();
        long[] pixels = metrics.pixelsPerClass();
        List<Evaluation.ClassMetrics> perClass = new ArrayList<>();
        List<Map<String, Object>> detail = new ArrayList<>();
        int[][] confusion = new int[k][k];
        for (int t = 0; t < k; t++) {
            long predicted = 0;
            for (int p = 0; p < k; p++) {
                predicted += c[p][t];
                confusion[t][p] = (int) Math.min(Integer.MAX_VALUE, c[t][p]);
            }
            Double precision = predicted == 0 ? null : (double) c[t][t] / predicted;
            Double recall = pixels[t] == 0 ? null : (double) c[t][t] / pixels[t];
            perClass.add(new Evaluation.ClassMetrics(names.get(t), precision, recall, nullIfNaN(metrics.dice(t)),
                    (int) Math.min(Integer.MAX_VALUE, pixels[t])));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", names.get(t));
            row.put("iou", nullIfNaN(metrics.iou(t)));
            row.put("dice", nullIfNaN(metrics.dice(t)));
            row.put("pixels", pixels[t]);
            detail.add(row);
        }
        double[] perImage = perImageMeanIou(test, k);
        Integer[] order = IntStream.range(0, perImage.length).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> perImage[i]).thenComparing(i -> i));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mIoU", nullIfNaN(metrics.meanIou()));
        m.put("pixelAccuracy", nullIfNaN(metrics.pixelAccuracy()));
        m.put("meanDice", nullIfNaN(metrics.meanDice()));
        m.put("perClass", detail);
        ShownImages shown = ShownImages.of(order, perImage, SHOWN);
        m.put("worstImages", ranked(order, perImage, test.probabilities(), testSet, 0, shown.worstEnd()));
        List<Map<String, Object>> best = ranked(order, perImage, test.probabilities(), testSet, shown.bestFrom(), order.length);
        java.util.Collections.reverse(best);
        m.put("bestImages", best);
        if (validation != null && validation.targets().length > 0) {
            double[] valImage = perImageMeanIou(validation, k);
            Integer[] valOrder = IntStream.range(0, valImage.length).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(valOrder, Comparator.comparingDouble((Integer i) -> valImage[i]).thenComparing(i -> i));
            ShownImages valShown = ShownImages.of(valOrder, valImage, SHOWN);
            m.put("validationWorstImages", ranked(valOrder, valImage, validation.probabilities(), null, testSet.height(),
                    testSet.width(), 0, valShown.worstEnd()));
            List<Map<String, Object>> valBest = ranked(valOrder, valImage, validation.probabilities(), null, testSet.height(),
                    testSet.width(), valShown.bestFrom(), valOrder.length);
            java.util.Collections.reverse(valBest);
            m.put("validationBestImages", valBest);
        }
        // no top-level worst: a "most confidently wrong class" has no meaning for masks; worstImages ranks the images
        return new Evaluation(testName, test.labels().length, metrics.pixelAccuracy(), test.meanLoss(), names, perClass,
                metrics.meanDice(), confusion, null, null, null, "segmentation", m);
    }

    /** Each image's own mIoU over the classes present in it (1 for an image with no counted pixel). */
    static double[] perImageMeanIou(Predictions p, int classes) {
        double[] out = new double[p.targets().length];
        for (int i = 0; i < out.length; i++) {
            long[][] c = new long[classes][classes];
            SegmentationMetrics.add(c, p.probabilities()[i], p.targets()[i], Segmentation.IGNORE);
            double v = new SegmentationMetrics(c).meanIou();
            out[i] = Double.isNaN(v) ? 1 : v;
        }
        return out;
    }

    private static byte[] bytes(float[] mask) {
        byte[] out = new byte[mask.length];
        for (int p = 0; p < mask.length; p++) {
            out[p] = (byte) (int) mask[p];
        }
        return out;
    }

    private static List<Map<String, Object>> ranked(Integer[] order, double[] perImage, float[][] predicted, ImageSet set,
            int from, int to) {
        return ranked(order, perImage, predicted, set, set.height(), set.width(), from, to);
    }

    /** @param set the images' set, for their sources; null to leave the sources out */
    private static List<Map<String, Object>> ranked(Integer[] order, double[] perImage, float[][] predicted, ImageSet set,
            int height, int width, int from, int to) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int j = from; j < to; j++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", order[j]);
            if (set != null) {
                row.put("source", set.source(order[j]));
            }
            row.put("mIoU", perImage[order[j]]);
            row.put("predictedMask", MaskImages.base64(bytes(predicted[order[j]]), height, width));
            out.add(row);
        }
        return out;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
