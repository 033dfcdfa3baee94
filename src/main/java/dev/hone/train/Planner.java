package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.metalearn.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the user's flags and the data's size into a {@link TrainingPlan}, one {@link Decision}
 * per hyperparameter. Values the user fixed are USER; the rest are rules recorded as DEFAULT or
 * DERIVED. The optimization meta-learners (noise-scale batch size, range-test learning rate)
 * replace these rules decision by decision.
 */
public final class Planner {
    private Planner() {}

    public static TrainingPlan plan(TrainOptions o, int trainSize, List<Decision<?>> dataDecisions) {
        List<Decision<?>> d = new ArrayList<>(dataDecisions);
        long seed = o.seed() != null ? o.seed() : Defaults.SEED;
        d.add(0, o.seed() != null ? Decision.user("seed", seed)
                : Decision.byDefault("seed", seed, "no --seed given; every random stream is split from this one"));

        int requested = o.batchSize() != null ? o.batchSize() : Defaults.BATCH_SIZE;
        int batch = Math.min(requested, trainSize);
        Decision<Integer> batchDecision = o.batchSize() != null ? Decision.user("batch-size", requested)
                : Decision.byDefault("batch-size", requested, "fixed rule until the gradient-noise-scale learner runs; "
                        + "128 keeps BatchNorm statistics stable and runs as fast per image as larger batches on CPU");
        if (batch < requested) {
            batchDecision = Decision.derived("batch-size", batch, "cap", "capped at the training set's size "
                    + trainSize, Map.of("requested", requested));
        }
        d.add(batchDecision);

        int epochs;
        if (o.epochs() != null) {
            epochs = o.epochs();
            d.add(Decision.user("epochs", epochs));
        } else {
            epochs = (int) Math.max(Defaults.MIN_EPOCHS, Math.min(Defaults.MAX_EPOCHS,
                    Math.ceil((double) Defaults.IMAGES_SEEN / trainSize)));
            d.add(Decision.derived("epochs", epochs, "images-seen rule", "enough epochs to show the network about "
                    + Defaults.IMAGES_SEEN + " images, within [" + Defaults.MIN_EPOCHS + ", " + Defaults.MAX_EPOCHS + "]",
                    Map.of("trainImages", trainSize)));
        }

        String optimizer = o.optimizer() != null ? o.optimizer() : Defaults.OPTIMIZER;
        d.add(o.optimizer() != null ? Decision.user("optimizer", optimizer)
                : Decision.byDefault("optimizer", optimizer, Defaults.OPTIMIZER_WHY));
        boolean sgd = optimizer.equals("sgd-nesterov");
        double lr;
        if (o.learningRate() != null) {
            lr = o.learningRate();
            d.add(Decision.user("lr", lr));
        } else {
            double per128 = sgd ? Defaults.SGD_LR_PER_128 : Defaults.ADAMW_LR_PER_128;
            lr = per128 * batch / 128.0;
            d.add(Decision.derived("lr", lr, "linear scaling rule", "peak " + per128
                    + " per 128 images of batch (Goyal et al. 2017), until the range-test learner runs",
                    Map.of("batchSize", batch)));
        }
        double wd = o.weightDecay() != null ? o.weightDecay() : (sgd ? Defaults.SGD_WEIGHT_DECAY : Defaults.ADAMW_WEIGHT_DECAY);
        d.add(o.weightDecay() != null ? Decision.user("weight-decay", wd)
                : Decision.byDefault("weight-decay", wd, "decoupled, skipping BatchNorm and bias parameters; "
                        + "the regularization learner may replace it"));
        d.add(Decision.byDefault("schedule", "warmup-cosine", "linear warmup over the first "
                + (int) (Defaults.WARMUP * 100) + "% of steps, then cosine to zero so the run anneals by its last step"));
        return new TrainingPlan(seed, epochs, batch, optimizer, lr, Defaults.MOMENTUM, wd, Defaults.WARMUP, d);
    }

    /** Checks flag ranges before any work starts. */
    public static void validate(TrainOptions o) {
        check(o.epochs() == null || (o.epochs() >= 1 && o.epochs() <= 10_000), "--epochs", o.epochs(), "an integer from 1 to 10000");
        check(o.batchSize() == null || (o.batchSize() >= 1 && o.batchSize() <= 65_536), "--batch-size", o.batchSize(), "an integer from 1 to 65536");
        check(o.learningRate() == null || (o.learningRate() > 0 && o.learningRate() <= 10), "--lr", o.learningRate(), "a number in (0, 10]");
        check(o.optimizer() == null || Defaults.OPTIMIZERS.contains(o.optimizer()), "--optimizer", o.optimizer(),
                "one of " + Defaults.OPTIMIZERS);
        check(o.weightDecay() == null || (o.weightDecay() >= 0 && o.weightDecay() < 1), "--weight-decay", o.weightDecay(), "a number in [0, 1)");
        check(o.width() == null || (o.width() >= 1 && o.width() <= 1024), "--width", o.width(), "an integer from 1 to 1024");
        check(o.validationFraction() == null || (o.validationFraction() > 0 && o.validationFraction() < 0.5),
                "--val-fraction", o.validationFraction(), "a number in (0, 0.5)");
    }

    private static void check(boolean ok, String flag, Object value, String expected) {
        if (!ok) {
            throw new HoneException(flag + " " + value + " is out of range. Fix: give " + expected);
        }
    }
}
