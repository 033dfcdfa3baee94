package dev.hone.tasks.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Semantic segmentation's metrics from a pixel confusion matrix: IoU per class, mIoU, pixel accuracy
 * and Dice, as torchmetrics' {@code JaccardIndex}/{@code Dice} and mmsegmentation's {@code IoUMetric}
 * define them.
 *
 * <p>Counts pool every pixel of the set (not a mean of per-image scores), and pixels whose truth is
 * the ignore index count for nothing. IoU of class k is {@code TP / (TP + FP + FN)}, Dice
 * {@code 2 TP / (2 TP + FP + FN)}. mIoU and mean Dice average over the classes <em>present</em>:
 * those with {@code TP + FP + FN > 0}, i.e. in the truth or the prediction (a class absent from
 * both has no defined IoU; mmsegmentation reports it as NaN and averages with nanmean).
 *
 * @param confusion {@code confusion[t][p]}: pixels of true class t predicted as class p, (K, K)
 */
public record SegmentationMetrics(long[][] confusion) {

    /** Counts of {@code predicted} against {@code truth}, pixel by pixel, over K classes. */
    public static SegmentationMetrics of(float[][] predicted, float[][] truth, int classes, int ignore) {
        long[][] c = new long[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            add(c, predicted[i], truth[i], ignore);
        }
        return new SegmentationMetrics(c);
    }

    /**
     * Adds one image's pixels to {@code confusion}.
     *
     * @param predicted the predicted class per pixel, H*W values in [0, K)
     * @param truth the true class per pixel, or {@code ignore}
     * @throws IllegalArgumentException if the lengths differ or a value is outside [0, K) other than ignore
     */
    public static void add(long[][] confusion, float[] predicted, float[] truth, int ignore) {
        if (predicted.length != truth.length) {
            throw new IllegalArgumentException("a predicted mask of " + predicted.length + " pixels against a true mask of "
                    + truth.length);
        }
        int k = confusion.length;
        for (int p = 0; p < truth.length; p++) {
            int t = (int) truth[p];
            if (t == ignore) {
                continue;
            }
            int q = (int) predicted[p];
            if (t < 0 || t >= k || q < 0 || q >= k) {
                throw new IllegalArgumentException("pixel " + p + " has class " + t + " predicted as " + q + ", outside the "
                        + k + " classes");
            }
            confusion[t][q]++;
        }
    }

    public int classes() {
        return confusion.length;
    }

    private long truePositives(int k) {
        return confusion[k][k];
    }

    /** Pixels of class k predicted as another class. */
    private long falseNegatives(int k) {
        long s = 0;
        for (int p = 0; p < confusion.length; p++) {
            s += p == k ? 0 : confusion[k][p];
        }
        return s;
    }

    /** Pixels of another class predicted as k. */
    private long falsePositives(int k) {
        long s = 0;
        for (int t = 0; t < confusion.length; t++) {
            s += t == k ? 0 : confusion[t][k];
        }
        return s;
    }

    /** Whether class k is in the truth or the prediction, so that its IoU is defined. */
    public boolean present(int k) {
        return truePositives(k) + falsePositives(k) + falseNegatives(k) > 0;
    }

    /** IoU of class k, a fraction; NaN when the class is not {@link #present}. */
    public double iou(int k) {
        long d = truePositives(k) + falsePositives(k) + falseNegatives(k);
        return d == 0 ? Double.NaN : (double) truePositives(k) / d;
    }

    /** Dice (F1) of class k, a fraction; NaN when the class is not {@link #present}. */
    public double dice(int k) {
        long d = 2 * truePositives(k) + falsePositives(k) + falseNegatives(k);
        return d == 0 ? Double.NaN : 2.0 * truePositives(k) / d;
    }

    /** Mean IoU over the present classes; NaN when no pixel was counted. */
    public double meanIou() {
        return meanOverPresent(true);
    }

    /** Mean Dice over the present classes; NaN when no pixel was counted. */
    public double meanDice() {
        return meanOverPresent(false);
    }

    private double meanOverPresent(boolean iou) {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < classes(); k++) {
            if (present(k)) {
                sum += iou ? iou(k) : dice(k);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Share of the counted pixels whose predicted class is right; NaN when none was counted. */
    public double pixelAccuracy() {
        long right = 0;
        long all = 0;
        for (int t = 0; t < classes(); t++) {
            for (int p = 0; p < classes(); p++) {
                all += confusion[t][p];
            }
            right += confusion[t][t];
        }
        return all == 0 ? Double.NaN : (double) right / all;
    }

    /** Counted pixels per true class. */
    public long[] pixelsPerClass() {
        long[] n = new long[classes()];
        for (int t = 0; t < classes(); t++) {
            for (int p = 0; p < classes(); p++) {
                n[t] += confusion[t][p];
            }
        }
        return n;
    }

    /** IoU per class, NaN for the classes not present. */
    public List<Double> perClassIou() {
        List<Double> out = new ArrayList<>();
        for (int k = 0; k < classes(); k++) {
            out.add(iou(k));
        }
        return out;
    }
}
