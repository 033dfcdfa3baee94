package dev.hone.train;

import dev.hone.data.Normalization;
import dev.hone.loop.FitLoop;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.ssl.FixMatchSettings;
import dev.hone.tasks.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of Noisy Student's iterative training (Xie et al. 2020, arXiv:1911.04252, section 3): a student trained from
 * its teacher on the teacher's pseudo-labels, and in the first round, which decides whether the unlabeled images are used
 * at all, the rivals it is judged against at equal compute: the <em>supervised arm</em> (the teacher continued as many
 * steps on the labeled images alone) and, with the learner choosing, FixMatch's arm ({@link SslFixMatch}). The loop over
 * rounds is {@link SslPlanning#plan}'s; how long each round trains is {@link SslRounds#steps}'.
 */
final class SslRound {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private SslRound() {}

    /**
     * What every arm of every round trains with.
     *
     * @param plan the learners' plan: policy, batch, seed
     * @param task the task, whose metric and guard-rail compare the arms
     * @param norm the normalization the student's images get
     * @param setup the teacher's trial setup (model, optimizer, batch, seed), each arm's epochs and batch set on it
     * @param train the labeled training images
     * @param validation the labeled validation images every arm is scored on
     * @param monitor the few validation images the loop checks each epoch
     * @param pool the unlabeled images, which a student that wins labels and FixMatch draws from
     * @param noisy the student's noise ({@link SslPlanning#studentPolicy})
     * @param labeler pseudo-labels a winning student's predictions on the pool
     */
    record Arena(TrainingPlan plan, Task task, Normalization norm, TrialRunner.Setup setup, ResidentDataset train,
            ResidentDataset validation, ResidentDataset monitor, ResidentDataset pool, RegularizationPolicy noisy,
            SslRounds.Labeler labeler) {}

    /**
     * What a round trained and decided.
     *
     * @param bar the better of the teacher and the supervised arm: the model continued when the student loses
     * @param fixMatch FixMatch's arm, or null when the round had none
     * @param student the round's student, or null when it trained no epoch
     * @param next the student's pseudo-labels when it beat its rivals and labeled the unlabeled images, else null: the next
     *     round's labels when {@code promoted}
     * @param promoted whether the student beat its rivals and labeled some images: it is the next teacher
     * @param fixMatchWins whether FixMatch's arm was chosen ({@link SslFixMatch.Arm#wins}): it beat the teacher, the
     *     supervised arm and the student, each on its own
     * @param notWorse whether a first-round student that was not promoted is no worse than its teacher and the supervised
     *     arm, each on its own: the final student continues it on the same pseudo-labels
     * @param record the round in the {@code ssl} decision's evidence
     */
    record Outcome(SslRounds.Teacher bar, SslFixMatch.Arm fixMatch, SslRounds.Teacher student,
            SslRounds.Labels next, boolean promoted, boolean fixMatchWins, boolean notWorse, Map<String, Object> record) {}

    /**
     * Trains round {@code round}: in the first, the supervised arm for {@code steps} and FixMatch's arm for
     * {@code fixMatchSteps} (0 for none), then the student for {@code steps} from {@code teacher} on {@code labels}'
     * student set. Logs the round's verdict.
     */
    static Outcome train(Arena a, int round, long steps, long fixMatchSteps, FixMatchSettings settings, SslRounds.Teacher teacher,
            SslRounds.Labels labels) {
        TrainingPlan plan = a.plan();
        Task task = a.task();
        int labeled = a.train().size();
        long begun = System.nanoTime();
        // each arm's steps as planned and as it trained them: fewer where its pacer shortened it
        Map<String, Long> planned = new java.util.LinkedHashMap<>();
        Map<String, Long> paced = new java.util.LinkedHashMap<>();
        SslRounds.Teacher supervised = null;
        SslRounds.Teacher bar = teacher;
        if (round == 1) {
            LOG.info("ssl: round 1: the teacher continues {} steps on the {} labeled images alone, the supervised arm the"
                    + " student must beat", steps, labeled);
            TrialRunner arm = new TrialRunner(a.setup().withEpochs(1), a.train(), a.validation(), a.monitor())
                    .withProgress("ssl round 1, supervised arm");
            arm.continueFrom(teacher.weights(), epochsFor(steps, labeled, plan), SslPlanning.STUDENT_LEARNING_RATE);
            PhasePacing pacing = PhasePacing.add(arm, plan, "round 1's supervised arm", steps, 1, a.monitor().size(),
                    a.validation().size());
            supervised = SslRounds.Teacher.train(arm, plan.policy(), null, steps, List.of());
            planned.put("supervised", steps);
            paced.put("supervised", PhasePacing.steps(pacing, steps));
            if (supervised != null && SslGuardRail.beats(supervised.validation(), teacher.validation(), task, plan.seed())) {
                bar = supervised;
            }
        }
        SslFixMatch.Arm fixMatch = null;
        if (fixMatchSteps > 0) {
            int labeledBatch = SslFixMatch.labeledBatch(plan.batchSize(), settings.ratio());
            LOG.info("ssl: round 1: FixMatch continues the teacher {} steps (the compute of {} plain steps), each batch"
                    + " {} labeled images and {} unlabeled, threshold {}", fixMatchSteps, steps, labeledBatch,
                    labeledBatch * settings.ratio(), settings.threshold());
            TrialRunner arm = new TrialRunner(a.setup().withBatchSize(labeledBatch).withEpochs(1), a.train(), a.validation(),
                    a.monitor()).withProgress("ssl round 1, FixMatch arm");
            int epochs = (int) Math.max(1, Math.ceil((double) fixMatchSteps / FitLoop.batchesPerEpoch(labeled, labeledBatch)));
            PhasePacing pacing = PhasePacing.add(arm, plan, "round 1's FixMatch arm", fixMatchSteps,
                    SslFixMatch.stepCost(settings.ratio()), a.monitor().size(), a.validation().size());
            fixMatch = SslFixMatch.train(arm, teacher.weights(), epochs, plan.policy(), a.pool(), task, a.norm(), plan.seed(),
                    fixMatchSteps, settings);
            planned.put("fixMatch", fixMatchSteps);
            paced.put("fixMatch", PhasePacing.steps(pacing, fixMatchSteps));
        }
        LOG.info("ssl: round {}: a student trains {} steps from its teacher on {} images, with noise: {}", round, steps,
                labels.studentSet().size(), a.noisy().describe());
        SslRounds.Teacher student;
        try (ResidentDataset students = new ResidentDataset(labels.studentSet(), a.norm(), a.validation().manager().getDevice(),
                task)) {
            TrialRunner runner = new TrialRunner(a.setup().withEpochs(1), students, a.validation(), a.monitor())
                    .withProgress("ssl round " + round + ", student");
            runner.continueFrom(teacher.weights(), epochsFor(steps, labels.studentSet().size(), plan),
                    SslPlanning.STUDENT_LEARNING_RATE);
            // it must beat the teacher and the supervised arm each: the better of the two is not a bound on both
            // its validation pass, and its pass over the unlabeled images when it beats the bar, come after its last step
            PhasePacing pacing = PhasePacing.add(runner, plan, "round " + round + "'s student", steps, 1, a.monitor().size(),
                    a.validation().size() + a.pool().size());
            student = SslRounds.Teacher.train(runner, a.noisy(), a.pool(), steps, supervised == null
                    ? List.of(teacher.validation()) : List.of(teacher.validation(), supervised.validation()));
            planned.put("student", steps);
            paced.put("student", PhasePacing.steps(pacing, steps));
        }
        // a student that beat its teacher has labeled the unlabeled images; it takes over only when some pass the threshold
        SslRounds.Labels next = student != null && student.labels() ? a.labeler().label(student) : null;
        boolean promoted = next != null && next.selection().size() > 0;
        // FixMatch's arm wins when it beats the teacher, the supervised arm and the round's student, each on its own
        boolean fixMatchWins = fixMatch != null && fixMatch.wins(task, plan.seed(), teacher, supervised, student);
        promoted &= !fixMatchWins;
        // a first-round student no worse than its teacher and the supervised arm, each on its own, has trained half a
        // pass or so over its set, and gains as it trains on: the final run continues it on the same pseudo-labels
        boolean notWorse = round == 1 && !promoted && !fixMatchWins && student != null
                && SslGuardRail.notWorse(student.validation(), teacher.validation(), task, plan.seed())
                && (supervised == null || SslGuardRail.notWorse(student.validation(), supervised.validation(), task, plan.seed()));
        Map<String, Object> done = SslRounds.record(round, steps, student, teacher, supervised, promoted, SslPlanning.elapsed(begun));
        done.put("keptNotWorse", notWorse);
        done.put("studentNoise", a.noisy().describe());
        done.putAll(verdicts(supervised, teacher, student, bar, fixMatch, task, plan.seed()));
        if (fixMatch != null) {
            fixMatch.record(done);
            done.put("fixMatchChosen", fixMatchWins);
        }
        if (!paced.equals(planned)) {
            // a machine slower than measured: the arms were shortened to their time; the record gives the steps trained
            done.put("stepsPlanned", planned);
            paced.forEach((arm, trained) -> done.put(arm + "Steps", trained)); // studentSteps, supervisedSteps, fixMatchSteps
        }
        LOG.info("ssl: round {}: the student scored {} {} against its teacher's {}{}{}: {}", round, task.validationMetric(),
                student == null ? "nothing" : String.format(Locale.ROOT, "%.4f (validation loss %.4f)", student.score(),
                        student.validation().meanLoss()),
                String.format(Locale.ROOT, "%.4f (%.4f)", teacher.score(), teacher.validation().meanLoss()),
                supervised == null ? "" : String.format(Locale.ROOT, " and the supervised arm's %.4f (%.4f)",
                        supervised.score(), supervised.validation().meanLoss()),
                fixMatch == null || fixMatch.model() == null ? "" : String.format(Locale.ROOT,
                        " and FixMatch's %.4f (%.4f; %.1f%% of its unlabeled images above the threshold)", fixMatch.model().score(),
                        fixMatch.model().validation().meanLoss(), 100 * fixMatch.maskRate()),
                (fixMatchWins ? "FixMatch is chosen" : promoted ? "it is the next teacher and labels again"
                        : notWorse ? "it is not worse than either, so the final student continues it on the same pseudo-labels"
                        : "the rounds stop"));
        return new Outcome(bar, fixMatch, student, next, promoted, fixMatchWins, notWorse, done);
    }

    /** Epochs of {@code images} that hold {@code steps} at the plan's batch, at least 1. */
    static int epochsFor(long steps, int images, TrainingPlan plan) {
        return (int) Math.max(1, Math.ceil((double) steps / FitLoop.batchesPerEpoch(images, plan.batchSize())));
    }

    /**
     * A round's comparisons as {@link SslGuardRail#compare} made them, for the record: the supervised arm against the
     * teacher ({@code supervisedVsTeacher}), which makes the better of the two the model continued when the student loses
     * ({@code bar}); the student against the teacher and the arm ({@code studentVsTeacher}, {@code studentVsSupervised});
     * FixMatch's arm against the teacher, the arm and the student ({@code fixMatchVs...}); each only where both trained.
     */
    private static Map<String, Object> verdicts(SslRounds.Teacher supervised, SslRounds.Teacher teacher, SslRounds.Teacher student,
            SslRounds.Teacher bar, SslFixMatch.Arm fixMatch, Task task, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (supervised != null) {
            m.put("supervisedVsTeacher", SslGuardRail.compare(supervised.validation(), teacher.validation(), task, seed).evidence());
        }
        m.put("bar", bar == supervised ? "supervised arm" : "teacher");
        Map<String, SslRounds.Teacher> rivals = new LinkedHashMap<>();
        rivals.put("Teacher", teacher);
        rivals.put("Supervised", supervised);
        verdicts(m, "student", student, rivals, task, seed);
        rivals.put("Student", student);
        verdicts(m, "fixMatch", fixMatch == null ? null : fixMatch.model(), rivals, task, seed);
        return m;
    }

    /** {@code name}Vs{@code Rival}: {@code challenger}'s verdict against each rival that trained. */
    private static void verdicts(Map<String, Object> m, String name, SslRounds.Teacher challenger,
            Map<String, SslRounds.Teacher> rivals, Task task, long seed) {
        if (challenger == null) {
            return;
        }
        rivals.forEach((rival, model) -> {
            if (model != null) {
                m.put(name + "Vs" + rival, SslGuardRail.compare(challenger.validation(), model.validation(), task, seed).evidence());
            }
        });
    }
}
