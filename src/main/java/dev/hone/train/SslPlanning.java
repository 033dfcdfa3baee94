package dev.hone.train;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.loop.FitLoop;
import dev.hone.loop.PhaseHooks;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.regularization.RegularizationLearner;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.SmallDataPrior;
import dev.hone.models.ModelFactory;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.models.ModelSpec;
import dev.hone.models.StochasticDepth;
import dev.hone.record.Decision;
import dev.hone.record.Json;
import dev.hone.record.Origin;
import dev.hone.ssl.FixMatchSettings;
import dev.hone.ssl.NoisyStudentData;
import dev.hone.ssl.PseudoLabelSelection;
import dev.hone.ssl.PseudoLabels;
import dev.hone.ssl.SelfSupervisedPretraining;
import dev.hone.tasks.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The semi-supervised learner: whether the unlabeled images ({@code --unlabeled}) make the model better,
 * decided on the labeled validation split, with a guard-rail that keeps supervised training unless
 * semi-supervised training wins.
 *
 * <p>The method is Noisy Student (Xie et al. 2020, arXiv:1911.04252), Masterful's default:
 * <ol>
 *   <li>the teacher trains on the labeled images alone, with the plan's optimizer, learning rate and
 *       regularization policy, for {@link #TEACHER_SHARE} of the time left (half the planned steps without a
 *       budget), at most {@link SslRounds#teacherMaxEpochs} epochs, as a complete run with its own warmup-cosine schedule;</li>
 *   <li>it predicts every unlabeled image without noise; images above the paper's confidence threshold are
 *       kept and balanced per class ({@link PseudoLabels}), with hard labels. Multi-label (hone's extension): every
 *       image is kept once, its label set the classes at or above the thresholds that maximise the teacher's
 *       validation F1 ({@link dev.hone.ssl.MultiLabelPseudoLabels});</li>
 *   <li>rounds, the paper's iterative training: while the budget leaves room ({@link SslRounds#steps}, at most
 *       {@link SslRounds#MAX_ROUNDS}), a student trains from its teacher on these pseudo-labels for {@link SslRounds#ROUND_SHARE} of the
 *       time left; when it beats its teacher on validation it becomes the next teacher and labels the unlabeled images
 *       again, otherwise the rounds stop. The first round decides whether the unlabeled images are used at all, so it
 *       compares at equal compute: its share of the time is split between the student and a <em>supervised arm</em>, the
 *       teacher continued as many steps on the labeled images alone, and the student must beat the teacher and that
 *       arm, each on its own (a teacher trained for 40% of the time is too easy a bar: a student that beat it tested
 *       5.6 mAP points below a run without unlabeled images). A first-round student that ties them ({@link
 *       SslGuardRail#notWorse} each) is continued by the final student on the same pseudo-labels, and the guard-rail
 *       compares the result with the better of the two: half a pass over its set is too short for a student to pull
 *       ahead, and it gains as it trains on. When the first round's student loses, the unlabeled
 *       images are not used: the final run continues the better of the two on the labeled images for the rest of the
 *       budget instead of training a student. When the budget cannot fit the teacher and a first round of half an epoch
 *       of the student's set per arm, the unlabeled images are not used at all and the plain run keeps the whole
 *       budget;</li>
 *   <li>the final run is the student: it starts from the (last) teacher's weights and trains for the rest of the budget
 *       with noise ({@link #studentPolicy}: the plan's augmentation, or hone's RandAugment analogue and dropout when
 *       the plan has none, and stochastic depth), on the labeled and pseudo-labeled images together ({@link NoisyStudentData}), at
 *       {@link #STUDENT_LEARNING_RATE} times the plan's peak learning rate;</li>
 *   <li>the guard-rail ({@link SslGuardRail#judge}) runs after training: the student is kept only when it beats its teacher
 *       on the validation images ({@link SslGuardRail#compare}: a higher score, an equal one with a lower loss, or a
 *       significantly lower calibrated loss with a score not significantly lower, the rule of every comparison here);
 *       otherwise the teacher's weights are the trained model.</li>
 * </ol>
 * With {@code --ssl auto} (the default) and few labels, a second teacher fine-tuned from a self-supervised pretrained
 * encoder replaces the first when it beats it ({@link SslPretrainedTeacher}, SimCLRv2's recipe). The first round has a
 * third arm, FixMatch (Sohn et al. 2020, arXiv:2001.07685; {@link SslFixMatch}), at the same compute; when it beats the teacher, the supervised arm and the
 * round's student, the final run continues it with FixMatch instead. {@code --ssl fixmatch} trains FixMatch from the
 * teacher without rounds; {@code --ssl noisy-student} leaves FixMatch out. {@code --ssl simclr} and {@code --ssl
 * barlow-twins} pretrain the encoder on the unlabeled images after the teacher and fine-tune it ({@link SslPretraining}).
 *
 * <p>The paper trains each student from scratch for as long as its teacher. In a fixed budget that halves both: a
 * student started from its teacher (hone's departure from the paper, for speed) spends all of its time on what the
 * unlabeled images add. A run whose unlabeled images do not help ends with the teacher's continuation, a supervised model
 * that lost to SSL only the time of the pseudo-labeling and of the first round's student.
 */
final class SslPlanning {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    /** The share of the training time left, after pseudo-labeling, that the teacher gets with a budget. */
    static final double TEACHER_SHARE = 0.4;

    /**
     * The student's peak learning rate, as a multiple of the plan's: it continues from trained weights, as the
     * regularization search's continuations do ({@code RegularizationLearner.CONTINUATION_LEARNING_RATE}).
     */
    static final double STUDENT_LEARNING_RATE = 0.3;

    /** Fewer steps than this do not train a teacher worth pseudo-labeling with. */
    static final long MIN_TRIAL_STEPS = 30;

    /** Where the chosen pseudo-labels are kept for a resume, in the run's work folder. */
    static final String FILE = "pseudo-labels.json";

    /**
     * Where the final run (and its resume) starts when that is not the teacher: a pretrained encoder with its fresh
     * classifier ({@link SslPretraining}), or a first-round student kept as not worse than its rivals.
     */
    static final String START = "start.weights";

    /** Where the teacher's weights are kept for the student's start, the guard-rail and a resume. */
    static final String TEACHER = "teacher.weights";

    private SslPlanning() {}

    /**
     * The chosen pseudo-labels: unlabeled images (repeats allowed), their classes (single-label) or their label sets as
     * multi-hot bytes, entry-major (multi-label; null otherwise), and the labeled copies.
     */
    record PseudoLabelFile(int[] indices, int[] classes, byte[] multiHot, int labeledCopies, String unlabeledFingerprint) {}

    /**
     * The plan for the final run; with Noisy Student chosen, the student's training set and the teacher's weights
     * (in block order, BatchNorm statistics included), else nulls.
     */
    record Result(TrainingPlan plan, ImageSet studentSet, float[][] teacher, ImageSet unlabeledPool, float[][] start) {
        Result(TrainingPlan plan) {
            this(plan, null, null, null, null);
        }

        Result(TrainingPlan plan, ImageSet studentSet, float[][] teacher) {
            this(plan, studentSet, teacher, null, null);
        }

        Result(TrainingPlan plan, ImageSet studentSet, float[][] teacher, ImageSet unlabeledPool) {
            this(plan, studentSet, teacher, unlabeledPool, null);
        }

        /** The weights the final run starts from: a pretrained encoder's ({@code start}), else the teacher's. */
        float[][] startWeights() {
            return start != null ? start : teacher;
        }
    }

    static Result plan(TrainOptions o, TrainingPlan plan, ModelSpec spec, Shape input, int classes, Task task, Splitting split,
            Normalization norm, ResidentDataset train, ResidentDataset validation, UnlabeledSet unlabeled, Path work,
            long runStartNanos, PhaseHooks hooks) {
        if (unlabeled == null) {
            return new Result(plan);
        }
        String method = SslFixMatch.method(o);
        List<Decision<?>> d = new ArrayList<>(plan.decisions());
        DataSufficiency enough = DataSufficiency.of(split);
        if (!enough.judging()) {
            d.add(log(Decision.byDefault("ssl", "none", enough.reason() + ": too few validation images to tell whether the "
                    + unlabeled.size() + " unlabeled images help, so they are not used")));
            return new Result(withDecisions(plan, d));
        }
        // a run killed during semi-supervised learning resumes after its last finished part: the teacher, or a round
        SslProgress.Resumed resumed = SslProgress.resume(work);
        if (resumed == null) {
            try {
                Files.deleteIfExists(work.resolve(FILE)); // files from an earlier planning that did not finish
                Files.deleteIfExists(work.resolve(TEACHER));
                Files.deleteIfExists(work.resolve(START));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        long begun = System.nanoTime() - (resumed == null ? 0 : (long) (resumed.saved().sslSeconds() * 1e9));
        double ips = plan.measuredImagesPerSecond();
        boolean budgeted = plan.budgetSeconds() > 0 && ips > 0;
        long teacherSteps;
        if (resumed != null) {
            teacherSteps = resumed.saved().teacherSteps();
            d.clear();
            d.addAll(resumed.saved().plan().decisions());
        } else {
            teacherSteps = teacherSteps(plan, split, unlabeled, runStartNanos);
            String none = nothingFits(plan, split, unlabeled, method, teacherSteps, runStartNanos);
            if (none != null) {
                d.add(log(Decision.byDefault("ssl", "none", none)));
                return new Result(withDecisions(plan, d));
            }
        }
        SelfSupervisedPretraining.Method pretraining = SelfSupervisedPretraining.Method.of(method);
        ModelSpec trialSpec = plan.policy().onto(spec.withBatchNormMomentum(plan.batchNormMomentum()));
        RegularizationPolicy noisy = studentPolicy(plan.policy(), ModelFactory.supportsDropout(spec),
                ModelFactory.supportsStochasticDepth(spec));
        Path scratch = work.resolve("ssl");
        Device device = validation.manager().getDevice();
        TrialRunner.Setup teacherSetup = new TrialRunner.Setup(trialSpec, input, classes, task, plan.optimizer(),
                plan.peakLearningRate(), plan.weightDecay(), plan.batchSize(), epochsFor(teacherSteps, split.train().size(), plan),
                plan.seed(), norm, device, scratch, hooks);
        double studentRate = plan.peakLearningRate() * STUDENT_LEARNING_RATE;
        SslRounds.Labeler labeler = new SslRounds.Labeler(plan.seed(), split.train(), unlabeled);
        List<Map<String, Object>> rounds = new ArrayList<>();
        SslRounds.Teacher teacher;
        SslRounds.Teacher armed = null; // the better of the first teacher and the first round's supervised arm
        SslRounds.Teacher kept = null; // a first-round student not promoted but not worse than either: the final run continues it
        SslRounds.Labels labels;
        ImageSet unlabeledImages = unlabeledAsSet(unlabeled, split.train());
        try (ResidentDataset monitor = monitor(split, norm, device, task);
                ResidentDataset pool = new ResidentDataset(unlabeledImages, norm, device, task)) {
            if (resumed != null) {
                teacher = resumed.teacher();
                rounds.addAll(resumed.saved().rounds());
                LOG.info("ssl: resuming after {}, with the saved teacher (validation {} {})", rounds.isEmpty() ? "the teacher"
                        : "round " + rounds.size(), task.validationMetric(), String.format(java.util.Locale.ROOT, "%.4f",
                        teacher.score()));
            } else {
                LOG.info("ssl: the teacher trains {} steps on the {} labeled images", teacherSteps, split.train().size());
                boolean fixMatchOnly = method.equals("fixmatch"); // FixMatch labels as it trains: the teacher need not
                long teacherBegun = System.nanoTime();
                TrialRunner teacherRunner = new TrialRunner(teacherSetup, train, validation, monitor).withProgress("ssl teacher");
                teacher = SslRounds.Teacher.train(teacherRunner, plan.policy(), fixMatchOnly || pretraining != null ? null : pool,
                        teacherSteps, List.of());
                if (pretraining != null && teacher != null) {
                    return pretrained(pretraining, plan, d, split, unlabeled, teacherSteps, teacher, elapsed(teacherBegun),
                            teacherSetup, work, begun, runStartNanos);
                }
                if (method.equals("auto") && teacher != null && teacher.labels()) {
                    double teacherSeconds = elapsed(teacherBegun);
                    double left = budgeted ? Math.max(0, secondsLeft(plan, split, runStartNanos)) : Double.NaN;
                    if (SslPretrainedTeacher.worthIt(teacherSeconds, left, unlabeled.size(), split.train().size())) {
                        double seconds = budgeted ? SslPretrainedTeacher.seconds(left, teacherSeconds) : 0;
                        long steps = budgeted ? SslPretraining.steps(seconds, ips, plan.batchSize()) : teacherSteps;
                        teacher = SslPretrainedTeacher.choose(new SslPretrainedTeacher.Setting(plan, teacherSetup, train, validation,
                                monitor, pool, unlabeledImages), d,
                                teacher, teacherSteps, teacherSeconds, steps, seconds);
                    } else {
                        d.add(log(SslPretrainedTeacher.skipped(teacherSeconds, left, unlabeled.size(), split.train().size())));
                    }
                }
                if (fixMatchOnly && teacher != null) {
                    return fixMatch(plan, d, split, unlabeled, teacherSteps, teacher, null, null, rounds, 0,
                            fixMatchSettings(teacher, method, task, split, unlabeled), work, elapsed(begun), runStartNanos);
                }
                if (teacher == null || !teacher.labels()) {
                    d.add(log(Decision.byDefault("ssl", "none", teacher == null
                            ? "the teacher trained no epoch, so there is no teacher to pseudo-label with"
                            : "the teacher diverged (its predictions are not finite), so its pseudo-labels would be noise")));
                    return new Result(replan(plan, d, split, split.train().size(), false, runStartNanos));
                }
            }
            FixMatchSettings fixMatchSettings = rounds.isEmpty()
                    ? fixMatchSettings(teacher, method, task, split, unlabeled) : null; // only the first round has a FixMatch arm
            labels = labeler.label(teacher);
            if (labels.selection().size() == 0) {
                d.add(log(Decision.byDefault("ssl", "none", "no unlabeled image reached the teacher's confidence threshold "
                        + PseudoLabels.PAPER_THRESHOLD)));
                return new Result(replan(plan, d, split, split.train().size(), false, runStartNanos));
            }
            if (resumed == null) {
                SslProgress.save(work, elapsed(runStartNanos), elapsed(begun), withDecisions(plan, d), teacherSteps, rounds,
                        teacher);
            }
            // rounds (the paper's iterative training): a student trained on these pseudo-labels that beats its teacher on
            // validation becomes the next teacher and labels again, while the budget leaves the final student its share
            while (rounds.size() < SslRounds.MAX_ROUNDS) {
                int round = rounds.size() + 1;
                double left = secondsLeft(plan, split, runStartNanos);
                long steps = SslRounds.steps(plan, left, unlabeled.size(), labels.studentSet().size(), round == 1 ? 2 : 1);
                if (steps <= 0) {
                    break;
                }
                // with the learner choosing, the first round has a third arm, FixMatch, when its share fits enough steps
                long threeArms = round == 1 && method.equals("auto")
                        ? SslRounds.steps(plan, left, unlabeled.size(), labels.studentSet().size(), 3) : 0;
                long fixMatchSteps = threeArms == 0 ? 0 : SslFixMatch.steps(threeArms, fixMatchSettings.ratio());
                if (fixMatchSteps >= MIN_TRIAL_STEPS) {
                    steps = threeArms;
                } else {
                    fixMatchSteps = 0;
                }
                long roundBegun = System.nanoTime();
                // the first round decides whether the unlabeled images are used at all: its student must beat the teacher
                // continued for as many steps on the labeled images alone, the supervised run of equal compute
                SslRounds.Teacher supervised = null;
                SslRounds.Teacher bar = teacher;
                if (round == 1) {
                    LOG.info("ssl: round 1: the teacher continues {} steps on the {} labeled images alone, the supervised arm the"
                            + " student must beat", steps, split.train().size());
                    TrialRunner arm = new TrialRunner(teacherSetup.withEpochs(1), train, validation, monitor)
                            .withProgress("ssl round 1, supervised arm");
                    arm.continueFrom(teacher.weights(), epochsFor(steps, split.train().size(), plan), STUDENT_LEARNING_RATE);
                    supervised = SslRounds.Teacher.train(arm, plan.policy(), null, steps, List.of());
                    if (supervised != null && SslGuardRail.beats(supervised.validation(), teacher.validation(), task, plan.seed())) {
                        bar = supervised;
                    }
                    armed = bar;
                }
                SslFixMatch.Arm fixMatch = null;
                if (fixMatchSteps > 0) {
                    int labeledBatch = SslFixMatch.labeledBatch(plan.batchSize(), fixMatchSettings.ratio());
                    LOG.info("ssl: round 1: FixMatch continues the teacher {} steps (the compute of {} plain steps), each batch"
                            + " {} labeled images and {} unlabeled, threshold {}", fixMatchSteps, steps, labeledBatch,
                            labeledBatch * fixMatchSettings.ratio(), fixMatchSettings.threshold());
                    TrialRunner arm = new TrialRunner(teacherSetup.withBatchSize(labeledBatch).withEpochs(1), train, validation,
                            monitor).withProgress("ssl round 1, FixMatch arm");
                    int epochs = (int) Math.max(1, Math.ceil((double) fixMatchSteps
                            / FitLoop.batchesPerEpoch(split.train().size(), labeledBatch)));
                    fixMatch = SslFixMatch.train(arm, teacher.weights(), epochs, plan.policy(), pool, task, norm, plan.seed(),
                            fixMatchSteps, fixMatchSettings);
                }
                LOG.info("ssl: round {}: a student trains {} steps from its teacher on {} images, with noise: {}", round, steps,
                        labels.studentSet().size(), noisy.describe());
                SslRounds.Teacher student;
                try (ResidentDataset students = new ResidentDataset(labels.studentSet(), norm, device, task)) {
                    TrialRunner runner = new TrialRunner(teacherSetup.withEpochs(1), students, validation, monitor)
                            .withProgress("ssl round " + round + ", student");
                    runner.continueFrom(teacher.weights(), epochsFor(steps, labels.studentSet().size(), plan), STUDENT_LEARNING_RATE);
                    // it must beat the teacher and the supervised arm each: the better of the two is not a bound on both
                    student = SslRounds.Teacher.train(runner, noisy, pool, steps, supervised == null ? List.of(teacher.validation())
                            : List.of(teacher.validation(), supervised.validation()));
                }
                // a student that beat its teacher has labeled the unlabeled images; it takes over only when some pass the threshold
                SslRounds.Labels next = student != null && student.labels() ? labeler.label(student) : null;
                boolean promoted = next != null && next.selection().size() > 0;
                // FixMatch's arm wins when it beats the teacher, the supervised arm and the round's student, each on its own
                boolean fixMatchWins = fixMatch != null && fixMatch.wins(task, plan.seed(), teacher, supervised, student);
                promoted &= !fixMatchWins;
                // a first-round student no worse than its teacher and the supervised arm, each on its own, has trained half a
                // pass or so over its set, and gains as it trains on: the final run continues it on the same pseudo-labels
                if (round == 1 && !promoted && !fixMatchWins && student != null
                        && SslGuardRail.notWorse(student.validation(), teacher.validation(), task, plan.seed())
                        && (supervised == null || SslGuardRail.notWorse(student.validation(), supervised.validation(), task, plan.seed()))) {
                    kept = student;
                }
                Map<String, Object> done = SslRounds.record(round, steps, student, teacher, supervised, promoted, elapsed(roundBegun));
                done.put("keptNotWorse", kept != null);
                done.put("studentNoise", noisy.describe());
                done.putAll(verdicts(supervised, teacher, student, bar, fixMatch, task, plan.seed()));
                if (fixMatch != null) {
                    fixMatch.record(done);
                    done.put("fixMatchChosen", fixMatchWins);
                }
                rounds.add(done);
                LOG.info("ssl: round {}: the student scored {} {} against its teacher's {}{}{}: {}", round, task.validationMetric(),
                        student == null ? "nothing" : String.format(java.util.Locale.ROOT, "%.4f (validation loss %.4f)", student.score(),
                                student.validation().meanLoss()),
                        String.format(java.util.Locale.ROOT, "%.4f (%.4f)", teacher.score(), teacher.validation().meanLoss()),
                        supervised == null ? "" : String.format(java.util.Locale.ROOT, " and the supervised arm's %.4f (%.4f)",
                                supervised.score(), supervised.validation().meanLoss()),
                        fixMatch == null || fixMatch.model() == null ? "" : String.format(java.util.Locale.ROOT,
                                " and FixMatch's %.4f (%.4f; %.1f%% of its unlabeled images above the threshold)", fixMatch.model().score(),
                                fixMatch.model().validation().meanLoss(), 100 * fixMatch.maskRate()),
                        fixMatchWins ? "FixMatch is chosen" : promoted ? "it is the next teacher and labels again"
                                : kept != null ? "it is not worse than either, so the final student continues it on the same pseudo-labels"
                                : "the rounds stop");
                if (fixMatchWins) {
                    return fixMatch(plan, d, split, unlabeled, teacherSteps, teacher, fixMatch.model(), labels, rounds,
                            fixMatch.imagesPerSecond(), fixMatch.settings(), work, elapsed(begun), runStartNanos);
                }
                if (!promoted) {
                    break;
                }
                teacher = student;
                labels = next;
                SslProgress.save(work, elapsed(runStartNanos), elapsed(begun), withDecisions(plan, d), teacherSteps, rounds,
                        teacher);
            }
        }
        if (kept == null && (rounds.isEmpty() || !Boolean.TRUE.equals(rounds.get(0).get("promoted")))) {
            return continuation(plan, d, split, unlabeled, teacherSteps, teacher, armed, labels, rounds, work, elapsed(begun),
                    runStartNanos);
        }
        PseudoLabelSelection selection = labels.selection();
        int copies = labels.copies();
        ImageSet studentSet = labels.studentSet();
        double pseudoAccuracy = labels.validationAccuracy();
        boolean multiLabel = labels.thresholds() != null;
        int distinct = labels.distinct();
        double seconds = elapsed(begun);
        long promoted = rounds.stream().filter(r -> Boolean.TRUE.equals(r.get("promoted"))).count();
        // the model the guard-rail compares the final student with, and falls back to: with a kept first-round student, the
        // better of the teacher and the supervised arm
        SslRounds.Teacher bar = kept != null ? armed : teacher;
        String barName = kept != null ? (armed == teacher ? "teacher" : "supervised arm")
                : promoted == 0 ? "teacher" : "round-" + promoted + " student";
        Map<String, Object> evidence = evidence("noisy-student", unlabeled, teacherSteps,
                rounds.isEmpty() ? teacher.score() : rounds.get(0).get("teacherScore"), // the first teacher's
                rounds, barName, bar.score());
        evidence.putAll(labels.evidence());
        evidence.put("studentNoise", noisy.describe());
        evidence.put("studentStart", kept != null ? "round-1 student" : "teacher");
        evidence.put("studentPeakLearningRate", studentRate);
        evidence.put("seconds", seconds);
        String how = multiLabel ? String.format(java.util.Locale.ROOT, "every one of the %d unlabeled images, each class at"
                + " the threshold that maximises its validation F1; %s of validation images get their whole label set right", unlabeled.size(),
                Double.isNaN(pseudoAccuracy) ? "none" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * pseudoAccuracy))
                : String.format(java.util.Locale.ROOT, "%d of %d unlabeled images (confidence > %.1f; %d with the repeats that"
                        + " balance the classes; %s of validation images above that confidence get the right label)", distinct,
                        unlabeled.size(), PseudoLabels.PAPER_THRESHOLD, selection.size(), Double.isNaN(pseudoAccuracy) ? "none"
                                : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * pseudoAccuracy));
        String rationale = String.format(java.util.Locale.ROOT,
                "Noisy Student: a teacher trained %d steps on the labeled images scored %s %.4f on validation; %s. The %s"
                        + " pseudo-labeled %s. The final run is the"
                        + " student: it starts from %s and trains with noise (%s) on them and the labeled images"
                        + " (x%d) at a peak learning rate of %.3g (%.1fx the plan's); after training it is kept only if it beats"
                        + " the %s on validation (%.0f s)", teacherSteps, task.validationMetric(), (double) evidence.get("teacherScore"),
                SslRounds.describe(rounds), kept != null ? "teacher" : barName, how,
                kept != null ? "the round-1 student's weights, a student no worse than its rivals after half a pass or so, which"
                        + " gains as it trains on" : "its teacher's weights",
                noisy.describe(), copies, studentRate, STUDENT_LEARNING_RATE, barName, seconds);
        d.add(log(new Decision<>("ssl", "noisy-student", Origin.LEARNED, "teacher trained, pseudo-labels selected", rationale,
                evidence, Duration.ofMillis((long) (seconds * 1000)))));
        Json.write(work.resolve(FILE), new PseudoLabelFile(selection.indices(), selection.classes(), labels.multiHot(), copies,
                unlabeled.fingerprint()));
        TeacherWeights.write(work.resolve(TEACHER), bar.weights());
        if (kept != null) {
            TeacherWeights.write(work.resolve(START), kept.weights());
        }
        TrainingPlan student = new TrainingPlan(plan.seed(), plan.epochs(), plan.totalSteps(), plan.batchSize(), plan.optimizer(),
                studentRate, plan.weightDecay(), plan.schedule(), plan.warmupFraction(), plan.batchNormMomentum(), plan.patience(),
                plan.budgetSeconds(), d, plan.accumulation(), plan.policy());
        TrainingPlan next = replan(student.with(noisy, d, plan.epochs(), plan.totalSteps()), d, split, studentSet.size(), true,
                runStartNanos);
        return new Result(next, studentSet, bar.weights(), null, kept == null ? null : kept.weights());
    }

    /** FixMatch's settings for a first round from {@code teacher}, logged when FixMatch may train. */
    private static FixMatchSettings fixMatchSettings(SslRounds.Teacher teacher, String method, Task task, Splitting split,
            UnlabeledSet unlabeled) {
        FixMatchSettings settings = SslFixMatch.choose(teacher, task, split.train().size(), unlabeled.size());
        if (!method.equals("noisy-student")) {
            LOG.info("ssl: FixMatch's settings: {}", settings.reason());
        }
        return settings;
    }

    /**
     * The first teacher's steps on the labeled images: with a budget, {@link #TEACHER_SHARE} of the seconds left after its
     * pseudo-labeling pass; without one, half the plan's steps; at most {@link SslRounds#teacherMaxEpochs} epochs.
     */
    private static long teacherSteps(TrainingPlan plan, Splitting split, UnlabeledSet unlabeled, long runStartNanos) {
        double ips = plan.measuredImagesPerSecond();
        long steps;
        if (plan.budgetSeconds() > 0 && ips > 0) {
            steps = (long) (Math.max(0, TEACHER_SHARE * (secondsLeft(plan, split, runStartNanos) - labelSeconds(unlabeled, ips)))
                    * ips / plan.effectiveBatch());
        } else {
            steps = Math.max(1, plan.totalSteps() / 2);
        }
        return Math.min(steps, (long) SslRounds.teacherMaxEpochs(plan.policy()) * FitLoop.batchesPerEpoch(split.train().size(),
                plan.batchSize()));
    }

    /** The teacher's pseudo-labeling pass over the unlabeled images: about a third of the training speed's time. */
    private static double labelSeconds(UnlabeledSet unlabeled, double ips) {
        return unlabeled.size() / (3 * ips);
    }

    /**
     * Why the unlabeled images cannot be used before any training, or null when they can: a teacher too short to
     * pseudo-label with, or no room after it for the first round, the evidence (its student against the supervised arm
     * at equal compute). Without that round nothing would show that the unlabeled images help, so the plain run keeps
     * the whole budget. The student's set is estimated as the unlabeled and labeled images once (it is known only after
     * the teacher has labeled). {@code --ssl fixmatch}, {@code simclr} and {@code barlow-twins} run no round: the user
     * asked for the method, and the final run's guard-rail still judges it.
     */
    private static String nothingFits(TrainingPlan plan, Splitting split, UnlabeledSet unlabeled, String method, long teacherSteps,
            long runStartNanos) {
        boolean budgeted = plan.budgetSeconds() > 0 && plan.measuredImagesPerSecond() > 0;
        if (teacherSteps < MIN_TRIAL_STEPS) {
            return String.format("%s leaves %d steps for the teacher, fewer than the %d needed to train one worth pseudo-labeling"
                    + " with; give a larger %s to use the unlabeled images", plan.budgetSeconds() > 0 ? "the budget"
                    : "half the planned steps", teacherSteps, MIN_TRIAL_STEPS, plan.budgetSeconds() > 0 ? "--budget" : "--epochs");
        }
        double leftAfterTeacher = budgeted ? (1 - TEACHER_SHARE) * Math.max(0, secondsLeft(plan, split, runStartNanos)
                - labelSeconds(unlabeled, plan.measuredImagesPerSecond())) : 0;
        int studentEstimate = unlabeled.size() + split.train().size();
        if (method.equals("fixmatch") || SelfSupervisedPretraining.Method.of(method) != null
                || SslRounds.steps(plan, leftAfterTeacher, unlabeled.size(), studentEstimate, 2) > 0) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%s leaves no room, after a %d-step teacher, for the first round that"
                + " decides whether the %d unlabeled images help: a student on the pseudo-labels and a supervised arm (the"
                + " teacher continued on the labeled images alone) of at least %d steps each (half an epoch of about %d images),"
                + " compared at equal compute. So they are not used and the plain run keeps the whole budget; give a larger %s"
                + " to use them", budgeted ? "the budget" : "a quarter of the planned steps", teacherSteps, unlabeled.size(),
                SslRounds.leastSteps(plan, studentEstimate), studentEstimate, budgeted ? "--budget" : "--epochs");
    }

    /**
     * FixMatch chosen: by the learner, when its first-round arm ({@code arm}) beat the teacher, the supervised arm and the
     * round's Noisy Student; or by {@code --ssl fixmatch} ({@code arm} null). The final run continues the arm (or the
     * teacher) with {@link dev.hone.ssl.FixMatchTraining} on the labeled and unlabeled images at the student's learning
     * rate for the rest of the budget, planned at the arm's measured speed ({@code armImagesPerSecond}, labeled images
     * a second; 0 to estimate it from the plan's speed, {@link SslFixMatch#labeledImagesPerSecond}). The guard-rail compares it
     * with the model it started from after training.
     */
    private static Result fixMatch(TrainingPlan plan, List<Decision<?>> d, Splitting split, UnlabeledSet unlabeled,
            long teacherSteps, SslRounds.Teacher teacher, SslRounds.Teacher arm, SslRounds.Labels labels,
            List<Map<String, Object>> rounds, double armImagesPerSecond, FixMatchSettings chosen, Path work, double seconds,
            long runStartNanos) {
        SslRounds.Teacher start = arm != null ? arm : teacher;
        String startName = arm != null ? SslFixMatch.ARM : "teacher";
        double rate = plan.peakLearningRate() * STUDENT_LEARNING_RATE;
        // the batch's labeled images are 1/(1+mu) of the plan's batch: with their unlabeled ones they make about that batch
        int labeledBatch = SslFixMatch.labeledBatch(plan.batchSize(), chosen.ratio());
        Map<String, Object> evidence = evidence("fixmatch", unlabeled, teacherSteps, teacher.score(), rounds, startName,
                start.score());
        if (labels != null) {
            evidence.putAll(labels.evidence()); // the teacher's pseudo-labels, which Noisy Student's arm trained on
        }
        Map<String, Object> settings = SslFixMatch.settings(plan.batchSize(), chosen);
        evidence.put("fixMatch", settings);
        evidence.put("studentStart", startName);
        evidence.put("studentPeakLearningRate", rate);
        evidence.put("seconds", seconds);
        String found;
        if (arm == null) {
            found = String.format(java.util.Locale.ROOT, "--ssl fixmatch: a teacher trained %d steps on the labeled images (validation"
                    + " score %.4f)", teacherSteps, teacher.score());
        } else {
            found = SslFixMatch.chosen(rounds.get(0), teacherSteps, teacher.score());
        }
        String why = String.format(java.util.Locale.ROOT, "%s. The final run continues the %s with FixMatch (Sohn et al. 2020):"
                + " each batch of %d labeled images gets %d unlabeled ones (%d times as many, so that together they make about"
                + " the plan's batch of %d), whose predictions on a weak view (%s) above"
                + " confidence %.2f are the targets of a strong view (%s), with weight %.1f (%s); peak learning rate %.3g (%.1fx the"
                + " plan's). After training it is kept only if it beats the %s on validation (%.0f s)", found, startName,
                labeledBatch, labeledBatch * chosen.ratio(), chosen.ratio(), plan.batchSize(), settings.get("weak"),
                chosen.threshold(), settings.get("strong"), dev.hone.ssl.FixMatchTraining.PAPER_WEIGHT, chosen.reason(), rate,
                STUDENT_LEARNING_RATE, startName, seconds);
        d.add(log(new Decision<>("ssl", "fixmatch", arm == null ? Origin.USER : Origin.LEARNED,
                arm == null ? "--ssl fixmatch" : "the first round's three arms", why, evidence,
                Duration.ofMillis((long) (seconds * 1000)))));
        TeacherWeights.write(work.resolve(TEACHER), start.weights());
        int epochs = (int) Math.max(1, Math.ceil((double) plan.totalSteps()
                / FitLoop.batchesPerEpoch(split.train().size(), labeledBatch * plan.accumulation())));
        TrainingPlan continued = new TrainingPlan(plan.seed(), epochs, plan.totalSteps(), labeledBatch,
                plan.optimizer(), rate, plan.weightDecay(), plan.schedule(), plan.warmupFraction(), plan.batchNormMomentum(),
                plan.patience(), plan.budgetSeconds(), d, plan.accumulation(), plan.policy());
        double ips = armImagesPerSecond > 0 ? armImagesPerSecond
                : SslFixMatch.labeledImagesPerSecond(plan.measuredImagesPerSecond(), chosen.ratio());
        return new Result(replan(continued, d, split, split.train().size(), false, ips, runStartNanos), null, start.weights(),
                unlabeledAsSet(unlabeled, split.train()));
    }

    /**
     * {@code --ssl simclr} or {@code --ssl barlow-twins} ({@link SslPretraining}): the encoder pretrains on the unlabeled
     * images for the time left after the teacher but for a fine-tuning as long as the teacher's training
     * ({@link SslPretraining#fineTuneSeconds}; with no budget, as many steps as the teacher), and the final run fine-tunes
     * it with a fresh classifier on the labeled images at the plan's peak learning rate; the guard-rail compares the result
     * with the teacher.
     */
    private static Result pretrained(SelfSupervisedPretraining.Method method, TrainingPlan plan, List<Decision<?>> d,
            Splitting split, UnlabeledSet unlabeled, long teacherSteps, SslRounds.Teacher teacher, double teacherSeconds,
            TrialRunner.Setup teacherSetup, Path work, long begun, long runStartNanos) {
        boolean budgeted = plan.budgetSeconds() > 0 && plan.measuredImagesPerSecond() > 0;
        double left = budgeted ? Math.max(0, secondsLeft(plan, split, runStartNanos)) : 0;
        double fineTune = SslPretraining.fineTuneSeconds(left, teacherSeconds);
        double seconds = left - fineTune;
        long steps = budgeted ? SslPretraining.steps(seconds, plan.measuredImagesPerSecond(), plan.batchSize()) : teacherSteps;
        if (steps < MIN_TRIAL_STEPS) {
            d.add(log(SslPretraining.tooShort(method, steps, seconds)));
            return new Result(replan(plan, d, split, split.train().size(), false, runStartNanos));
        }
        LOG.info("ssl: {} pretrains the encoder {} steps on the {} unlabeled images", method.cliName(), steps, unlabeled.size());
        SslPretraining.Pretrained p = SslPretraining.train(method, teacherSetup, unlabeledAsSet(unlabeled, split.train()),
                teacher.weights(), steps, seconds);
        if (p == null) {
            d.add(log(Decision.byDefault("ssl", "none", "--ssl " + method.cliName() + ": pretraining trained no epoch")));
            return new Result(replan(plan, d, split, split.train().size(), false, runStartNanos));
        }
        Map<String, Object> evidence = evidence(method.cliName(), unlabeled, teacherSteps, teacher.score(), List.of(), "teacher",
                teacher.score());
        evidence.put("pretraining", SslPretraining.evidence(method, p));
        evidence.put("teacherSeconds", teacherSeconds);
        if (budgeted) {
            evidence.put("fineTuneSeconds", fineTune);
        }
        evidence.put("seconds", elapsed(begun));
        d.add(log(SslPretraining.decision(method, SslPretraining.why(method, teacherSteps, teacherSeconds, teacher.score(), p,
                unlabeled.size(), plan.peakLearningRate(), budgeted ? fineTune : -1), evidence, elapsed(begun))));
        TeacherWeights.write(work.resolve(TEACHER), teacher.weights());
        TeacherWeights.write(work.resolve(START), p.weights());
        return new Result(replan(plan, d, split, split.train().size(), false, runStartNanos), null, teacher.weights(), null,
                p.weights());
    }

    /**
     * The {@code ssl} decision's common evidence: the method, the unlabeled images, the first teacher's steps and score,
     * the rounds, and the model the final run starts from with its score.
     */
    private static Map<String, Object> evidence(String method, UnlabeledSet unlabeled, long teacherSteps, Object teacherScore,
            List<Map<String, Object>> rounds, String finalTeacher, double finalTeacherScore) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("method", method);
        e.put("unlabeled", unlabeled.describe());
        e.put("teacherSteps", teacherSteps);
        e.put("teacherScore", teacherScore);
        e.put("rounds", rounds);
        e.put("finalTeacher", finalTeacher);
        e.put("finalTeacherScore", finalTeacherScore);
        return e;
    }

    /**
     * The first round's student did not beat its bar, the better of its teacher and the teacher continued as long on the
     * labeled images alone: the unlabeled images are not used, and the final run continues that better model on the
     * labeled images alone, at the student's learning rate and without the student's noise, for the rest of the budget,
     * so that the time the teacher did not use is not lost. The guard-rail compares it with that model after training.
     */
    private static Result continuation(TrainingPlan plan, List<Decision<?>> d, Splitting split, UnlabeledSet unlabeled,
            long teacherSteps, SslRounds.Teacher teacher, SslRounds.Teacher start, SslRounds.Labels labels,
            List<Map<String, Object>> rounds, Path work, double seconds, long runStartNanos) {
        Map<String, Object> r = rounds.isEmpty() ? null : rounds.get(0);
        if (start == null) {
            start = teacher;
        }
        boolean fromArm = start != teacher;
        Map<String, Object> evidence = evidence("noisy-student", unlabeled, teacherSteps, teacher.score(), rounds,
                fromArm ? "supervised arm" : "teacher", start.score());
        evidence.putAll(labels.evidence()); // the teacher's pseudo-labels, shown though no student trains on them
        evidence.put("continuation", true);
        evidence.put("continuationPeakLearningRate", plan.peakLearningRate() * STUDENT_LEARNING_RATE);
        evidence.put("seconds", seconds);
        String found;
        if (r == null) {
            found = String.format(java.util.Locale.ROOT, "Noisy Student: a teacher trained %d steps on the labeled images (validation score"
                    + " %.4f) pseudo-labeled more images than estimated, and the first round that compares a student with the"
                    + " supervised arm at equal compute no longer fits the budget", teacherSteps, teacher.score());
        } else {
            String arm = r.get("supervisedScore") instanceof Double a ? String.format(java.util.Locale.ROOT,
                    " nor the teacher continued as many steps on the labeled images alone (%.4f)", a) : "";
            found = String.format(java.util.Locale.ROOT, "Noisy Student's first round: a student trained %s steps from its"
                    + " teacher (%d steps on the labeled images, validation score %.4f) on the teacher's pseudo-labels and scored %s,"
                    + " which beats neither the teacher (a higher score, an equal one with a lower validation loss, or a significantly"
                    + " lower calibrated loss with a score not significantly lower)%s",
                    r.get("studentSteps"), teacherSteps, teacher.score(), r.get("studentScore") == null ? "nothing"
                            : String.format(java.util.Locale.ROOT, "%.4f", (double) r.get("studentScore")), arm);
        }
        boolean pretrained = d.stream().anyMatch(x -> x.name().equals("ssl-pretraining") && !"none".equals(x.value()));
        String why = String.format(java.util.Locale.ROOT, "%s, so %s. The final run continues"
                + " the %s on the labeled images at %.1fx the plan's peak learning rate for the rest of the budget; after training"
                + " it is kept only if it beats that model on validation (%.0f s)", found, pretrained ? "no pseudo-label is used"
                        + " (the " + unlabeled.size() + " unlabeled images served the teacher's pretraining only, see ssl-pretraining)"
                        : "the " + unlabeled.size() + " unlabeled images are not used",
                fromArm ? "supervised arm" : "teacher", STUDENT_LEARNING_RATE, seconds);
        d.add(log(new Decision<>("ssl", "none", Origin.LEARNED, "a round's student against its teacher", why, evidence,
                Duration.ofMillis((long) (seconds * 1000)))));
        TeacherWeights.write(work.resolve(TEACHER), start.weights());
        TrainingPlan continued = new TrainingPlan(plan.seed(), plan.epochs(), plan.totalSteps(), plan.batchSize(),
                plan.optimizer(), plan.peakLearningRate() * STUDENT_LEARNING_RATE, plan.weightDecay(), plan.schedule(),
                plan.warmupFraction(), plan.batchNormMomentum(), plan.patience(), plan.budgetSeconds(), d, plan.accumulation(),
                plan.policy());
        return new Result(replan(continued, d, split, split.train().size(), false, runStartNanos), null, start.weights());
    }

    /**
     * The student's noise. Noisy Student needs it: a student trained without noise on its teacher's labels learns
     * to copy the teacher (the paper's ablation, section 5.2). When the plan's policy already augments, the
     * student keeps it; otherwise it gets {@link SmallDataPrior}'s, hone's analogue of the paper's RandAugment (two of
     * translate, zoom, rotate and erase per batch, at half their largest magnitude) and, where the network has one,
     * dropout before the classifier. Either way, where the network has residual blocks and the policy has no stochastic
     * depth, the student gets the paper's third noise, stochastic depth with a survival probability of 0.8 for the last
     * block ({@link StochasticDepth#NOISY_STUDENT_FINAL_RATE}): it is what makes the student noisier than a teacher trained
     * under the same policy.
     *
     * @param dropout whether the network can get a dropout layer ({@link ModelFactory#supportsDropout})
     * @param stochasticDepth whether it has residual blocks to drop ({@link ModelFactory#supportsStochasticDepth})
     */
    static RegularizationPolicy studentPolicy(RegularizationPolicy policy, boolean dropout, boolean stochasticDepth) {
        RegularizationPolicy p = policy.augmentation().isEmpty() ? SmallDataPrior.onto(policy, dropout) : policy;
        return stochasticDepth && p.stochasticDepth() == 0 ? p.withStochasticDepth(StochasticDepth.NOISY_STUDENT_FINAL_RATE) : p;
    }

    /**
     * The model the final run started from, as the {@code ssl} decision names it ({@code teacher}, {@code supervised arm},
     * {@code round-N student}); {@code teacher} when the decision does not say.
     */
    static String finalTeacher(List<Decision<?>> decisions) {
        return decisions.stream().filter(x -> x.name().equals("ssl") && x.evidence() != null)
                .map(x -> x.evidence().get("finalTeacher")).filter(String.class::isInstance).map(String.class::cast)
                .findFirst().orElse("teacher");
    }

    /**
     * The student's set and its teacher's weights again on a resume, from the files saved when Noisy Student was
     * chosen; a result without them when it was not.
     *
     * @throws HoneException when the saved pseudo-labels or teacher are missing or belong to other unlabeled images
     */
    static Result resume(TrainingPlan plan, Path work, Splitting split, UnlabeledSet unlabeled) {
        boolean chosen = plan.decisions().stream().anyMatch(x -> x.name().equals("ssl") && "noisy-student".equals(x.value()));
        boolean continued = plan.decisions().stream().anyMatch(x -> x.name().equals("ssl") && x.evidence() != null
                && Boolean.TRUE.equals(x.evidence().get("continuation")));
        boolean fixMatch = plan.decisions().stream().anyMatch(x -> x.name().equals("ssl") && "fixmatch".equals(x.value()));
        boolean pretrained = plan.decisions().stream().anyMatch(x -> x.name().equals("ssl")
                && SelfSupervisedPretraining.Method.names().contains(String.valueOf(x.value())));
        if (pretrained) {
            Path teacher = work.resolve(TEACHER);
            Path start = work.resolve(START);
            if (!Files.exists(teacher) || !Files.exists(start)) {
                throw HoneException.of("The saved plan fine-tunes a pretrained encoder, but its weights or the teacher's are missing",
                        Files.exists(teacher) ? start : teacher, "start again without --resume");
            }
            LOG.info("resuming the pretrained encoder's fine-tuning from {}", start);
            return new Result(plan, null, TeacherWeights.read(teacher), null, TeacherWeights.read(start));
        }
        if (fixMatch) {
            Path teacher = work.resolve(TEACHER);
            if (unlabeled == null || !Files.exists(teacher)) {
                throw HoneException.of("The saved plan trains FixMatch, but its unlabeled images or the weights it starts from are"
                        + " missing", teacher, "resume with the same --unlabeled images, or start again without --resume");
            }
            LOG.info("resuming FixMatch from {}", teacher);
            return new Result(plan, null, TeacherWeights.read(teacher), unlabeledAsSet(unlabeled, split.train()));
        }
        if (continued) {
            Path teacher = work.resolve(TEACHER);
            if (!Files.exists(teacher)) {
                throw HoneException.of("The saved plan continues a teacher whose weights are missing", teacher,
                        "start again without --resume");
            }
            LOG.info("resuming the teacher's continuation from {}", teacher);
            return new Result(plan, null, TeacherWeights.read(teacher));
        }
        if (!chosen) {
            return new Result(plan);
        }
        Path file = work.resolve(FILE);
        Path teacher = work.resolve(TEACHER);
        if (unlabeled == null || !Files.exists(file) || !Files.exists(teacher)) {
            throw HoneException.of("The saved plan trains a Noisy Student, but its pseudo-labels or its teacher are missing",
                    Files.exists(file) ? teacher : file, "resume with the same --unlabeled images, or start again without --resume");
        }
        PseudoLabelFile f = Json.read(file, PseudoLabelFile.class);
        if (!unlabeled.fingerprint().equals(f.unlabeledFingerprint())) {
            throw HoneException.of("The saved pseudo-labels belong to other unlabeled images", file,
                    "resume with the --unlabeled images the run started with, or start again without --resume");
        }
        Path start = work.resolve(START); // a kept first-round student the final student continues
        LOG.info("resuming with the {} pseudo-labels saved in {} and the teacher in {}", f.indices().length, file, teacher);
        ImageSet studentSet = f.multiHot() != null
                ? NoisyStudentData.combineMultiLabel(split.train(), f.labeledCopies(), unlabeled, f.indices(), f.multiHot())
                : NoisyStudentData.combine(split.train(), f.labeledCopies(), unlabeled, f.indices(), f.classes());
        return new Result(plan, studentSet, TeacherWeights.read(teacher), null, Files.exists(start) ? TeacherWeights.read(start) : null);
    }

    /**
     * With a budget, the steps left after the trials at the final set's size; without one, the plan's steps, over the
     * student's larger set when it was chosen (so its epochs are fewer and longer, and said so).
     */
    private static TrainingPlan replan(TrainingPlan plan, List<Decision<?>> d, Splitting split, int trainSize, boolean student,
            long runStartNanos) {
        return replan(plan, d, split, trainSize, student, plan.measuredImagesPerSecond(), runStartNanos);
    }

    /** As above, at {@code ips} training images a second (a FixMatch step's labeled images are fewer than a plain one's). */
    private static TrainingPlan replan(TrainingPlan plan, List<Decision<?>> d, Splitting split, int trainSize, boolean student,
            double ips, long runStartNanos) {
        if (plan.budgetSeconds() <= 0 || ips <= 0) {
            if (!student) {
                return plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps());
            }
            int epochs = Math.max(1, (int) Math.ceil((double) plan.totalSteps() / plan.stepsPerEpoch(trainSize)));
            d.removeIf(x -> x.name().equals("epochs"));
            d.add(log(new Decision<>("epochs", epochs, Origin.LEARNED, "semi-supervised plan", String.format(java.util.Locale.ROOT,
                    "the %d planned steps (%d epochs of the %d labeled images) are kept and run over the student's %d labeled"
                            + " and pseudo-labeled images: %d longer epochs, so early stopping, which counts epochs, has fewer"
                            + " chances to act", plan.totalSteps(), plan.epochs(), split.train().size(), trainSize, epochs),
                    Map.of("totalSteps", plan.totalSteps(), "stepsPerEpoch", plan.stepsPerEpoch(trainSize)), Duration.ZERO)));
            return plan.with(plan.policy(), d, epochs, plan.totalSteps());
        }
        double spent = elapsed(runStartNanos);
        BudgetPlanner.Plan b = BudgetPlanner.plan(plan.budgetSeconds(), spent, ips, plan.effectiveBatch(), trainSize,
                split.validation().size(), split.test().size());
        int perEpoch = plan.stepsPerEpoch(trainSize);
        d.removeIf(x -> x.name().equals("epochs"));
        d.add(log(new Decision<>("epochs", b.epochs(), Origin.LEARNED, "budget plan", String.format(java.util.Locale.ROOT,
                "%d steps (%.2f epochs of %d images) fit the %.0f s budget at %.0f images/s after %.0f s of meta-learning,"
                        + " the semi-supervised trials included; the schedule anneals at the last step",
                b.totalSteps(), (double) b.totalSteps() / perEpoch, trainSize, plan.budgetSeconds(), ips, spent),
                Map.of("totalSteps", b.totalSteps(), "stepsPerEpoch", perEpoch, "budgetSeconds", plan.budgetSeconds(),
                        "spentSeconds", spent, "plannedTrainSeconds", b.trainSeconds(), "imagesPerSecond", ips),
                Duration.ZERO)));
        return plan.with(plan.policy(), d, b.epochs(), b.totalSteps());
    }

    private static TrainingPlan withDecisions(TrainingPlan plan, List<Decision<?>> d) {
        return plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps());
    }

    private static int epochsFor(long steps, int images, TrainingPlan plan) {
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
    private static void verdicts(Map<String, Object> m, String name, SslRounds.Teacher challenger, Map<String, SslRounds.Teacher> rivals,
            Task task, long seed) {
        if (challenger == null) {
            return;
        }
        rivals.forEach((rival, model) -> {
            if (model != null) {
                m.put(name + "Vs" + rival, SslGuardRail.compare(challenger.validation(), model.validation(), task, seed).evidence());
            }
        });
    }

    /** A few validation images for the loop's per-epoch check, which the trials only need to exist. */
    private static ResidentDataset monitor(Splitting split, Normalization norm, Device device, Task task) {
        return new ResidentDataset(split.validation().subset(IntStream.range(0,
                Math.min(RegularizationLearner.MONITOR_IMAGES, split.validation().size())).toArray()),
                norm, device, task);
    }

    /** The unlabeled images as a set the evaluator can batch; the labels are placeholders it never reads. */
    private static ImageSet unlabeledAsSet(UnlabeledSet unlabeled, ImageSet labeled) {
        ImageSet set = new ImageSet(unlabeled.pixels(), new int[unlabeled.size()], labeled.channels(), labeled.height(),
                labeled.width(), labeled.classNames(), unlabeled::source);
        return labeled.multiLabel() ? set.withMultiHot(new byte[unlabeled.size() * labeled.numClasses()]) : set;
    }

    /** The budget's seconds left for training: less the test evaluation's (about 1,000 images a second) and 10 s. */
    static double secondsLeft(TrainingPlan plan, Splitting split, long runStartNanos) {
        return plan.budgetSeconds() - elapsed(runStartNanos) - split.test().size() / 1000.0 - 10;
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static <T> Decision<T> log(Decision<T> decision) {
        LOG.info("decision: {}", decision.describe());
        return decision;
    }
}
