package dev.hone.models;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.pytorch.engine.PtSymbolBlock;
import dev.hone.core.HoneException;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link ModelSpec} into a DJL {@link Model}, and saves and restores trained weights.
 *
 * <p>Built-in networks come back with their block set but not initialized: the trainer initializes
 * them with its own initializers and the real input shape. TorchScript files come back loaded with
 * trainable parameters and already checked against the input and class count.
 *
 * <p>Two ways to persist weights serve two needs. {@link #saveWeights}/{@link #load} write a model
 * directory for later use (DJL's {@code .params} file for built-ins, a plain TorchScript archive for
 * TorchScript models, so the user can load the fine-tuned file in PyTorch). {@link #writeWeights}/
 * {@link #readWeights} write a stream for per-epoch checkpoints and restore it into the same,
 * already initialized model object that a trainer is holding.
 */
public final class ModelFactory {

    /** File name prefix used in a model directory. */
    public static final String PREFIX = "model";

    private static final List<String> CLASSIFICATION = List.of(
            "resnet9", "resnet18", "resnet34", "resnet50", "resnet20", "resnet56", "mobilenetv2");

    private static final List<String> SEGMENTATION = List.of("unet", "unet-resnet18", "unet-resnet34");

    private static final List<String> DETECTION = List.of("centernet-resnet18", "centernet-resnet34", "centernet-resnet50");

    private static final List<String> KNOWN = concat(concat(CLASSIFICATION, SEGMENTATION), DETECTION);

    private static final List<String> SMALL_STEM = List.of(
            "resnet18", "resnet34", "resnet50", "mobilenetv2", "unet-resnet18", "unet-resnet34",
            "centernet-resnet18", "centernet-resnet34", "centernet-resnet50");

    /** What a network's output is, which decides the tasks it can train. */
    public enum Head {
        /** One row of K outputs per image, {@code (N, K)}: the classification tasks. */
        IMAGE,
        /** K logits per pixel at the input resolution, {@code (N, K, H, W)}: segmentation. */
        PIXELS,
        /** CenterNet's heatmaps, sizes and offsets at stride 4, {@code (N, K + 4, H/4, W/4)}: detection. */
        CENTRES
    }

    private ModelFactory() {}

    /**
     * The built-in architecture names accepted by {@link ModelSpec#parse}: the classifiers, then the
     * segmentation networks.
     */
    public static List<String> knownArchitectures() {
        return KNOWN;
    }

    /** The built-in networks that give one row of K outputs per image, {@code (N, K)}. */
    public static List<String> classificationArchitectures() {
        return CLASSIFICATION;
    }

    /** The built-in networks that give K logits per pixel at the input resolution, {@code (N, K, H, W)}. */
    public static List<String> segmentationArchitectures() {
        return SEGMENTATION;
    }

    /**
     * Whether the spec's network is dense: K logits per pixel, {@code (N, K, H, W)} for an
     * {@code (N, C, H, W)} input, rather than {@code (N, K)}. A TorchScript file counts as a classifier,
     * as its loader checks for an {@code (N, K)} output.
     */
    public static boolean isSegmentation(ModelSpec spec) {
        return SEGMENTATION.contains(spec.architecture());
    }

    /** The built-in detectors, CenterNet on ResNet encoders: {@code (N, K + 4, H/4, W/4)} outputs. */
    public static List<String> detectionArchitectures() {
        return DETECTION;
    }

    /** What the spec's network outputs; a TorchScript file counts as a classifier, as its loader checks. */
    public static Head headOf(ModelSpec spec) {
        return SEGMENTATION.contains(spec.architecture()) ? Head.PIXELS
                : DETECTION.contains(spec.architecture()) ? Head.CENTRES : Head.IMAGE;
    }

    /**
     * The detector for a {@code --model} flag: a ResNet name means CenterNet on that ResNet
     * ({@code resnet18} becomes {@code centernet-resnet18}, keeping width, stem, momentum and dropout); a
     * detector stays as it is.
     *
     * @throws HoneException for any other network, naming the detectors
     */
    public static ModelSpec detectorFor(ModelSpec spec) {
        if (DETECTION.contains(spec.architecture()) || spec.usesUserBlock()) {
            return spec;
        }
        String name = "centernet-" + spec.architecture();
        if (!spec.usesTorchScript() && DETECTION.contains(name)) {
            return new ModelSpec(name, spec.width(), spec.smallStem(), null, spec.batchNormMomentum(), spec.dropout(),
                    spec.stochasticDepth(), null);
        }
        throw new HoneException("--model " + (spec.usesTorchScript() ? spec.torchScript() : spec.architecture())
                + " cannot detect objects: detection trains CenterNet on a ResNet encoder. Fix: use --model resnet18, resnet34"
                + " or resnet50 (or their names " + String.join(", ", DETECTION) + ")");
    }

    /**
     * Refuses a network whose output does not fit the task: a segmentation task needs per-pixel logits,
     * every other task one row per image.
     *
     * @param segmentationTask whether the data are segmentation masks
     * @throws HoneException naming the model, what the task needs and the networks that give it
     */
    public static void checkFitsTask(ModelSpec spec, boolean segmentationTask) {
        checkFitsTask(spec, segmentationTask ? Head.PIXELS : Head.IMAGE);
    }

    /**
     * Refuses a network whose output is not what the task needs.
     *
     * @param needed the task's output kind
     * @throws HoneException naming the model, what the task needs and the networks that give it
     */
    public static void checkFitsTask(ModelSpec spec, Head needed) {
        Head head = headOf(spec);
        if (spec.usesUserBlock() || spec.usesTorchScript() && needed != Head.CENTRES || head == needed) {
            // a user's block is checked by its first forward pass (create with a Head)
            return;
        }
        if (needed == Head.CENTRES) {
            detectorFor(spec);
            return;
        }
        if (head == Head.CENTRES) {
            throw new HoneException("--model " + spec.architecture() + " is an object detector, but the data have "
                    + (needed == Head.PIXELS ? "per-pixel masks" : "one label per image") + ". Fix: use --model "
                    + String.join(", ", needed == Head.PIXELS ? SEGMENTATION : CLASSIFICATION));
        }
        boolean segmentationTask = needed == Head.PIXELS;
        String name = spec.usesTorchScript() ? "the TorchScript model " + spec.torchScript() : spec.architecture();
        if (segmentationTask) {
            throw new HoneException("--model " + name + " classifies whole images, but the data are segmentation"
                    + " masks, which need one prediction per pixel. Fix: use --model "
                    + String.join(", ", SEGMENTATION));
        }
        throw new HoneException("--model " + name + " is a segmentation network (one prediction per pixel), but the"
                + " data have one label per image. Fix: use --model " + String.join(", ", CLASSIFICATION)
                + ", or give per-pixel masks to train a segmentation model");
    }

    /**
     * Creates the model for a spec.
     *
     * @param spec what to build or load
     * @param inputChw input shape without batch: channels, height, width
     * @param numClasses size of the classification head (per pixel for a segmentation network)
     * @return a model whose block is set (built-ins: not yet initialized)
     * @throws HoneException if a TorchScript file cannot be loaded or has the wrong output size
     */
    public static Model create(ModelSpec spec, Shape inputChw, int numClasses) {
        return create(spec, inputChw, numClasses, (Boolean) null);
    }

    /**
     * As {@link #create(ModelSpec, Shape, int)}, checking that the network fits the task: a TorchScript
     * file must return {@code (1, K, H, W)} logits for a segmentation task and {@code (1, K)} otherwise;
     * a built-in must be of the task's kind ({@link #checkFitsTask}).
     *
     * @param segmentationTask whether the task needs per-pixel logits
     * @throws HoneException when it does not fit, naming the file or architecture and the fix
     */
    public static Model create(ModelSpec spec, Shape inputChw, int numClasses, boolean segmentationTask) {
        checkFitsTask(spec, segmentationTask);
        return create(spec, inputChw, numClasses, (Boolean) segmentationTask);
    }

    /**
     * As {@link #create(ModelSpec, Shape, int, boolean)} for any output kind.
     *
     * @param numClasses the head's channels: K (IMAGE, PIXELS) or K + 4 (CENTRES)
     */
    public static Model create(ModelSpec spec, Shape inputChw, int numClasses, Head head) {
        if (head != Head.CENTRES && !spec.usesUserBlock()) {
            return create(spec, inputChw, numClasses, head == Head.PIXELS);
        }
        checkFitsTask(spec, head);
        Model model = create(spec, inputChw, numClasses, (Boolean) null);
        if (spec.usesUserBlock()) {
            try {
                UserBlockCheck.run(model, spec, inputChw, numClasses, head);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
        }
        return model;
    }

    private static Model create(ModelSpec spec, Shape inputChw, int numClasses, Boolean dense) {
        if (inputChw.dimension() != 3) {
            throw new IllegalArgumentException("inputChw must be (C, H, W): " + inputChw);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1: " + numClasses);
        }
        if (spec.usesTorchScript()) {
            return TorchScriptModels.load(Path.of(spec.torchScript()), inputChw, numClasses, dense);
        }
        Model model = Model.newInstance(spec.architecture());
        try {
            model.setBlock(spec.usesUserBlock() ? UserBlocks.newBlock(spec.blockFactory(), model, null, inputChw, numClasses)
                    : block(spec, inputChw, numClasses));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * Whether the spec's network can get a dropout layer before its classifier: every built-in
     * architecture can (the segmentation networks get spatial dropout before their 1x1 classifier,
     * see {@link UNet}); a user's TorchScript network cannot, as hone does not edit its graph.
     */
    public static boolean supportsDropout(ModelSpec spec) {
        return !spec.fixedLayers();
    }

    /**
     * Whether the spec's network has residual blocks for stochastic depth ({@link StochasticDepth}) to drop: every
     * built-in architecture but the plain U-Net; not a user's network, whose layers hone does not edit.
     */
    public static boolean supportsStochasticDepth(ModelSpec spec) {
        return !spec.fixedLayers() && !"unet".equals(spec.architecture());
    }

    /**
     * Whether {@code --small-stem} changes the spec's network: ResNet-18/34/50, MobileNetV2 and the
     * U-Nets on ResNet-18/34 have a strided stem to swap. resnet9 and the CIFAR ResNets already start at stride 1, and hone does not
     * edit a TorchScript graph, so for them the flag would be recorded without being applied.
     */
    public static boolean supportsSmallStem(ModelSpec spec) {
        return SMALL_STEM.contains(spec.architecture());
    }

    /**
     * Applies the {@code --small-stem} flag, refusing it where it would change nothing.
     *
     * @throws HoneException for {@code --small-stem} (true) with an architecture that has no strided stem
     */
    public static ModelSpec withSmallStemFlag(ModelSpec spec, boolean smallStem) {
        if (smallStem && !supportsSmallStem(spec)) {
            String name = spec.usesTorchScript() ? "the TorchScript model " + spec.torchScript()
                    : spec.usesUserBlock() ? "the user's network " + spec.blockFactory() : spec.architecture();
            throw new HoneException("--small-stem has no effect on " + name + ": "
                    + (spec.fixedLayers() ? "hone does not change the layers of a TorchScript or user's network"
                            : spec.architecture() + " already starts at full resolution (stride 1, no stem pooling)")
                    + ". Fix: drop --small-stem, or use it with one of " + String.join(", ", SMALL_STEM));
        }
        return spec.withSmallStem(smallStem);
    }

    /**
     * Builds the (uninitialized) block of a built-in architecture: {@code (N, numClasses)} outputs for
     * the classifiers, {@code (N, numClasses, H, W)} logits for the segmentation networks.
     */
    public static Block block(ModelSpec spec, int numClasses) {
        if (spec.usesUserBlock()) {
            throw new IllegalArgumentException("a user's block needs the input shape: use block(spec, inputChw, numClasses)");
        }
        return block(spec, null, numClasses);
    }

    /**
     * Builds the (uninitialized) block of a built-in architecture or a user's {@code BlockFactory}
     * ({@link UserBlocks}).
     *
     * @param inputChw the input shape without batch (C, H, W); used by a user's factory only
     * @throws HoneException when a user's factory cannot be found or fails
     */
    public static Block block(ModelSpec spec, Shape inputChw, int numClasses) {
        return block(spec, inputChw, numClasses, null, null);
    }

    /**
     * As {@link #block(ModelSpec, Shape, int)}, handing a user's factory the DJL model and folder it builds for.
     *
     * @param model the model the block goes into, or null
     * @param modelPath the model folder being loaded, or null while training
     */
    public static Block block(ModelSpec spec, Shape inputChw, int numClasses, Model model, Path modelPath) {
        if (spec.usesUserBlock()) {
            return UserBlocks.newBlock(spec.blockFactory(), model, modelPath, inputChw, numClasses);
        }
        Block network = builtIn(spec, numClasses);
        if (spec.stochasticDepth() > 0) {
            StochasticDepth.apply(network, spec.stochasticDepth());
        }
        return network;
    }

    static Block builtIn(ModelSpec spec, int numClasses) {
        float m = spec.batchNormMomentum();
        int w = spec.width();
        double d = spec.dropout();
        switch (spec.architecture()) {
            case "resnet9": return Resnet9.build(w, numClasses, m, d);
            case "resnet18": return ResNetV1.build(18, w, spec.smallStem(), numClasses, m, d);
            case "resnet34": return ResNetV1.build(34, w, spec.smallStem(), numClasses, m, d);
            case "resnet50": return ResNetV1.build(50, w, spec.smallStem(), numClasses, m, d);
            case "resnet20": return CifarResNet.build(20, w, numClasses, m, d);
            case "resnet56": return CifarResNet.build(56, w, numClasses, m, d);
            case "mobilenetv2": return MobileNetV2.build(w, spec.smallStem(), numClasses, m, d);
            case "unet": return UNet.build(w, numClasses, m, d);
            case "unet-resnet18": return UNet.onResNet(18, w, spec.smallStem(), numClasses, m, d);
            case "unet-resnet34": return UNet.onResNet(34, w, spec.smallStem(), numClasses, m, d);
            case "centernet-resnet18": return UNet.centerNet(18, w, spec.smallStem(), numClasses - CenterNetHead.BOX_CHANNELS, m, d);
            case "centernet-resnet34": return UNet.centerNet(34, w, spec.smallStem(), numClasses - CenterNetHead.BOX_CHANNELS, m, d);
            case "centernet-resnet50": return UNet.centerNet(50, w, spec.smallStem(), numClasses - CenterNetHead.BOX_CHANNELS, m, d);
            default:
                throw HoneException.of("Unknown architecture \"" + spec.architecture() + "\"", "model spec",
                        "use one of " + String.join(", ", KNOWN) + ", or a TorchScript file");
        }
    }

    /**
     * Saves trained weights (BatchNorm running statistics included) into a model directory.
     *
     * @throws UncheckedIOException if the directory cannot be written
     */
    public static void saveWeights(Model model, Path dir) {
        try {
            Files.createDirectories(dir);
            if (model.getBlock() instanceof PtSymbolBlock) {
                try (OutputStream out = new BufferedOutputStream(
                        Files.newOutputStream(dir.resolve(PREFIX + ".pt")))) {
                    TorchScriptModels.saveModule(model, out);
                }
            } else {
                model.save(dir, PREFIX);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not save model weights to " + dir, e);
        }
    }

    /**
     * Creates a fresh model for a spec and loads the weights saved by {@link #saveWeights}.
     *
     * @throws HoneException if the directory holds no weights or they do not fit the spec
     */
    public static Model load(ModelSpec spec, Shape inputChw, int numClasses, Path dir) {
        if (spec.usesTorchScript()) {
            Path file = dir.resolve(PREFIX + ".pt");
            if (!Files.isRegularFile(file)) {
                throw HoneException.of("No saved TorchScript model", file.toAbsolutePath(),
                        "point at the directory hone saved the trained model in");
            }
            return TorchScriptModels.load(file, inputChw, numClasses);
        }
        Model model = create(spec, inputChw, numClasses);
        try {
            model.load(dir, PREFIX);
            return model;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new HoneException("Could not load " + spec.displayName() + " weights from "
                    + dir.toAbsolutePath() + " (" + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                    + "). Fix: point at the directory hone saved the model in, and use the same architecture, width and class"
                    + " count; if it is that folder, its weights file (" + PREFIX + "-0000.params) may be damaged: copy it"
                    + " again from the run", e);
        }
    }

    /**
     * Writes the model's current weights to a stream (for checkpoints). The stream is not closed.
     *
     * @throws UncheckedIOException if writing fails
     */
    public static void writeWeights(Model model, OutputStream out) {
        try {
            DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
            Weights.write(model, data);
            data.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write model weights", e);
        }
    }

    /**
     * Restores weights written by {@link #writeWeights} into this same, initialized model, so that a
     * trainer already holding its parameters continues with the restored values. Reads exactly what
     * was written, without read-ahead, so pass a buffered stream; the stream is not closed.
     *
     * @throws HoneException if the weights do not belong to this model
     */
    public static void readWeights(Model model, InputStream in) {
        try {
            Weights.read(model, new DataInputStream(in));
        } catch (IOException | MalformedModelException e) {
            throw new HoneException("Checkpoint does not fit the model " + model.getName() + " ("
                    + e.getMessage() + "). Fix: resume with the same architecture, width and classes,"
                    + " or start without the checkpoint", e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
