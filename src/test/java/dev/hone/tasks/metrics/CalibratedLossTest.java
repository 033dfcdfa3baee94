package dev.hone.tasks.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.hone.metalearn.regularization.PairedComparison;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.SingleLabel;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Temperature scaling fitted from kept probabilities, and the calibrated losses it gives for comparing models. */
class CalibratedLossTest {
    /** Softmax rows over {@code k} classes from logits {@code z} (N, K) scaled by {@code sharpness}, labels {@code y}. */
    static Predictions softmax(double[][] z, int[] y, double sharpness) {
        int k = z[0].length;
        float[][] p = new float[z.length][k];
        float[][] t = new float[z.length][k];
        for (int i = 0; i < z.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z[i]) {
                max = Math.max(max, v * sharpness);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[i][c] * sharpness - max);
            }
            for (int c = 0; c < k; c++) {
                p[i][c] = (float) (Math.exp(z[i][c] * sharpness - max) / sum);
            }
            t[i][y[i]] = 1;
        }
        return new Predictions(p, y, t, 0, Double.NaN);
    }

    /** Logits of a 70%-right classifier over 3 classes: the true class gets a bonus on most images. */
    static double[][] logits(int n, int[] y, long seed) {
        Random r = new Random(seed);
        double[][] z = new double[n][3];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            for (int c = 0; c < 3; c++) {
                z[i][c] = r.nextGaussian();
            }
            z[i][y[i]] += 1.2;
        }
        return z;
    }

    @Test
    void atTemperatureOneTheLossIsTheCrossEntropyOfTheLabel() {
        Predictions p = new Predictions(new float[][] {{0.7f, 0.2f, 0.1f}, {0.25f, 0.5f, 0.25f}}, new int[] {0, 2},
                new float[][] {{1, 0, 0}, {0, 0, 1}}, 0, Double.NaN);
        double[] l = TemperatureScaling.losses(p, false, 1);
        assertThat(l[0]).isCloseTo(-Math.log(0.7), within(1e-6));
        assertThat(l[1]).isCloseTo(-Math.log(0.25), within(1e-6));
    }

    @Test
    void anOverConfidentModelIsCooledAndItsCalibratedLossIsLower() {
        int[] y = new int[600];
        double[][] z = logits(600, y, 1);
        Predictions overConfident = softmax(z, y, 6);
        double t = TemperatureScaling.fit(overConfident, false);
        assertThat(t).isBetween(3.0, 12.0); // the logits were multiplied by 6 past their calibrated scale of about 1
        double raw = mean(TemperatureScaling.losses(overConfident, false, 1));
        double calibrated = mean(TemperatureScaling.losses(overConfident, false, t));
        assertThat(calibrated).isLessThan(raw / 2);
    }

    @Test
    void twoModelsThatRankTheClassesAlikeHaveTheSameCalibratedLossWhateverTheirConfidence() {
        int[] y = new int[400];
        double[][] z = logits(400, y, 2);
        Predictions sharp = softmax(z, y, 4);
        Predictions soft = softmax(z, y, 0.5);
        double sharpLoss = mean(TemperatureScaling.losses(sharp, false, TemperatureScaling.fit(sharp, false)));
        double softLoss = mean(TemperatureScaling.losses(soft, false, TemperatureScaling.fit(soft, false)));
        assertThat(sharpLoss).isCloseTo(softLoss, within(1e-4));
        assertThat(mean(TemperatureScaling.losses(sharp, false, 1))).as("their raw losses differ")
                .isGreaterThan(mean(TemperatureScaling.losses(soft, false, 1)) + 0.1);
        // so the paired comparison of calibrated losses finds (up to float rounding) no difference where the raw one does
        PairedComparison c = PairedComparison.ofCalibratedLoss(SingleLabel.INSTANCE, soft, sharp, 5);
        assertThat(Math.abs(c.gain())).isLessThan(1e-4);
        assertThat(Math.max(Math.abs(c.low()), Math.abs(c.high()))).isLessThan(1e-4);
        Predictions rawSoft = withLosses(soft, TemperatureScaling.losses(soft, false, 1));
        Predictions rawSharp = withLosses(sharp, TemperatureScaling.losses(sharp, false, 1));
        assertThat(PairedComparison.ofLoss(rawSoft, rawSharp, 5).significant()).isTrue();
    }

    @Test
    void aBinaryRowAtTemperatureTIsTheSigmoidOfItsLogitOverT() {
        double p = 0.9;
        double t = 2.5;
        Predictions binary = new Predictions(new float[][] {{(float) (1 - p), (float) p}}, new int[] {1}, new float[][] {{1}}, 0,
                Double.NaN);
        double expected = -Math.log(1 / (1 + Math.exp(-Math.log(p / (1 - p)) / t)));
        assertThat(TemperatureScaling.losses(binary, true, t)[0]).isCloseTo(expected, within(1e-6));
    }

    @Test
    void multiLabelOutputsAreEachASigmoidAndTheirLossesAveraged() {
        Predictions p = new Predictions(new float[][] {{0.8f, 0.3f}}, new int[] {0}, new float[][] {{1, 0}}, 0, Double.NaN);
        double expected = (-Math.log(0.8) - Math.log(0.7)) / 2;
        assertThat(TemperatureScaling.losses(p, true, 1)[0]).isCloseTo(expected, within(1e-6));
        assertThat(TemperatureScaling.fit(new Predictions(new float[0][], new int[0], new float[0][], 0, Double.NaN), true))
                .isEqualTo(1.0);
    }

    private static Predictions withLosses(Predictions p, double[] losses) {
        return new Predictions(p.probabilities(), p.labels(), p.targets(), mean(losses), Double.NaN, losses);
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }
}
