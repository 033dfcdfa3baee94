package dev.hone.train;

/**
 * hone's fallback values, in one place with their sources. Each is used only where no user flag
 * and no meta-learner sets the value, and the record then says DEFAULT and why.
 */
final class Defaults {
    private Defaults() {}

    static final long SEED = 42;
    /** Share of the training set held out for validation (and for test, when none is given). */
    static final double HOLD_OUT = 0.1;

    /**
     * Validation images a segmentation run holds out at most, when a test set is given: 500 masks of
     * 64x64 are 2 million scored pixels, and each validation pass of a U-Net costs about a third of a
     * training step per image, so the 10% rule would spend a large share of a budget on validation.
     * Detection runs take the same cap: a validation pass scores every box of every image.
     */
    static final int SEGMENTATION_VALIDATION_IMAGES = 500;

    /** The share held out for validation (and for test when none is given): {@link #HOLD_OUT}, capped for segmentation and detection. */
    static double holdOut(dev.hone.data.DataBundle bundle) {
        boolean dense = bundle.train().segmentation() || bundle.train().detection();
        if (dense && bundle.test() != null && bundle.train().size() > 0) {
            return Math.min(HOLD_OUT, (double) SEGMENTATION_VALIDATION_IMAGES / bundle.train().size());
        }
        return HOLD_OUT;
    }
    /** The fallback batch when the noise-scale probe cannot run: as fast per image as 64-256 on CPU. */
    static final int BATCH_SIZE = 128;
    /** From this effective batch on, the layer-wise LAMB optimizer is chosen. */
    static final int LARGE_BATCH = 2048;
    /**
     * Fallback peak learning rates per 128 images of batch, scaled to the batch by {@link
     * #learningRateAt}, used when the range test cannot run or decide. resnet9's global max-pool head
     * gives large early logits: on the demo sample SGD at 0.1 and 0.05 spiked to losses of 25 and 4.6 in
     * epoch 1, 0.02 did not. AdamW's range tests on Fashion-MNIST chose 6.1e-3 at batch 128 and 6.3e-3
     * to 8.6e-3 at 64 (docs/BENCHMARKS.md, W1); the rule takes about half of that, 3e-3 (it was 2e-3,
     * which left rule-planned short runs, the multi-label scenes among them, at a few 1e-4).
     */
    static double learningRatePer128(String optimizer) {
        return switch (optimizer) {
            case "sgd-nesterov" -> 0.02;
            case "lars" -> 1.0;
            case "lion" -> 2e-4;
            default -> 3e-3; // adamw, lamb
        };
    }

    /** The range test's sweep, wide enough to bracket every optimizer's usable range. */
    static double[] rangeTestBounds(String optimizer) {
        return switch (optimizer) {
            case "sgd-nesterov" -> new double[] {1e-5, 3.0};
            case "lars" -> new double[] {1e-2, 100.0};
            case "lion" -> new double[] {1e-7, 1e-2};
            default -> new double[] {1e-6, 1.0};
        };
    }

    /** Decoupled weight decay: 5e-4 for SGD (CIFAR ResNet recipes); AdamW-style decay is per unit of lr, hence larger. */
    static double weightDecay(String optimizer) {
        return switch (optimizer) {
            case "sgd-nesterov", "lars" -> 5e-4;
            case "lion" -> 0.5;
            default -> 0.05;
        };
    }

    /**
     * The fallback peak learning rate at an effective batch of {@code batch} images: the per-128 rate
     * scaled linearly for SGD and LARS (Goyal et al. 2017, arXiv:1706.02677), and by the square root
     * for the adaptive optimizers (AdamW, LAMB, Lion), whose steps are normalised per parameter
     * (Malladi et al. 2022, "On the SDEs and Scaling Rules for Adaptive Gradient Algorithms",
     * arXiv:2205.10287). Linear scaling gave AdamW at batch 32 a quarter of its batch-128 rate, which
     * with a warmup and cosine decay left short budgets training at a few 1e-4.
     */
    static double learningRateAt(String optimizer, int batch) {
        return learningRatePer128(optimizer) * learningRateScaling(optimizer, batch);
    }

    /** The factor {@link #learningRateAt} applies to the per-128 rate at {@code batch} images. */
    static double learningRateScaling(String optimizer, int batch) {
        double ratio = batch / 128.0;
        return linearScaling(optimizer) ? ratio : Math.sqrt(ratio);
    }

    /** How {@link #learningRateAt} scales the rate for {@code optimizer}, in words with its source. */
    static String scalingRule(String optimizer) {
        return linearScaling(optimizer) ? "linearly (Goyal et al. 2017)" : "by the square root, as for adaptive optimizers (Malladi et al. 2022)";
    }

    private static boolean linearScaling(String optimizer) {
        return optimizer.equals("sgd-nesterov") || optimizer.equals("lars");
    }

    /**
     * When the probes do not fit the budget, the batch rule halves {@link #BATCH_SIZE} (down to
     * {@link #RULE_MIN_BATCH}) until the images the budget affords make at least this many optimizer
     * steps. A budget that short trains in the early phase where the gradient noise scale is small
     * (B_simple 15-21 measured in the first few hundred Fashion-MNIST steps, docs/BENCHMARKS.md), so a
     * smaller batch loses little per image and gives the warmup and the annealing tens of steps each:
     * the issue 9 scenes run planned 60 steps of 128 where the peer took 261 steps of 64.
     */
    static final int RULE_MIN_STEPS = 400;
    /** The smallest batch the rule goes to: below it a 2-core CPU runs well below its throughput plateau. */
    static final int RULE_MIN_BATCH = 32;

    static final double WARMUP = 0.1;
    /** Fewer training steps than this in a budgeted run are warned about: too few to learn much. */
    static final int MIN_BUDGET_STEPS = 50;
    /** Images the default schedule shows the network, bounded to [MIN_EPOCHS, MAX_EPOCHS]. */
    static final long IMAGES_SEEN = 300_000;
    static final int MIN_EPOCHS = 2;
    static final int MAX_EPOCHS = 30;
    /** Epochs without validation improvement before early stopping (no budget only). */
    static final int PATIENCE = 3;
    static final int WORST_SHOWN = 24;

    /** Noise-scale probe: micro-batches of 32, four accumulated (B_big 128), 60 steps, EMA decay 0.95. */
    static final int NOISE_SMALL_BATCH = 32;
    static final int NOISE_ACCUMULATE = 4;
    static final int NOISE_STEPS = 60;
    /** Range-test steps per candidate optimizer: 80 points over 5-6 decades of learning rate. */
    static final int RANGE_TEST_STEPS = 80;
    /** Steps timed at the chosen batch for the budget plan (about a second on CPU at batch 64). */
    static final int PLAN_TIMED_STEPS = 8;
    /** Throughput is measured up to this batch (CPU curves are flat long before). */
    static final int MAX_PROBED_BATCH = 2048;

    /**
     * With {@code --budget}, meta-learning (every probe, from the throughput curve to the budget
     * timing) may take this share of the budget. At full length the probes took 43-76 s of Fashion-MNIST
     * runs, 19-43% of 3-5 minute budgets (docs/BENCHMARKS.md, W1), which is why the 3-4 minute runs
     * fell short of the peer's 10-minute accuracy; 12% keeps all probes at full length at 10 minutes
     * (72 s) and gives a 3-minute run 22 s of them.
     */
    static final double META_LEARNING_SHARE = 0.12;
    /**
     * ...but never less than this, up to a quarter of the budget: below about 20 s the probes cannot
     * all run even at their minimum lengths on a 2-core CPU (throughput curve ~3.5 s, noise probe
     * ~4 s, range test ~4 s, schedule trials ~6 s on the demo sample), so a 2-minute run gets 20 s.
     */
    static final double META_LEARNING_FLOOR_SECONDS = 20;
    static final double META_LEARNING_MAX_SHARE = 0.25;
    /** The throughput curve may take this share of meta-learning's time before it stops at a smaller batch. */
    static final double THROUGHPUT_SHARE = 0.3;

    /**
     * Shortest probes worth running. The noise probe's EMA spans ~20 steps, so 12 give a rough reading; a
     * range test of 40 points still finds the valley of 80 (within ~0.1 decade on a synthetic curve, its
     * smoothing scaled by {@link dev.hone.metalearn.learningrate.RangeTestRule#betaFor}), 30 did not.
     */
    static final int NOISE_MIN_STEPS = 12;
    static final int RANGE_TEST_MIN_STEPS = 40;
    /**
     * Schedule trials: steps per schedule (three trials), and the fewest worth comparing (one-cycle's
     * rise is then three steps). Validation images the trials are judged on, at most.
     */
    static final int SCHEDULE_STEPS = 40;
    static final int SCHEDULE_MIN_STEPS = 10;
    static final int SCHEDULE_VALIDATION_IMAGES = 1000;

    /** The seconds meta-learning may take within {@code budgetSeconds}. */
    static double metaLearningSeconds(double budgetSeconds) {
        return Math.max(META_LEARNING_SHARE * budgetSeconds,
                Math.min(META_LEARNING_FLOOR_SECONDS, META_LEARNING_MAX_SHARE * budgetSeconds));
    }
}
