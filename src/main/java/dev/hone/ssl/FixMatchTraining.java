package dev.hone.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.hone.augment.Augmentation;
import dev.hone.augment.AugmentationPolicy;
import dev.hone.augment.Augmenter;
import dev.hone.augment.Transform;
import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.data.Normalization;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.loop.Seeds;

/**
 * FixMatch as a training technique: each labeled batch of B images gets mu*B unlabeled images; the model's prediction
 * on a weakly augmented view of each, where confident, is the hard pseudo-label its strongly augmented view is trained
 * to (the loss: {@link FixMatch#loss}). The total loss is {@code l_s + lambda_u * l_u}.
 *
 * <p>From Sohn et al. 2020, arXiv:2001.07685, section 3 and algorithm 1, with the paper's lambda_u = 1; mu and tau are
 * given, chosen by {@link FixMatchSettings} (the paper's mu = {@value #PAPER_RATIO} and tau =
 * {@link FixMatch#PAPER_THRESHOLD} where there is nothing to choose from). hone's departures, for DJL's one gradient
 * collector per JVM and for 2-core budgets:
 * <ul>
 *   <li>the weak view is predicted at {@link Event#BATCH_START}, before the collector opens, in inference mode (BatchNorm's
 *       running statistics) and without gradients; the paper passes it through the training forward with the rest;</li>
 *   <li>the weak view is a translation of up to an eighth of the side (the paper's, without its flip, which can change a
 *       label: footwear facing left or right); the strong view is two of {@link #STRONG} per batch, each at a random
 *       magnitude up to its given one (RandAugment with random magnitudes, the paper's choice), then cutout
 *       ({@link Transform#ERASE});</li>
 *   <li>the labeled and strong views are one forward pass (B + mu*B images) through the training network, as the paper's
 *       interleaved batch, so BatchNorm sees both.</li>
 * </ul>
 * Registered after the policy's techniques, so the labeled images are augmented (and mixed) first. The loop's
 * training loss then includes {@code lambda_u * l_u}; its accuracy counts the labeled images only.
 *
 * <p>For independent sigmoid outputs (binary, multi-label) it uses {@link FixMatch#multiLabelLoss}, hone's extension.
 */
public final class FixMatchTraining implements Technique {
    /** mu, the paper's unlabeled images per labeled image in a batch (section 4, "ratio of unlabeled data"). */
    public static final int PAPER_RATIO = 7;

    /** lambda_u, the paper's weight of the unlabeled loss. */
    public static final double PAPER_WEIGHT = 1.0;

    /** The weak view: a shift of up to 12.5% of the side (translate's range is 25% at magnitude 1). */
    public static final AugmentationPolicy WEAK = AugmentationPolicy.of(Transform.TRANSLATE, 0.5);

    /** The strong view's candidates, two per batch, before cutout: geometric and colour, none that mirrors. */
    public static final AugmentationPolicy STRONG = AugmentationPolicy.of(Transform.TRANSLATE, 1.0).with(Transform.ZOOM, 0.75)
            .with(Transform.ROTATE, 1.0).with(Transform.SHEAR, 1.0).with(Transform.BRIGHTNESS, 1.0).with(Transform.CONTRAST, 1.0)
            .with(Transform.NOISE, 0.5).with(Transform.BLUR, 1.0);

    /** The strong view's cutout, after the two drawn steps: a rectangle of up to 30% of the image. */
    public static final double CUTOUT = 0.75;

    /** The strong view's steps drawn per batch (RandAugment's N, the paper's 2). */
    public static final int STRONG_PER_BATCH = 2;

    /** The share above the threshold is read back on every this many steps. */
    static final int MASK_EVERY = 10;

    private final Block block;
    private final ResidentDataset unlabeled;
    private final int ratio;
    private final float threshold;
    private final double weight;
    private final boolean independentOutputs;
    private final Augmenter augmenter;
    private final long runSeed;
    private int microBatches = 1;
    private int[] order;
    private long orderCycle = -1;
    private NDArray weakLogits;
    private NDArray strongLogits;
    private int labeled;
    private double maskSum;
    private long maskBatches;

    /**
     * @param block the network being trained, for the weak view's inference-mode forward pass
     * @param unlabeled the unlabeled images, normalised like the labeled ones (their labels are never read)
     * @param ratio mu, unlabeled images per labeled image, at least 1
     * @param threshold tau, the confidence a weak prediction needs to become a pseudo-label: in (0, 1], and above 0.5
     *     with independent outputs
     * @param weight lambda_u, the unlabeled loss's weight
     * @param independentOutputs whether the outputs are independent sigmoids (binary, multi-label), not one softmax
     * @param norm the normalisation the images were made with, which the augmentation ops undo and redo
     * @param runSeed the run's seed: the unlabeled images drawn and their views follow from it and the global step
     * @throws IllegalArgumentException for a ratio below 1 or an empty unlabeled set
     */
    public FixMatchTraining(Block block, ResidentDataset unlabeled, int ratio, float threshold, double weight,
            boolean independentOutputs, Normalization norm, long runSeed) {
        if (ratio < 1 || unlabeled.size() == 0) {
            throw new IllegalArgumentException("FixMatch needs at least one unlabeled image per labeled one, and unlabeled"
                    + " images: ratio " + ratio + ", " + unlabeled.size() + " images");
        }
        this.block = block;
        this.unlabeled = unlabeled;
        this.ratio = ratio;
        this.threshold = threshold;
        this.weight = weight;
        this.independentOutputs = independentOutputs;
        this.augmenter = new Augmenter(norm);
        this.runSeed = runSeed;
    }

    /**
     * The micro-batches of one optimizer step (gradient accumulation; 1, the default, for none), so that consecutive
     * micro-batches draw consecutive unlabeled images.
     */
    public FixMatchTraining withMicroBatches(int perStep) {
        this.microBatches = Math.max(1, perStep);
        return this;
    }

    @Override
    public String name() {
        return "fixmatch";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BATCH_START || event == Event.BEFORE_LOSS || event == Event.AFTER_LOSS;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        switch (event) {
            case BATCH_START -> addStrongViews(state);
            case BEFORE_LOSS -> splitOutputs(state);
            case AFTER_LOSS -> addUnlabeledLoss(state);
            default -> { }
        }
    }

    /** Draws the step's unlabeled images, predicts their weak views, and appends their strong views to the inputs. */
    private void addStrongViews(TrainingState state) {
        NDArray inputs = state.inputs();
        NDManager batchManager = inputs.getManager();
        labeled = (int) inputs.getShape().get(0);
        int count = labeled * ratio;
        long seed = Seeds.mix(Seeds.mix(runSeed, "fixmatch", state.globalStep()), "micro-batch", state.microBatch());
        int[] indices = draw(state.globalStep(), state.microBatch(), count);
        NDArray images = unlabeled.batch(indices, 0, count, batchManager).images();
        NDArray weak = augmenter.apply(images, WEAK, Seeds.mix(seed, "weak", 0));
        weakLogits = block.forward(new ParameterStore(batchManager, false), new NDList(weak), false).singletonOrThrow();
        long strongSeed = Seeds.mix(seed, "strong", 0);
        AugmentationPolicy strong = Augmentation.drawn(STRONG, STRONG_PER_BATCH, strongSeed).with(Transform.ERASE, CUTOUT);
        NDArray strongImages = augmenter.apply(images, strong, strongSeed);
        state.setInputs(inputs.concat(strongImages, 0));
    }

    private void splitOutputs(TrainingState state) {
        NDArray outputs = state.outputs();
        strongLogits = outputs.get(new NDIndex(labeled + ":"));
        state.setOutputs(outputs.get(new NDIndex(":" + labeled)));
    }

    private void addUnlabeledLoss(TrainingState state) {
        FixMatch.Consistency c = independentOutputs ? FixMatch.multiLabelLoss(weakLogits, strongLogits, threshold)
                : FixMatch.loss(weakLogits, strongLogits, threshold);
        state.setLoss(state.loss().add(c.loss().mul((float) weight)));
        if (state.globalStep() % MASK_EVERY == 0 && state.microBatch() == 0) { // a read from the device: sampled, not every step
            maskSum += c.maskRate();
            maskBatches++;
        }
        weakLogits = null;
        strongLogits = null;
    }

    /**
     * The unlabeled images of a step's micro-batch: consecutive positions of an endless stream of seeded permutations of
     * the unlabeled set, so every image comes once per pass and a resumed run draws the same images.
     */
    int[] draw(long globalStep, int microBatch, int count) {
        int n = unlabeled.size();
        int[] out = new int[count];
        long position = (globalStep * microBatches + microBatch) * count;
        for (int i = 0; i < count; i++) {
            long p = position + i;
            long cycle = p / n;
            if (cycle != orderCycle) {
                order = EpochOrder.permutation(Seeds.mix(runSeed, "fixmatch-order", 0), (int) (cycle % Integer.MAX_VALUE), n);
                orderCycle = cycle;
            }
            out[i] = order[(int) (p % n)];
        }
        return out;
    }

    /**
     * The mean share of unlabeled images (or, with independent outputs, image-class pairs) that passed the threshold,
     * over the steps so far, sampled every {@value #MASK_EVERY} steps; NaN before the first.
     */
    public double meanMaskRate() {
        return maskBatches == 0 ? Double.NaN : maskSum / maskBatches;
    }
}
