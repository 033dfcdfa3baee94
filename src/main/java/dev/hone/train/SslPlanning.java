package dev.hone.train;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.loop.FitLoop;
import dev.hone.loop.PhaseHooks;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.RegularizationLearner;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.SmallDataPrior;
import dev.hone.models.ModelFactory;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.models.ModelSpec;
import dev.hone.models.StochasticDepth;
import dev.hone.record.Decision;
import dev.hone.ssl.FixMatchSettings;
import dev.hone.ssl.NoisyStudentData;
import dev.hone.ssl.PseudoLabels;
import dev.hone.ssl.SelfSupervisedPretraining;
import dev.hone.tasks.Task;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *       kept and balanced per class ({@link PseudoLabels}), each with the teacher's distribution as its target (soft
 *       pseudo-labels, the paper's choice). Multi-label (hone's extension): every
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
 *       significantly lower calibrated loss with a score not significantly lower, the rule of every comparison here),
 *       or, on a validation split too small to resolve the gain, when it is not significantly worse;
 *       otherwise the teacher's weights are the trained model.</li>
 * </ol>
 * With {@code --ssl auto} (the default) and few labels, a second teacher fine-tuned from a self-supervised pretrained
 * encoder replaces the first when it beats it ({@link SslPretrainedTeacher}, SimCLRv2's recipe). The first round has a
 * third arm, FixMatch (Sohn et al. 2020, arXiv:2001.07685; {@link SslFixMatch}), at the same compute; when it beats the
 * teacher, the supervised arm and the round's student, the final run continues it with FixMatch instead. When a
 * single-label or binary teacher's pseudo-labels are right on fewer than {@link SslFixMatch#WEAK_TEACHER} of the
 * validation images above the pseudo-label threshold, there are no rounds: FixMatch trains from the teacher for the rest
 * of the budget (a Noisy Student would learn a weak teacher's errors). {@code --ssl fixmatch} trains FixMatch from the
 * teacher without rounds; {@code --ssl noisy-student} leaves FixMatch out. {@code --ssl simclr} and {@code --ssl
 * barlow-twins} pretrain the encoder on the unlabeled images after the teacher and fine-tune it ({@link SslPretraining}).
 *
 * <p>The paper trains each student from scratch for as long as its teacher. In a fixed budget that halves both: a
 * student started from its teacher (hone's departure from the paper, for speed) spends all of its time on what the
 * unlabeled images add. A run whose unlabeled images do not help ends with the teacher's continuation, a supervised model
 * that lost to SSL only the time of the pseudo-labeling and of the first round's student.
 */
final class SslPlanning {
    /** The evidence key of an {@code ssl = none} decision that overrode a user's {@code --ssl METHOD}: the method. */
    static final String REQUESTED = "requested";

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

    /**
     * The fewest unlabeled images, as a share of the labeled training images, that {@code --ssl auto} uses. Fewer add under
     * a tenth to Noisy Student's training set, and FixMatch (mu at least 1) would show each of them over ten times as often
     * as a labeled image: a review's 3 unlabeled images beside 540 labeled ones halved every batch's labeled images for
     * them. The methods' papers use many times more unlabeled images than labeled ones.
     */
    static final double MIN_UNLABELED_SHARE = 0.1;

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
     * multi-hot bytes, entry-major (multi-label; null otherwise), the teacher's distributions the student trains on
     * (single-label soft pseudo-labels; null for hard ones, and in files written before them), and the labeled copies.
     */
    record PseudoLabelFile(int[] indices, int[] classes, byte[] multiHot, float[][] softTargets, int labeledCopies,
            String unlabeledFingerprint) {}

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

        /**
         * Whether semi-supervised learning kept nothing to train from (no teacher, student set, pool or encoder): it chose
         * none, or its teacher trained no epoch, diverged or gave no pseudo-label.
         */
        boolean keptNothing() {
            return studentSet == null && teacher == null && unlabeledPool == null && start == null;
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
            d.add(notUsed(method, String.format(Locale.ROOT, "only %d validation images, fewer than the %d needed to tell whether"
                    + " the %d unlabeled images help (the guard-rail keeps a model trained on them only if it beats the teacher on"
                    + " validation), so they are not used; give more labeled images (%d of the %d are held out for"
                    + " validation), or a larger --val-fraction", split.validation().size(), DataSufficiency.MIN_VALIDATION_IMAGES,
                    unlabeled.size(), split.validation().size(), split.validation().size() + split.train().size())));
            return new Result(withDecisions(plan, d));
        }
        int labeled = split.train().size();
        if ("auto".equals(method) && unlabeled.size() < MIN_UNLABELED_SHARE * labeled) {
            d.add(log(Decision.byDefault("ssl", "none", String.format(Locale.ROOT, "%d unlabeled images beside %d labeled"
                    + " ones, fewer than %.0f%% of them: too few to help (FixMatch would show each about %d times as often as a"
                    + " labeled image), so they are not used; give more unlabeled images than labeled ones, or --ssl METHOD to"
                    + " use these anyway", unlabeled.size(), labeled, 100 * MIN_UNLABELED_SHARE,
                    Math.round((double) labeled / Math.max(1, unlabeled.size()))))));
            return new Result(withDecisions(plan, d));
        }
        if (unlabeled.size() < 2) {
            // a batch of one image has no other to contrast with (SimCLR) nor a batch to correlate over (Barlow Twins, which
            // auto's pretrained teacher uses), and one pseudo-labeled image is no training set
            d.add(notUsed(method, String.format(Locale.ROOT, "semi-supervised learning needs at least 2 unlabeled images (its"
                    + " pretraining compares batches of them), and there is %d, so it is not used; give more unlabeled images",
                    unlabeled.size())));
            return new Result(withDecisions(plan, d));
        }
        // a run killed during semi-supervised learning resumes after its last finished part: the teacher, or a round
        SslProgress.Resumed resumed = SslProgress.resume(work);
        String resumedFrom = SslProgress.resumePoint(work);
        double spentBefore = SslProgress.secondsSpent(work);
        boolean teacherStarted = SslProgress.teacherStepsStarted(work) > 0; // before this run saves its own start
        if (resumed == null) {
            try {
                Files.deleteIfExists(work.resolve(FILE)); // files from an earlier planning that did not finish
                Files.deleteIfExists(work.resolve(TEACHER));
                Files.deleteIfExists(work.resolve(START));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        hooks = SslProgress.keepingTime(hooks, work, runStartNanos); // a kill part-way through a phase counts its time
        // the seconds semi-supervised learning took before a kill, the part trained again included
        long begun = System.nanoTime() - (long) (SslProgress.sslSeconds(work) * 1e9);
        double ips = plan.measuredImagesPerSecond();
        boolean budgeted = plan.budgetSeconds() > 0 && ips > 0;
        long teacherSteps;
        if (resumed != null) {
            teacherSteps = resumed.saved().teacherSteps();
            d.clear();
            d.addAll(resumed.saved().plan().decisions());
        } else {
            long started = SslProgress.teacherStepsStarted(work); // a teacher a kill interrupted trains on from its checkpoint
            teacherSteps = started > 0 ? started : teacherSteps(plan, split, unlabeled, runStartNanos);
            String none = nothingFits(plan, split, unlabeled, method, teacherSteps, runStartNanos);
            if (none != null) {
                d.add(notUsed(method, none));
                return new Result(withDecisions(plan, d));
            }
            SslProgress.saveTeacherStart(work, teacherSteps);
        }
        if (resumed != null || teacherStarted) {
            d.add(log(Decision.derived("resume", "during semi-supervised learning", "saved progress", String.format(Locale.ROOT,
                    "the run was stopped during semi-supervised learning and resumed %s; it had spent %.0f s%s", resumedFrom,
                    spentBefore, plan.budgetSeconds() > 0 ? ", which its budget counts" : ""), Map.of("resumedFrom", resumedFrom,
                            "secondsSpentBefore", spentBefore))));
        }
        boolean batchNorm = AfterTrainingWork.batchNorm(o);
        SslFinalRuns.Setting setting = new SslFinalRuns.Setting(plan, d, task, split, unlabeled, teacherSteps, work, begun,
                runStartNanos, batchNorm);
        SelfSupervisedPretraining.Method pretraining = SelfSupervisedPretraining.Method.of(method);
        ModelSpec trialSpec = plan.policy().onto(spec.withBatchNormMomentum(plan.batchNormMomentum()));
        RegularizationPolicy noisy = studentPolicy(plan.policy(), ModelFactory.supportsDropout(spec),
                ModelFactory.supportsStochasticDepth(spec));
        Path scratch = work.resolve("ssl");
        Device device = validation.manager().getDevice();
        TrialRunner.Setup teacherSetup = new TrialRunner.Setup(trialSpec, input, classes, task, plan.optimizer(),
                plan.peakLearningRate(), plan.weightDecay(), plan.batchSize(),
                SslRound.epochsFor(teacherSteps, split.train().size(), plan),
                plan.seed(), norm, device, scratch, hooks);
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
                if (pretraining != null) {
                    LOG.info("ssl: resuming after the teacher (validation {} {}), with {} pretraining", task.validationMetric(),
                            String.format(Locale.ROOT, "%.4f", teacher.score()), method);
                    return SslFinalRuns.pretrained(setting, pretraining, teacher, resumed.saved().teacherSeconds(), teacherSetup);
                }
                rounds.addAll(resumed.saved().rounds());
                LOG.info("ssl: resuming after {}, with the saved teacher (validation {} {})", rounds.isEmpty() ? "the teacher"
                        : "round " + rounds.size(), task.validationMetric(), String.format(java.util.Locale.ROOT, "%.4f",
                        teacher.score()));
            } else {
                LOG.info("ssl: the teacher trains {} steps on the {} labeled images", teacherSteps, split.train().size());
                boolean fixMatchOnly = method.equals("fixmatch"); // FixMatch labels as it trains: the teacher need not
                long teacherBegun = System.nanoTime();
                TrialRunner teacherRunner = new TrialRunner(teacherSetup, train, validation, monitor).withProgress("ssl teacher")
                        .resumable();
                boolean pseudoLabels = !(fixMatchOnly || pretraining != null);
                // its validation pass and pseudo-labeling come after its last step; the per-epoch check reads the monitor
                PhasePacing pacing = PhasePacing.add(teacherRunner, plan, "the teacher", teacherSteps, 1, monitor.size(),
                        validation.size() + (pseudoLabels ? unlabeled.size() : 0));
                teacher = SslRounds.Teacher.train(teacherRunner, plan.policy(), pseudoLabels ? pool : null, teacherSteps, List.of());
                long trained = PhasePacing.steps(pacing, teacherSteps);
                if (trained != teacherSteps) {
                    teacherSteps = trained; // what the record says it trained
                    setting = new SslFinalRuns.Setting(plan, d, task, split, unlabeled, teacherSteps, work, begun, runStartNanos,
                            batchNorm);
                }
                if (pretraining != null && teacher != null) {
                    // a kill during pretraining resumes after this teacher rather than training it again
                    double teacherSeconds = elapsed(teacherBegun);
                    SslProgress.save(work, elapsed(runStartNanos), elapsed(begun), withDecisions(plan, d), teacherSteps, rounds,
                            teacher, teacherSeconds);
                    return SslFinalRuns.pretrained(setting, pretraining, teacher, teacherSeconds, teacherSetup);
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
                    return SslFinalRuns.fixMatch(setting, teacher, null, null, rounds, 0,
                            fixMatchSettings(teacher, method, task, split, unlabeled));
                }
                if (teacher == null || !teacher.labels()) {
                    d.add(notUsed(method, teacher == null
                            ? "the teacher trained no epoch, so there is no teacher to pseudo-label with"
                            : "the teacher diverged (its predictions are not finite), so its pseudo-labels would be noise"));
                    return new Result(setting.supervised());
                }
            }
            FixMatchSettings fixMatchSettings = rounds.isEmpty()
                    ? fixMatchSettings(teacher, method, task, split, unlabeled) : null; // only the first round has a FixMatch arm
            labels = labeler.label(teacher);
            if (labels.selection().size() == 0) {
                d.add(notUsed(method, "no unlabeled image reached the teacher's confidence threshold "
                        + PseudoLabels.PAPER_THRESHOLD));
                return new Result(setting.supervised());
            }
            if (resumed == null) {
                SslProgress.save(work, elapsed(runStartNanos), elapsed(begun), withDecisions(plan, d), teacherSteps, rounds,
                        teacher);
            }
            // a weak teacher's pseudo-labels would teach a student its errors: FixMatch, which trains only on its own confident
            // predictions, trains for the rest of the budget without a race that the few validation images cannot decide
            if (rounds.isEmpty() && method.equals("auto") && labels.thresholds() == null
                    && SslFixMatch.weakTeacher(labels.validationAccuracy())) {
                return SslFinalRuns.fixMatch(setting, teacher, null, labels, rounds, 0, fixMatchSettings);
            }
            // rounds (the paper's iterative training): a student trained on these pseudo-labels that beats its teacher on
            // validation becomes the next teacher and labels again, while the budget leaves the final student its share
            SslRound.Arena arena = new SslRound.Arena(plan, task, norm, teacherSetup, train, validation, monitor, pool, noisy,
                    labeler);
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
                String notRaced = null;
                if (fixMatchSteps >= MIN_TRIAL_STEPS) {
                    steps = threeArms;
                } else {
                    if (round == 1 && method.equals("auto")) {
                        notRaced = String.format(Locale.ROOT, "FixMatch was not raced: a third of the round's time fits %d"
                                + " FixMatch steps, fewer than the %d a trial needs", fixMatchSteps, MIN_TRIAL_STEPS);
                        LOG.info("ssl: {}", notRaced);
                    }
                    fixMatchSteps = 0;
                }
                SslRound.Outcome r = SslRound.train(arena, round, steps, fixMatchSteps, fixMatchSettings, teacher, labels);
                if (round == 1) {
                    armed = r.bar();
                }
                if (r.notWorse()) {
                    kept = r.student();
                }
                Map<String, Object> roundRecord = new java.util.LinkedHashMap<>(r.record());
                if (notRaced != null) {
                    roundRecord.put("fixMatchNotRaced", notRaced);
                }
                rounds.add(roundRecord);
                if (r.fixMatchWins()) {
                    return SslFinalRuns.fixMatch(setting, teacher, r.fixMatch().model(), labels, rounds,
                            r.fixMatch().imagesPerSecond(), r.fixMatch().settings());
                }
                if (!r.promoted()) {
                    break;
                }
                teacher = r.student();
                labels = r.next();
                SslProgress.save(work, elapsed(runStartNanos), elapsed(begun), withDecisions(plan, d), teacherSteps, rounds,
                        teacher);
            }
        }
        if (kept == null && (rounds.isEmpty() || !Boolean.TRUE.equals(rounds.get(0).get("promoted")))) {
            return SslFinalRuns.continuation(setting, teacher, armed, labels, rounds, method);
        }
        return SslFinalRuns.noisyStudent(setting, teacher, kept, armed, labels, rounds, noisy);
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
            // the pseudo-labeling pass comes off the time first: with many unlabeled images it can take all of it
            String labeling = budgeted ? String.format(java.util.Locale.ROOT, " once pseudo-labeling the %d unlabeled images"
                    + " (about %.0f s, at three times the training speed) is taken from the %.0f s left", unlabeled.size(),
                    labelSeconds(unlabeled, plan.measuredImagesPerSecond()), Math.max(0, secondsLeft(plan, split, runStartNanos))) : "";
            return String.format("%s leaves %d steps for the teacher%s, fewer than the %d needed to train one worth pseudo-labeling"
                    + " with; give a larger %s to use the unlabeled images", plan.budgetSeconds() > 0 ? "the budget"
                    : "half the planned steps", teacherSteps, labeling, MIN_TRIAL_STEPS, plan.budgetSeconds() > 0 ? "--budget" : "--epochs");
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

    private static TrainingPlan withDecisions(TrainingPlan plan, List<Decision<?>> d) {
        return plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps());
    }

    /** A few validation images for the loop's per-epoch check, which the trials only need to exist. */
    private static ResidentDataset monitor(Splitting split, Normalization norm, Device device, Task task) {
        return new ResidentDataset(split.validation().subset(IntStream.range(0,
                Math.min(RegularizationLearner.MONITOR_IMAGES, split.validation().size())).toArray()),
                norm, device, task);
    }

    /** The unlabeled images as a set the evaluator can batch; the labels are placeholders it never reads. */
    static ImageSet unlabeledAsSet(UnlabeledSet unlabeled, ImageSet labeled) {
        ImageSet set = new ImageSet(unlabeled.pixels(), new int[unlabeled.size()], labeled.channels(), labeled.height(),
                labeled.width(), labeled.classNames(), unlabeled::source);
        return labeled.multiLabel() ? set.withMultiHot(new byte[unlabeled.size() * labeled.numClasses()]) : set;
    }

    /** The budget's seconds left for training: less the test evaluation's (about 1,000 images a second) and 10 s. */
    static double secondsLeft(TrainingPlan plan, Splitting split, long runStartNanos) {
        return plan.budgetSeconds() - elapsed(runStartNanos) - split.test().size() / 1000.0 - 10;
    }

    static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /**
     * The {@code ssl = none} decision when the unlabeled images cannot be used: by rule under {@code --ssl auto}; under a
     * user's {@code --ssl METHOD}, which it overrides, a warning that names the flag, with the method as the evidence's
     * {@code requested} (the run's summary repeats it).
     */
    static Decision<String> notUsed(String method, String why) {
        if ("auto".equals(method)) {
            return log(Decision.byDefault("ssl", "none", why));
        }
        return warn(new Decision<>("ssl", "none", dev.hone.record.Origin.DEFAULT, "rule", asked(method, why),
                Map.of(REQUESTED, method), java.time.Duration.ZERO));
    }

    /** The rationale of an {@code ssl = none} decision that overrides a user's {@code --ssl METHOD}. */
    static String asked(String method, String why) {
        return "--ssl " + method + " was asked for but cannot run: " + why;
    }

    /** Logs a decision that overrides what the user asked for, as a warning. */
    static <T> Decision<T> warn(Decision<T> decision) {
        LOG.warn("decision: {}", decision.describe());
        return decision;
    }

    static <T> Decision<T> log(Decision<T> decision) {
        LOG.info("decision: {}", decision.describe());
        return decision;
    }
}
