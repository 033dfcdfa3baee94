package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.tasks.Predictions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslProgressTest {
    @TempDir
    Path work;

    private static final TrainingPlan PLAN = new TrainingPlan(42, 3, 400, 64, "adamw", 3e-3, 0.05, "warmup-cosine", 0.1, 0.99f,
            0, 1800, List.of(new Decision<>("ssl-pretraining", "none", Origin.LEARNED, "teacher against pretraining", "why",
                    Map.of("teacherSeconds", 12.5), Duration.ofSeconds(3))), 1, null);

    private static SslRounds.Teacher teacher(float shift) {
        Predictions v = new Predictions(new float[][] {{0.9f, 0.1f}, {0.2f + shift, 0.8f - shift}}, new int[] {0, 1},
                new float[][] {{1, 0}, {0, 1}}, 0.17, 1.0, new double[] {0.105, 0.223});
        return new SslRounds.Teacher(1.0, v, new float[][] {{0.6f, 0.4f}, {0.01f, 0.99f}, {0.5f, 0.5f}},
                new float[][] {{shift, 2f}, {3f}});
    }

    private static Map<String, Object> round(int n) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("round", n);
        r.put("studentSteps", 120L);
        r.put("studentScore", 0.875);
        r.put("promoted", true);
        return r;
    }

    @Test
    void aSavedTeacherAndTheRoundsReadBackAsTheyWere() {
        SslRounds.Teacher t = teacher(0.05f);
        SslProgress.save(work, 321.5, 200.25, PLAN, 2560, List.of(round(1)), t);

        SslProgress.Resumed r = SslProgress.resume(work);
        assertThat(r.teacher().weights()).isDeepEqualTo(t.weights());
        assertThat(r.teacher().pool()).isDeepEqualTo(t.pool());
        assertThat(r.teacher().score()).isEqualTo(1.0);
        assertThat(r.teacher().validation().probabilities()).isDeepEqualTo(t.validation().probabilities());
        assertThat(r.teacher().validation().labels()).containsExactly(0, 1);
        assertThat(r.teacher().validation().imageLosses()).containsExactly(0.105, 0.223);
        assertThat(r.teacher().validation().meanLoss()).isEqualTo(0.17);
        assertThat(r.saved().teacherSteps()).isEqualTo(2560);
        assertThat(r.saved().sslSeconds()).isEqualTo(200.25);
        assertThat(r.saved().rounds()).singleElement().satisfies(m -> {
            assertThat(m.get("promoted")).isEqualTo(true);
            assertThat(((Number) m.get("studentScore")).doubleValue()).isEqualTo(0.875);
        });
        assertThat(r.saved().plan().decisions()).singleElement()
                .satisfies(d -> assertThat(d.name()).isEqualTo("ssl-pretraining"));
    }

    @Test
    void aLaterSaveReplacesTheEarlierOnesFilesAndClearRemovesEverything() {
        SslProgress.save(work, 100, 50, PLAN, 2560, List.of(), teacher(0f));
        SslProgress.save(work, 300, 250, PLAN, 2560, List.of(round(1)), teacher(0.5f));
        Path dir = work.resolve(SslProgress.DIR);
        assertThat(dir.resolve("teacher-1.weights")).exists();
        assertThat(dir.resolve("teacher-0.weights")).doesNotExist();
        assertThat(SslProgress.resume(work).teacher().weights()[0][0]).isEqualTo(0.5f);

        SslProgress.clear(work);
        assertThat(dir).doesNotExist();
        assertThat(SslProgress.resume(work)).isNull();
    }

    @Test
    void aResumedBudgetCountsTheSecondsSpentBeforeTheSave() {
        long now = 1_000_000_000_000L;
        assertThat(SslProgress.budgetStart(work, now)).as("nothing saved").isEqualTo(now);
        SslProgress.saveStart(work, 240);
        assertThat(SslProgress.budgetStart(work, now)).isEqualTo(now - 240_000_000_000L);
        assertThat(SslProgress.resume(work)).as("only the time before semi-supervised learning").isNull();
        SslProgress.save(work, 900, 600, PLAN, 2560, List.of(), teacher(0f));
        assertThat(SslProgress.budgetStart(work, now)).isEqualTo(now - 900_000_000_000L);
    }

    @Test
    void aStartedTeachersStepsAreKeptUntilItFinishesSoAResumeTrainsTheSameOne() {
        SslProgress.saveTeacherStart(work, 1280);
        assertThat(SslProgress.teacherStepsStarted(work)).as("no save before semi-supervised learning").isZero();
        SslProgress.saveStart(work, 240);
        assertThat(SslProgress.teacherStepsStarted(work)).isZero();
        SslProgress.saveTeacherStart(work, 1280);
        SslProgress.spent(work, 410);
        assertThat(SslProgress.teacherStepsStarted(work)).isEqualTo(1280);
        assertThat(SslProgress.budgetStart(work, 1_000_000_000_000L)).isEqualTo(1_000_000_000_000L - 410_000_000_000L);
        assertThat(SslProgress.resume(work)).as("no teacher finished yet").isNull();
        SslProgress.save(work, 900, 600, PLAN, 1280, List.of(), teacher(0f));
        assertThat(SslProgress.teacherStepsStarted(work)).as("the teacher finished").isZero();
    }

    /** What the message of an interrupted run says a resume continues semi-supervised learning from (ResumePoint). */
    @Test
    void theResumePointNamesTheLastSavedPart() {
        assertThat(SslProgress.resumePoint(work)).isEqualTo("from its start");
        SslProgress.saveStart(work, 240);
        assertThat(SslProgress.resumePoint(work)).isEqualTo("from its start");
        SslProgress.saveTeacherStart(work, 1280);
        assertThat(SslProgress.resumePoint(work)).isEqualTo("with its teacher from the teacher's last finished epoch");
        SslProgress.save(work, 900, 600, PLAN, 1280, List.of(), teacher(0f));
        assertThat(SslProgress.resumePoint(work)).isEqualTo("after its teacher");
        SslProgress.save(work, 1200, 900, PLAN, 1280, List.of(round(1)), teacher(0.5f));
        assertThat(SslProgress.resumePoint(work)).isEqualTo("after round 1");
        assertThat(SslProgress.resume(work)).as("reading it discards nothing").isNotNull();
    }

    @Test
    void theTimeSpentAfterTheLastSaveIsKeptSoAResumeCountsTheUnfinishedPartToo() {
        long now = 1_000_000_000_000L;
        SslProgress.spent(work, 50);
        assertThat(work.resolve(SslProgress.DIR)).as("no save, nothing to update").doesNotExist();
        SslProgress.saveStart(work, 240);
        SslProgress.spent(work, 410);
        assertThat(SslProgress.budgetStart(work, now)).isEqualTo(now - 410_000_000_000L);
        assertThat(SslProgress.resume(work)).as("still only the time before semi-supervised learning").isNull();
        SslProgress.save(work, 900, 600, PLAN, 2560, List.of(round(1)), teacher(0.5f));
        SslProgress.spent(work, 1_000);
        SslProgress.spent(work, 950); // never back
        assertThat(SslProgress.budgetStart(work, now)).isEqualTo(now - 1_000_000_000_000L);
        SslProgress.Resumed r = SslProgress.resume(work);
        assertThat(r.teacher().weights()[0][0]).as("the teacher saved is kept").isEqualTo(0.5f);
        assertThat(r.saved().rounds()).hasSize(1);
        assertThat(r.saved().sslSeconds()).as("the 100 s after the save were spent in semi-supervised learning").isEqualTo(700);
        assertThat(SslProgress.sslSeconds(work)).isEqualTo(700);
    }

    @Test
    void theSecondsOfATeacherKilledBeforeItsSaveCountAsSemiSupervisedTime() {
        assertThat(SslProgress.sslSeconds(work)).as("nothing saved").isZero();
        SslProgress.saveStart(work, 240);
        assertThat(SslProgress.sslSeconds(work)).isZero();
        SslProgress.spent(work, 410);
        assertThat(SslProgress.sslSeconds(work)).as("the teacher trained 170 s before the kill").isEqualTo(170);
    }

    @Test
    void keepingTimeUpdatesTheSaveEveryTenSecondsWhileThePhaseReportsProgress() {
        SslProgress.saveStart(work, 1);
        List<dev.hone.loop.PhaseStatus> heard = new java.util.ArrayList<>();
        long[] clock = {500_000_000_000L}; // the budget began at 0, 500 s ago
        dev.hone.loop.PhaseHooks hooks = SslProgress.keepingTime(new dev.hone.loop.PhaseHooks(() -> false, heard::add), work,
                0, () -> clock[0]);
        dev.hone.loop.PhaseStatus status = new dev.hone.loop.PhaseStatus("ssl teacher", 1, 10, 0.5, 4.5);
        clock[0] += 5_000_000_000L;
        hooks.progress().accept(status);
        assertThat(heard).containsExactly(status);
        assertThat(SslProgress.budgetStart(work, 0)).as("not before 10 s of training").isEqualTo(-1_000_000_000L);
        clock[0] += 6_000_000_000L;
        hooks.progress().accept(status);
        assertThat(SslProgress.budgetStart(work, 0)).isEqualTo(-511_000_000_000L);
        assertThat(heard).hasSize(2);
    }

    @Test
    void aSaveWithAMissingFileIsDiscardedAndTheBudgetStartsFromTheResume() throws Exception {
        SslProgress.save(work, 100, 50, PLAN, 2560, List.of(), teacher(0f));
        Files.delete(work.resolve(SslProgress.DIR).resolve("teacher-0.unlabeled"));
        long now = 1_000_000_000_000L;
        assertThat(SslProgress.budgetStart(work, now)).as("the teacher trains again, so its seconds are not counted")
                .isEqualTo(now);
        assertThat(work.resolve(SslProgress.DIR)).doesNotExist();
        assertThat(SslProgress.resume(work)).isNull();
    }

    @Test
    void aDamagedIndexOrWeightsFileIsDiscardedNotThrown() throws Exception {
        SslProgress.save(work, 100, 50, PLAN, 2560, List.of(), teacher(0f));
        Files.writeString(work.resolve(SslProgress.DIR).resolve(SslProgress.INDEX), "{not json");
        assertThat(SslProgress.resume(work)).isNull();
        assertThat(work.resolve(SslProgress.DIR)).doesNotExist();

        SslProgress.save(work, 100, 50, PLAN, 2560, List.of(), teacher(0f));
        Path weights = work.resolve(SslProgress.DIR).resolve("teacher-0.weights");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[4] = 0x7f; // the parameter count: about two billion arrays, more than the file holds
        Files.write(weights, bytes);
        assertThat(SslProgress.resume(work)).isNull();
        assertThat(work.resolve(SslProgress.DIR)).doesNotExist();
    }

    @Test
    void aDamagedWeightsFileIsRefusedWithItsNameAndTheFix() throws Exception {
        Path file = work.resolve("teacher.weights");
        TeacherWeights.write(file, new float[][] {{1f, 2f}, {3f}});
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 2));
        assertThatThrownBy(() -> TeacherWeights.read(file)).isInstanceOf(HoneException.class)
                .hasMessageContaining("teacher.weights").hasMessageContaining("ends early")
                .hasMessageContaining("delete " + work.toAbsolutePath());
        bytes[8] = (byte) 0xff; // the first array's length: negative
        Files.write(file, bytes);
        assertThatThrownBy(() -> TeacherWeights.read(file)).isInstanceOf(HoneException.class)
                .hasMessageContaining("damaged");
    }
}
