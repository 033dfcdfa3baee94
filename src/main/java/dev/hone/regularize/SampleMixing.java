package dev.hone.regularize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.loop.Seeds;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * MixUp and CutMix behind one switch: each batch is mixed by at most one of them.
 *
 * <p>MixUp (Zhang et al. 2018, arXiv:1710.09412) trains on convex combinations of two images and of
 * their targets; CutMix (Yun et al. 2019, arXiv:1905.04899) pastes a box of one image into another
 * and mixes the targets by the box's share of the area. Both draw the weight lambda from
 * Beta(alpha, alpha) and pair each image with another of the same batch. Running both on one batch
 * would mix it twice, so they share this one technique (trait {@code MIXES_SAMPLES}): with probability
 * {@code probability} a batch is mixed, and when both alphas are above 0 a fair coin picks which, as
 * in the timm recipes that alternate them.
 *
 * <p>Both replace the inputs and the dense targets at {@link Event#BATCH_START}; the mixed tensors
 * belong to the batch's manager and end with the batch, so there is nothing to restore. Label
 * smoothing composes with the mixed targets (it is linear). Every draw of a batch comes from a
 * {@link SplittableRandom} seeded with {@code Seeds.mix(runSeed, "mix", globalStep)}, so a rerun, or a
 * resumed run, mixes each step the same way.
 *
 * <p>With a refinement share above 0 ({@link #withRefinement}), the last share of the run's optimizer
 * steps is left unmixed: the model trained on mixed images is refined on clean ones, closing the gap
 * between the mixed training distribution and the test images, as in He et al. 2019, "Data
 * Augmentation Revisited: Rethinking the Distribution Gap between Clean and Augmented Data"
 * (arXiv:1909.09148), and in YOLOX (Ge et al. 2021, arXiv:2107.08430), which turns MixUp off for its
 * last 15 of 300 epochs. The share is of the schedule ({@link TrainingView#scheduleStep()}), so a run whose steps are
 * re-planned mid-way still refines at its end, and a re-plan to more steps does not mix again.
 */
public final class SampleMixing implements Technique {
    private final double mixupAlpha;
    private final double cutmixAlpha;
    private final double probability;
    private final long runSeed;
    private final boolean spatialTargets;
    private final double refinementShare;

    public SampleMixing(double mixupAlpha, double cutmixAlpha, double probability, long runSeed) {
        this(mixupAlpha, cutmixAlpha, probability, runSeed, false);
    }

    /**
     * @param mixupAlpha Beta shape for MixUp; 0 turns MixUp off (0.2 to 0.4 on ImageNet in the paper)
     * @param cutmixAlpha Beta shape for CutMix; 0 turns CutMix off (1.0, a uniform lambda, in the paper)
     * @param probability the chance that a batch is mixed at all, in [0, 1]
     * @param runSeed the run's recorded seed
     * @param spatialTargets whether targets are per pixel (N, K, H, W): CutMix then pastes the box's
     *     targets with its pixels (a segmentation mask region) instead of mixing by area
     */
    public SampleMixing(double mixupAlpha, double cutmixAlpha, double probability, long runSeed, boolean spatialTargets) {
        this(mixupAlpha, cutmixAlpha, probability, runSeed, spatialTargets, 0);
    }

    private SampleMixing(double mixupAlpha, double cutmixAlpha, double probability, long runSeed, boolean spatialTargets,
            double refinementShare) {
        if (!(refinementShare >= 0 && refinementShare < 1)) {
            throw new IllegalArgumentException("sample-mixing refinement share must be in [0, 1): " + refinementShare);
        }
        this.refinementShare = refinementShare;
        this.spatialTargets = spatialTargets;
        if (!(mixupAlpha >= 0 && cutmixAlpha >= 0) || mixupAlpha + cutmixAlpha == 0) {
            throw new IllegalArgumentException("sample-mixing needs MixUp or CutMix: alphas must be >= 0 and one > 0, got mixup "
                    + mixupAlpha + ", cutmix " + cutmixAlpha);
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("sample-mixing probability must be in [0, 1]: " + probability);
        }
        this.mixupAlpha = mixupAlpha;
        this.cutmixAlpha = cutmixAlpha;
        this.probability = probability;
        this.runSeed = runSeed;
    }

    /**
     * This mixing, left off for the last {@code share} of the run's optimizer steps (the refinement on
     * clean images of He et al. 2019, arXiv:1909.09148).
     *
     * @param share a fraction of the steps in [0, 1); 0 mixes to the end
     * @throws IllegalArgumentException when {@code share} is outside [0, 1)
     */
    public SampleMixing withRefinement(double share) {
        return new SampleMixing(mixupAlpha, cutmixAlpha, probability, runSeed, spatialTargets, share);
    }

    /**
     * Whether the batch at {@code globalStep} of {@code totalSteps} falls in the unmixed refinement:
     * the steps from {@code ceil((1 - share) * totalSteps)} on.
     */
    public static boolean refining(long globalStep, long totalSteps, double share) {
        return share > 0 && globalStep >= Math.ceil((1 - share) * totalSteps - 1e-9);
    }

    /**
     * A box to paste, rows {@code y0..y1-1} and columns {@code x0..x1-1}, and the weight that the
     * receiving image keeps once the box is clipped to the image: {@code 1 - area / (H * W)}.
     */
    public record CutBox(int y0, int x0, int y1, int x1, double lambda) {
        public int area() {
            return (y1 - y0) * (x1 - x0);
        }
    }

    /**
     * How one batch is mixed.
     *
     * @param cutmix CutMix when true, MixUp otherwise
     * @param lambda the weight of each image's own content and target
     * @param partner image i is mixed with image {@code partner[i]} of the batch
     * @param box CutMix's box, null for MixUp
     */
    public record Mix(boolean cutmix, double lambda, int[] partner, CutBox box) {}

    /** {@code lambda * x + (1 - lambda) * partner}; the result belongs to {@code x}'s manager. */
    public static NDArray mixup(NDArray x, NDArray partner, float lambda) {
        try (NDArray theirs = partner.mul(1f - lambda)) {
            return x.mul(lambda).addi(theirs);
        }
    }

    /**
     * A box covering about {@code (1 - lambda)} of an {@code height x width} image, centred on a
     * uniformly drawn pixel and clipped to the image, as in the CutMix paper. Clipping shrinks the box,
     * so the returned lambda, the share of the image left untouched, is the one to mix targets with.
     */
    public static CutBox cutBox(int height, int width, double lambda, RandomGenerator rng) {
        double side = Math.sqrt(1 - lambda);
        int h = (int) Math.round(height * side);
        int w = (int) Math.round(width * side);
        int cy = rng.nextInt(height);
        int cx = rng.nextInt(width);
        int y0 = Math.max(0, cy - h / 2);
        int y1 = Math.min(height, cy - h / 2 + h);
        int x0 = Math.max(0, cx - w / 2);
        int x1 = Math.min(width, cx - w / 2 + w);
        if (y1 <= y0 || x1 <= x0) {
            y1 = y0;
            x1 = x0;
        }
        return new CutBox(y0, x0, y1, x1, 1 - (double) (y1 - y0) * (x1 - x0) / ((double) height * width));
    }

    /**
     * {@code x} with the box of each NCHW image replaced by the same box of its partner; the result
     * belongs to {@code x}'s manager and {@code x} is unchanged.
     */
    public static NDArray cutmix(NDArray x, NDArray partner, CutBox box) {
        NDArray out = x.duplicate();
        if (box.area() > 0) {
            NDIndex region = new NDIndex(":, :, {}:{}, {}:{}", box.y0(), box.y1(), box.x0(), box.x1());
            try (NDArray patch = partner.get(region)) {
                out.set(region, patch);
            }
        }
        return out;
    }

    /**
     * The draws for the batch at {@code globalStep}: whether it is mixed, how, lambda and the pairing;
     * null when this batch is left as it is.
     */
    public Mix plan(long globalStep, int batchSize, int height, int width) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(runSeed, "mix", globalStep));
        if (rng.nextDouble() >= probability) {
            return null;
        }
        boolean cutmix = mixupAlpha == 0 || (cutmixAlpha > 0 && rng.nextBoolean());
        double alpha = cutmix ? cutmixAlpha : mixupAlpha;
        double lambda = Beta.sample(alpha, alpha, rng);
        int[] partner = permutation(batchSize, rng);
        if (!cutmix) {
            return new Mix(false, lambda, partner, null);
        }
        CutBox box = cutBox(height, width, lambda, rng);
        return new Mix(true, box.lambda(), partner, box);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, RandomGenerator rng) {
        return dev.hone.core.Shuffle.permutation(n, rng);
    }

    @Override
    public String name() {
        return "sample-mixing";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BATCH_START && !refining(view.scheduleStep(), view.scheduleTotal(), refinementShare);
    }

    @Override
    public void apply(Event event, TrainingState state) {
        NDArray x = state.inputs();
        NDArray y = state.targets();
        Shape shape = x.getShape();
        // accumulated micro-batches share the step; give each its own draws (unchanged without accumulation)
        long draw = state.microBatch() == 0 ? state.globalStep() : dev.hone.loop.Seeds.mix(state.globalStep(), "micro-batch", state.microBatch());
        Mix mix = plan(draw, (int) shape.get(0), (int) shape.get(2), (int) shape.get(3));
        if (mix == null) {
            return;
        }
        NDManager batch = x.getManager();
        long[] order = new long[mix.partner().length];
        for (int i = 0; i < order.length; i++) {
            order[i] = mix.partner()[i];
        }
        try (NDArray index = batch.create(order);
                NDArray xPartner = x.get(new NDIndex("{}", index));
                NDArray yPartner = y.get(new NDIndex("{}", index))) {
            state.setInputs(mix.cutmix() ? cutmix(x, xPartner, mix.box()) : mixup(x, xPartner, (float) mix.lambda()));
            state.setTargets(mix.cutmix() && spatialTargets ? cutmix(y, yPartner, mix.box()) : mixup(y, yPartner, (float) mix.lambda()));
        }
    }

    @Override
    public Set<Trait> traits() {
        return Set.of(Trait.MIXES_SAMPLES, Trait.SOFTENS_TARGETS);
    }
}
