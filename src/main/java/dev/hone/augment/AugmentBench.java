package dev.hone.augment;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import dev.hone.data.ImageSet;
import dev.hone.data.Normalization;
import dev.hone.loop.EpochOrder;
import dev.hone.loop.ResidentDataset;
import dev.hone.models.ModelFactory;
import dev.hone.models.ModelSpec;
import dev.hone.optimize.SgdNesterov;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What augmentation adds to a training step: resnet9 on 28x28 grey images, full steps (forward,
 * backward, optimizer, as {@code ThroughputProbe} times them) with no augmentation and with a heavy
 * policy, alternated in rounds so that machine noise hits both. Run by {@code tools/bench-augment.sh}.
 *
 * <p>Arguments: {@code [batch=128] [stepsPerRound=20] [rounds=3]}. The issue's target is at most 15%
 * on a CPU.
 */
public final class AugmentBench {
    /** Translate, zoom, rotate, flip, erase, brightness, contrast and noise at magnitude 0.5. */
    public static final AugmentationPolicy HEAVY = AugmentationPolicy.of(Transform.TRANSLATE, 0.5)
            .with(Transform.ZOOM, 0.5).with(Transform.ROTATE, 0.5).with(Transform.FLIP_HORIZONTAL, 0.5)
            .with(Transform.ERASE, 0.5).with(Transform.BRIGHTNESS, 0.5).with(Transform.CONTRAST, 0.5)
            .with(Transform.NOISE, 0.5);
    private static final int SIDE = 28;
    private static final int CLASSES = 10;

    private AugmentBench() {}

    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        ImageSet set = images(batch * 8);
        Normalization norm = Normalization.of(set);
        Augmenter augmenter = new Augmenter(norm);
        Loss loss = new SoftmaxCrossEntropyLoss("xent", 1f, -1, false, true);
        SgdNesterov optimizer = new SgdNesterov(0f, 0.9f, 5e-4f); // the weights need not move; the cost is what counts
        Engine.getInstance().setRandomSeed(1);
        try (Model model = ModelFactory.create(ModelSpec.of("resnet9"), new Shape(1, SIDE, SIDE), CLASSES);
                Trainer trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(optimizer));
                ResidentDataset data = new ResidentDataset(set, norm, Device.cpu())) {
            trainer.initialize(new Shape(1, 1, SIDE, SIDE));
            optimizer.bind(model.getBlock());
            int[] order = EpochOrder.permutation(1, 1, set.size());
            Stepper stepper = new Stepper(trainer, loss, data, order, batch, augmenter);
            System.out.printf(Locale.ROOT, "resnet9, %dx%dx1, batch %d, %s threads; heavy policy: %s%n", SIDE, SIDE, batch,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), HEAVY.describe());
            stepper.time(AugmentationPolicy.NONE, 2); // warm kernels and the allocator up
            stepper.time(HEAVY, 2);
            double plain = 0, augmented = 0, augmentOnly = 0;
            for (int r = 1; r <= rounds; r++) {
                double p = stepper.time(AugmentationPolicy.NONE, steps);
                double a = stepper.time(HEAVY, steps);
                double o = stepper.augmentOnly(steps);
                System.out.printf(Locale.ROOT, "round %d: step %.1f ms plain, %.1f ms augmented; augmentation alone %.1f ms%n",
                        r, p, a, o);
                plain += p / rounds;
                augmented += a / rounds;
                augmentOnly += o / rounds;
            }
            System.out.printf(Locale.ROOT, "mean step: %.1f ms plain, %.1f ms augmented: overhead %.1f%% "
                    + "(augmentation alone %.1f ms = %.1f%% of a plain step); target <= 15%%%n",
                    plain, augmented, 100 * (augmented / plain - 1), augmentOnly, 100 * augmentOnly / plain);
        }
    }

    /** Random grey images: content does not change the cost of a step. */
    private static ImageSet images(int n) {
        Random r = new Random(7);
        byte[] px = new byte[n * SIDE * SIDE];
        r.nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
        }
        List<String> names = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        return new ImageSet(px, labels, 1, SIDE, SIDE, names, i -> "random#" + i);
    }

    /** Runs timed training steps over the resident data, cycling through it. */
    private static final class Stepper {
        private final Trainer trainer;
        private final Loss loss;
        private final ResidentDataset data;
        private final int[] order;
        private final int batch;
        private final Augmenter augmenter;
        private long step;

        Stepper(Trainer trainer, Loss loss, ResidentDataset data, int[] order, int batch, Augmenter augmenter) {
            this.trainer = trainer;
            this.loss = loss;
            this.data = data;
            this.order = order;
            this.batch = batch;
            this.augmenter = augmenter;
        }

        private int from() {
            return (int) (step++ * batch % (data.size() - batch + 1));
        }

        /** Mean milliseconds of a full step with {@code policy} applied to each batch. */
        double time(AugmentationPolicy policy, int steps) {
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                int from = from();
                try (NDManager m = data.manager().newSubManager()) {
                    ResidentDataset.Batch b = data.batch(order, from, from + batch, m);
                    NDArray x = policy.isEmpty() ? b.images() : augmenter.apply(b.images(), policy, step);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
                        collector.backward(loss.evaluate(new NDList(data.targets(b)), new NDList(out)));
                    }
                    trainer.step();
                }
            }
            return (System.nanoTime() - start) / 1e6 / steps;
        }

        /** Mean milliseconds of the heavy augmentation alone, batch slicing excluded. */
        double augmentOnly(int steps) {
            double total = 0;
            for (int s = 0; s < steps; s++) {
                int from = from();
                try (NDManager m = data.manager().newSubManager()) {
                    NDArray x = data.batch(order, from, from + batch, m).images();
                    long start = System.nanoTime();
                    augmenter.apply(x, HEAVY, step).close(); // CPU ops are synchronous: nothing left to wait for
                    total += System.nanoTime() - start;
                }
            }
            return total / 1e6 / steps;
        }
    }
}
