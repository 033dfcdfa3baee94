package dev.hone.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.hone.augment.AugmentationPolicy;
import dev.hone.augment.Augmenter;
import dev.hone.augment.Transform;
import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.data.Normalization;
import dev.hone.loop.Seeds;
import java.util.List;
import java.util.Locale;

/**
 * Self-supervised pretraining of the encoder as a training technique: each batch of N unlabeled images becomes two
 * augmented views of each, one forward pass of 2N images, and the loss is that of the two views' outputs alone, the
 * images' labels never read: NT-Xent ({@link NtXent}, SimCLR, Chen et al. 2020, arXiv:2002.05709) or redundancy
 * reduction ({@link BarlowTwins}, Zbontar et al. 2021, arXiv:2103.03230).
 *
 * <p>The network is the architecture itself with {@link #EMBEDDING} outputs: its last linear layer is the projection
 * head g, and the features it projects are the representation h that is kept; the layer is dropped when the encoder is
 * fine-tuned on the labels. hone's departures, stated:
 * <ul>
 *   <li>the projection head is one linear layer, not the papers' MLP (SimCLR's section 4.2 measured a linear head about
 *       3 points below a non-linear one and 10 above none), so that the network trained is the architecture the user
 *       gave;</li>
 *   <li>the views are {@link #VIEW}: shift, zoom, small rotation, brightness, contrast and blur at random magnitudes per
 *       image, the papers' crop and colour distortion for hone's ops, without flips, which can change a label;</li>
 *   <li>the batch is the plan's (two views each), not 4,096, and Barlow Twins' output is 128 wide, not 8,192, for 2-core
 *       budgets.</li>
 * </ul>
 * The loop's own loss on the batch's (unused) labels is computed on the first view's outputs and replaced at
 * {@link Event#AFTER_LOSS}: gradients come from the self-supervised loss alone. Its training accuracy means nothing.
 */
public final class SelfSupervisedPretraining implements Technique {
    /** The self-supervised losses, by their {@code --ssl} names. */
    public enum Method {
        SIMCLR("simclr"),
        BARLOW_TWINS("barlow-twins");

        private final String cliName;

        Method(String cliName) {
            this.cliName = cliName;
        }

        /** The method's {@code --ssl} name. */
        public String cliName() {
            return cliName;
        }

        /** The method called {@code name} ({@code simclr} or {@code barlow-twins}), or null. */
        public static Method of(String name) {
            for (Method m : values()) {
                if (m.cliName.equals(name)) {
                    return m;
                }
            }
            return null;
        }

        /** The {@code --ssl} names. */
        public static List<String> names() {
            return java.util.Arrays.stream(values()).map(Method::cliName).toList();
        }
    }

    /** The projection's width: SimCLR's 128. */
    public static final int EMBEDDING = 128;

    /** Each view's augmentation, every step at a random magnitude per image up to the given one. */
    public static final AugmentationPolicy VIEW = AugmentationPolicy.of(Transform.TRANSLATE, 0.75).with(Transform.ZOOM, 0.75)
            .with(Transform.ROTATE, 0.5).with(Transform.BRIGHTNESS, 0.8).with(Transform.CONTRAST, 0.8).with(Transform.BLUR, 0.5);

    private final Method method;
    private final Augmenter augmenter;
    private final long runSeed;
    private NDArray embeddings;
    private int images;

    /**
     * @param method the self-supervised loss
     * @param norm the normalisation the images were made with, which the augmentation ops undo and redo
     * @param runSeed the views follow from it and the global step, so a seed gives the same pretraining
     */
    public SelfSupervisedPretraining(Method method, Normalization norm, long runSeed) {
        this.method = method;
        this.augmenter = new Augmenter(norm);
        this.runSeed = runSeed;
    }

    /** The loss's settings for the record: the method, its temperature or lambda, the embedding's width and the views. */
    public static java.util.Map<String, Object> settings(Method method) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("method", method.cliName());
        if (method == Method.SIMCLR) {
            m.put("temperature", Double.parseDouble(Float.toString(NtXent.PAPER_TEMPERATURE)));
        } else {
            m.put("lambda", Double.parseDouble(Float.toString(BarlowTwins.PAPER_LAMBDA))); // 0.005, not its float's 0.00499...
        }
        m.put("embedding", EMBEDDING);
        m.put("views", VIEW.describe());
        return m;
    }

    /** The paper each method follows, for the record. */
    public static String source(Method method) {
        return method == Method.SIMCLR ? "SimCLR (Chen et al. 2020, arXiv:2002.05709), loss NT-Xent at temperature "
                + String.format(Locale.ROOT, "%.1f", NtXent.PAPER_TEMPERATURE)
                : "Barlow Twins (Zbontar et al. 2021, arXiv:2103.03230), lambda " + BarlowTwins.PAPER_LAMBDA;
    }

    @Override
    public String name() {
        return method.cliName();
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BATCH_START || event == Event.BEFORE_LOSS || event == Event.AFTER_LOSS;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        switch (event) {
            case BATCH_START -> twoViews(state);
            case BEFORE_LOSS -> {
                embeddings = state.outputs();
                state.setOutputs(embeddings.get(new NDIndex(":" + images)));
            }
            case AFTER_LOSS -> {
                NDArray z1 = embeddings.get(new NDIndex(":" + images));
                NDArray z2 = embeddings.get(new NDIndex(images + ":"));
                state.setLoss(method == Method.SIMCLR ? NtXent.loss(z1, z2, NtXent.PAPER_TEMPERATURE)
                        : BarlowTwins.loss(z1, z2, BarlowTwins.PAPER_LAMBDA));
                embeddings = null;
            }
            default -> { }
        }
    }

    private void twoViews(TrainingState state) {
        NDArray x = state.inputs();
        images = (int) x.getShape().get(0);
        long seed = Seeds.mix(Seeds.mix(runSeed, method.cliName(), state.globalStep()), "micro-batch", state.microBatch());
        NDArray first = augmenter.apply(x, VIEW, Seeds.mix(seed, "view", 1));
        NDArray second = augmenter.apply(x, VIEW, Seeds.mix(seed, "view", 2));
        state.setInputs(first.concat(second, 0));
    }
}
