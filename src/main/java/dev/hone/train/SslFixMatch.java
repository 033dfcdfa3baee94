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
     * The cost of one FixMatch step in plain steps of the same batch: the labeled batch, mu times as many strong views
     * forward and backward, and as many weak views forward only (about a third of a training step each).
     */
    static final double STEP_COST = 1 + FixMatchTraining.PAPER_RATIO * (1 + 1 / 3.0);

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
