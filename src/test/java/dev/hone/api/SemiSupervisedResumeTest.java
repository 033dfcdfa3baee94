package dev.hone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Noisy Student run cancelled while the student trains resumes from the saved plan, pseudo-labels and teacher to
 * the weights of a run never cancelled, and its guard-rail makes the same choice: a student from the first teacher
 * (12 epochs), one from a promoted round's student (20 epochs), and a multi-label student.
 */
class SemiSupervisedResumeTest {
    @TempDir
    Path tmp;

    private HoneTrainer.Builder run(Path labeled, Path unlabeled, Path out, int epochs) {
        return Hone.trainer().setData(labeled).optUnlabeled(unlabeled).setModel("resnet9").optWidth(4).optEpochs(epochs)
                .optBatchSize(16).optSeed(7).optOptimizer("adamw").optLearningRate(0.01).optSchedule("warmup-cosine")
                .optRegularization(false).optOut(out);
    }

    /** 12 epochs: no room for a round, a student trains; 20: a round runs, ties its perfect teacher and wins on loss. */
    @ParameterizedTest
    @CsvSource({"12, false", "20, false", "12, true"})
    void aStudentCancelledMidRunResumesToTheUncancelledWeights(int epochs, boolean multiLabel) throws Exception {
        // multi-label: the pseudo-label sets are saved as multi-hot bytes and rebuilt on the resume
        Path labeled = multiLabel ? SyntheticData.multiLabel(tmp.resolve("labeled"), 120, 12, 1)
                : SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 1);
        Path unlabeled = multiLabel ? SyntheticData.multiLabel(tmp.resolve("unlabeled"), 90, 12, 2).resolveSibling("img")
                : SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 2);
        Path out = tmp.resolve("cancelled");
        AtomicReference<HoneTrainer> trainer = new AtomicReference<>();
        // the teacher trains outside the final run's loop, so the first progress of epoch 2 is the student's
        HoneTrainer cancelling = run(labeled, unlabeled, out, epochs).addListener(new TrainingListener() {
            @Override
            public void onProgress(Progress p) {
                if (p.epoch() == 2 && p.batch() == 2) {
                    trainer.get().cancel();
                }
            }
        }).build();
        trainer.set(cancelling);
        assertThatThrownBy(cancelling::fit).isInstanceOf(TrainingCancelledException.class);
        Path work = tmp.resolve(".cancelled.partial");
        assertThat(work.resolve("teacher.weights")).exists();
        boolean student = "noisy-student".equals(value(work.resolve("plan.json"), "ssl"));
        // 12 epochs leave no room for a round; at 20 the round's student ties the perfect teacher and wins on validation
        // loss, so both runs train a student (the continuation after a losing round is not reached by this data)
        assertThat(student).isTrue();
        assertThat(work.resolve("pseudo-labels.json")).matches(p -> Files.exists(p) == student, "exists only for a student");

        TrainingResult resumed = run(labeled, unlabeled, out, epochs).optResume(true).build().fit();
        TrainingResult straight = run(labeled, unlabeled, tmp.resolve("straight"), epochs).build().fit();

        assertThat(resumed.record().decisions()).anySatisfy(d -> assertThat(d.name()).isEqualTo("ssl-guard-rail"));
        assertThat(value(resumed, "ssl-guard-rail")).isEqualTo(value(straight, "ssl-guard-rail"));
        assertThat(Files.readAllBytes(resumed.modelDir().resolve("model-0000.params")))
                .isEqualTo(Files.readAllBytes(straight.modelDir().resolve("model-0000.params")));
        assertThat(resumed.outputDir().resolve("teacher.weights")).doesNotExist();
    }

    private static String value(Path plan, String name) throws java.io.IOException {
        for (var d : dev.hone.record.Json.mapper().readTree(plan.toFile()).get("decisions")) {
            if (d.get("name").asText().equals(name)) {
                return d.get("value").asText();
            }
        }
        return null;
    }

    private static Object value(TrainingResult r, String name) {
        return r.record().decisions().stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow().value();
    }
}
