package dev.hone.train;

import ai.djl.Device;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.FitLoop;
import dev.hone.loop.ResidentDataset;
import dev.hone.metalearn.regularization.RegularizationPolicy;
import dev.hone.metalearn.regularization.TrialRunner;
import dev.hone.optimize.BudgetPacer;
import dev.hone.record.Decision;
import dev.hone.record.Origin;
import dev.hone.ssl.SelfSupervisedPretraining;
import dev.hone.tasks.SingleLabel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Self-supervised pretraining of the encoder, then fine-tuning on the labels: {@code --ssl simclr} or {@code --ssl
 * barlow-twins} ({@link SelfSupervisedPretraining}). After the teacher (the supervised run the guard-rail compares
 * with), the architecture with a {@value SelfSupervisedPretraining#EMBEDDING}-wide last layer trains on the unlabeled
 * images' two views for the time left after a fine-tuning as long as the teacher's training ({@link #fineTuneSeconds});
 * its encoder, with a fresh classifier, is where the final run starts, on the labeled images. The guard-rail keeps the
 * result only when it beats the teacher on validation: both trained as long on the labels, the one from pretrained weights.
 */
final class SslPretraining {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private SslPretraining() {}

    /** The largest share of the time left after the teacher that the fine-tuning takes; pretraining gets the rest. */
    static final double MAX_FINE_TUNE_SHARE = 0.5;

    /**
     * The fine-tuning's seconds, out of {@code secondsLeft} after the teacher: as long as the teacher trained on the same
     * labeled images ({@code teacherSeconds}), at most {@link #MAX_FINE_TUNE_SHARE} of what is left. Pretraining, which
     * learns from the unlabeled images and is far from done in any budget hone runs, takes the rest. The teacher's length
     * is what a supervised run on these labels was given (at most {@link SslRounds#TEACHER_MAX_EPOCHS} epochs); on
     * Fashion-MNIST at 1% of the labels (2026-12-02) a fine-tuning of 700 epochs reached zero training loss by epoch 40
     * and then only raised its validation loss (0.63 at epoch 20, 1.23 at the end), as in SimCLR (arXiv:2002.05709),
     * which fine-tunes 60 epochs on 1% of ImageNet's labels.
     *
     * @param secondsLeft seconds of the budget left after the teacher, at or above 0
     * @param teacherSeconds the teacher's training seconds
     * @return the fine-tuning's seconds, between 0 and half of {@code secondsLeft}
     */
    static double fineTuneSeconds(double secondsLeft, double teacherSeconds) {
        return Math.max(0, Math.min(teacherSeconds, MAX_FINE_TUNE_SHARE * secondsLeft));
    }

    /**
     * A pretraining step in plain steps of the plan's batch: two views of each image, forward and backward, and the two
     * views' six augmentation steps. Measured on Fashion-MNIST (resnet9, batch 64, 2 cores, 2026-12-02): 145 unlabeled
     * images a second against 514 for plain steps, 3.5 plain steps. The steps are a plan: a budget pacer keeps
     * pretraining on its seconds when the machine runs slower or faster.
     */
    static final double STEP_COST = 3.5;

    /**
     * The pretrained network's weights for the classifier, in the block's parameter order: every parameter whose size
     * matches the classifier's comes from pretraining; the others, the last layer's weight and bias (the projection,
     * another width), are zeros, a fresh linear classifier whose first predictions are uniform and whose gradients are
     * not (they are the features times the error).
     *
     * @param pretrained the pretraining network's parameters
     * @param classifier the classifier's parameters, for their number and sizes
     * @throws IllegalStateException when the two have different numbers of parameters (not the same architecture)
     */
    static float[][] transfer(float[][] pretrained, float[][] classifier) {
        if (pretrained.length != classifier.length) {
            throw new IllegalStateException("the pretrained network has " + pretrained.length + " parameters, the classifier "
                    + classifier.length);
        }
        float[][] w = new float[classifier.length][];
        for (int i = 0; i < w.length; i++) {
            w[i] = pretrained[i].length == classifier[i].length ? pretrained[i].clone() : new float[classifier[i].length];
        }
        return w;
    }

    /**
     * What pretraining did: the weights for the classifier, its planned steps, the steps it took and the pacer's re-plans
     * between them, its seconds and speed (unlabeled images a second, two views each).
     */
    record Pretrained(float[][] weights, long plannedSteps, long steps, int replans, double seconds, double imagesPerSecond) {}

    /** Counts the optimizer steps taken, which the pacer may make fewer or more than planned. */
    private record StepCounter(long[] taken) implements dev.hone.core.Technique {
        @Override
        public String name() {
            return "step-counter";
        }

        @Override
        public boolean matches(dev.hone.core.Event event, dev.hone.core.TrainingView view) {
            return event == dev.hone.core.Event.AFTER_STEP;
        }

        @Override
        public void apply(dev.hone.core.Event event, dev.hone.core.TrainingState state) {
            if (!state.stepSkipped()) {
                taken[0]++;
            }
        }
    }

    /**
     * Pretrains the classifier's network on {@code pool}'s images for {@code steps} steps of the classifier's batch of
     * images (two views each) with {@code method}, and returns its weights moved onto the classifier's
     * ({@link #transfer}); null when it trained no epoch. With {@code seconds} above 0 a {@link BudgetPacer} re-plans the
     * steps from the speed measured as they run, so that the schedule anneals and pretraining ends within those seconds.
     *
     * @param classifierSetup the classifier's trial setup: its network, optimizer, learning rate, weight decay, batch,
     *     seed, normalization, device, scratch folder and hooks; pretraining replaces its head with the embedding's
     * @throws dev.hone.loop.PhaseCancelledException when the setup's hooks cancel
     */
    static Pretrained train(SelfSupervisedPretraining.Method method, TrialRunner.Setup classifierSetup, ImageSet pool,
            float[][] classifier, long steps, double seconds) {
        int batch = classifierSetup.batchSize();
        long seed = classifierSetup.seed();
        Normalization norm = classifierSetup.norm();
        Device device = classifierSetup.device();
        List<String> dimensions = IntStream.range(0, SelfSupervisedPretraining.EMBEDDING).mapToObj(i -> "z" + i).toList();
        ImageSet views = new ImageSet(pool.pixels(), new int[pool.size()], pool.channels(), pool.height(), pool.width(), dimensions,
                pool::source);
        ImageSet check = views.subset(IntStream.range(0, Math.min(256, views.size())).toArray());
        int epochs = (int) Math.max(1, Math.ceil((double) steps / FitLoop.batchesPerEpoch(views.size(), batch)));
        TrialRunner.Setup setup = classifierSetup.withHead(SelfSupervisedPretraining.EMBEDDING, SingleLabel.INSTANCE).withEpochs(epochs);
        long begun = System.nanoTime();
        float[][][] out = new float[1][][];
        try (ResidentDataset train = new ResidentDataset(views, norm, device);
                ResidentDataset validation = new ResidentDataset(check, norm, device)) {
            TrialRunner runner = new TrialRunner(setup, train, validation, validation)
                    .withProgress("ssl pretraining (" + method.cliName() + ")");
            runner.withTechnique(block -> new SelfSupervisedPretraining(method, norm, seed));
            BudgetPacer[] pacer = new BudgetPacer[1];
            if (seconds > 0) {
                long end = begun + (long) (seconds * 1e9);
                runner.withTechnique(block -> pacer[0] = new BudgetPacer(System::nanoTime, end,
                        Duration.ofMillis((long) (seconds * 1000)), new BudgetPacer.AfterTraining(0, 0, 0, 0), batch));
            }
            long[] taken = new long[1];
            runner.withTechnique(block -> new StepCounter(taken));
            runner.run(RegularizationPolicy.NONE, model -> out[0] = TrialRunner.capture(model), steps);
            double took = (System.nanoTime() - begun) / 1e9;
            double ips = runner.imagesPerSecond().isEmpty() ? 0 : runner.imagesPerSecond().get(runner.imagesPerSecond().size() - 1);
            int replans = pacer[0] == null ? 0 : pacer[0].replans().size() + pacer[0].dropped();
            return out[0] == null ? null : new Pretrained(transfer(out[0], classifier), steps, taken[0], replans, took, ips);
        }
    }

    /** Pretraining's steps in {@code seconds} at {@code plainImagesPerSecond} plain training images a second. */
    static long steps(double seconds, double plainImagesPerSecond, int batch) {
        return (long) (seconds * plainImagesPerSecond / STEP_COST / batch);
    }

    /** The {@code ssl} decision's sentence for a pretrained encoder. */
    static String why(SelfSupervisedPretraining.Method method, long teacherSteps, double teacherSeconds, double teacherScore,
            Pretrained p, int images, double learningRate, double fineTuneSeconds) {
        String fineTune = fineTuneSeconds < 0 ? "for the plan's steps"
                : String.format(Locale.ROOT, "for the %.0f s left, as long as the teacher trained (at most half of what was left"
                        + " after it, so that pretraining, which gains from every unlabeled image it sees, gets the rest)",
                        fineTuneSeconds);
        return String.format(Locale.ROOT, "--ssl %s: a teacher trained %d steps (%.0f s) on the labeled images (validation score"
                + " %.4f), the supervised run the guard-rail compares with. Then %s pretrained the network's encoder on the %,d"
                + " unlabeled images for %d steps of two views each (%.0f s), its last layer a %d-wide linear projection; the"
                + " final run starts from that encoder with a fresh classifier and trains on the labeled images at peak"
                + " learning rate %.3g %s. After training it is kept only if it beats the teacher on validation",
                method.cliName(), teacherSteps, teacherSeconds, teacherScore, SelfSupervisedPretraining.source(method), images,
                p.steps(), p.seconds(), SelfSupervisedPretraining.EMBEDDING, learningRate, fineTune);
    }

    /** The {@code ssl} decision's record of the pretraining. */
    static Map<String, Object> evidence(SelfSupervisedPretraining.Method method, Pretrained p) {
        Map<String, Object> m = SelfSupervisedPretraining.settings(method);
        m.put("plannedSteps", p.plannedSteps());
        m.put("steps", p.steps());
        m.put("replans", p.replans());
        m.put("seconds", p.seconds());
        m.put("imagesPerSecond", p.imagesPerSecond());
        return m;
    }

    /**
     * The decision when pretraining cannot run: too little time left for {@link SslPlanning#MIN_TRIAL_STEPS} steps. The
     * user asked for the method, so it is logged as a warning ({@link SslPlanning#notUsed}).
     */
    static Decision<String> tooShort(SelfSupervisedPretraining.Method method, long steps, double seconds) {
        return SslPlanning.notUsed(method.cliName(), String.format(Locale.ROOT, "the %.0f s left for pretraining fit %d steps,"
                + " fewer than %d, so the unlabeled images are not used; give a larger --budget to use them", seconds, steps,
                SslPlanning.MIN_TRIAL_STEPS));
    }

    /** The origin of the decision: the user's {@code --ssl}. */
    static Decision<String> decision(SelfSupervisedPretraining.Method method, String why, Map<String, Object> evidence, double seconds) {
        return new Decision<>("ssl", method.cliName(), Origin.USER, "--ssl " + method.cliName(), why, evidence,
                Duration.ofMillis((long) (seconds * 1000)));
    }
}
