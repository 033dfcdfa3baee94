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
     * 128 keeps BatchNorm statistics stable and, measured on the 2-core machine, runs resnet9 at the
     * same images/s as batch 64-256 (docs/BENCHMARKS.md); the noise-scale learner replaces it.
     */
    static final int BATCH_SIZE = 128;
    static final java.util.List<String> OPTIMIZERS = java.util.List.of("sgd-nesterov", "adamw");
    static final String OPTIMIZER = "sgd-nesterov";
    static final String OPTIMIZER_WHY = "Nesterov SGD, momentum 0.9: the standard for ResNets with BatchNorm; "
            + "the optimizer learner may replace it";
    /** Nesterov momentum 0.9 (He et al. 2016; Page's ResNet-9 speedrun). */
    static final double MOMENTUM = 0.9;
    /**
     * Peak learning rates per 128 images of batch, scaled linearly with batch size (Goyal et al. 2017).
     * resnet9's global max-pool head gives large early logits: on the demo sample SGD at 0.1 and 0.05
     * spiked to losses of 25 and 4.6 in epoch 1 (80% test after 4 epochs at 0.05), 0.02 did not (87.6%).
     */
    static final double SGD_LR_PER_128 = 0.02;
    static final double ADAMW_LR_PER_128 = 2e-3;
    /** Decoupled weight decay: 5e-4 for SGD as in the CIFAR ResNet recipes; AdamW's is per unit of lr, hence larger. */
    static final double SGD_WEIGHT_DECAY = 5e-4;
    static final double ADAMW_WEIGHT_DECAY = 0.05;
    static final double WARMUP = 0.1;
    /** Images the default schedule shows the network, bounded to [MIN_EPOCHS, MAX_EPOCHS]. */
    static final long IMAGES_SEEN = 300_000;
    static final int MIN_EPOCHS = 2;
    static final int MAX_EPOCHS = 30;
    static final int WORST_SHOWN = 24;
}
