package dev.hone.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.Trainer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

class ArchitecturesTest {

    static Stream<Arguments> everyArchitectureAndInput() {
        List<Arguments> cases = new ArrayList<>();
        for (String arch : ModelFactory.classificationArchitectures()) {
            cases.add(Arguments.of(arch, false, new Shape(1, 28, 28)));
            cases.add(Arguments.of(arch, false, new Shape(3, 32, 32)));
        }
        cases.add(Arguments.of("resnet18", true, new Shape(1, 28, 28)));
        cases.add(Arguments.of("mobilenetv2", true, new Shape(3, 32, 32)));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} smallStem={1} {2}")
    @MethodSource("everyArchitectureAndInput")
    void buildsInitializesAndRunsForward(String arch, boolean smallStem, Shape chw) {
        Engine.getInstance().setRandomSeed(7);
        ModelSpec spec = ModelSpec.parse(arch).withSmallStem(smallStem);
        Shape batch = new Shape(2, chw.get(0), chw.get(1), chw.get(2));
        try (Model model = ModelFactory.create(spec, chw, 10);
                Trainer trainer = Nets.trainer(model, batch);
                NDManager manager = NDManager.newBaseManager()) {
            NDArray out = Nets.predict(model, manager, manager.randomNormal(batch));
            assertThat(out.getShape()).isEqualTo(new Shape(2, 10));
            assertThat(out.isNaN().any().getBoolean()).isFalse();
        }
    }

    @Test
    void resnet9HasTheReferenceParameterCount() {
        // Reference network, width 32, 1 input channel, 10 classes; conv = in*out*3*3 (no bias),
        // BatchNorm = 2*out trainable (gamma, beta) + 2*out running statistics.
        long cbr1 = 1 * 32 * 9 + 2 * 32;         //     352
        long cbr2 = 32 * 64 * 9 + 2 * 64;        //  18,560
        long res1 = 2 * (64 * 64 * 9 + 2 * 64);  //  73,984
        long cbr3 = 64 * 128 * 9 + 2 * 128;      //  73,984
        long res2 = 2 * (128 * 128 * 9 + 2 * 128); // 295,424
        long head = 128 * 10 + 10;               //   1,290
        long expected = cbr1 + cbr2 + res1 + cbr3 + res2 + head;
        assertThat(expected).isEqualTo(463_594L); // what PyTorch's sum(p.numel()) reports
        long runningStats = 2L * (32 + 64 + 64 + 64 + 128 + 128 + 128);
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9"), new Shape(1, 28, 28), 10);
                Trainer trainer = Nets.trainer(model, new Shape(1, 1, 28, 28))) {
            assertThat(Nets.trainableCount(model)).isEqualTo(expected);
            long all = model.getBlock().getParameters().stream()
                    .mapToLong(p -> p.getValue().getArray().size()).sum();
            assertThat(all).isEqualTo(expected + runningStats);
        }
    }

    @Test
    void cifarResnet20HasAbout270kParameters() {
        // stem 3*16*9 + 32; stage1 6 convs of 16*16*9 (+32 BN each); stage2 16*32*9 + 5*32*32*9 (+64 BN
        // each); stage3 32*64*9 + 5*64*64*9 (+128 BN each); head 64*10 + 10. Option A adds nothing.
        long expected = (432 + 32) + 6 * (2304 + 32) + (4608 + 64) + 5 * (9216 + 64)
                + (18432 + 128) + 5 * (36864 + 128) + 650;
        assertThat(expected).isEqualTo(269_722L);
        try (Model model = ModelFactory.create(ModelSpec.of("resnet20"), new Shape(3, 32, 32), 10);
                Trainer trainer = Nets.trainer(model, new Shape(1, 3, 32, 32))) {
            assertThat(Nets.trainableCount(model)).isEqualTo(expected);
        }
    }

    @Test
    void widthScalesResnet9() {
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9").withWidth(16),
                        new Shape(1, 28, 28), 10);
                Trainer trainer = Nets.trainer(model, new Shape(1, 1, 28, 28))) {
            long expected = (9 * 16 + 32) + (16 * 32 * 9 + 64) + 2 * (32 * 32 * 9 + 64)
                    + (32 * 64 * 9 + 128) + 2 * (64 * 64 * 9 + 128) + (64 * 10 + 10);
            assertThat(Nets.trainableCount(model)).isEqualTo(expected);
        }
    }
}
