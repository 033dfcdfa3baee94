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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resumable run cancelled part-way continues from its last finished epoch, to the weights of an uninterrupted run. */
class TrialResumeTest {
    @TempDir
    Path tmp;

    private static final RegularizationPolicy POLICY = RegularizationPolicy.NONE.withDropout(0.2);

    private TrialRunner.Setup setup(ImageSet train, Path scratch, PhaseHooks hooks) {
        return new TrialRunner.Setup(ModelSpec.of("resnet9").withWidth(4), new Shape(1, 16, 16), 3, SingleLabel.INSTANCE, "adamw",
                3e-3, 0.05, 8, 3, 7L, Normalization.of(train), Engine.getInstance().defaultDevice(), scratch).withHooks(hooks);
    }

    private static float[][] run(TrialRunner runner, long steps) {
        float[][][] weights = new float[1][][];
        runner.run(POLICY, model -> weights[0] = TrialRunner.capture(model), steps);
        return weights[0];
    }

    @Test
    void aCancelledResumableRunContinuesFromItsLastEpochToTheUninterruptedWeights() {
        ImageSet train = FlipRejectionTest.mirrored(8, 1); // 24 images: 3 batches an epoch, 9 steps in 3 epochs
        Path scratch = tmp.resolve("ssl");
        try (ResidentDataset t = new ResidentDataset(train, Normalization.of(train), Engine.getInstance().defaultDevice())) {
            float[][] uninterrupted = run(new TrialRunner(setup(train, tmp.resolve("other"), PhaseHooks.NONE), t, t, t), 9);

            AtomicInteger polls = new AtomicInteger(); // cancelled at the fifth batch's end: epoch 1's checkpoint is the last
            TrialRunner first = new TrialRunner(setup(train, scratch, new PhaseHooks(() -> polls.incrementAndGet() >= 5,
                    p -> { })), t, t, t).withProgress("ssl teacher").resumable();
            assertThatThrownBy(() -> run(first, 9)).isInstanceOf(PhaseCancelledException.class);
            assertThat(scratch).as("the checkpoint stays for the resume").isDirectory();

            List<PhaseStatus> heard = new ArrayList<>();
            TrialRunner again = new TrialRunner(setup(train, scratch, new PhaseHooks(() -> false, heard::add)), t, t, t)
                    .withProgress("ssl teacher").resumable();
            float[][] resumed = run(again, 9);
            assertThat(heard).as("epochs 2 and 3 only").extracting(PhaseStatus::step).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(resumed).isDeepEqualTo(uninterrupted);
            assertThat(scratch).doesNotExist();
            assertThat(Files.exists(tmp.resolve("ssl.trial"))).isFalse();
        }
    }

    @Test
    void anotherRunDoesNotTakeUpTheCheckpointAndStartsOver() {
        ImageSet train = FlipRejectionTest.mirrored(8, 1);
        Path scratch = tmp.resolve("ssl");
        try (ResidentDataset t = new ResidentDataset(train, Normalization.of(train), Engine.getInstance().defaultDevice())) {
            AtomicInteger polls = new AtomicInteger();
            TrialRunner first = new TrialRunner(setup(train, scratch, new PhaseHooks(() -> polls.incrementAndGet() >= 5,
                    p -> { })), t, t, t).withProgress("ssl teacher").resumable();
            assertThatThrownBy(() -> run(first, 9)).isInstanceOf(PhaseCancelledException.class);

            List<PhaseStatus> heard = new ArrayList<>();
            TrialRunner shorter = new TrialRunner(setup(train, scratch, new PhaseHooks(() -> false, heard::add)), t, t, t)
                    .withProgress("ssl teacher").resumable();
            run(shorter, 6); // other steps: another schedule, so another run
            assertThat(heard).extracting(PhaseStatus::step).first().isEqualTo(1L);
            assertThat(scratch).doesNotExist();
        }
    }
}
