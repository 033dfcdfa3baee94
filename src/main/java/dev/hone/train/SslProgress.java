package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.loop.PhaseHooks;
import dev.hone.record.Json;
import dev.hone.tasks.Predictions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What semi-supervised planning has finished, saved in the run's work folder so that a run killed (or cancelled) during
 * it resumes after the last finished part instead of training its teacher and rounds again. Noisy Student saves it after
 * its teacher (and the choice of a pretrained one) and after every round whose student became the next teacher: the
 * teacher then in charge (its weights, its validation predictions and its probabilities on the unlabeled images, from
 * which the next pseudo-labels follow), the rounds so far, and the plan with the decisions made so far. A first teacher
 * cut short continues from its last finished epoch: its steps are saved as it starts ({@link #saveTeacherStart}).
 *
 * <p>Each save writes its teacher's files under new names and then the index ({@value #INDEX}) atomically, so a kill
 * leaves the old save or the new one. The index also keeps the run's seconds spent, updated while the teacher, a round or
 * pretraining trains ({@link #keepingTime}): a budgeted run that resumes counts them against its budget, so the time it
 * spent before the kill, including the part it trains again, is not given again. A save that
 * cannot be read back (a file damaged or removed by hand) is discarded with a warning: the run then starts
 * semi-supervised learning again from the learners' plan saved before it, instead of failing or losing that plan.
 */
final class SslProgress {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    /** The folder in the work folder that holds the saves. */
    static final String DIR = "ssl-progress";
    static final String INDEX = "progress.json";

    private SslProgress() {}

    /**
     * One save.
     *
     * @param secondsSpent the run's seconds from its start (data loading included) when it was saved, updated while the
     *     phase after it trains ({@link #keepingTime})
     * @param sslSeconds the seconds semi-supervised planning had taken by then
     * @param plan the learners' plan with every decision made so far (the pretrained teacher's included); null for a save
     *     made before semi-supervised learning began, which keeps only the seconds
     * @param teacherSteps the first teacher's steps on the labeled images
     * @param rounds the rounds finished, as the record shows them
     * @param teacherScore the validation score of the teacher in charge
     * @param files the suffix of that teacher's files ({@code -N}, N the rounds finished)
     * @param teacherSeconds the first teacher's training seconds, which size the fine-tuning after self-supervised
     *     pretraining; 0 where it does not matter (and in saves written before it was kept)
     */
    record Saved(double secondsSpent, double sslSeconds, TrainingPlan plan, long teacherSteps, List<Map<String, Object>> rounds,
            double teacherScore, String files, double teacherSeconds) {}

    /** The teacher in charge and what planning had done when it was saved. */
    record Resumed(Saved saved, SslRounds.Teacher teacher) {}

    /** Saves the time spent before semi-supervised learning begins, so a resume from the learners' plan counts it. */
    static void saveStart(Path work, double secondsSpent) {
        write(work, new Saved(secondsSpent, 0, null, 0, List.of(), Double.NaN, null, 0));
    }

    /**
     * Adds the first teacher's steps to the save made before semi-supervised learning began ({@link #saveStart}), as the
     * teacher starts: a run killed while it trains then trains the same teacher again, which continues from its last
     * finished epoch ({@link dev.hone.metalearn.regularization.TrialRunner#resumable}) where steps re-planned from the
     * time left would start it over. Nothing when there is no such save.
     */
    static void saveTeacherStart(Path work, long teacherSteps) {
        Saved s = startSave(work);
        if (s != null) {
            write(work, new Saved(s.secondsSpent(), s.sslSeconds(), null, teacherSteps, s.rounds(), s.teacherScore(), s.files(),
                    s.teacherSeconds()));
        }
    }

    /** The steps of a first teacher that started and did not finish ({@link #saveTeacherStart}); 0 when there is none. */
    static long teacherStepsStarted(Path work) {
        Saved s = startSave(work);
        return s == null ? 0 : s.teacherSteps();
    }

    /** The save made before semi-supervised learning began, or null when there is none, another, or none readable. */
    private static Saved startSave(Path work) {
        try {
            Saved s = last(work);
            return s != null && s.plan() == null ? s : null;
        } catch (HoneException e) {
            return null;
        }
    }

    /**
     * Saves {@code teacher} as the one in charge after {@code rounds}; the previous save's files are removed once the
     * index names the new ones.
     */
    static void save(Path work, double secondsSpent, double sslSeconds, TrainingPlan plan, long teacherSteps,
            List<Map<String, Object>> rounds, SslRounds.Teacher teacher) {
        save(work, secondsSpent, sslSeconds, plan, teacherSteps, rounds, teacher, 0);
    }

    /**
     * As above, with the first teacher's training seconds: the save self-supervised pretraining starts from, whose teacher
     * predicted no unlabeled image (its pool file is then empty, and read back as none).
     */
    static void save(Path work, double secondsSpent, double sslSeconds, TrainingPlan plan, long teacherSteps,
            List<Map<String, Object>> rounds, SslRounds.Teacher teacher, double teacherSeconds) {
        Path dir = folder(work);
        String files = "-" + rounds.size();
        TeacherWeights.write(dir.resolve("teacher" + files + ".weights"), teacher.weights());
        TeacherWeights.write(dir.resolve("teacher" + files + ".unlabeled"), teacher.pool() == null ? new float[0][] : teacher.pool());
        Json.writeAtomically(dir.resolve("teacher" + files + ".validation.json"), teacher.validation());
        write(work, new Saved(secondsSpent, sslSeconds, plan, teacherSteps, List.copyOf(rounds), teacher.score(), files,
                teacherSeconds));
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.getFileName().toString().startsWith("teacher")
                    && !p.getFileName().toString().startsWith("teacher" + files + ".")).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tidy " + dir, e);
        }
    }

    /**
     * {@code hooks} that also update the last save's time spent ({@link #spent}) at most every {@link SpentTime#KEPT_EVERY}
     * seconds while a semi-supervised phase trains. Without it, a run killed part-way through a teacher, a round or
     * pretraining resumed with the budget of its last save and overran its budget by the part it trained again (a
     * 4-minute run killed during its teacher took 4 min 50 s).
     *
     * @param runStartNanos the budget's start on {@link System#nanoTime}
     */
    static PhaseHooks keepingTime(PhaseHooks hooks, Path work, long runStartNanos) {
        return keepingTime(hooks, work, runStartNanos, System::nanoTime);
    }

    /** {@link #keepingTime(PhaseHooks, Path, long)} on {@code clock}, in nanoseconds. */
    static PhaseHooks keepingTime(PhaseHooks hooks, Path work, long runStartNanos, java.util.function.LongSupplier clock) {
        long[] kept = {clock.getAsLong()};
        return new PhaseHooks(hooks.cancelled(), status -> {
            hooks.progress().accept(status);
            long now = clock.getAsLong();
            if (now - kept[0] >= SpentTime.KEPT_EVERY * 1e9) {
                kept[0] = now;
                spent(work, (now - runStartNanos) / 1e9);
            }
        });
    }

    /**
     * Updates the last save's seconds spent, and its semi-supervised seconds by as much (every second after a save is spent
     * in semi-supervised learning), leaving the rest of it as it was; nothing when there is no save, or when the save cannot
     * be read (a resume discards it and counts no time).
     */
    static void spent(Path work, double secondsSpent) {
        Saved s;
        try {
            s = last(work);
        } catch (HoneException e) {
            return;
        }
        if (s != null && secondsSpent > s.secondsSpent()) {
            try {
                write(work, new Saved(secondsSpent, s.sslSeconds() + secondsSpent - s.secondsSpent(), s.plan(), s.teacherSteps(),
                        s.rounds(), s.teacherScore(), s.files(), s.teacherSeconds()));
            } catch (UncheckedIOException e) {
                // training goes on: only a resume after a kill would count less of its time
                LOG.warn("ssl: cannot keep the time spent in {}: {}", work.resolve(DIR).resolve(INDEX), e.getMessage());
            }
        }
    }

    private static void write(Path work, Saved saved) {
        Json.writeAtomically(folder(work).resolve(INDEX), saved);
    }

    private static Path folder(Path work) {
        Path dir = work.resolve(DIR);
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** The last save, or null when there is none; throws a HoneException naming the index when it cannot be read. */
    private static Saved last(Path work) {
        Path index = work.resolve(DIR).resolve(INDEX);
        if (!Files.exists(index)) {
            return null;
        }
        try {
            return Json.read(index, Saved.class);
        } catch (UncheckedIOException e) {
            throw new HoneException("the saved progress of semi-supervised learning cannot be read (" + e.getMessage()
                    + "): " + index);
        }
    }

    /**
     * The run's seconds from its start when semi-supervised learning last saved its progress, the phase under way at a
     * kill included ({@link #spent}); 0 when there is no save or it cannot be read.
     */
    static double secondsSpent(Path work) {
        return ofLast(work, Saved::secondsSpent);
    }

    /**
     * The seconds semi-supervised learning had taken by the last save, the phase under way at a kill included
     * ({@link #spent}); 0 when there is no save or it cannot be read. A resumed run's record counts them, so its
     * {@code ssl} decision shows what semi-supervised learning cost in all, the part trained again after a kill included.
     */
    static double sslSeconds(Path work) {
        return ofLast(work, Saved::sslSeconds);
    }

    /** {@code seconds} of the last save; 0 when there is none or it cannot be read. */
    private static double ofLast(Path work, java.util.function.ToDoubleFunction<Saved> seconds) {
        try {
            Saved s = last(work);
            return s == null ? 0 : seconds.applyAsDouble(s);
        } catch (HoneException e) {
            return 0;
        }
    }

    /**
     * The last save with a teacher in charge, read back; null when there is none (or only the time before semi-supervised
     * learning was saved), and null, with a warning, when it cannot be read back, which discards it.
     */
    static Resumed resume(Path work) {
        try {
            return read(work);
        } catch (HoneException e) {
            discard(work, e);
            return null;
        }
    }

    /** The last save with a teacher in charge, or null; throws a HoneException naming the file that cannot be read. */
    private static Resumed read(Path work) {
        Saved s = last(work);
        if (s == null || s.plan() == null) {
            return null;
        }
        Path dir = work.resolve(DIR);
        Path validation = dir.resolve("teacher" + s.files() + ".validation.json");
        if (!Files.exists(validation)) {
            throw new HoneException("the saved progress of semi-supervised learning names a teacher whose predictions are"
                    + " missing: " + validation);
        }
        Predictions v;
        try {
            v = Json.read(validation, Predictions.class);
        } catch (UncheckedIOException e) {
            throw new HoneException("the saved teacher's validation predictions cannot be read (" + e.getMessage() + "): "
                    + validation);
        }
        float[][] pool = TeacherWeights.read(dir.resolve("teacher" + s.files() + ".unlabeled"));
        if (pool.length == 0) {
            pool = null; // a teacher saved before self-supervised pretraining predicted no unlabeled image
        }
        float[][] weights = TeacherWeights.read(dir.resolve("teacher" + s.files() + ".weights"));
        return new Resumed(s, new SslRounds.Teacher(s.teacherScore(), v, pool, weights));
    }

    private static void discard(Path work, HoneException e) {
        String problem = e.getMessage();
        int fix = problem.indexOf(". Fix:");
        LOG.warn("ssl: {}; the save is discarded and semi-supervised learning starts again from the learners' plan",
                fix < 0 ? problem : problem.substring(0, fix));
        clear(work);
    }

    /**
     * The budget's start for a run that resumes semi-supervised learning: its own start moved back by the seconds the run
     * it resumes had spent at its last save, or its own start when there is no save. A save that cannot be read back is
     * discarded here, with a warning, so that semi-supervised learning does not count time for a teacher it trains again.
     */
    static long budgetStart(Path work, long runStartNanos) {
        Saved s;
        try {
            Resumed r = read(work); // every file the save names, not only its index
            s = r != null ? r.saved() : last(work);
        } catch (HoneException e) {
            discard(work, e);
            return runStartNanos;
        }
        return s == null ? runStartNanos : SpentTime.budgetStart(runStartNanos, s.secondsSpent());
    }

    /**
     * Where a resume of {@code work} continues semi-supervised learning, for the message of an interrupted run: {@code after
     * its teacher}, {@code after round N}, {@code with its teacher from the teacher's last finished epoch} or {@code from its
     * start} (no save, or one that cannot be read, which the resume discards). Reads only; discards nothing.
     */
    static String resumePoint(Path work) {
        Saved s;
        try {
            s = last(work);
        } catch (HoneException e) {
            return "from its start";
        }
        if (s != null && s.plan() != null) {
            return s.rounds().isEmpty() ? "after its teacher" : "after round " + s.rounds().size();
        }
        return s != null && s.teacherSteps() > 0 ? "with its teacher from the teacher's last finished epoch" : "from its start";
    }

    /** Removes every save: planning finished, and the plan it saved is what a resume reads. */
    static void clear(Path work) {
        Path dir = work.resolve(DIR);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            Files.deleteIfExists(dir.resolve(INDEX)); // first: a kill part-way leaves no index naming removed files
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
