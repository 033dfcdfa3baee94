package dev.hone.metalearn.batchsize;

import dev.hone.metalearn.batchsize.BatchSizeRule.ThroughputPoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Takes the run-to-run noise out of a measured throughput curve before the batch-size rule reads it.
 *
 * <p>Why: the throughput probe times each batch over two steps, and on a shared CPU those figures
 * scatter by 5-10% from run to run (one run measured batch 64 at 370 images/s between 401 at 32 and
 * 482 at 128). Read raw, a curve whose batch 64 lies 5-8% below the best flips the choice between
 * 64 and 128 from run to run. Two corrections, both from what a throughput curve must look like:
 * <ol>
 *   <li>a point below both its neighbours is a timing accident (the curve rises, then levels off or
 *       falls), so it is replaced by its neighbours' geometric mean;</li>
 *   <li>up to its peak, the curve is fitted with a step time that is a fixed overhead plus a cost per
 *       image, {@code t(b) = t0 + t1·b} (least squares on the step times), which is what a CPU
 *       does; all points then inform each one. The fit is used only when it explains every point
 *       within {@link #FIT_TOLERANCE} and has a non-negative overhead: a GPU, whose step time stays
 *       flat until the device is busy, fails it and keeps its measured points. Points past the peak
 *       keep their measured shape, scaled by the fitted peak over the measured one.</li>
 * </ol>
 * On the eleven curves recorded on the project's 2-core CPU (Fashion-MNIST, resnet9; B_simple 15-21),
 * raw batch 64 lay at 77-100% of the best (88-100% once the one dip is repaired) and batch 32 at
 * 76-87%; after smoothing, 64 lies at 91-100% and 32 at 77-87%, so the rule's 10% plateau starts
 * at 64 in all eleven, where the raw 5% plateau started at 64 in six and at 128 in five.
 */
public final class ThroughputCurve {
    /** The affine step-time model must explain each point within this relative error. */
    public static final double FIT_TOLERANCE = 0.15;

    private ThroughputCurve() {
    }

    /** The smoothed curve, sorted by batch size; the input is returned sorted when it cannot be smoothed. */
    public static List<ThroughputPoint> smooth(List<ThroughputPoint> points) {
        List<ThroughputPoint> sorted = points.stream().sorted(Comparator.comparingInt(ThroughputPoint::batchSize)).toList();
        int n = sorted.size();
        double[] b = new double[n];
        double[] ips = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = sorted.get(i).batchSize();
            ips[i] = sorted.get(i).imagesPerSecond();
        }
        double[] repaired = ips.clone();
        for (int i = 1; i < n - 1; i++) {
            if (ips[i] < ips[i - 1] && ips[i] < ips[i + 1]) {
                repaired[i] = Math.sqrt(ips[i - 1] * ips[i + 1]);
            }
        }
        int peak = 0;
        for (int i = 1; i < n; i++) {
            if (repaired[i] > repaired[peak]) {
                peak = i;
            }
        }
        double[] smoothed = repaired;
        double[] fit = peak >= 2 ? affineStepTime(b, repaired, peak + 1) : null;
        if (fit != null) {
            smoothed = new double[n];
            for (int i = 0; i <= peak; i++) {
                smoothed[i] = b[i] / (fit[0] + fit[1] * b[i]);
            }
            double scale = smoothed[peak] / repaired[peak];
            for (int i = peak + 1; i < n; i++) {
                smoothed[i] = repaired[i] * scale;
            }
        }
        List<ThroughputPoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new ThroughputPoint((int) b[i], smoothed[i]));
        }
        return out;
    }

    /**
     * The least-squares fit {@code t0, t1} of step seconds {@code b/ips} against {@code b} over the
     * first {@code m} points, or null when it does not describe them.
     */
    static double[] affineStepTime(double[] b, double[] ips, int m) {
        double sb = 0;
        double st = 0;
        double sbb = 0;
        double sbt = 0;
        double[] t = new double[m];
        for (int i = 0; i < m; i++) {
            t[i] = b[i] / ips[i];
            sb += b[i];
            st += t[i];
            sbb += b[i] * b[i];
            sbt += b[i] * t[i];
        }
        double denominator = m * sbb - sb * sb;
        if (denominator <= 0) {
            return null;
        }
        double t1 = (m * sbt - sb * st) / denominator;
        double t0 = (st - t1 * sb) / m;
        if (!(t1 > 0) || t0 < 0) {
            return null;
        }
        for (int i = 0; i < m; i++) {
            if (Math.abs((t0 + t1 * b[i]) / t[i] - 1) > FIT_TOLERANCE) {
                return null;
            }
        }
        return new double[] {t0, t1};
    }
}
