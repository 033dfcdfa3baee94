package dev.hone.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import org.junit.jupiter.api.Test;

/** CenterNet's targets, loss, decoding and network, on tiny hand-made cases. */
class CenterNetTest {

    @Test
    void gaussianRadiusIsTheReleasedCodesValue() {
        // smallest of (14 + 12.70) / 2, (28 + 23.43) / 2 and (-9.8 + 23.43) ... see the javadoc: 1.913 cells
        assertThat(CenterNetTargets.gaussianRadius(7, 7, 0.7)).isCloseTo(1.9132, within(1e-3));
        assertThat(CenterNetTargets.gaussianRadius(2.5, 2.5, 0.7)).isCloseTo(0.6833, within(1e-3));
    }

    @Test
    void targetsSplatTheCentreAndRegressSizeAndOffset() {
        try (NDManager m = NDManager.newBaseManager()) {
            // class 1, box (8, 8)-(36, 36): 7x7 cells, centre (5.5, 5.5) -> cell (5, 5), offset 0.5; a padding row
            NDArray boxes = m.create(new float[] {1, 8, 8, 36, 36, 0, -1, 0, 0, 0, 0, 0}, new Shape(1, 2, 6));
            CenterNetTargets t = CenterNetTargets.of(boxes, 2, 16, 16, 4, m);
            float[] heat = t.heatmap().toFloatArray();
            int at = 16 * 16 + 5 * 16 + 5;
            assertThat(heat[at]).isEqualTo(1f);
            assertThat(heat[at + 1]).isCloseTo((float) Math.exp(-1 / (2 * 0.5 * 0.5)), within(1e-5f)); // radius 1, sigma 0.5
            assertThat(heat[at + 2]).isZero(); // outside the radius
            assertThat(heat[5 * 16 + 5]).isZero(); // class 0's map is empty
            float[] reg = t.regression().toFloatArray();
            int cell = 5 * 16 + 5;
            assertThat(new float[] {reg[cell], reg[256 + cell], reg[512 + cell], reg[768 + cell]}).containsExactly(7f, 7f, 0.5f, 0.5f);
            assertThat(t.objects()).containsExactly(1);
            assertThat(t.centres().sum().getFloat()).isEqualTo(1f);
        }
    }

    @Test
    void ignoredBoxesAreNotSplatted() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray boxes = m.create(new float[] {0, 8, 8, 36, 36, 1}, new Shape(1, 1, 6));
            CenterNetTargets t = CenterNetTargets.of(boxes, 1, 16, 16, 4, m);
            assertThat(t.heatmap().sum().getFloat()).isZero();
            assertThat(t.total()).isZero();
        }
    }

    @Test
    void centreRecallCountsCentresScoringAtLeastTheShownScore() {
        try (NDManager m = NDManager.newBaseManager()) {
            // image 0: a class-0 box centred on cell (5, 5) and a padding row; image 1: one centred on cell (11, 11)
            // and an ignored box
            NDArray boxes = m.create(new float[] {0, 8, 8, 36, 36, 0, -1, 0, 0, 0, 0, 0,
                0, 32, 32, 60, 60, 0, 0, 8, 8, 36, 36, 1}, new Shape(2, 2, 6));
            int cells = 16 * 16, channels = 1 + 4;
            float[] logits = new float[2 * channels * cells];
            java.util.Arrays.fill(logits, -5f); // heatmaps near 0 (the box channels are not read)
            float shown = (float) CenterNetDecoder.MIN_SCORE;
            logits[5 * 16 + 5] = logit(shown + 0.05f); // found, though below probability 0.5
            logits[channels * cells + 11 * 16 + 11] = logit(shown - 0.05f); // missed
            logits[channels * cells + 5 * 16 + 5] = 5f; // the ignored box's centre: neither found nor counted
            Tally t = Detection.INSTANCE.tally(m.create(logits, new Shape(2, channels, 16, 16)), boxes);
            assertThat(t).isEqualTo(new Tally(1, 2));
            assertThat(t.fraction()).isEqualTo(0.5); // not rounded to whole images
        }
    }

    private static float logit(float p) {
        return (float) Math.log(p / (1 - p));
    }

    @Test
    void decodingFindsThePeakAndItsBox() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] out = new float[(2 + 4) * 8 * 8];
            int cell = 3 * 8 + 2; // y 3, x 2
            out[64 + cell] = 0.9f; // class 1
            out[64 + cell + 1] = 0.5f; // a neighbour: not a peak
            out[2 * 64 + cell] = 2; // width 2 cells
            out[3 * 64 + cell] = 4; // height 4 cells
            out[4 * 64 + cell] = 0.25f;
            out[5 * 64 + cell] = 0.5f;
            NDArray d = CenterNetDecoder.decode(m.create(out, new Shape(1, 6, 8, 8)), 3);
            assertThat(d.getShape()).isEqualTo(new Shape(1, 3, 6));
            float[] best = d.get("0, 0").toFloatArray();
            // centre (2.25, 3.5) cells -> (9, 14) px; 8 x 16 px
            assertThat(best).containsExactly(new float[] {1, 0.9f, 5, 6, 13, 22}, within(1e-5f));
            assertThat(d.get("0, 1").toFloatArray()[1]).isLessThan(0.5f); // the neighbour was suppressed
        }
    }

    @Test
    void aPeakWhoseBoxHasNoAreaIsNoDetection() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] out = new float[(2 + 4) * 8 * 8];
            out[3 * 8 + 2] = 0.99f; // class 0 at (2, 3), height 4 cells but width 0: a line, not a box
            out[3 * 64 + 3 * 8 + 2] = 4;
            out[64 + 5 * 8 + 5] = 0.6f; // class 1 at (5, 5), 2 x 2 cells
            out[2 * 64 + 5 * 8 + 5] = 2;
            out[3 * 64 + 5 * 8 + 5] = 2;
            float[][] rows = new float[2][];
            NDArray d = CenterNetDecoder.decode(m.create(out, new Shape(1, 6, 8, 8)), 2);
            rows[0] = d.get("0, 0").toFloatArray();
            rows[1] = d.get("0, 1").toFloatArray();
            // best first by score: the line's row comes first but reads class -1, score 0
            assertThat(rows[0][0]).isEqualTo(-1f);
            assertThat(rows[0][1]).isZero();
            assertThat(rows[1]).containsExactly(new float[] {1, 0.6f, 16, 16, 24, 24}, within(1e-5f));
        }
    }

    @Test
    void detectorOutputsStride4MapsAndLearnsOneImage() {
        Engine.getInstance().setRandomSeed(3);
        ModelSpec spec = ModelFactory.detectorFor(ModelSpec.parse("resnet18").withWidth(8));
        assertThat(spec.architecture()).isEqualTo("centernet-resnet18");
        int k = 2;
        try (Model model = ModelFactory.create(spec, new Shape(1, 64, 64), Detection.INSTANCE.outputs(k), ModelFactory.Head.CENTRES);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Detection.INSTANCE.loss())
                        .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build()));
                NDManager m = NDManager.newBaseManager()) {
            trainer.initialize(new Shape(2, 1, 64, 64));
            NDArray x = m.zeros(new Shape(2, 1, 64, 64));
            x.set(new ai.djl.ndarray.index.NDIndex("0, 0, 8:36, 8:36"), 3f);
            x.set(new ai.djl.ndarray.index.NDIndex("1, 0, 30:60, 4:20"), -3f);
            NDArray boxes = m.create(new float[] {1, 8, 8, 36, 36, 0, 0, 4, 30, 20, 60, 0}, new Shape(2, 1, 6));
            float first = 0, last = 0;
            for (int step = 0; step < 30; step++) {
                try (GradientCollector g = trainer.newGradientCollector()) {
                    NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                    assertThat(out.getShape()).isEqualTo(new Shape(2, k + 4, 16, 16));
                    NDArray loss = Detection.INSTANCE.loss().evaluate(new NDList(boxes), new NDList(out));
                    g.backward(loss);
                    last = loss.getFloat();
                    first = step == 0 ? last : first;
                }
                trainer.step();
            }
            assertThat(last).isLessThan(first / 3);
            NDArray probs = Detection.INSTANCE.probabilities(trainer.evaluate(new NDList(x)).singletonOrThrow());
            float[] top = Detection.INSTANCE.kept(probs).get("0, 0").toFloatArray();
            assertThat(top[0]).isEqualTo(1f);
            assertThat(iou(top, new float[] {8, 8, 36, 36})).isGreaterThan(0.5);
        }
    }

    /** IoU of a detection row (class, score, x1, y1, x2, y2) with a box (x1, y1, x2, y2). */
    private static double iou(float[] row, float[] box) {
        double w = Math.min(row[4], box[2]) - Math.max(row[2], box[0]);
        double h = Math.min(row[5], box[3]) - Math.max(row[3], box[1]);
        double inter = Math.max(0, w) * Math.max(0, h);
        double union = (row[4] - row[2]) * (row[5] - row[3]) + (box[2] - box[0]) * (box[3] - box[1]) - inter;
        return inter / union;
    }
}
