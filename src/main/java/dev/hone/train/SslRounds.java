package dev.hone.train;

import dev.hone.loop.Evaluator;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.PolicySearch;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.ssl.MultiLabelPseudoLabels;
import dev.hone.ssl.PseudoLabelSelection;
import dev.hone.ssl.PseudoLabels;
import dev.hone.tasks.Predictions;
import dev.hone.tasks.metrics.MultiLabelMetrics;
import dev.hone.tasks.metrics.ThresholdSearch;
import dev.hone.tasks.metrics.ThresholdTarget;
import dev.hone.data.ImageSet;
import dev.hone.data.unlabeled.UnlabeledSet;
import dev.hone.ssl.NoisyStudentData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Noisy Student's rounds (Xie et al. 2020, arXiv:1911.04252, section 3: iterative training): how long a round's
 * student trains, the teacher a round trains and labels with, and how a round is described in the record. The loop
 * itself is in {@link SslPlanning#plan}, one round's training in {@link SslRound}.
 */
final class SslRounds {
    private SslRounds() {}

    /** The most rounds of re-labeling by a promoted student, after the first teacher's labels. */
    static final int MAX_ROUNDS = 2;

    /** The share of the time left (after the round's own pseudo-labeling) that a round's student gets with a budget. */
    static final double ROUND_SHARE = 0.4;

    /** A round's student trains at least this many epochs of the student's set, or the round is not run. */
    static final double MIN_ROUND_EPOCHS = 0.5;

    /**
     * The teacher's most epochs of the labeled images: a supervised run on a few hundred images has converged long
     * before, and the time serves the students better (hone's rule, not measured).
     */
    static final int TEACHER_MAX_EPOCHS = 40;

    /**
     * The teacher's most epochs when its policy regularizes: with {@link dev.hone.metalearn.regularization.SmallDataPrior}'s
     * noise, 540 Fashion-MNIST images reached a training accuracy of 0.69 at epoch 40, 0.90 at epoch 120 and 0.96 at 200,
     * where without noise they reached 1.00 by epoch 10 (2026-12-03, 5-minute runs).
     */
    static final int NOISY_TEACHER_MAX_EPOCHS = 160;

    /** The teacher's most epochs under {@code policy}: {@link #TEACHER_MAX_EPOCHS}, or {@link #NOISY_TEACHER_MAX_EPOCHS} when it regularizes. */
    static int teacherMaxEpochs(dev.hone.metalearn.regularization.RegularizationPolicy policy) {
        return policy.trainsPlain() ? TEACHER_MAX_EPOCHS : NOISY_TEACHER_MAX_EPOCHS;
    }

    /**
     * The steps of the next round's student, or 0 when there is no room for one: with a budget, {@link #ROUND_SHARE}
     * of the time left after its pseudo-labeling pass, shared by the round's {@code arms} (the first round also
     * continues the teacher on the labeled images alone for as many steps: {@link SslPlanning}); without one, a quarter
     * of the plan's steps per arm. Either way at least {@link #MIN_ROUND_EPOCHS} of the student's set and
     * {@link SslPlanning#MIN_TRIAL_STEPS}.
     *
     * @param left the budget's seconds left for training (ignored without a budget)
     * @param unlabeled the number of unlabeled images the round's student labels if it wins (a pass at about a third of
     *     the training speed's time)
     * @param arms the trainings of this many steps the round runs: 2 for the first round, 1 after it
     */
    static long steps(TrainingPlan plan, double left, int unlabeled, int studentImages, int arms) {
        double ips = plan.measuredImagesPerSecond();
        long steps;
        if (plan.budgetSeconds() > 0 && ips > 0) {
            steps = (long) (Math.max(0, ROUND_SHARE * (left - unlabeled / (3 * ips))) / arms * ips / plan.effectiveBatch());
        } else {
            steps = plan.totalSteps() / 4;
        }
        return steps >= leastSteps(plan, studentImages) ? steps : 0;
    }

    /** The fewest steps a round's arm may train: {@link #MIN_ROUND_EPOCHS} of the student's set, and {@link SslPlanning#MIN_TRIAL_STEPS}. */
    static long leastSteps(TrainingPlan plan, int studentImages) {
        return Math.max(SslPlanning.MIN_TRIAL_STEPS, (long) Math.ceil(MIN_ROUND_EPOCHS * plan.stepsPerEpoch(studentImages)));
    }

    /** The rounds in words, for the {@code ssl} decision's rationale. */
    static String describe(List<Map<String, Object>> rounds) {
        if (rounds.isEmpty()) {
            return "no round of re-labeling fitted";
        }
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> r : rounds) {
            String arm = r.get("supervisedScore") instanceof Double s
                    ? String.format(java.util.Locale.ROOT, " and the supervised arm's %.4f (the teacher continued as long on the labeled images alone)", s) : "";
            parts.add(String.format(java.util.Locale.ROOT, "round %s's student (%s steps) scored %s against its teacher's %.4f%s and %s",
                    r.get("round"), r.get("studentSteps"), r.get("studentScore") == null ? "nothing"
                            : String.format(java.util.Locale.ROOT, "%.4f", (double) r.get("studentScore")),
                    (double) r.get("teacherScore"), arm, Boolean.TRUE.equals(r.get("promoted")) ? "became the next teacher"
                    : Boolean.TRUE.equals(r.get("keptNotWorse")) ? "was not worse than either, so the final student continues it"
                    : "was dropped") + (r.get("fixMatchNotRaced") instanceof String n ? " (" + n + ")" : ""));
        }
        return String.join("; ", parts);
    }

    /**
     * A trained teacher: its validation score and predictions, its probabilities on the unlabeled images (null when it
     * did not beat the score it had to), its weights.
     */
    record Teacher(double score, Predictions validation, float[][] pool, float[][] weights) {
        /**
         * Trains {@code runner}'s model for {@code steps}; it predicts the unlabeled images only when it beats each of
         * {@code toBeat}'s validation predictions ({@link SslGuardRail#beats}; empty for none to beat), as that pass costs
         * about a third of an epoch over them, and never when {@code pool} is null. Null when it trained no epoch.
         */
        static Teacher train(TrialRunner runner, RegularizationPolicy policy, ResidentDataset pool, long steps,
                java.util.List<Predictions> toBeat) {
            float[][][] out = new float[2][][];
            PolicySearch.Outcome o = runner.run(policy, (model, scored) -> {
                if (pool != null && toBeat.stream().allMatch(p -> SslGuardRail.beats(scored, p, runner.setup().task(),
                        runner.setup().seed()))) {
                    out[0] = Evaluator.predict(model.getBlock(), pool, 256).probabilities();
                }
                out[1] = TrialRunner.capture(model);
            }, steps);
            return out[1] == null ? null : new Teacher(o.accuracy(), o.predictions(), out[0], out[1]);
        }

        /** Whether it predicted the unlabeled images, every probability finite: whether it can pseudo-label. */
        boolean labels() {
            return pool != null && allFinite(pool);
        }
    }

    /**
     * A teacher's pseudo-labels, the labeled images' copies beside them, the student's set they make, the share of
     * validation images the teacher's labels get right, and for multi-label its per-class thresholds (else null).
     */
    record Labels(PseudoLabelSelection selection, int copies, ImageSet studentSet, double validationAccuracy, double[] thresholds) {
        /** The pseudo-label sets as multi-hot bytes (multi-label), else null. */
        byte[] multiHot() {
            return thresholds == null ? null : MultiLabelPseudoLabels.multiHot(selection);
        }

        /** The soft pseudo-labels, one teacher distribution per entry of the selection (single-label), else null. */
        float[][] softTargets() {
            return selection.soft() ? selection.targets() : null;
        }

        /** Distinct unlabeled images pseudo-labeled. */
        int distinct() {
            return (int) java.util.Arrays.stream(selection.indices()).distinct().count();
        }

        /**
         * What the {@code ssl} decision records of these pseudo-labels, whether a student trains on them or not: the
         * threshold(s), the counts per class, the confidence histogram and their accuracy on the validation images.
         */
        Map<String, Object> evidence() {
            Map<String, Object> e = new LinkedHashMap<>();
            if (thresholds != null) {
                e.put("pseudoLabelThresholds", thresholds);
            } else {
                e.put("threshold", PseudoLabels.PAPER_THRESHOLD);
            }
            e.put("targets", selection.soft() ? "soft" : "hard");
            e.put("pseudoLabeled", distinct());
            e.put("pseudoLabeledWithRepeats", selection.size());
            e.put("predictedPerClass", selection.predictedCounts());
            e.put("keptPerClass", selection.keptCounts());
            e.put("balancedPerClass", selection.balancedCounts());
            e.put("labeledCopies", copies);
            e.put("confidenceHistogram", selection.histogram());
            e.put("validationPseudoLabelAccuracy", Double.isNaN(validationAccuracy) ? null : validationAccuracy);
            return e;
        }
    }

    /**
     * Pseudo-labels a teacher's unlabeled predictions and measures its labels on the validation images. Single-label and
     * binary: the paper's confidence threshold and class balancing ({@link PseudoLabels}). Multi-label: each class at the
     * threshold that maximises the teacher's validation F1 ({@link MultiLabelPseudoLabels}).
     */
    record Labeler(long seed, ImageSet labeled, UnlabeledSet unlabeled) {
        Labels label(Teacher t) {
            Predictions v = t.validation();
            if (labeled.multiLabel()) {
                boolean[][] truth = TaskEvaluation.truth(v.targets());
                // the teacher's validation predictions are finite: they come from the weights whose unlabeled ones are (labels())
                double[] thresholds = ThresholdSearch.values(ThresholdSearch.learnPerClass(v.probabilities(), truth, ThresholdTarget.maxF1()));
                PseudoLabelSelection s = MultiLabelPseudoLabels.select(t.pool(), thresholds);
                int copies = NoisyStudentData.labeledCopies(labeled.size(), s.size(), NoisyStudentData.LABELED_SHARE);
                ImageSet set = NoisyStudentData.combineMultiLabel(labeled, copies, unlabeled, s.indices(), MultiLabelPseudoLabels.multiHot(s));
                double exact = MultiLabelMetrics.evaluate(v.probabilities(), truth, thresholds).subsetAccuracy();
                return new Labels(s, copies, set, exact, thresholds);
            }
            // soft targets, the teacher's distributions: the paper's choice, steadier than one-hot with a weak teacher
            PseudoLabelSelection s = PseudoLabels.builder().optThreshold(PseudoLabels.PAPER_THRESHOLD).optSoftTargets(true)
                    .setSeed(seed).build().select(t.pool());
            int copies = NoisyStudentData.labeledCopies(labeled.size(), s.size(), NoisyStudentData.LABELED_SHARE);
            // the trial scored the validation images already: their predictions are the teacher's
            double accuracy = pseudoLabelAccuracy(v.probabilities(), v.labels(), PseudoLabels.PAPER_THRESHOLD);
            return new Labels(s, copies, NoisyStudentData.combineSoft(labeled, copies, unlabeled, s.indices(), s.classes(), s.targets()),
                    accuracy, null);
        }
    }

    /** The fraction of validation images above the threshold whose arg-max is their label; NaN when none is above it. */
    static double pseudoLabelAccuracy(float[][] probabilities, int[] labels, double threshold) {
        int above = 0;
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            float[] row = probabilities[i];
            int best = Predictions.argMax(row);
            if (row[best] > threshold) {
                above++;
                right += best == labels[i] ? 1 : 0;
            }
        }
        return above == 0 ? Double.NaN : (double) right / above;
    }

    /** Whether every value is finite. */
    static boolean allFinite(float[][] rows) {
        for (float[] row : rows) {
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * A round in the {@code ssl} decision's evidence (a map, as the record reads it back); {@code supervised} is the first
     * round's continuation of the teacher on the labeled images alone (null after it, or when it trained no epoch).
     */
    static Map<String, Object> record(int round, long steps, Teacher student, Teacher teacher, Teacher supervised, boolean promoted,
            double seconds) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("round", round);
        r.put("studentSteps", steps);
        r.put("studentScore", student == null ? null : student.score());
        r.put("teacherScore", teacher.score());
        r.put("studentLoss", student == null ? null : student.validation().meanLoss());
        r.put("teacherLoss", teacher.validation().meanLoss());
        if (supervised != null) {
            r.put("supervisedScore", supervised.score());
            r.put("supervisedLoss", supervised.validation().meanLoss());
        }
        r.put("promoted", promoted);
        r.put("seconds", seconds);
        return r;
    }
}
