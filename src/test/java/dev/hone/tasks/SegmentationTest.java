package dev.hone.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hone.tasks.metrics.SegmentationMetrics;
import org.junit.jupiter.api.Test;

class SegmentationTest {
    private static final Segmentation TASK = Segmentation.plain();

    private static NDArray masks(NDManager m, byte[] values, Shape shape) {
        return m.create(java.nio.ByteBuffer.wrap(values), shape, DataType.UINT8);
    }

    @Test
    void targetsAreOneHotMapsWithIgnoredPixelsAllZero() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = TASK.targets(masks(m, new byte[] {0, 2, (byte) 255, 1}, new Shape(1, 2, 2)), 3);
            assertThat(t.getShape()).isEqualTo(new Shape(1, 3, 2, 2));
            // channel-major: class 0 at pixel 0, class 1 at pixel 3, class 2 at pixel 1, pixel 2 ignored
            assertThat(t.toFloatArray()).containsExactly(1, 0, 0, 0, /**/ 0, 0, 0, 1, /**/ 0, 1, 0, 0);
        }
    }

    @Test
    void lossIsTheMeanCrossEntropyOverCountedPixels() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray targets = TASK.targets(masks(m, new byte[] {0, 2, (byte) 255, 1}, new Shape(1, 2, 2)), 3);
            float[] logits = {2, 0, 5, 1, /**/ 0, 1, -5, 3, /**/ -1, 2, 0, 0};
            NDArray x = m.create(logits, new Shape(1, 3, 2, 2));
            double expected = 0;
            int[] truth = {0, 2, -1, 1};
            for (int p = 0; p < 4; p++) {
                if (truth[p] < 0) {
                    continue; // ignored: whatever the logits say there costs nothing
                }
                double z = 0;
                for (int k = 0; k < 3; k++) {
                    z += Math.exp(logits[k * 4 + p]);
                }
                expected -= logits[truth[p] * 4 + p] - Math.log(z);
            }
            expected /= 3;
            float loss = TASK.loss().evaluate(new NDList(targets), new NDList(x)).getFloat();
            assertThat(loss).isCloseTo((float) expected, within(1e-5f));
            double[] perImage = TASK.imageLosses(TASK.probabilities(x), targets);
            assertThat(perImage[0]).isCloseTo(expected, within(1e-5));
        }
    }

    @Test
    void diceTermIsZeroForAPerfectPredictionAndAddsOtherwise() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray targets = TASK.targets(masks(m, new byte[] {0, 1, 1, 0}, new Shape(1, 2, 2)), 2);
            NDArray sure = targets.mul(40).sub(20); // logits +-20: softmax is the one-hot target
            assertThat(PixelCrossEntropy.dice(sure.softmax(1), targets).getFloat()).isCloseTo(0f, within(1e-4f));
            NDArray unsure = m.zeros(new Shape(1, 2, 2, 2));
            // p = 0.5 everywhere: per class (2 * 0.5 * 2 + 1) / (2 + 2 + 1) = 0.6, so Dice loss 0.4
            assertThat(PixelCrossEntropy.dice(unsure.softmax(1), targets).getFloat()).isCloseTo(0.4f, within(1e-5f));
            float plain = PixelCrossEntropy.plain().evaluate(new NDList(targets), new NDList(unsure)).getFloat();
            float both = new PixelCrossEntropy(null, 1).evaluate(new NDList(targets), new NDList(unsure)).getFloat();
            assertThat(both - plain).isCloseTo(0.4f, within(1e-5f));

            // a pixel downscaled from one of class 1 and three ignored ones holds (0, 0.25): a sure right prediction there
            // still scores a perfect Dice, as at full size (counting the whole pixel's prediction gave a loss of 0.17)
            NDArray part = m.create(new float[] {0, 1, 0.25f, 0}, new Shape(1, 2, 1, 2)); // pixel 1: a quarter class 1; 2: class 0
            NDArray right = part.gt(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).mul(40).sub(20);
            assertThat(PixelCrossEntropy.dice(right.softmax(1), part).getFloat()).isCloseTo(0f, within(1e-4f));
        }
    }

    @Test
    void smoothingLeavesIgnoredPixelsIgnored() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = TASK.smooth(TASK.targets(masks(m, new byte[] {0, 2, (byte) 255, 1}, new Shape(1, 2, 2)), 3),
                    0.3f);
            float[] v = t.toFloatArray();
            assertThat(v[0]).isCloseTo(0.8f, within(1e-6f)); // 0.7 + 0.1
            assertThat(v[4]).isCloseTo(0.1f, within(1e-6f));
            assertThat(v[2]).isZero();
            assertThat(v[6]).isZero();
            assertThat(v[10]).isZero();
        }
    }

    @Test
    void predictionsKeepMasksAndScoreMeanIou() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray targets = TASK.targets(masks(m, new byte[] {0, 2, (byte) 255, 1}, new Shape(1, 2, 2)), 3);
            assertThat(TASK.keptTargets(targets).toFloatArray()).containsExactly(0, 2, 255, 1);
            // predicted classes 0, 1, 2, 1 (the ignored pixel's prediction does not count)
            NDArray probs = m.create(new float[] {.9f, .1f, .1f, .1f, /**/ .05f, .8f, .1f, .8f, /**/ .05f, .1f, .8f, .1f},
                    new Shape(1, 3, 2, 2));
            assertThat(TASK.kept(probs).toFloatArray()).containsExactly(0, 1, 2, 1);
            Predictions p = new Predictions(new float[][] {{0, 1, 2, 1}}, new int[1], new float[][] {{0, 2, 255, 1}}, 0, Double.NaN);
            // class 0: IoU 1; class 1: TP 1, FP 1 -> 1/2; class 2: FN 1 -> 0; mean 0.5
            assertThat(TASK.score(p)).isCloseTo(0.5, within(1e-12));
            SegmentationMetrics metrics = Segmentation.metrics(p, 3);
            assertThat(metrics.pixelAccuracy()).isCloseTo(2.0 / 3, within(1e-12));
            assertThat(metrics.meanDice()).isCloseTo((1 + 2.0 / 3 + 0) / 3, within(1e-12));
        }
    }

    @Test
    void meanIouSkipsClassesAbsentFromTruthAndPrediction() {
        SegmentationMetrics m = SegmentationMetrics.of(new float[][] {{0, 0, 1, 1}}, new float[][] {{0, 0, 1, 255}}, 4, 255);
        assertThat(m.present(2)).isFalse();
        assertThat(m.iou(2)).isNaN();
        assertThat(m.meanIou()).isCloseTo(1.0, within(1e-12));
        assertThat(m.pixelsPerClass()).containsExactly(2, 1, 0, 0);
    }

    @Test
    void trainingTallyCountsPixelsNotImages() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = masks(m, new byte[] {0, 1, 1, 1, /**/ 0, 0, 0, (byte) 255}, new Shape(2, 2, 2));
            NDArray logits = m.zeros(new Shape(2, 2, 2, 2)); // ties: arg-max is class 0 everywhere
            // 1 + 3 of the 7 counted pixels right; the ignored pixel is in neither count
            Tally t = TASK.tally(logits, labels);
            assertThat(t).isEqualTo(new Tally(4, 7));
            assertThat(t.fraction()).isCloseTo(4.0 / 7, within(1e-12));
        }
    }

    @Test
    void pixelAccuracyIsPooledOverBatchesNotAveraged() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray logits = m.zeros(new Shape(1, 2, 2, 2)); // class 0 everywhere
            // one image with 1 of 4 counted pixels right, one with its only counted pixel right
            Tally first = TASK.tally(logits, masks(m, new byte[] {0, 1, 1, 1}, new Shape(1, 2, 2)));
            Tally second = TASK.tally(logits, masks(m, new byte[] {0, (byte) 255, (byte) 255, (byte) 255}, new Shape(1, 2, 2)));
            // pooled 2/5, not the batch mean (1/4 + 1)/2, nor whole images (0 + 1)/2
            assertThat(first.plus(second).fraction()).isCloseTo(2.0 / 5, within(1e-12));
        }
    }
}
