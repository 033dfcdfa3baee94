package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import dev.hone.core.HoneException;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The segmentation networks: dense logits at the input size, gradients, persistence, dropout. */
class UNetTest {

    private static final int K = 5;

    @ParameterizedTest(name = "{0} width={1} {2} channels")
    @CsvSource({
        "unet, 0, 1",
        "unet, 0, 3",
        "unet-resnet18, 0, 1",
        "unet-resnet18, 0, 3",
        "unet-resnet34, 8, 3",
    })
    void logitsPerPixelAtTheInputResolution(String arch, int width, int channels) {
        Engine.getInstance().setRandomSeed(1);
        ModelSpec spec = ModelSpec.parse(arch).withWidth(width);
        assertThat(ModelFactory.isSegmentation(spec)).isTrue();
        Shape batch = new Shape(2, channels, 64, 64);
        try (Model model = ModelFactory.create(spec, new Shape(channels, 64, 64), K);
                Trainer trainer = Nets.segmentationTrainer(model, batch);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray out = Nets.predict(model, manager, manager.randomNormal(batch));
            assertThat(out.getShape()).isEqualTo(new Shape(2, K, 64, 64));
            assertThat(model.getBlock().getOutputShapes(new Shape[] {batch})[0]).isEqualTo(out.getShape());
            assertThat(out.isNaN().any().getBoolean()).isFalse();
        }
    }

    @ParameterizedTest(name = "{0} smallStem={1} {2}x{3}")
    @CsvSource({
        "unet, false, 30, 21",
        "unet, false, 1, 1",
        "unet-resnet18, false, 40, 33",
        "unet-resnet18, true, 28, 28",
        "unet-resnet18, true, 13, 7",
    })
    void sidesThatAreNotAMultipleOfTheBottomStrideArePaddedAndCroppedBack(
            String arch, boolean smallStem, int height, int width) {
        Engine.getInstance().setRandomSeed(2);
        ModelSpec spec = ModelSpec.parse(arch).withWidth(8).withSmallStem(smallStem);
        Shape batch = new Shape(2, 1, height, width);
        try (Model model = ModelFactory.create(spec, new Shape(1, height, width), K);
                Trainer trainer = Nets.segmentationTrainer(model, batch);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(batch);
            assertThat(Nets.predict(model, manager, x).getShape()).isEqualTo(new Shape(2, K, height, width));
            // and it trains at that size
            Nets.segmentationStep(trainer, x, manager.randomInteger(0, K, new Shape(2, height, width), DataType.INT64), K);
        }
    }

    @Test
    void bottomStrides() {
        assertThat(UNet.build(0, K, 0.9f, 0).sideMultiple()).isEqualTo(8);
        assertThat(UNet.onResNet(18, 0, false, K, 0.9f, 0).sideMultiple()).isEqualTo(32);
        assertThat(UNet.onResNet(18, 0, true, K, 0.9f, 0).sideMultiple()).isEqualTo(8);
    }

    @Test
    void unetHasTheCountedParameters() {
        // width 32; every 3x3 conv is bias-free and followed by BatchNorm (gamma, beta trainable)
        long encoder = (1 * 32 * 9 + 64) + (32 * 32 * 9 + 64)
                + (32 * 64 * 9 + 128) + (64 * 64 * 9 + 128)
                + (64 * 128 * 9 + 256) + (128 * 128 * 9 + 256)
                + (128 * 256 * 9 + 512) + (256 * 256 * 9 + 512);
        long decoder = (256 * 128 * 9 + 256) + (256 * 128 * 9 + 256) + (128 * 128 * 9 + 256) // up, fuse
                + (128 * 64 * 9 + 128) + (128 * 64 * 9 + 128) + (64 * 64 * 9 + 128)
                + (64 * 32 * 9 + 64) + (64 * 32 * 9 + 64) + (32 * 32 * 9 + 64);
        long head = 32 * 11 + 11;
        assertThat(encoder + decoder + head).isEqualTo(2_142_027L); // the figure in UNet's javadoc
        try (Model model = ModelFactory.create(ModelSpec.of("unet"), new Shape(1, 64, 64), 11);
                Trainer trainer = Nets.segmentationTrainer(model, new Shape(1, 1, 64, 64))) {
            assertThat(Nets.trainableCount(model)).isEqualTo(encoder + decoder + head);
        }
        try (Model model = ModelFactory.create(ModelSpec.of("unet"), new Shape(3, 64, 64), 11);
                Trainer trainer = Nets.segmentationTrainer(model, new Shape(1, 3, 64, 64))) {
            assertThat(Nets.trainableCount(model)).isEqualTo(encoder + decoder + head + 2 * 32 * 9);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"unet-resnet18, 14000000, 16000000", "unet-resnet34, 24000000, 26000000"})
    void resnetUnetsHaveTheirEncoderPlusAboutFourMillionDecoderParameters(String arch, long min, long max) {
        try (Model model = ModelFactory.create(ModelSpec.of(arch), new Shape(3, 64, 64), 11);
                Trainer trainer = Nets.segmentationTrainer(model, new Shape(1, 3, 64, 64))) {
            long count = Nets.trainableCount(model);
            System.out.println(arch + " trainable parameters (3 channels, 11 classes): " + count);
            assertThat(count).isBetween(min, max);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"unet", "unet-resnet18"})
    void oneBackwardPassReachesTheFirstEncoderConvolutionAndTheDecoder(String arch) {
        Engine.getInstance().setRandomSeed(3);
        Shape batch = new Shape(2, 1, 32, 32);
        try (NDManager manager = NDManager.newBaseManager();
                Model model = ModelFactory.create(ModelSpec.parse(arch).withWidth(8), new Shape(1, 32, 32), K);
                Trainer trainer = Nets.segmentationTrainer(model, batch)) {
            NDArray x = manager.randomNormal(batch);
            NDArray target = manager.randomInteger(0, K, new Shape(2, 32, 32), DataType.INT64)
                    .oneHot(K).transpose(0, 3, 1, 2);
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                collector.backward(trainer.getLoss().evaluate(new NDList(target), new NDList(out)));
            }
            List<Pair<String, Parameter>> params = model.getBlock().getParameters().stream().toList();
            Parameter first = params.get(0).getValue();
            assertThat(params.get(0).getKey()).startsWith("01down0").endsWith("weight");
            assertThat(first.getArray().getShape().get(1)).isEqualTo(1); // the convolution on the input
            assertThat(gradientNorm(first)).isPositive();
            Parameter decoder = params.stream().filter(p -> p.getKey().contains("fuse0") && p.getKey().endsWith("weight"))
                    .findFirst().orElseThrow().getValue();
            assertThat(gradientNorm(decoder)).isPositive();
            Parameter head = params.get(params.size() - 2).getValue();
            assertThat(gradientNorm(head)).isPositive();
        }
    }

    private static float gradientNorm(Parameter p) {
        return p.getArray().getGradient().abs().sum().getFloat();
    }

    @Test
    void upsamplingRepeatsEachPixelTwiceAlongBothAxesAndIsDifferentiable() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {0, 1, 2, 3}, new Shape(1, 1, 2, 2));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray up = UNet.upsample(x);
                assertThat(up.getShape()).isEqualTo(new Shape(1, 1, 4, 4));
                assertThat(up.toFloatArray()).containsExactly(
                        0f, 0f, 1f, 1f,
                        0f, 0f, 1f, 1f,
                        2f, 2f, 3f, 3f,
                        2f, 2f, 3f, 3f);
                collector.backward(up.mul(manager.arange(16f).reshape(1, 1, 4, 4)).sum());
            }
            // each input pixel's gradient is the sum over its 2x2 block: 0+1+4+5, 2+3+6+7, ...
            assertThat(x.getGradient().toFloatArray()).containsExactly(10f, 18f, 42f, 50f);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"unet", "unet-resnet18"})
    void savedWeightsLoadIntoAFreshModelWithIdenticalOutputs(String arch, @TempDir Path dir) {
        Engine.getInstance().setRandomSeed(4);
        ModelSpec spec = ModelSpec.parse(arch).withWidth(8);
        Shape chw = new Shape(3, 16, 16);
        Shape batch = new Shape(2, 3, 16, 16);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(batch);
            NDArray masks = manager.randomInteger(0, K, new Shape(2, 16, 16), DataType.INT64);
            float[] before;
            byte[] snapshot;
            try (Model model = ModelFactory.create(spec, chw, K);
                    Trainer trainer = Nets.segmentationTrainer(model, batch)) {
                Nets.segmentationStep(trainer, x, masks, K); // moves weights and BatchNorm statistics
                before = Nets.predict(model, manager, x).toFloatArray();
                snapshot = Nets.snapshot(model);
                ModelFactory.saveWeights(model, dir);
                Nets.segmentationStep(trainer, x, masks, K);
                assertThat(Nets.predict(model, manager, x).toFloatArray()).isNotEqualTo(before);
                Nets.restore(model, snapshot);
                assertThat(Nets.predict(model, manager, x).toFloatArray()).containsExactly(before);
            }
            try (Model loaded = ModelFactory.load(spec, chw, K, dir)) {
                assertThat(Nets.predict(loaded, manager, x).toFloatArray()).containsExactly(before);
            }
        }
    }

    @Test
    void spatialDropoutZeroesWholeMapsInTrainingOnlyAndChangesNoParameterName() {
        Engine.getInstance().setRandomSeed(5);
        Shape batch = new Shape(2, 1, 16, 16);
        ModelSpec spec = ModelSpec.of("unet").withWidth(4);
        try (NDManager manager = NDManager.newBaseManager();
                Model plain = ModelFactory.create(spec, new Shape(1, 16, 16), K);
                Trainer t1 = Nets.segmentationTrainer(plain, batch);
                Model dropped = ModelFactory.create(spec.withDropout(0.5), new Shape(1, 16, 16), K);
                Trainer t2 = Nets.segmentationTrainer(dropped, batch)) {
            assertThat(dropped.getBlock().getParameters().keys()).isEqualTo(plain.getBlock().getParameters().keys());
            NDArray x = manager.randomNormal(batch);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray a = dropped.getBlock().forward(store, new NDList(x), true).singletonOrThrow();
            NDArray b = dropped.getBlock().forward(store, new NDList(x), true).singletonOrThrow();
            assertThat(a.toFloatArray()).isNotEqualTo(b.toFloatArray());
            float[] first = Nets.predict(dropped, manager, x).toFloatArray();
            assertThat(Nets.predict(dropped, manager, x).toFloatArray()).containsExactly(first);
        }
    }

    @Test
    void aTaskGetsANetworkOfItsKind() {
        for (String arch : ModelFactory.segmentationArchitectures()) {
            ModelFactory.checkFitsTask(ModelSpec.of(arch), true);
            assertThatThrownBy(() -> ModelFactory.checkFitsTask(ModelSpec.of(arch), false))
                    .isInstanceOf(HoneException.class).hasMessageContaining(arch)
                    .hasMessageContaining("segmentation network").hasMessageContaining("Fix: use --model resnet9");
        }
        for (String arch : ModelFactory.classificationArchitectures()) {
            assertThat(ModelFactory.isSegmentation(ModelSpec.of(arch))).isFalse();
            ModelFactory.checkFitsTask(ModelSpec.of(arch), false);
            assertThatThrownBy(() -> ModelFactory.checkFitsTask(ModelSpec.of(arch), true))
                    .isInstanceOf(HoneException.class).hasMessageContaining("--model " + arch)
                    .hasMessageContaining("Fix: use --model unet");
        }
        assertThat(ModelFactory.isSegmentation(ModelSpec.ofTorchScript(Path.of("net.pt")))).isFalse();
        assertThat(ModelFactory.knownArchitectures()).containsAll(ModelFactory.segmentationArchitectures())
                .containsAll(ModelFactory.classificationArchitectures());
    }

    @Test
    void smallStemAppliesToTheResnetUnetsOnly() {
        assertThat(ModelFactory.withSmallStemFlag(ModelSpec.of("unet-resnet34"), true).smallStem()).isTrue();
        assertThatThrownBy(() -> ModelFactory.withSmallStemFlag(ModelSpec.of("unet"), true))
                .isInstanceOf(HoneException.class).hasMessageContaining("--small-stem has no effect on unet");
    }
}
