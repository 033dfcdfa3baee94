package dev.hone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.hone.core.HoneException;
import dev.hone.models.ModelSpec;
import dev.hone.models.UserBlocks;
import dev.hone.record.Decision;
import dev.hone.train.ModelDescriptor;
import dev.hone.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's own DJL block as the architecture: trained through the API at the input shape it names,
 * recorded by its factory's class, and served again by {@link HoneModel#load} and DJL's {@code Criteria}.
 */
class UserBlockTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path modelDir;
    static List<Decision<?>> decisions = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A small CNN, as a user would write one: a public class with a public no-argument constructor. */
    public static final class TinyCnn implements BlockFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
            int outputs = (Integer) arguments.get(UserBlocks.OUTPUTS);
            return new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(8).build())
                    .add(Activation::relu)
                    .add(Pool.globalAvgPool2dBlock())
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(outputs).build());
        }
    }

    @BeforeAll
    static void train() {
        // the images are 12x12; the network asks for 16x16, so hone resizes them
        data = SyntheticData.folder(tmp.resolve("images"), 30, 12, 3);
        modelDir = Hone.trainer().setData(data).setModel(new TinyCnn(), new Shape(1, 16, 16)).optEpochs(2).optBatchSize(16)
                .optSeed(5).optOptimizer("adamw").optLearningRate(0.01).optSchedule("warmup-cosine").optRegularization(false)
                .optOut(tmp.resolve("run")).addListener(new TrainingListener() {
                    @Override public void onDecision(Decision<?> d) { decisions.add(d); }
                }).build().fit().modelDir();
    }

    @Test
    void trainsAtTheBlocksInputShapeAndRecordsTheFactory() {
        ModelDescriptor d = ModelDescriptor.read(modelDir);
        assertThat(d.model().architecture()).isEqualTo(ModelSpec.USER_BLOCK);
        assertThat(d.model().blockFactory()).isEqualTo(TinyCnn.class.getName());
        assertThat(d.model().dropout()).isZero();
        assertThat(d.inputShape().getShape()).containsExactly(1, 16, 16);
        assertThat(decisions).isNotEmpty();
    }

    @Test
    void loadsAgainThroughHoneModelAndCriteriaWithTheSameOutputs() throws Exception {
        Image image = ImageFactory.getInstance().fromFile(firstImage());
        Classifications viaHone;
        try (HoneModel model = HoneModel.load(modelDir); Predictor<Image, Classifications> p = model.newPredictor()) {
            viaHone = p.predict(image);
        }
        Criteria<Image, Classifications> criteria = Criteria.builder().setTypes(Image.class, Classifications.class)
                .optModelPath(modelDir).optTranslatorFactory(new HoneTranslatorFactory()).build();
        try (ZooModel<Image, Classifications> model = criteria.loadModel(); Predictor<Image, Classifications> p = model.newPredictor()) {
            Classifications viaCriteria = p.predict(image);
            for (int k = 0; k < SyntheticData.CLASSES.size(); k++) {
                assertThat(viaCriteria.item(k).getProbability()).isCloseTo(viaHone.item(k).getProbability(), within(1e-5));
            }
        }
    }

    /** A head of 7 outputs whatever the task asks for. */
    public static final class WrongHead implements BlockFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
            return new SequentialBlock().add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(7).build());
        }
    }

    @Test
    void aBlockWithTheWrongHeadIsRefusedBeforeTrainingNamingTheFactory() {
        assertThatThrownBy(() -> Hone.trainer().setData(data).setModel(new WrongHead(), new Shape(1, 12, 12)).optEpochs(1)
                .optOut(tmp.resolve("wrong")).build().fit())
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(WrongHead.class.getName())
                .hasMessageContaining("(1, 3)")
                .hasMessageContaining("(1, 7)");
        assertThat(tmp.resolve("wrong")).doesNotExist();
    }

    @Test
    void aLambdaIsRefusedAsItsClassNameChangesFromRunToRun() {
        BlockFactory lambda = (model, path, arguments) -> new TinyCnn().newBlock(model, path, arguments);
        assertThatThrownBy(() -> Hone.trainer().setData(data).setModel(lambda, new Shape(1, 12, 12)).optEpochs(1)
                .optOut(tmp.resolve("lambda")).build().fit())
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("lambda")
                .hasMessageContaining("Fix: write the factory as a named class");
    }

    @Test
    void loadingWithAFactoryOfAnotherClassIsRefused() {
        assertThatThrownBy(() -> HoneModel.load(modelDir, new WrongHead()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(TinyCnn.class.getName())
                .hasMessageContaining(WrongHead.class.getName());
        try (HoneModel model = HoneModel.load(modelDir, new TinyCnn())) {
            assertThat(model.getClasses()).isEqualTo(SyntheticData.CLASSES);
        }
    }

    @Test
    void aFactoryThatCannotBeCreatedByNameIsExplained() {
        assertThatThrownBy(() -> UserBlocks.newBlock("com.example.Missing", null, null, new Shape(1, 8, 8), 3))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("com.example.Missing")
                .hasMessageContaining("HoneModel.load(dir, factory)");
    }

    @Test
    void widthCannotBeSetOnAUsersNetwork() {
        assertThatThrownBy(() -> Hone.trainer().setData(data).setModel(new TinyCnn(), new Shape(1, 12, 12)).optWidth(8)
                .optOut(tmp.resolve("width")).build().fit())
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("optWidth 8 has no effect");
    }

    private static Path firstImage() throws java.io.IOException {
        try (Stream<Path> walk = Files.walk(data)) {
            return walk.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
        }
    }
}
