package dev.hone.models;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;

/** Test helpers: a trainer like the real one, inference, one SGD step, weight snapshots. */
final class Nets {

    private Nets() {}

    static Trainer trainer(Model model, Shape batchShape) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(batchShape);
        return trainer;
    }

    /**
     * A trainer for a segmentation network: softmax cross-entropy over the class axis of its
     * {@code (N, K, H, W)} logits against per-pixel class distributions of the same shape.
     */
    static Trainer segmentationTrainer(Model model, Shape batchShape) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(new SoftmaxCrossEntropyLoss("pixels", 1, 1, false, true))
                .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build());
        Trainer trainer = model.newTrainer(config);
        trainer.initialize(batchShape);
        return trainer;
    }

    /** One segmentation training step towards the one-hot masks of {@code classes} (N, H, W int32). */
    static void segmentationStep(Trainer trainer, NDArray x, NDArray classes, int numClasses) {
        NDArray target = classes.oneHot(numClasses).transpose(0, 3, 1, 2);
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
            NDArray loss = trainer.getLoss().evaluate(new NDList(target), new NDList(out));
            collector.backward(loss);
        }
        trainer.step();
    }

    /** Inference-mode forward; the result is detached into {@code manager}. */
    static NDArray predict(Model model, NDManager manager, NDArray x) {
        NDArray out = model.getBlock()
                .forward(new ParameterStore(manager, false), new NDList(x), false)
                .singletonOrThrow();
        out.attach(manager);
        return out;
    }

    /** One training step on a batch with labels 0..n-1 mod classes; updates BatchNorm statistics too. */
    static void step(Trainer trainer, NDArray x, int numClasses) {
        NDManager manager = x.getManager();
        long n = x.getShape().get(0);
        NDArray y = manager.arange(0, (int) n).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .mod(numClasses);
        try (GradientCollector collector = trainer.newGradientCollector()) {
            NDArray out = trainer.forward(new NDList(x)).singletonOrThrow();
            NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(out));
            collector.backward(loss);
        }
        trainer.step();
    }

    static long trainableCount(Model model) {
        long count = 0;
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                count += p.getValue().getArray().size();
            }
        }
        return count;
    }

    static byte[] snapshot(Model model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelFactory.writeWeights(model, bytes);
        return bytes.toByteArray();
    }

    static void restore(Model model, byte[] snapshot) {
        ModelFactory.readWeights(model, new ByteArrayInputStream(snapshot));
    }
}
