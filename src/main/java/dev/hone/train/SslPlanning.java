package dev.hone.train;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.loop.Evaluator;
import dev.hone.loop.FitLoop;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.budget.BudgetPlanner;
import dev.hone.augment.AugmentationPolicy;
import dev.hone.augment.Transform;
import dev.hone.metalearn.regularization.PolicySearch;
import dev.hone.metalearn.regularization.RegularizationLearner;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.models.ModelFactory;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.models.ModelSpec;
import dev.hone.record.Decision;
import dev.hone.record.Json;
import dev.hone.record.Origin;
import dev.hone.ssl.NoisyStudentData;
import dev.hone.ssl.PseudoLabelSelection;
import dev.hone.ssl.PseudoLabels;
import dev.hone.tasks.Predictions;
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
 *   <li>a teacher trial trains on the labeled images alone, with the plan's optimizer, learning rate and
 *       regularization policy;</li>
 *   <li>it predicts every unlabeled image without noise; images above the paper's confidence threshold are
 *       kept and balanced per class ({@link PseudoLabels}), with hard labels;</li>
 *   <li>a student trial of the same number of steps trains from scratch, with noise ({@link #studentPolicy}: the
 *       plan's augmentation, or hone's RandAugment analogue and dropout when the plan has none), on the labeled
 *       and pseudo-labeled images together ({@link NoisyStudentData});</li>
 *   <li>the student's validation score against the teacher's decides: the final run trains on the
 *       student's set only when the student scored higher (the guard-rail).</li>
 * </ol>
 * Both trials have equal length, so the comparison is at equal compute: what the unlabeled images add for
 * the same training time. With a budget each trial gets {@link #TRIAL_SHARE} of the time left, and the final
 * run's steps are re-planned afterwards; without one each gets a quarter of the planned steps.
 */
final class SslPlanning {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    /** The share of the time left that each of the two trials gets, with a budget. */
    static final double TRIAL_SHARE = 0.15;

    /** Fewer steps than this cannot tell a student from its teacher. */
    static final long MIN_TRIAL_STEPS = 30;

    /** Where the chosen pseudo-labels are kept for a resume, in the run's work folder. */
    static final String FILE = "pseudo-labels.json";

    private SslPlanning() {}

    /** The chosen pseudo-labels: unlabeled images (repeats allowed), their classes, and the labeled copies. */
    record PseudoLabelFile(int[] indices, int[] classes, int labeledCopies, String unlabeledFingerprint) {}

    /** The plan for the final run, and the student's training set when SSL was chosen (else null). */
    record Result(TrainingPlan plan, ImageSet studentSet) {}

    static Result plan(TrainOptions o, TrainingPlan plan, ModelSpec spec, Shape input, int classes, Task task, Splitting split,
            Normalization norm, ResidentDataset train, ResidentDataset validation, UnlabeledSet unlabeled, Path work,
            long runStartNanos) {
        if (unlabeled == null) {
            return new Result(plan, null);
        }
        List<Decision<?>> d = new ArrayList<>(plan.decisions());
        DataSufficiency enough = DataSufficiency.of(split);
        if (!enough.judging()) {
            d.add(log(Decision.byDefault("ssl", "none", enough.reason() + ": too few validation images to tell whether the "
                    + unlabeled.size() + " unlabeled images help, so they are not used")));
            return new Result(withDecisions(plan, d), null);
        }
        try {
            Files.deleteIfExists(work.resolve(FILE)); // a file from an earlier planning that did not finish
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        long begun = System.nanoTime();
        double ips = plan.measuredImagesPerSecond();
        long trialSteps;
        if (plan.budgetSeconds() > 0 && ips > 0) {
            double left = plan.budgetSeconds() - elapsed(runStartNanos) - split.test().size() / 1000.0 - 10;
            // the teacher's pseudo-labeling pass over the unlabeled images costs about a third of the training speed's time
            double labelSeconds = unlabeled.size() / (3 * ips);
            trialSteps = (long) (Math.max(0, TRIAL_SHARE * left - labelSeconds / 2) * ips / plan.effectiveBatch());
        } else {
            trialSteps = Math.max(1, plan.totalSteps() / 4);
        }
        if (trialSteps < MIN_TRIAL_STEPS) {
            d.add(log(Decision.byDefault("ssl", "none", String.format("%s leaves %d steps per trial, fewer than the %d needed"
                    + " to compare a student with its teacher; give a larger %s to use the unlabeled images",
                    plan.budgetSeconds() > 0 ? "the budget" : "a quarter of the planned steps", trialSteps, MIN_TRIAL_STEPS,
                    plan.budgetSeconds() > 0 ? "--budget" : "--epochs"))));
            return new Result(withDecisions(plan, d), null);
        }
        ModelSpec trialSpec = spec.withBatchNormMomentum(plan.batchNormMomentum());
        if (plan.policy().dropout() > 0) {
            trialSpec = trialSpec.withDropout(plan.policy().dropout());
        }
        RegularizationPolicy noisy = studentPolicy(plan.policy(), ModelFactory.supportsDropout(spec));
        ModelSpec studentSpec = noisy.dropout() > 0 ? spec.withBatchNormMomentum(plan.batchNormMomentum()).withDropout(noisy.dropout())
                : trialSpec;
        Path scratch = work.resolve("ssl");
        TrialRunner.Setup teacherSetup = new TrialRunner.Setup(trialSpec, input, classes, task, plan.optimizer(),
                plan.peakLearningRate(), plan.weightDecay(), plan.batchSize(), epochsFor(trialSteps, split.train().size(), plan),
                plan.seed(), norm, validation.manager().getDevice(), scratch);
        float[][][] teacherOut = new float[2][][];
        PolicySearch.Outcome teacher;
        try (ResidentDataset monitor = monitor(split, norm, validation.manager().getDevice(), task);
                ResidentDataset pool = new ResidentDataset(unlabeledAsSet(unlabeled, split.train()), norm,
                        validation.manager().getDevice(), task)) {
            LOG.info("ssl: teacher trial, {} steps on the {} labeled images", trialSteps, split.train().size());
            teacher = new TrialRunner(teacherSetup, train, validation, monitor).run(plan.policy(), model -> {
                teacherOut[0] = Evaluator.predict(model.getBlock(), pool, 256).probabilities();
                teacherOut[1] = Evaluator.predict(model.getBlock(), validation, 256).probabilities();
            }, trialSteps);
        }
        if (teacherOut[0] == null || !finite(teacherOut[0])) {
            d.add(log(Decision.byDefault("ssl", "none", teacherOut[0] == null
                    ? "the teacher trial trained no epoch, so there is no teacher to pseudo-label with"
                    : "the teacher trial diverged (its predictions are not finite), so its pseudo-labels would be noise")));
            return new Result(replan(plan, d, split, split.train().size(), false, runStartNanos), null);
        }
        PseudoLabelSelection selection = PseudoLabels.builder().optThreshold(PseudoLabels.PAPER_THRESHOLD).optSoftTargets(false)
                .setSeed(plan.seed()).build().select(teacherOut[0]);
        double pseudoAccuracy = pseudoLabelAccuracy(teacherOut[1], split.validation().labels(), PseudoLabels.PAPER_THRESHOLD);
        if (selection.size() == 0) {
            d.add(log(Decision.byDefault("ssl", "none", "no unlabeled image reached the teacher's confidence threshold "
                    + PseudoLabels.PAPER_THRESHOLD)));
            return new Result(replan(plan, d, split, split.train().size(), false, runStartNanos), null);
        }
        int distinct = (int) java.util.Arrays.stream(selection.indices()).distinct().count();
        int copies = NoisyStudentData.labeledCopies(split.train().size(), selection.size(), NoisyStudentData.LABELED_SHARE);
        ImageSet studentSet = NoisyStudentData.combine(split.train(), copies, unlabeled, selection.indices(), selection.classes());
        PolicySearch.Outcome student;
        TrialRunner.Setup studentSetup = new TrialRunner.Setup(studentSpec, input, classes, task, plan.optimizer(),
                plan.peakLearningRate(), plan.weightDecay(), plan.batchSize(), epochsFor(trialSteps, studentSet.size(), plan),
                plan.seed(), norm, validation.manager().getDevice(), scratch);
        try (ResidentDataset monitor = monitor(split, norm, validation.manager().getDevice(), task);
                ResidentDataset students = new ResidentDataset(studentSet, norm, validation.manager().getDevice(), task)) {
            LOG.info("ssl: student trial, {} steps on {} labeled (x{}) and {} pseudo-labeled images", trialSteps,
                    split.train().size(), copies, selection.size());
            student = new TrialRunner(studentSetup, students, validation, monitor).run(noisy, model -> {}, trialSteps);
        }
        double seconds = elapsed(begun);
        boolean chosen = student.beats(teacher);
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("method", "noisy-student");
        evidence.put("unlabeled", unlabeled.describe());
        evidence.put("trialSteps", trialSteps);
        evidence.put("teacherScore", teacher.accuracy());
        evidence.put("studentScore", student.accuracy());
        evidence.put("gain", student.accuracy() - teacher.accuracy());
        evidence.put("threshold", PseudoLabels.PAPER_THRESHOLD);
        evidence.put("targets", "hard");
        evidence.put("studentNoise", noisy.describe());
        evidence.put("pseudoLabeled", distinct);
        evidence.put("pseudoLabeledWithRepeats", selection.size());
        evidence.put("predictedPerClass", selection.predictedCounts());
        evidence.put("keptPerClass", selection.keptCounts());
        evidence.put("balancedPerClass", selection.balancedCounts());
        evidence.put("labeledCopies", copies);
        evidence.put("confidenceHistogram", selection.histogram());
        evidence.put("validationPseudoLabelAccuracy", Double.isNaN(pseudoAccuracy) ? null : pseudoAccuracy);
        evidence.put("seconds", seconds);
        String metric = task.validationMetric();
        String rationale = String.format(java.util.Locale.ROOT,
                "Noisy Student: a teacher trained %d steps on the labeled images scored %s %.4f on validation; it pseudo-labeled"
                        + " %d of %d unlabeled images (confidence > %.1f; %d with the repeats that balance the classes; %s of"
                        + " validation images above that confidence get the right label), and a student trained as long on them and"
                        + " the labeled images scored %.4f: %s (%.0f s)", trialSteps, metric, teacher.accuracy(), distinct,
                unlabeled.size(), PseudoLabels.PAPER_THRESHOLD, selection.size(),
                Double.isNaN(pseudoAccuracy) ? "none" : String.format(java.util.Locale.ROOT, "%.1f%%", 100 * pseudoAccuracy),
                student.accuracy(),
                chosen ? "kept, the final run trains on both" : "not kept (guard-rail), the final run trains on the labeled images only",
                seconds);
        d.add(log(new Decision<>("ssl", chosen ? "noisy-student" : "none", Origin.LEARNED, "teacher and student trials", rationale,
                evidence, Duration.ofMillis((long) (seconds * 1000)))));
        if (chosen) {
            Json.write(work.resolve(FILE), new PseudoLabelFile(selection.indices(), selection.classes(), copies,
                    unlabeled.fingerprint()));
        }
        TrainingPlan next = replan(chosen ? plan.with(noisy, d, plan.epochs(), plan.totalSteps()) : plan, d, split,
                chosen ? studentSet.size() : split.train().size(), chosen, runStartNanos);
        return new Result(next, chosen ? studentSet : null);
    }

    /**
     * The student's noise. Noisy Student needs it: a student trained without noise on its teacher's labels learns
     * to copy the teacher (the paper's ablation, section 5.2). When the plan's policy already augments, the
     * student keeps it; otherwise it gets hone's analogue of the paper's RandAugment (two of translate, zoom,
     * rotate and erase per batch, at half their largest magnitude) and, where the network has one, dropout
     * {@value #STUDENT_DROPOUT} before the classifier (the paper's final-layer dropout is 0.5 on ImageNet models).
     */
    static RegularizationPolicy studentPolicy(RegularizationPolicy policy, boolean dropout) {
        if (!policy.augmentation().isEmpty()) {
            return policy;
        }
        Map<String, Double> steps = new LinkedHashMap<>(); // in this order: Map.of's order changes from one JVM to the next
        for (Transform t : List.of(Transform.TRANSLATE, Transform.ZOOM, Transform.ROTATE, Transform.ERASE)) {
            steps.put(t.id(), 0.5);
        }
        AugmentationPolicy noise = RegularizationPolicy.augmentationOf(steps);
        RegularizationPolicy p = policy.withAugmentation(noise, 2);
        return dropout && policy.dropout() == 0 ? p.withDropout(STUDENT_DROPOUT) : p;
    }

    /** The student's dropout when the plan has none. */
    static final double STUDENT_DROPOUT = 0.3;

    /** The student's set again on a resume, from the pseudo-labels saved when SSL was chosen; null when it was not. */
    static ImageSet resume(TrainingPlan plan, Path work, Splitting split, UnlabeledSet unlabeled) {
        boolean chosen = plan.decisions().stream().anyMatch(x -> x.name().equals("ssl") && "noisy-student".equals(x.value()));
        if (!chosen) {
            return null;
        }
        Path file = work.resolve(FILE);
        if (unlabeled == null || !Files.exists(file)) {
            throw HoneException.of("The saved plan trains a Noisy Student, but its pseudo-labels are missing", file,
                    "resume with the same --unlabeled images, or start again without --resume");
        }
        PseudoLabelFile f = Json.read(file, PseudoLabelFile.class);
        if (!unlabeled.fingerprint().equals(f.unlabeledFingerprint())) {
            throw HoneException.of("The saved pseudo-labels belong to other unlabeled images", file,
                    "resume with the --unlabeled images the run started with, or start again without --resume");
        }
        LOG.info("resuming with the {} pseudo-labels saved in {}", f.indices().length, file);
        return NoisyStudentData.combine(split.train(), f.labeledCopies(), unlabeled, f.indices(), f.classes());
    }

    /** The fraction of validation images above the threshold whose arg-max is their label; NaN when none is above it. */
    static double pseudoLabelAccuracy(float[][] probabilities, int[] labels, double threshold) {
        int above = 0;
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            float[] row = probabilities[i];
            int best = IntStream.range(0, row.length).reduce((a, b) -> row[b] > row[a] ? b : a).orElse(0);
            if (row[best] > threshold) {
                above++;
                right += best == labels[i] ? 1 : 0;
            }
        }
        return above == 0 ? Double.NaN : (double) right / above;
    }

    /**
     * With a budget, the steps left after the trials at the final set's size; without one, the plan's steps, over the
     * student's larger set when it was chosen (so its epochs are fewer and longer, and said so).
     */
    private static TrainingPlan replan(TrainingPlan plan, List<Decision<?>> d, Splitting split, int trainSize, boolean student,
            long runStartNanos) {
        double ips = plan.measuredImagesPerSecond();
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

    private static boolean finite(float[][] rows) {
        for (float[] row : rows) {
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static TrainingPlan withDecisions(TrainingPlan plan, List<Decision<?>> d) {
        return plan.with(plan.policy(), d, plan.epochs(), plan.totalSteps());
    }

    private static int epochsFor(long steps, int images, TrainingPlan plan) {
        return (int) Math.max(1, Math.ceil((double) steps / FitLoop.batchesPerEpoch(images, plan.batchSize())));
    }

    /** A few validation images for the loop's per-epoch check, which the trials only need to exist. */
    private static ResidentDataset monitor(Splitting split, Normalization norm, Device device, Task task) {
        return new ResidentDataset(split.validation().subset(IntStream.range(0,
                Math.min(RegularizationLearner.MONITOR_IMAGES, split.validation().size())).toArray()),
                norm, device, task);
    }

    /** The unlabeled images as a set the evaluator can batch; the labels are placeholders it never reads. */
    private static ImageSet unlabeledAsSet(UnlabeledSet unlabeled, ImageSet labeled) {
        return new ImageSet(unlabeled.pixels(), new int[unlabeled.size()], labeled.channels(), labeled.height(), labeled.width(),
                labeled.classNames(), unlabeled::source);
    }

    private static double elapsed(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static <T> Decision<T> log(Decision<T> decision) {
        LOG.info("decision: {}", decision.describe());
        return decision;
    }
}
