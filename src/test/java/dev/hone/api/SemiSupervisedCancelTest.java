package dev.hone.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.train.SyntheticData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semi-supervised phases before the final run (teacher, first round's arms, student), which take most of such a
 * run's budget, report their progress to the API's listeners, and a cancel stops them after the current batch, not once
 * they all end. The cancelled run keeps its work folder with the learners' plan before semi-supervised learning and the
 * teacher that had finished, and a resume starts after the teacher and ends as the same run without the cancel does.
 */
class SemiSupervisedCancelTest {
    @TempDir
    Path tmp;

    private HoneTrainer.Builder run(Path labeled, Path unlabeled, Path out) {
        return Hone.trainer().setData(labeled).optUnlabeled(unlabeled).setModel("resnet9").optWidth(4).optEpochs(20)
                .optBatchSize(16).optSeed(7).optOptimizer("adamw").optLearningRate(0.01).optSchedule("warmup-cosine")
                .optRegularization(false).optSsl("noisy-student").optOut(out);
    }

    /** Hears the phases' progress and the final run's, and cancels at step {@code cancelStep} of {@code cancelAt}. */
    private static final class Listener implements TrainingListener {
        final List<PhaseProgress> phases = new ArrayList<>();
        final List<Progress> steps = new ArrayList<>();
        final AtomicReference<HoneTrainer> trainer = new AtomicReference<>();
        final String cancelAt;
        final long cancelStep;

        Listener(String cancelAt) {
            this(cancelAt, 2);
        }

        Listener(String cancelAt, long cancelStep) {
            this.cancelAt = cancelAt;
            this.cancelStep = cancelStep;
        }

        @Override
        public void onPhaseProgress(PhaseProgress p) {
            phases.add(p);
            if (p.phase().equals(cancelAt) && p.step() == cancelStep) {
                trainer.get().cancel();
            }
        }

        @Override
        public void onProgress(Progress p) {
            steps.add(p);
        }

        List<String> phaseNames() {
            return phases.stream().map(PhaseProgress::phase).distinct().toList();
        }
    }

    @Test
    void aCancelDuringTheFirstRoundStopsItThereAndAResumeFinishes() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 2, 25);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 150, 12, 12, 25);
        Path out = tmp.resolve("run");
        Listener cancelling = new Listener("ssl round 1, student");
        HoneTrainer trainer = run(labeled, unlabeled, out).addListener(cancelling).build();
        cancelling.trainer.set(trainer);

        assertThatThrownBy(trainer::fit).isInstanceOfSatisfying(TrainingCancelledException.class, e -> {
            assertThat(e.phase()).isEqualTo("ssl round 1, student");
            assertThat(e.completedEpochs()).isZero();
            assertThat(e.getMessage()).contains("cancelled during ssl round 1, student").contains("optResume(true)")
                    .contains("a resume continues with the learners' plan saved before semi-supervised learning")
                    .doesNotContain("no epoch had finished");
        });
        assertThat(cancelling.phaseNames()).containsExactly("ssl teacher", "ssl round 1, supervised arm", "ssl round 1, student");
        PhaseProgress last = cancelling.phases.get(cancelling.phases.size() - 1);
        // cancelled as step 2 was reported, once that step had ended: the loop polls at the end of the next one, step 3
        assertThat(last.step()).as("stopped after the batch under way").isEqualTo(3);
        assertThat(last.totalSteps()).as("cut short, not finished").isGreaterThan(3);
        assertThat(cancelling.steps).as("the final run never started").isEmpty();
        PhaseProgress teacherEnd = cancelling.phases.stream().filter(p -> p.phase().equals("ssl teacher")).reduce((a, b) -> b)
                .orElseThrow();
        assertThat(teacherEnd.step()).isEqualTo(teacherEnd.totalSteps()).isPositive();
        assertThat(teacherEnd.fraction()).isEqualTo(1.0);
        assertThat(teacherEnd.eta()).isZero();
        Path work = tmp.resolve(".run.partial");
        assertThat(work).isDirectory();
        assertThat(work.resolve("plan.json")).as("planning had not finished").doesNotExist();
        assertThat(out).doesNotExist();
        // the learners' plan before semi-supervised learning is kept, and so is the teacher, which had finished
        assertThat(work.resolve("plan-before-ssl.json")).exists();
        Path progress = work.resolve("ssl-progress").resolve("progress.json");
        assertThat(progress).exists();
        assertThat(work.resolve("ssl-progress").resolve("teacher-0.weights")).exists();
        markBatchSizeDecision(progress); // a mark in the saved plan shows that the resume reads it back

        Listener resuming = new Listener("none");
        TrainingResult resumed = run(labeled, unlabeled, out).optResume(true).addListener(resuming).build().fit();
        assertThat(resuming.phaseNames()).as("the teacher is not trained again")
                .startsWith("ssl round 1, supervised arm", "ssl round 1, student").doesNotContain("ssl teacher");
        assertThat(resuming.steps).isNotEmpty();
        assertThat(resumed.record().decisions()).filteredOn(d -> d.name().equals("batch-size"))
                .singleElement().satisfies(d -> assertThat(d.rationale()).endsWith(MARK));
        // the record says where the resume went on from, and the time spent before it
        assertThat(resumed.record().decisions()).filteredOn(d -> d.name().equals("resume")).singleElement()
                .satisfies(d -> {
                    assertThat(d.value()).isEqualTo("during semi-supervised learning");
                    assertThat(d.rationale()).contains("resumed after its teacher");
                    assertThat(((Number) d.evidence().get("secondsSpentBefore")).doubleValue()).isPositive();
                });
        assertThat(out.resolve("model")).isDirectory();
        assertThat(out.resolve("plan-before-ssl.json")).doesNotExist();
        assertThat(out.resolve("ssl-progress")).doesNotExist();

        // the same run without the cancel: the same rounds, figure for figure, and the same test accuracy
        TrainingResult straight = run(labeled, unlabeled, tmp.resolve("straight")).build().fit();
        assertThat(rounds(resumed)).isNotEmpty().isEqualTo(rounds(straight));
        assertThat(ssl(resumed).value()).isEqualTo(ssl(straight).value());
        assertThat(resumed.evaluation().accuracy()).isEqualTo(straight.evaluation().accuracy());
    }

    @Test
    void aTeacherCancelledAfterItsFirstEpochsContinuesFromTheirCheckpointOnResume() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 2, 25);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 150, 12, 12, 25);
        Path out = tmp.resolve("run");
        Listener cancelling = new Listener("ssl teacher", 12);
        HoneTrainer trainer = run(labeled, unlabeled, out).addListener(cancelling).build();
        cancelling.trainer.set(trainer);
        assertThatThrownBy(trainer::fit).isInstanceOfSatisfying(TrainingCancelledException.class,
                e -> assertThat(e.phase()).isEqualTo("ssl teacher"));
        long total = cancelling.phases.get(0).totalSteps();
        assertThat(total).as("cancelled part-way").isGreaterThan(13);

        Listener resuming = new Listener("none");
        TrainingResult resumed = run(labeled, unlabeled, out).optResume(true).addListener(resuming).build().fit();
        PhaseProgress first = resuming.phases.get(0);
        assertThat(first.phase()).isEqualTo("ssl teacher");
        assertThat(first.totalSteps()).as("the same teacher").isEqualTo(total);
        // 64 training images in batches of 16: 4 steps an epoch, so steps 1-12 are epochs 1-3 and epoch 4 is left
        assertThat(first.step()).as("after the last finished epoch, not from the start").isEqualTo(13);
        assertThat(rounds(resumed)).isNotEmpty(); // that it ends as an uninterrupted teacher does: TrialResumeTest
        assertThat(out.resolve("model")).isDirectory();
    }

    @Test
    void aCancelDuringSelfSupervisedPretrainingKeepsTheFinishedTeacher() throws Exception {
        Path labeled = SyntheticData.folder(tmp.resolve("labeled"), 40, 12, 2, 25);
        Path unlabeled = SyntheticData.folder(tmp.resolve("unlabeled"), 60, 12, 12, 25);
        Path out = tmp.resolve("run");
        Listener cancelling = new Listener("ssl pretraining (barlow-twins)");
        HoneTrainer trainer = run(labeled, unlabeled, out).optSsl("barlow-twins").addListener(cancelling).build();
        cancelling.trainer.set(trainer);
        assertThatThrownBy(trainer::fit).isInstanceOfSatisfying(TrainingCancelledException.class,
                e -> assertThat(e.phase()).isEqualTo("ssl pretraining (barlow-twins)"));
        assertThat(tmp.resolve(".run.partial").resolve("ssl-progress").resolve("teacher-0.weights")).exists();

        Listener resuming = new Listener("none");
        TrainingResult resumed = run(labeled, unlabeled, out).optSsl("barlow-twins").optResume(true).addListener(resuming)
                .build().fit();
        assertThat(resuming.phaseNames()).as("the teacher is not trained again").doesNotContain("ssl teacher")
                .startsWith("ssl pretraining (barlow-twins)");
        assertThat(ssl(resumed).value()).isEqualTo("barlow-twins");
        assertThat(((Number) ssl(resumed).evidence().get("teacherSeconds")).doubleValue()).as("kept with the teacher").isPositive();
        assertThat(out.resolve("model")).isDirectory();
    }

    private static dev.hone.record.Decision<?> ssl(TrainingResult r) {
        return r.record().decisions().stream().filter(d -> d.name().equals("ssl")).findFirst().orElseThrow();
    }

    /** Each round's figures, without its seconds. */
    private static List<java.util.Map<String, Object>> rounds(TrainingResult r) {
        List<java.util.Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<?>) ssl(r).evidence().get("rounds")) {
            java.util.Map<String, Object> m = new java.util.TreeMap<>();
            ((java.util.Map<?, ?>) o).forEach((k, v) -> m.put(String.valueOf(k), v instanceof Number n ? (Object) n.doubleValue() : v));
            m.remove("seconds");
            out.add(m);
        }
        return out;
    }

    private static final String MARK = " [read back from ssl-progress/progress.json]";

    private static void markBatchSizeDecision(Path progress) throws java.io.IOException {
        var mapper = dev.hone.record.Json.mapper();
        var tree = mapper.readTree(progress.toFile());
        for (var d : tree.get("plan").get("decisions")) {
            if (d.get("name").asText().equals("batch-size")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) d).put("rationale", d.get("rationale").asText() + MARK);
            }
        }
        mapper.writeValue(progress.toFile(), tree);
    }
}
