package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.data.Normalization;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.ssl.FixMatchSettings;
import dev.hone.ssl.FixMatchTraining;
import dev.hone.tasks.Predictions;
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

    /**
     * The methods {@code --ssl} names; {@code auto} lets the learner choose between Noisy Student and FixMatch. SimCLR and
     * Barlow Twins ({@link SslPretraining}) run only when asked for: on 2 cores the minutes of a budget pretrain an
     * encoder for a few passes over the unlabeled images, where the papers train hundreds of epochs.
     */
    static final List<String> METHODS = List.of("auto", "noisy-student", "fixmatch",
            dev.hone.ssl.SelfSupervisedPretraining.Method.SIMCLR.cliName(),
            dev.hone.ssl.SelfSupervisedPretraining.Method.BARLOW_TWINS.cliName());

    /**
     * The cost of one FixMatch step in plain steps of the plan's batch B, with mu unlabeled images per labeled one: the
     * B/(1+mu) labeled images and their strong views are one batch of about B, forward and backward, and the weak views
     * (mu/(1+mu) of B) a forward pass more with the two views' augmentation. Measured on Fashion-MNIST's 1% (resnet9,
     * batch 64, mu 7, 2 cores, 2026-12-02): 47 labeled images a second in steps of 8 + 56 images, against 514 images a
     * second for plain steps, 1.37 plain steps; so {@code 1 + 0.457 mu/(1+mu)}, 1.4 at mu 7, scaled to other mu by the
     * weak views' share.
     */
    static double stepCost(int ratio) {
        return 1 + 0.457 * ratio / (1.0 + ratio);
    }

    /**
     * The labeled images of a FixMatch batch, so that with its mu-times as many strong views it is about the plan's
     * batch: the paper's 64 labeled and 448 unlabeled images are one batch of 512 on a GPU, but on a CPU a batch 8 times
     * the plan's trains more slowly per image (measured for resnet9 at 28x28 on 2 cores: 7.0 s for 512 images forward
     * and backward, against 0.52 s for 64), and the plan's batch was chosen for its speed. At least 1.
     */
    static int labeledBatch(int planBatch, int ratio) {
        return Math.max(1, (int) Math.round((double) planBatch / (1 + ratio)));
    }

    /** Labeled images a second in FixMatch's steps, from the plan's plain training speed. */
    static double labeledImagesPerSecond(double plainImagesPerSecond, int ratio) {
        return plainImagesPerSecond / (1 + ratio) / stepCost(ratio);
    }

    /**
     * The plain training speed, in images per second, whose FixMatch steps at mu {@code ratio} train {@code
     * labeledImagesPerSecond} labeled images a second: the inverse of {@link #labeledImagesPerSecond}; {@code
     * labeledImagesPerSecond} itself for a ratio of 0 (not FixMatch).
     */
    static double plainImagesPerSecond(double labeledImagesPerSecond, int ratio) {
        return ratio <= 0 ? labeledImagesPerSecond : labeledImagesPerSecond * (1 + ratio) * stepCost(ratio);
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

    /**
     * FixMatch's mu and tau for a run whose teacher is {@code teacher} ({@link FixMatchSettings}): from the teacher's
     * validation predictions and the counts of labeled and unlabeled images; the paper's when the teacher has none.
     */
    static FixMatchSettings choose(SslRounds.Teacher teacher, Task task, int labeled, int unlabeled) {
        Predictions v = teacher.validation();
        if (v == null || v.probabilities() == null || v.probabilities().length == 0) {
            return FixMatchSettings.paper();
        }
        // multi-label: a (N, K) sigmoid per class; binary's probabilities are (N, 2) rows (1 - p, p), whose arg-max and
        // largest entry are the sigmoid's decision and max(p, 1 - p), so it is scored as one softmax over its classes
        boolean perClass = task.independentOutputs() && v.targets() != null && v.targets().length > 0
                && v.targets()[0].length == v.probabilities()[0].length;
        return perClass ? FixMatchSettings.chooseIndependent(v.probabilities(), v.targets(), labeled, unlabeled)
                : FixMatchSettings.choose(v.probabilities(), v.labels(), labeled, unlabeled);
    }

    /**
     * The settings the plan's {@code ssl} decision chose for FixMatch (its evidence's {@code fixMatch} entry), for the final
     * run and its resume; the paper's when it names none (a plan saved before they were chosen).
     */
    static FixMatchSettings of(List<dev.hone.record.Decision<?>> decisions) {
        for (dev.hone.record.Decision<?> x : decisions) {
            if (x.name().equals("ssl") && x.evidence() != null && x.evidence().get("fixMatch") instanceof Map<?, ?> f
                    && f.get("ratio") instanceof Number r && f.get("threshold") instanceof Number t) {
                return new FixMatchSettings(r.intValue(), t.floatValue(), List.of(), String.valueOf(f.get("reason")));
            }
        }
        return FixMatchSettings.paper();
    }

    /** The settings FixMatch trains with, for the record, with the plan's batch of {@code planBatch}. */
    static Map<String, Object> settings(int planBatch, FixMatchSettings chosen) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(chosen.describe());
        m.put("labeledBatch", labeledBatch(planBatch, chosen.ratio()));
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

    /**
     * The pseudo-label accuracy (on the validation images above {@link dev.hone.ssl.PseudoLabels#PAPER_THRESHOLD}, for a
     * binary task every one) under which a single-label or binary teacher is weak, and {@code --ssl auto} trains FixMatch
     * from it for the rest of the budget without the first round's race: 0.85. A Noisy Student trains on every selected
     * pseudo-label, so it learns its teacher's errors, and the more there are the less it can correct (confirmation bias,
     * Arazo et al. 2020,
     * arXiv:1908.02983); FixMatch trains only on its predictions above a threshold chosen for their precision, and was
     * built for few labels (Sohn et al. 2020, arXiv:2001.07685). The race cannot tell them apart there: FixMatch's early
     * steps move its model away from the teacher's, so at the race's length it trails, and a weak teacher comes with
     * few labels and a validation split too small to resolve a few points. Measured on Fashion-MNIST at 30 minutes
     * (docs/BENCHMARKS.md, issue 10): with 1% of the labels the teachers' pseudo-labels were 80-82% right, the first
     * round's arms were one to four of 60 validation images apart, and from the same teacher (82.11% on the test images)
     * FixMatch's final models tested 84.94% and 85.59% and Noisy Student's 81.19% and 81.84%; with 10% they were 91-93%
     * right, Noisy Student's runs tested 91.29% to 91.40% and FixMatch's models 89.13% and 90.05%. The threshold sits
     * between the two, nearer the 1% teachers, whose accuracy on 60 images is the noisier.
     */
    static final double WEAK_TEACHER = 0.85;

    /** Whether a teacher of this pseudo-label accuracy is weak: measured, and under {@link #WEAK_TEACHER}. */
    static boolean weakTeacher(double pseudoLabelAccuracy) {
        return !Double.isNaN(pseudoLabelAccuracy) && pseudoLabelAccuracy < WEAK_TEACHER;
    }

    /**
     * Why FixMatch was chosen from a weak teacher ({@link #weakTeacher}) without the first round's race.
     *
     * @param pseudoLabelAccuracy the share of validation images above the pseudo-label threshold
     *     ({@link dev.hone.ssl.PseudoLabels#PAPER_THRESHOLD}) the teacher got right
     * @param validationImages the validation split's size
     */
    static String chosenForWeakTeacher(long teacherSteps, double teacherScore, double pseudoLabelAccuracy, int validationImages) {
        return String.format(Locale.ROOT, "a teacher trained %d steps on the labeled images (validation score %.4f) gives the"
                + " right pseudo-label to %.1f%% of the validation images (of %d) its confidence puts above the pseudo-label"
                + " threshold %.1f, under the"
                + " %.0f%% below which a teacher is weak: a Noisy Student would learn its errors, so FixMatch, which trains only"
                + " on its own predictions above a confidence chosen for their precision, is chosen without the first round's"
                + " race, in which FixMatch's early steps trail their teacher (measured at 1%% of Fashion-MNIST's labels:"
                + " docs/BENCHMARKS.md)", teacherSteps, teacherScore, 100 * pseudoLabelAccuracy, validationImages,
                dev.hone.ssl.PseudoLabels.PAPER_THRESHOLD, 100 * WEAK_TEACHER);
    }

    private static String score(Object score) {
        return score instanceof Number s ? String.format(Locale.ROOT, "%.4f", s.doubleValue()) : "nothing";
    }

    /** FixMatch's steps at the compute of {@code plainSteps} plain steps. */
    static long steps(long plainSteps, int ratio) {
        return (long) (plainSteps / stepCost(ratio));
    }

    /** The technique for a network, with the chosen ratio and threshold and the paper's weight. */
    static FixMatchTraining technique(ai.djl.nn.Block block, ResidentDataset pool, Task task, Normalization norm, long seed,
            FixMatchSettings chosen) {
        return new FixMatchTraining(block, pool, chosen.ratio(), chosen.threshold(), FixMatchTraining.PAPER_WEIGHT,
                task.independentOutputs(), norm, seed);
    }

    /**
     * A trained FixMatch arm, the share of unlabeled images that passed the threshold while it trained, its speed (labeled
     * images a second) and the mu and tau it trained with.
     */
    record Arm(SslRounds.Teacher model, long steps, double maskRate, double imagesPerSecond, FixMatchSettings settings) {
        /**
         * Whether the arm is chosen: it trained, and {@link SslGuardRail#beats} each of {@code rivals} (the teacher, the
         * supervised arm and the round's Noisy Student; null for one that trained no epoch). Each is beaten on its own:
         * a lower calibrated loss may win with a score a little lower, so beating the best of them would not bound the
         * score against the others.
         */
        boolean wins(Task task, long seed, SslRounds.Teacher... rivals) {
            return model != null && java.util.Arrays.stream(rivals).allMatch(r -> r == null
                    || SslGuardRail.beats(model.validation(), r.validation(), task, seed));
        }

        /** The arm's figures in a round's record. */
        void record(Map<String, Object> round) {
            round.put("fixMatchSteps", steps);
            round.put("fixMatchScore", model == null ? null : model.score());
            round.put("fixMatchLoss", model == null ? null : model.validation().meanLoss());
            round.put("fixMatchMaskRate", Double.isNaN(maskRate) ? null : maskRate);
            round.put("fixMatchSettings", settings.describe());
        }
    }

    /**
     * Continues {@code start} for {@code steps} FixMatch steps on the labeled images and the unlabeled {@code pool}, with
     * the {@code chosen} mu and tau and the plan's policy on the labeled images, at {@link SslPlanning#STUDENT_LEARNING_RATE} times the peak learning rate.
     */
    static Arm train(TrialRunner runner, float[][] start, int epochs, RegularizationPolicy policy, ResidentDataset pool,
            Task task, Normalization norm, long seed, long steps, FixMatchSettings chosen) {
        FixMatchTraining[] made = new FixMatchTraining[1];
        runner.withTechnique(block -> made[0] = technique(block, pool, task, norm, seed, chosen));
        runner.continueFrom(start, epochs, SslPlanning.STUDENT_LEARNING_RATE);
        SslRounds.Teacher model = SslRounds.Teacher.train(runner, policy, null, steps, java.util.List.of());
        double ips = runner.imagesPerSecond().isEmpty() ? 0 : runner.imagesPerSecond().get(runner.imagesPerSecond().size() - 1);
        return new Arm(model, steps, made[0] == null ? Double.NaN : made[0].meanMaskRate(), ips, chosen);
    }
}
