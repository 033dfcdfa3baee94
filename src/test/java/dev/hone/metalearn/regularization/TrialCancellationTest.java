package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.PhaseCancelledException;
import dev.hone.loop.PhaseHooks;
import dev.hone.loop.PhaseStatus;
import dev.hone.loop.ResidentDataset;
import dev.hone.models.ModelSpec;
import dev.hone.tasks.SingleLabel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A trial stops after the batch in which its caller cancelled, and a phase's trial reports every step to the caller. */
class TrialCancellationTest {
    @TempDir
    Path tmp;

    private TrialRunner.Setup setup(ImageSet train, PhaseHooks hooks) {
        return new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 16, 16), 3, SingleLabel.INSTANCE, "adamw",
                3e-3, 0.05, 8, 3, 7L, Normalization.of(train), Engine.getInstance().defaultDevice(), tmp.resolve("s"))
                .withHooks(hooks);
    }

    @Test
    void aCancelledTrialStopsAfterItsBatchAndThrows() {
        ImageSet train = FlipRejectionTest.mirrored(8, 1); // 24 images: 3 batches an epoch, 9 steps in 3 epochs
        AtomicInteger polls = new AtomicInteger();
        List<PhaseStatus> heard = new ArrayList<>();
        // cancelled from the fourth batch's end on: the trial stops there, in its second epoch
        TrialRunner.Setup s = setup(train, new PhaseHooks(() -> polls.incrementAndGet() >= 4, heard::add));
        try (ResidentDataset t = new ResidentDataset(train, s.norm(), s.device())) {
            TrialRunner search = new TrialRunner(s, t, t, t);
            assertThatThrownBy(() -> search.run(RegularizationPolicy.NONE, model -> { }))
                    .isInstanceOf(PhaseCancelledException.class).hasMessage("cancelled during meta-learning");
            assertThat(polls).hasValue(4);
            assertThat(heard).as("the search's trials report no progress").isEmpty();

            polls.set(0);
            TrialRunner teacher = new TrialRunner(s, t, t, t).withProgress("ssl teacher");
            assertThatThrownBy(() -> teacher.run(RegularizationPolicy.NONE, model -> { }))
                    .isInstanceOfSatisfying(PhaseCancelledException.class, e -> assertThat(e.phase()).isEqualTo("ssl teacher"));
            assertThat(heard).extracting(PhaseStatus::step).containsExactly(1L, 2L, 3L, 4L);
            assertThat(heard).allSatisfy(p -> {
                assertThat(p.phase()).isEqualTo("ssl teacher");
                assertThat(p.totalSteps()).isEqualTo(9);
            });
            assertThat(heard.get(3).fraction()).isEqualTo(4 / 9.0);
        }
    }

    @Test
    void aCancelDuringTheRegularizationSearchNamesIt() {
        ImageSet train = FlipRejectionTest.mirrored(70, 1);
        ImageSet validation = FlipRejectionTest.mirrored(70, 2);
        AtomicInteger polls = new AtomicInteger();
        TrialRunner.Setup s = setup(train, new PhaseHooks(() -> polls.incrementAndGet() >= 5, p -> { })).withEpochs(0);
        assertThatThrownBy(() -> RegularizationLearner.learn(s, train, validation, false, 0, 0, 1_000_000))
                .isInstanceOfSatisfying(PhaseCancelledException.class,
                        e -> assertThat(e.phase()).isEqualTo("the regularization search"));
        assertThat(polls).as("stopped in the warm-up's fifth batch, not after the search").hasValue(5);
    }

    @Test
    void anUncancelledTrialRunsItsStepsAndReportsEachOne() {
        ImageSet train = FlipRejectionTest.mirrored(8, 1);
        List<PhaseStatus> heard = new ArrayList<>();
        TrialRunner.Setup s = setup(train, new PhaseHooks(() -> false, heard::add));
        try (ResidentDataset t = new ResidentDataset(train, s.norm(), s.device())) {
            PolicySearch.Outcome o = new TrialRunner(s, t, t, t).withProgress("ssl teacher").run(RegularizationPolicy.NONE, m -> { });
            assertThat(o.accuracy()).isBetween(0.0, 1.0);
        }
        assertThat(heard).extracting(PhaseStatus::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(heard.get(8).etaSeconds()).isZero();
        assertThat(heard.get(8).line()).startsWith("ssl teacher: step 9 of 9 (100%), ").endsWith(", ETA 0 s");
    }
}
