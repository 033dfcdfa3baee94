package dev.hone.train;

import dev.hone.core.HoneException;
import dev.hone.optimize.Optimizers;
import dev.hone.record.Decision;
import java.util.List;
import java.util.Map;

/**
 * Flag checks and the rule-based decisions: the values that need no probe (optimizer, weight decay,
 * epochs without a budget) and the fallbacks used when the user fixed a value or a probe
 * could not measure. The probes themselves run in {@link OptimizationLearners}.
 */
final class Planner {
    static final List<String> SCHEDULES = dev.hone.optimize.Schedule.NAMES;

    private Planner() {}

    static Decision<Long> seed(TrainOptions o) {
        return o.seed() != null ? Decision.user("seed", o.seed())
                : Decision.byDefault("seed", Defaults.SEED, "no --seed given; every random stream is split from this one");
    }

    /**
     * The user's optimizer; else, when the user fixed the learning rate so no range tests compare the candidates, LAMB
     * from {@link Defaults#LARGE_BATCH} (You et al. 2019 trained BERT and ResNet-50 at batch 32k with it, where SGD and
     * Adam lose accuracy) and AdamW below it, the optimizer hone takes whenever it has no comparison: its per-parameter
     * step sizes make it the safer choice at a rate not measured for it. (On the multi-label scenes, {@code --lr 0.001}
     * tested 80.11% mAP with Nesterov SGD and 91.24% with AdamW, against 92.28% for AdamW at its range test's rate;
     * docs/BENCHMARKS.md.)
     */
    static Decision<String> optimizer(TrainOptions o, int effectiveBatch) {
        if (o.optimizer() != null) {
            return Decision.user("optimizer", o.optimizer());
        }
        boolean large = effectiveBatch >= Defaults.LARGE_BATCH;
        String why = "the learning rate is fixed by the user, so no range tests compare optimizers; batch " + effectiveBatch
                + (large ? " is large: LAMB's layer-wise trust ratio keeps large-batch training stable (You et al. 2019)"
                        : " is below " + Defaults.LARGE_BATCH + ": AdamW by rule, its per-parameter step sizes make it the safer"
                                + " choice at a rate not measured for it (give --optimizer to choose another)");
        return Decision.derived("optimizer", large ? "lamb" : "adamw", "rule for a fixed learning rate", why,
                Map.of("effectiveBatch", effectiveBatch, "largeBatchFrom", Defaults.LARGE_BATCH));
    }

    /** The optimizers whose range tests are compared when the user fixed neither optimizer nor learning rate. */
    static List<String> optimizerCandidates(int effectiveBatch) {
        return effectiveBatch >= Defaults.LARGE_BATCH ? List.of("lamb", "adamw") : List.of("sgd-nesterov", "adamw");
    }

    static Decision<Double> weightDecay(TrainOptions o, String optimizer) {
        if (o.weightDecay() != null) {
            return Decision.user("weight-decay", o.weightDecay());
        }
        double wd = Defaults.weightDecay(optimizer);
        String replaced = o.policy() != null ? "; the --policy file's weight decay, if it has one, replaces it"
                : "none".equals(o.regularization()) ? "" : "; the regularization search may replace it";
        return Decision.byDefault("weight-decay", wd, "decoupled, skipping BatchNorm and bias parameters; the usual value for "
                + optimizer + replaced);
    }

    /** Epochs when there is no budget: the user's, or enough to show the network about 300k images. */
    static Decision<Integer> epochs(TrainOptions o, int trainSize) {
        if (o.epochs() != null) {
            return Decision.user("epochs", o.epochs());
        }
        int epochs = (int) Math.max(Defaults.MIN_EPOCHS, Math.min(Defaults.MAX_EPOCHS,
                Math.ceil((double) Defaults.IMAGES_SEEN / trainSize)));
        return Decision.derived("epochs", epochs, "images-seen rule", "at most enough epochs to show the network about "
                + Defaults.IMAGES_SEEN + " images, within [" + Defaults.MIN_EPOCHS + ", " + Defaults.MAX_EPOCHS
                + "]; early stopping may end sooner", Map.of("trainImages", trainSize));
    }

    /** Checks flag ranges before any work starts. */
    static void validate(TrainOptions o) {
        check(o.epochs() == null || (o.epochs() >= 1 && o.epochs() <= 10_000), "--epochs", o.epochs(), "an integer from 1 to 10000");
        check(o.batchSize() == null || (o.batchSize() >= 1 && o.batchSize() <= 65_536), "--batch-size", o.batchSize(), "an integer from 1 to 65536");
        check(o.learningRate() == null || (o.learningRate() > 0 && o.learningRate() <= 10), "--lr", o.learningRate(), "a number in (0, 10]");
        check(o.optimizer() == null || Optimizers.names().contains(o.optimizer()), "--optimizer", o.optimizer(),
                "one of " + Optimizers.names());
        check(o.schedule() == null || SCHEDULES.contains(o.schedule()), "--schedule", o.schedule(), "one of " + SCHEDULES);
        check(o.weightDecay() == null || (o.weightDecay() >= 0 && o.weightDecay() < 1), "--weight-decay", o.weightDecay(), "a number in [0, 1)");
        check(o.width() == null || (o.width() >= 1 && o.width() <= 1024), "--width", o.width(), "an integer from 1 to 1024");
        check(o.validationFraction() == null || (o.validationFraction() > 0 && o.validationFraction() < 0.5),
                "--val-fraction", o.validationFraction(), "a number in (0, 0.5)");
        if (o.budget() != null && o.epochs() != null) {
            throw new HoneException("--budget and --epochs both fix how long to train. Fix: give one of them");
        }
        if (o.budget() != null) {
            dev.hone.metalearn.budget.Budget.parse(o.budget());
        }
        if (o.thresholdMetric() != null) {
            try {
                dev.hone.tasks.metrics.ThresholdTarget.parse(o.thresholdMetric());
            } catch (IllegalArgumentException e) {
                throw new HoneException("--threshold-metric '" + o.thresholdMetric() + "' is not understood. Fix: give f1,"
                        + " precision>=P or recall>=R with P or R in (0, 1], e.g. precision>=0.9");
            }
        }
        check(o.regularization() == null || o.regularization().equals("auto") || o.regularization().equals("none"),
                "--regularization", o.regularization(), "auto or none");
        if (o.policy() != null && "none".equals(o.regularization())) {
            throw new HoneException("--policy and --regularization none contradict each other. Fix: give one of them");
        }
        if (o.policy() != null) {
            PolicyFile.read(o.policy()); // a typo fails now, not after meta-learning
        }
    }

    private static void check(boolean ok, String flag, Object value, String expected) {
        if (!ok) {
            throw new HoneException(flag + " " + value + " is out of range. Fix: give " + expected);
        }
    }
}
