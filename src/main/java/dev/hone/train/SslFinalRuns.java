package dev.hone.train;

import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.loop.FitLoop;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.record.Decision;
import dev.hone.record.Json;
import dev.hone.record.Origin;
import dev.hone.ssl.FixMatchSettings;
import dev.hone.ssl.PseudoLabelSelection;
import dev.hone.ssl.PseudoLabels;
import dev.hone.ssl.SelfSupervisedPretraining;
import dev.hone.tasks.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The final run that semi-supervised planning ends with, one method per outcome: the Noisy Student, FixMatch, a
 * pretrained encoder's fine-tuning, or the continuation on the labeled images alone when the unlabeled images did not
 * help. Each records the {@code ssl} decision with its evidence, writes what the final run starts from (and the
 * guard-rail compares with) in the work folder for a resume ({@link SslResume}), and re-plans the final run's steps for
 * the budget left.
 */
final class SslFinalRuns {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private SslFinalRuns() {}

    /**
     * What every final run's plan needs.
     *
     * @param decisions the decisions so far, the {@code ssl} decision added to them
     * @param teacherSteps the first teacher's steps on the labeled images
     * @param work the run's work folder
     * @param begun when semi-supervised planning began ({@link System#nanoTime}), moved back on a resume by the seconds
     *     spent before it
     * @param runStartNanos when the run's budget began
     * @param batchNorm whether PreciseBN can recompute the network's statistics ({@link AfterTrainingWork#batchNorm})
     */
    record Setting(TrainingPlan plan, List<Decision<?>> decisions, Task task, Splitting split, UnlabeledSet unlabeled,
            long teacherSteps, Path work, long begun, long runStartNanos, boolean batchNorm) {
        double seconds() {
            return SslPlanning.elapsed(begun);
        }

        double studentRate() {
            return plan.peakLearningRate() * SslPlanning.STUDENT_LEARNING_RATE;
        }

        /** The plan with the decisions so far and the steps left for the labeled images alone, SSL not used. */
        TrainingPlan supervised() {
            return replan(plan, this, split.train().size(), false, plan.measuredImagesPerSecond(), false, 0);
        }
    }

    /**
     * Noisy Student chosen: a round's student was promoted, or a first-round student tied its rivals ({@code kept}). The
     * final student trains with {@code noisy} on the labeled and pseudo-labeled images ({@code labels}), from the last
     * teacher's weights or the kept student's, and the guard-rail compares it with the last teacher, or with the better
     * of the first teacher and the supervised arm ({@code armed}) when it continues a kept student.
     */
    static SslPlanning.Result noisyStudent(Setting s, SslRounds.Teacher teacher, SslRounds.Teacher kept, SslRounds.Teacher armed,
            SslRounds.Labels labels, List<Map<String, Object>> rounds, RegularizationPolicy noisy) {
        TrainingPlan plan = s.plan();
        List<Decision<?>> d = s.decisions();
        UnlabeledSet unlabeled = s.unlabeled();
        PseudoLabelSelection selection = labels.selection();
        int copies = labels.copies();
        double pseudoAccuracy = labels.validationAccuracy();
        double seconds = s.seconds();
        double studentRate = s.studentRate();
        long promoted = rounds.stream().filter(r -> Boolean.TRUE.equals(r.get("promoted"))).count();
        // the model the guard-rail compares the final student with, and falls back to: with a kept first-round student, the
        // better of the teacher and the supervised arm
        SslRounds.Teacher bar = kept != null ? armed : teacher;
        String barName = kept != null ? (armed == teacher ? "teacher" : "supervised arm")
                : promoted == 0 ? "teacher" : "round-" + promoted + " student";
        Map<String, Object> evidence = evidence("noisy-student", s, rounds.isEmpty() ? teacher.score()
                : rounds.get(0).get("teacherScore"), rounds, barName, bar.score()); // the first teacher's score
        evidence.putAll(labels.evidence());
        evidence.put("studentNoise", noisy.describe());
        evidence.put("studentStart", kept != null ? "round-1 student" : "teacher");
        evidence.put("studentPeakLearningRate", studentRate);
        evidence.put("seconds", seconds);
        String how = labels.thresholds() != null ? String.format(Locale.ROOT, "every one of the %d unlabeled images, each class"
                + " at the threshold that maximises its validation F1; %s of validation images get their whole label set right",
                unlabeled.size(), percent(pseudoAccuracy))
                : String.format(Locale.ROOT, "%d of %d unlabeled images (confidence > %.1f; %d with the repeats that"
                        + " balance the classes; %s of validation images above that confidence get the right label), each"
                        + " with %s as its target", labels.distinct(), unlabeled.size(), PseudoLabels.PAPER_THRESHOLD,
                        selection.size(), percent(pseudoAccuracy), selection.soft() ? "the teacher's distribution over the classes"
                                : "the teacher's most likely class");
        String rationale = String.format(Locale.ROOT,
                "Noisy Student: a teacher trained %d steps on the labeled images scored %s %.4f on validation; %s. The %s"
                        + " pseudo-labeled %s. The final run is the"
                        + " student: it starts from %s and trains with noise (%s) on them and the labeled images"
                        + " (x%d) at a peak learning rate of %.3g (%.1fx the plan's); after training it is kept only if it beats"
                        + " the %s on validation. The semi-supervised phases before the final run took %.0f s", s.teacherSteps(), s.task().validationMetric(),
                (double) evidence.get("teacherScore"), SslRounds.describe(rounds), kept != null ? "teacher" : barName, how,
                kept != null ? "the round-1 student's weights, a student no worse than its rivals after half a pass or so, which"
                        + " gains as it trains on" : "its teacher's weights",
                noisy.describe(), copies, studentRate, SslPlanning.STUDENT_LEARNING_RATE, barName, seconds);
        d.add(SslPlanning.log(new Decision<>("ssl", "noisy-student", Origin.LEARNED, "teacher trained, pseudo-labels selected",
                rationale, evidence, Duration.ofMillis((long) (seconds * 1000)))));
        Json.write(s.work().resolve(SslPlanning.FILE), new SslPlanning.PseudoLabelFile(selection.indices(), selection.classes(),
                labels.multiHot(), labels.softTargets(), copies, unlabeled.fingerprint()));
        TeacherWeights.write(s.work().resolve(SslPlanning.TEACHER), bar.weights());
        if (kept != null) {
            TeacherWeights.write(s.work().resolve(SslPlanning.START), kept.weights());
        }
        TrainingPlan student = new TrainingPlan(plan.seed(), plan.epochs(), plan.totalSteps(), plan.batchSize(), plan.optimizer(),
                studentRate, plan.weightDecay(), plan.schedule(), plan.warmupFraction(), plan.batchNormMomentum(), plan.patience(),
                plan.budgetSeconds(), d, plan.accumulation(), plan.policy());
        TrainingPlan noisyStudent = student.with(noisy, d, plan.epochs(), plan.totalSteps());
        TrainingPlan next = replan(noisyStudent, s, labels.studentSet().size(), true, noisyStudent.measuredImagesPerSecond(),
                true, 0);
        return new SslPlanning.Result(next, labels.studentSet(), bar.weights(), null, kept == null ? null : kept.weights());
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "none" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /**
     * FixMatch chosen: by the learner, when its first-round arm ({@code arm}) beat the teacher, the supervised arm and the
     * round's Noisy Student, or without a round when the teacher's pseudo-labels ({@code labels}, {@code arm} null) show it
     * weak ({@link SslFixMatch#weakTeacher}); or by {@code --ssl fixmatch} ({@code arm} and {@code labels} null). The final
     * run continues the arm (or the teacher) with {@link dev.hone.ssl.FixMatchTraining} on the labeled and unlabeled
     * images at the student's learning rate for the rest of the budget, planned at the arm's measured speed
     * ({@code armImagesPerSecond}, labeled images a second; 0 to estimate it from the plan's speed,
     * {@link SslFixMatch#labeledImagesPerSecond}). The guard-rail compares it with the model it started from after
     * training.
     */
    static SslPlanning.Result fixMatch(Setting s, SslRounds.Teacher teacher, SslRounds.Teacher arm, SslRounds.Labels labels,
            List<Map<String, Object>> rounds, double armImagesPerSecond, FixMatchSettings chosen) {
        TrainingPlan plan = s.plan();
        List<Decision<?>> d = s.decisions();
        double seconds = s.seconds();
        SslRounds.Teacher start = arm != null ? arm : teacher;
        String startName = arm != null ? SslFixMatch.ARM : "teacher";
        double rate = s.studentRate();
        // the batch's labeled images are 1/(1+mu) of the plan's batch: with their unlabeled ones they make about that batch
        int labeledBatch = SslFixMatch.labeledBatch(plan.batchSize(), chosen.ratio());
        Map<String, Object> evidence = evidence("fixmatch", s, teacher.score(), rounds, startName, start.score());
        if (labels != null) {
            // the teacher's pseudo-labels, which Noisy Student's arm trained on (or which showed the teacher weak); FixMatch
            // trains on none of them, nor on copies of the labeled images beside them
            evidence.putAll(labels.evidence());
            evidence.remove("labeledCopies");
        }
        Map<String, Object> settings = SslFixMatch.settings(plan.batchSize(), chosen);
        evidence.put("fixMatch", settings);
        evidence.put("studentStart", startName);
        evidence.put("studentPeakLearningRate", rate);
        evidence.put("seconds", seconds);
        boolean weakTeacher = arm == null && labels != null; // the learner's choice without a race
        String found = arm != null ? SslFixMatch.chosen(rounds.get(0), s.teacherSteps(), teacher.score())
                : weakTeacher ? SslFixMatch.chosenForWeakTeacher(s.teacherSteps(), teacher.score(), labels.validationAccuracy(),
                        s.split().validation().size())
                : String.format(Locale.ROOT, "--ssl fixmatch: a teacher trained %d steps on the labeled images (validation"
                        + " score %.4f)", s.teacherSteps(), teacher.score());
        if (weakTeacher) {
            evidence.put("weakTeacherBelow", SslFixMatch.WEAK_TEACHER);
        }
        String why = String.format(Locale.ROOT, "%s. The final run continues the %s with FixMatch (Sohn et al. 2020):"
                + " each batch of %d labeled images gets %d unlabeled ones (%d times as many, so that together they make about"
                + " the plan's batch of %d), whose predictions on a weak view (%s) above"
                + " confidence %.2f are the targets of a strong view (%s), with weight %.1f (%s); peak learning rate %.3g (%.1fx the"
                + " plan's). After training it is kept only if it beats the %s on validation. The semi-supervised phases before the final run"
                + " took %.0f s", found, startName,
                labeledBatch, labeledBatch * chosen.ratio(), chosen.ratio(), plan.batchSize(), settings.get("weak"),
                chosen.threshold(), settings.get("strong"), dev.hone.ssl.FixMatchTraining.PAPER_WEIGHT, chosen.reason(), rate,
                SslPlanning.STUDENT_LEARNING_RATE, startName, seconds);
        d.add(SslPlanning.log(new Decision<>("ssl", "fixmatch", arm == null && !weakTeacher ? Origin.USER : Origin.LEARNED,
                arm != null ? "the first round's three arms" : weakTeacher ? "the teacher's pseudo-label accuracy"
                        : "--ssl fixmatch", why, evidence,
                Duration.ofMillis((long) (seconds * 1000)))));
        TeacherWeights.write(s.work().resolve(SslPlanning.TEACHER), start.weights());
        int epochs = (int) Math.max(1, Math.ceil((double) plan.totalSteps()
                / FitLoop.batchesPerEpoch(s.split().train().size(), labeledBatch * plan.accumulation())));
        TrainingPlan continued = new TrainingPlan(plan.seed(), epochs, plan.totalSteps(), labeledBatch,
                plan.optimizer(), rate, plan.weightDecay(), plan.schedule(), plan.warmupFraction(), plan.batchNormMomentum(),
                plan.patience(), plan.budgetSeconds(), d, plan.accumulation(), plan.policy());
        double ips = armImagesPerSecond > 0 ? armImagesPerSecond
                : SslFixMatch.labeledImagesPerSecond(plan.measuredImagesPerSecond(), chosen.ratio());
        return new SslPlanning.Result(replan(continued, s, s.split().train().size(), false, ips, true, chosen.ratio()), null,
                start.weights(),
                SslPlanning.unlabeledAsSet(s.unlabeled(), s.split().train()));
    }

    /**
     * {@code --ssl simclr} or {@code --ssl barlow-twins} ({@link SslPretraining}): the encoder pretrains on the unlabeled
     * images for the time left after the teacher but for a fine-tuning as long as the teacher's training
     * ({@link SslPretraining#fineTuneSeconds}; with no budget, as many steps as the teacher), and the final run fine-tunes
     * it with a fresh classifier on the labeled images at the plan's peak learning rate; the guard-rail compares the result
     * with the teacher.
     */
    static SslPlanning.Result pretrained(Setting s, SelfSupervisedPretraining.Method method, SslRounds.Teacher teacher,
            double teacherSeconds, TrialRunner.Setup teacherSetup) {
        TrainingPlan plan = s.plan();
        List<Decision<?>> d = s.decisions();
        boolean budgeted = plan.budgetSeconds() > 0 && plan.measuredImagesPerSecond() > 0;
        double left = budgeted ? Math.max(0, SslPlanning.secondsLeft(plan, s.split(), s.runStartNanos())) : 0;
        double fineTune = SslPretraining.fineTuneSeconds(left, teacherSeconds);
        double seconds = left - fineTune;
        long steps = budgeted ? SslPretraining.steps(seconds, plan.measuredImagesPerSecond(), plan.batchSize()) : s.teacherSteps();
        if (steps < SslPlanning.MIN_TRIAL_STEPS) {
            d.add(SslPretraining.tooShort(method, steps, seconds));
            return new SslPlanning.Result(s.supervised());
        }
        UnlabeledSet unlabeled = s.unlabeled();
        LOG.info("ssl: {} pretrains the encoder {} steps on the {} unlabeled images", method.cliName(), steps, unlabeled.size());
        SslPretraining.Pretrained p = SslPretraining.train(method, teacherSetup, SslPlanning.unlabeledAsSet(unlabeled,
                s.split().train()), teacher.weights(), steps, seconds);
        if (p == null) {
            d.add(SslPlanning.notUsed(method.cliName(), "pretraining trained no epoch"));
            return new SslPlanning.Result(s.supervised());
        }
        Map<String, Object> evidence = evidence(method.cliName(), s, teacher.score(), List.of(), "teacher", teacher.score());
        evidence.put("pretraining", SslPretraining.evidence(method, p));
        evidence.put("teacherSeconds", teacherSeconds);
        if (budgeted) {
            evidence.put("fineTuneSeconds", fineTune);
        }
        evidence.put("seconds", s.seconds());
        d.add(SslPlanning.log(SslPretraining.decision(method, SslPretraining.why(method, s.teacherSteps(), teacherSeconds,
                teacher.score(), p, unlabeled.size(), plan.peakLearningRate(), budgeted ? fineTune : -1), evidence, s.seconds())));
        TeacherWeights.write(s.work().resolve(SslPlanning.TEACHER), teacher.weights());
        TeacherWeights.write(s.work().resolve(SslPlanning.START), p.weights());
        // the fine-tuned encoder is judged against its teacher after training: the guard-rail's pass is kept time for
        TrainingPlan fineTuning = replan(plan, s, s.split().train().size(), false, plan.measuredImagesPerSecond(), true, 0);
        return new SslPlanning.Result(fineTuning, null, teacher.weights(), null, p.weights());
    }

    /**
     * The first round's student did not beat its bar, the better of its teacher and the teacher continued as long on the
     * labeled images alone ({@code start}; null for the teacher): the unlabeled images are not used, and the final run
     * continues that better model on the labeled images alone, at the student's learning rate and without the student's
     * noise, for the rest of the budget, so that the time the teacher did not use is not lost. The guard-rail compares it
     * with that model after training.
     */
    static SslPlanning.Result continuation(Setting s, SslRounds.Teacher teacher, SslRounds.Teacher start, SslRounds.Labels labels,
            List<Map<String, Object>> rounds, String method) {
        TrainingPlan plan = s.plan();
        List<Decision<?>> d = s.decisions();
        double seconds = s.seconds();
        Map<String, Object> r = rounds.isEmpty() ? null : rounds.get(0);
        if (start == null) {
            start = teacher;
        }
        boolean fromArm = start != teacher;
        Map<String, Object> evidence = evidence("noisy-student", s, teacher.score(), rounds, fromArm ? "supervised arm" : "teacher",
                start.score());
        evidence.putAll(labels.evidence()); // the teacher's pseudo-labels, shown though no student trains on them
        evidence.put("continuation", true);
        evidence.put("continuationPeakLearningRate", s.studentRate());
        evidence.put("seconds", seconds);
        String found;
        if (r == null) {
            found = String.format(Locale.ROOT, "Noisy Student: a teacher trained %d steps on the labeled images (validation score"
                    + " %.4f) pseudo-labeled more images than estimated, and the first round that compares a student with the"
                    + " supervised arm at equal compute no longer fits the budget", s.teacherSteps(), teacher.score());
        } else {
            String arm = r.get("supervisedScore") instanceof Double a ? String.format(Locale.ROOT,
                    " nor the teacher continued as many steps on the labeled images alone (%.4f)", a) : "";
            found = String.format(Locale.ROOT, "Noisy Student's first round: a student trained %s steps from its"
                    + " teacher (%d steps on the labeled images, validation score %.4f) on the teacher's pseudo-labels and scored %s,"
                    + " which beats neither the teacher (a higher score, an equal one with a lower validation loss, or a significantly"
                    + " lower calibrated loss with a score not significantly lower)%s",
                    r.get("studentSteps"), s.teacherSteps(), teacher.score(), r.get("studentScore") == null ? "nothing"
                            : String.format(Locale.ROOT, "%.4f", (double) r.get("studentScore")), arm);
        }
        int unlabeled = s.unlabeled().size();
        boolean pretrained = d.stream().anyMatch(x -> x.name().equals("ssl-pretraining") && !"none".equals(x.value()));
        String why = String.format(Locale.ROOT, "%s, so %s. The final run continues"
                + " the %s on the labeled images at %.1fx the plan's peak learning rate for the rest of the budget; after training"
                + " it is kept only if it beats that model on validation. The semi-supervised phases before the final run took"
                + " %.0f s", found, pretrained ? "no pseudo-label is used"
                        + " (the " + unlabeled + " unlabeled images served the teacher's pretraining only, see ssl-pretraining)"
                        : "the " + unlabeled + " unlabeled images are not used",
                fromArm ? "supervised arm" : "teacher", SslPlanning.STUDENT_LEARNING_RATE, seconds);
        // without a round no student was trained: the budget decided, not a comparison; a user's --ssl noisy-student did not run
        boolean overridden = r == null && !"auto".equals(method);
        if (overridden) {
            evidence.put(SslPlanning.REQUESTED, method);
        }
        Decision<String> decision = new Decision<>("ssl", "none", r == null ? Origin.DERIVED : Origin.LEARNED,
                r == null ? "budget: no round fits" : "a round's student against its teacher",
                overridden ? SslPlanning.asked(method, why) : why, evidence, Duration.ofMillis((long) (seconds * 1000)));
        d.add(overridden ? SslPlanning.warn(decision) : SslPlanning.log(decision));
        TeacherWeights.write(s.work().resolve(SslPlanning.TEACHER), start.weights());
        TrainingPlan continued = new TrainingPlan(plan.seed(), plan.epochs(), plan.totalSteps(), plan.batchSize(),
                plan.optimizer(), s.studentRate(), plan.weightDecay(), plan.schedule(),
                plan.warmupFraction(), plan.batchNormMomentum(), plan.patience(), plan.budgetSeconds(), d, plan.accumulation(),
                plan.policy());
        return new SslPlanning.Result(replan(continued, s, s.split().train().size(), false, continued.measuredImagesPerSecond(),
                true, 0),
                null, start.weights());
    }

    /**
     * The {@code ssl} decision's common evidence: the method, the unlabeled images, the first teacher's steps and score,
     * the rounds, and the model the final run starts from with its score.
     */
    private static Map<String, Object> evidence(String method, Setting s, Object teacherScore, List<Map<String, Object>> rounds,
            String finalTeacher, double finalTeacherScore) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("method", method);
        e.put("unlabeled", s.unlabeled().describe());
        e.put("teacherSteps", s.teacherSteps());
        e.put("teacherScore", teacherScore);
        e.put("rounds", rounds);
        e.put("finalTeacher", finalTeacher);
        e.put("finalTeacherScore", finalTeacherScore);
        return e;
    }

    /**
     * With a budget, the steps left after the trials at the final set's size, at {@code ips} training images a second (a
     * FixMatch step's labeled images are fewer than a plain one's); without one, the plan's steps, over the student's
     * larger set when it was chosen (so its epochs are fewer and longer, and said so).
     *
     * @param teacher whether the guard-rail judges the final run against a teacher after training (a validation pass more)
     * @param fixMatchRatio FixMatch's mu when the final run is FixMatch's ({@code ips} then counts its labeled images), else 0
     */
    private static TrainingPlan replan(TrainingPlan plan, Setting s, int trainSize, boolean student, double ips,
            boolean teacher, int fixMatchRatio) {
        List<Decision<?>> d = s.decisions();
        if (plan.budgetSeconds() <= 0 || ips <= 0) {
            if (!student) {
                return plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps());
            }
            int epochs = Math.max(1, (int) Math.ceil((double) plan.totalSteps() / plan.stepsPerEpoch(trainSize)));
            d.removeIf(x -> x.name().equals("epochs"));
            d.add(SslPlanning.log(new Decision<>("epochs", epochs, Origin.LEARNED, "semi-supervised plan", String.format(Locale.ROOT,
                    "the %d planned steps (%d epochs of the %d labeled images) are kept and run over the student's %d labeled"
                            + " and pseudo-labeled images: %d longer epochs, so early stopping, which counts epochs, has fewer"
                            + " chances to act", plan.totalSteps(), plan.epochs(), s.split().train().size(), trainSize, epochs),
                    Map.of("totalSteps", plan.totalSteps(), "stepsPerEpoch", plan.stepsPerEpoch(trainSize)), Duration.ZERO)));
            return plan.with(plan.policy(), d, epochs, plan.totalSteps());
        }
        double spent = SslPlanning.elapsed(s.runStartNanos());
        // the work after training at the speed of a plain step's images (a FixMatch step's are mostly unlabeled ones; the
        // final run reads it back from the recorded ips the same way), counted in the labeled images as long at ips
        double afterSpeed = SslFixMatch.plainImagesPerSecond(ips, fixMatchRatio);
        int validation = s.split().validation().size();
        long after = AfterTrainingWork.of(plan.policy(), d, s.task(), s.batchNorm(), trainSize, plan.batchSize(), validation,
                s.split().test().size(), plan.budgetSeconds(), afterSpeed, teacher).plannedImages(validation, s.split().test().size());
        BudgetPlanner.Plan b = BudgetPlanner.plan(plan.budgetSeconds(), spent, ips, plan.effectiveBatch(), trainSize,
                validation, (long) Math.ceil(after * ips / afterSpeed));
        int perEpoch = plan.stepsPerEpoch(trainSize);
        d.removeIf(x -> x.name().equals("epochs"));
        d.add(SslPlanning.log(new Decision<>("epochs", b.epochs(), Origin.LEARNED, "budget plan", String.format(Locale.ROOT,
                "%d steps (%.2f epochs of %d images) fit the %.0f s budget at %.0f images/s after %.0f s already spent"
                        + " (loading the data, meta-learning and semi-supervised learning); the schedule anneals at the last"
                        + " step, and the budget's pacer moves it with the measured speed (budget-pacing)",
                b.totalSteps(), (double) b.totalSteps() / perEpoch, trainSize, plan.budgetSeconds(), ips, spent),
                Map.of("totalSteps", b.totalSteps(), "stepsPerEpoch", perEpoch, "budgetSeconds", plan.budgetSeconds(),
                        "spentSeconds", spent, "plannedTrainSeconds", b.trainSeconds(), "imagesPerSecond", ips),
                Duration.ZERO)));
        return plan.with(plan.policy(), d, b.epochs(), b.totalSteps());
    }
}
