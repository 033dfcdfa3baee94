package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.ssl.FixMatch;
import dev.hone.ssl.FixMatchTraining;
import dev.hone.tasks.Task;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * FixMatch (Sohn et al. 2020, arXiv:2001.07685) in the SSL learner: its arm in the first round, at the compute of the
 * other arms, and the technique the final run trains with when it is chosen ({@link FixMatchTraining}).
 */
final class SslFixMatch {
    private SslFixMatch() {}

    /** The methods {@code --ssl} names; {@code auto} lets the learner choose. */
    static final List<String> METHODS = List.of("auto", "noisy-student", "fixmatch");

    /**
     * The cost of one FixMatch step in plain steps of the plan's batch B, as measured: the B/(1+mu) labeled images and
     * their mu-times as many strong views are one batch of about B, forward and backward, and the weak views (mu/(1+mu)
     * of B) a forward pass more (about a third of a training step's time per image), with the two views' augmentation:
     * 1 + 7/8/3 = 1.29 plain steps. Measured on Fashion-MNIST's 1% (resnet9, batch 64, 2 cores, 2026-12-02): 47 labeled
     * images a second in FixMatch's steps of 8 + 56 images, against 514 images a second for plain steps, 1.37 plain
     * steps (while the host was slowed, 2 to 3 times that, as plain steps slow too).
     */
    static final double STEP_COST = 1.4;

    /**
     * The labeled images of a FixMatch batch, so that with its mu-times as many strong views it is about the plan's
     * batch: the paper's 64 labeled and 448 unlabeled images are one batch of 512 on a GPU, but on a CPU a batch 8 times
     * the plan's trains more slowly per image (measured for resnet9 at 28x28 on 2 cores: 7.0 s for 512 images forward
     * and backward, against 0.52 s for 64), and the plan's batch was chosen for its speed. At least 1.
     */
    static int labeledBatch(int planBatch) {
        return Math.max(1, (int) Math.round((double) planBatch / (1 + FixMatchTraining.PAPER_RATIO)));
    }

    /** Labeled images a second in FixMatch's steps, from the plan's plain training speed. */
    static double labeledImagesPerSecond(double plainImagesPerSecond) {
        return plainImagesPerSecond / (1 + FixMatchTraining.PAPER_RATIO) / STEP_COST;
    }

    /** The decision's and the guard-rail's name for the first round's FixMatch arm, the final run's start. */
    static final String ARM = "FixMatch arm";

    /**
     * The method {@code --ssl} asks for, in lower case; {@code auto} when not given.
     *
     * @throws HoneException for an unknown method, or {@code --ssl} without {@code --unlabeled}
     */
    static String method(TrainOptions o) {
        if (o.ssl() == null) {
            return "auto";
        }
        String m = o.ssl().trim().toLowerCase(Locale.ROOT);
        if (!METHODS.contains(m)) {
            throw new HoneException("--ssl " + o.ssl() + " is not a semi-supervised method hone knows. Fix: use one of "
                    + String.join(", ", METHODS));
        }
        if (o.unlabeled() == null) {
            throw new HoneException("--ssl " + m + " chooses how unlabeled images are used, and none were given. Fix: add"
                    + " --unlabeled DIR (or a CSV of image paths), or drop --ssl");
        }
        return m;
    }

    /** The settings FixMatch trains with, for the record, with the plan's batch of {@code planBatch}. */
    static Map<String, Object> settings(int planBatch) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("ratio", FixMatchTraining.PAPER_RATIO);
        m.put("labeledBatch", labeledBatch(planBatch));
        m.put("threshold", (double) FixMatch.PAPER_THRESHOLD);
        m.put("unlabeledWeight", FixMatchTraining.PAPER_WEIGHT);
        m.put("weak", FixMatchTraining.WEAK.describe());
        m.put("strong", FixMatchTraining.STRONG.describe() + " (" + FixMatchTraining.STRONG_PER_BATCH + " per batch), then erase "
                + FixMatchTraining.CUTOUT);
        return m;
    }

    /** Why FixMatch was chosen, from the first round's record ({@link Arm#record} and {@link SslRounds#record}). */
    static String chosen(Map<String, Object> round, long teacherSteps, double teacherScore) {
        return String.format(Locale.ROOT, "the first round compared three arms at equal compute, each continuing a teacher trained"
                + " %d steps on the labeled images (validation score %.4f): FixMatch (%s steps) scored %s, against %s for the"
                + " teacher continued on the labeled images alone and %s for Noisy Student's student (%s steps on the teacher's"
                + " pseudo-labels), so FixMatch is chosen", teacherSteps, teacherScore, round.get("fixMatchSteps"),
                score(round.get("fixMatchScore")), score(round.get("supervisedScore")), score(round.get("studentScore")),
                round.get("studentSteps"));
    }

    private static String score(Object score) {
        return score instanceof Number s ? String.format(Locale.ROOT, "%.4f", s.doubleValue()) : "nothing";
    }

    /** FixMatch's steps at the compute of {@code plainSteps} plain steps. */
    static long steps(long plainSteps) {
        return (long) (plainSteps / STEP_COST);
    }

    /** The technique for a network, with the paper's ratio, threshold and weight. */
    static FixMatchTraining technique(ai.djl.nn.Block block, ResidentDataset pool, Task task, Normalization norm, long seed) {
        return new FixMatchTraining(block, pool, FixMatchTraining.PAPER_RATIO, FixMatch.PAPER_THRESHOLD, FixMatchTraining.PAPER_WEIGHT,
                task.independentOutputs(), norm, seed);
    }

    /** A trained FixMatch arm and the share of unlabeled images that passed the threshold while it trained. */
    record Arm(SslRounds.Teacher model, long steps, double maskRate, double imagesPerSecond) {
        /**
         * Whether the arm is chosen: it trained, and {@link SslGuardRail#beats} both {@code bar} (the better of the
         * teacher and the supervised arm) and the round's Noisy Student ({@code student}, null when it trained no epoch).
         */
        boolean wins(SslRounds.Teacher bar, SslRounds.Teacher student) {
            return model != null && SslGuardRail.beats(model.validation(), bar.validation())
                    && (student == null || SslGuardRail.beats(model.validation(), student.validation()));
        }

        /** The arm's figures in a round's record. */
        void record(Map<String, Object> round) {
            round.put("fixMatchSteps", steps);
            round.put("fixMatchScore", model == null ? null : model.score());
            round.put("fixMatchLoss", model == null ? null : model.validation().meanLoss());
            round.put("fixMatchMaskRate", Double.isNaN(maskRate) ? null : maskRate);
        }
    }

    /**
     * Continues {@code start} for {@code steps} FixMatch steps on the labeled images and the unlabeled {@code pool}, with
     * the plan's policy on the labeled images, at {@link SslPlanning#STUDENT_LEARNING_RATE} times the peak learning rate.
     */
    static Arm train(TrialRunner runner, float[][] start, int epochs, RegularizationPolicy policy, ResidentDataset pool,
            Task task, Normalization norm, long seed, long steps) {
        FixMatchTraining[] made = new FixMatchTraining[1];
        runner.withTechnique(block -> made[0] = technique(block, pool, task, norm, seed));
        runner.continueFrom(start, epochs, SslPlanning.STUDENT_LEARNING_RATE);
        SslRounds.Teacher model = SslRounds.Teacher.train(runner, policy, null, steps, null);
        double ips = runner.imagesPerSecond().isEmpty() ? 0 : runner.imagesPerSecond().get(runner.imagesPerSecond().size() - 1);
        return new Arm(model, steps, made[0] == null ? Double.NaN : made[0].meanMaskRate(), ips);
    }
}
