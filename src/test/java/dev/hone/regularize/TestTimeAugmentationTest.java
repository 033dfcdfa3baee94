package dev.hone.regularize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.Evaluator;
import dev.hone.loop.ResidentDataset;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.tasks.Predictions;
import dev.hone.train.SyntheticData;
import org.junit.jupiter.api.Test;

class TestTimeAugmentationTest {

    /** The same images mirrored left to right, byte for byte. */
    private static ImageSet mirrored(ImageSet set, byte[] pixels) {
        int h = set.height();
        int w = set.width();
        byte[] out = new byte[pixels.length];
        for (int plane = 0; plane < set.size() * set.channels(); plane++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[plane * h * w + y * w + x] = pixels[plane * h * w + y * w + (w - 1 - x)];
                }
            }
        }
        int[] labels = new int[set.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = set.label(i);
        }
        return new ImageSet(out, labels, set.channels(), h, w, set.classNames(), set::source);
    }

    @Test
    void probabilitiesAreTheMeanOfTheImagesAndTheirMirrorImages() {
        Engine.getInstance().setRandomSeed(9);
        ImageSet set = SyntheticData.set(5, 10, 4);
        Normalization norm = Normalization.of(set);
        ImageSet flipped = mirrored(set, set.pixels());
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 10, 10), 3);
                ResidentDataset data = new ResidentDataset(set, norm, Device.cpu());
                ResidentDataset mirror = new ResidentDataset(flipped, norm, Device.cpu())) {
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1, 10, 10));
            Predictions plain = Evaluator.predict(model.getBlock(), data, 4);
            Predictions mirrored = Evaluator.predict(model.getBlock(), mirror, 4);
            Predictions tta = TestTimeAugmentation.predict(model.getBlock(), data, 4);

            double lossSum = 0;
            int correct = 0;
            for (int i = 0; i < set.size(); i++) {
                float[] p = tta.probabilities()[i];
                for (int k = 0; k < 3; k++) {
                    float expected = (plain.probabilities()[i][k] + mirrored.probabilities()[i][k]) / 2;
                    assertThat(p[k]).isCloseTo(expected, within(1e-6f));
                }
                assertThat(tta.labels()[i]).isEqualTo(set.label(i));
                lossSum -= Math.log(p[set.label(i)]);
                correct += Predictions.argMax(p) == set.label(i) ? 1 : 0;
            }
            assertThat(tta.meanLoss()).isCloseTo(lossSum / set.size(), within(1e-9));
            assertThat(tta.score()).isEqualTo((double) correct / set.size());
        }
    }

    @Test
    void horizontalFlipMirrorsTheWidthAxis() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] flipped = TestTimeAugmentation.horizontalFlip(manager.arange(0f, 12f).reshape(1, 1, 2, 6)).toFloatArray();
            assertThat(flipped).containsExactly(5, 4, 3, 2, 1, 0, 11, 10, 9, 8, 7, 6);
        }
    }
}
