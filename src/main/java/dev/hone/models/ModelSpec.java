package dev.hone.models;

import dev.hone.core.HoneException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What network to train: a built-in architecture with its knobs, a user's TorchScript file, or a user's DJL
 * {@code BlockFactory}.
 *
 * <p>This is the parsed form of the {@code --model} flag; {@link ModelFactory} turns it into a DJL
 * {@code Model}. It is a plain value so it can go into the training record as it is.
 *
 * @param architecture canonical lowercase name (one of {@link ModelFactory#knownArchitectures()}),
 *     {@value #TORCHSCRIPT} for a user's file, or {@value #USER_BLOCK} for a user's block factory
 * @param width base channel width; 0 means the architecture's default
 * @param smallStem 3x3 stride-1 stem without the initial max-pool, for inputs such as 28x28 or 32x32
 * @param torchScript path of the TorchScript file, or null for a built-in architecture
 * @param batchNormMomentum BatchNorm momentum in DJL's convention (weight of the running value)
 * @param dropout rate of a dropout layer before the final linear layer, 0 for none; only built-in
 *     architectures have one ({@link ModelFactory#supportsDropout}). Records written before this field
 *     existed read it as 0, which is what those networks had.
 * @param stochasticDepth the last residual block's drop rate in training, 0 for none ({@link StochasticDepth}: the
 *     linear decay rule of Huang et al. 2016, arXiv:1603.09382); only built-in architectures with residual blocks take
 *     one ({@link ModelFactory#supportsStochasticDepth}). It adds no parameters; records written before this field
 *     existed read it as 0.
 * @param blockFactory the class name of the user's DJL {@code BlockFactory} that builds the network, or
 *     null for a built-in or TorchScript network ({@link UserBlocks})
 */
public record ModelSpec(
        String architecture, int width, boolean smallStem, String torchScript, float batchNormMomentum,
        double dropout, double stochasticDepth, String blockFactory) {

    /** Architecture name used for a user's TorchScript file. */
    public static final String TORCHSCRIPT = "torchscript";

    /** Architecture name used for a network built by a user's DJL {@code BlockFactory}. */
    public static final String USER_BLOCK = "block";

    /** DJL's and PyTorch's default (PyTorch writes it as momentum 0.1 for the new value). */
    public static final float DEFAULT_BATCH_NORM_MOMENTUM = 0.9f;

    private static final String[] TORCHSCRIPT_EXTENSIONS = {".pt", ".pth", ".torchscript"};

    /** Checks the values; a bad one is a programming error, not a user's, so no HoneException. */
    public ModelSpec {
        if (architecture == null || architecture.isBlank()) {
            throw new IllegalArgumentException("architecture is required");
        }
        if (width < 0) {
            throw new IllegalArgumentException("width must be >= 0 (0 = default): " + width);
        }
        if (!(batchNormMomentum > 0f && batchNormMomentum < 1f)) {
            throw new IllegalArgumentException("batchNormMomentum must be in (0, 1): " + batchNormMomentum);
        }
        if (TORCHSCRIPT.equals(architecture) != (torchScript != null)) {
            throw new IllegalArgumentException("a TorchScript path goes with architecture \"torchscript\"");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
        }
        if (!(stochasticDepth >= 0 && stochasticDepth < 1)) {
            throw new IllegalArgumentException("stochasticDepth must be in [0, 1): " + stochasticDepth);
        }
        if (USER_BLOCK.equals(architecture) != (blockFactory != null)) {
            throw new IllegalArgumentException("a BlockFactory class goes with architecture \"block\"");
        }
        if (dropout > 0 && (torchScript != null || blockFactory != null)) { // the fields are not assigned yet here
            // the record would claim a layer the user's network does not have
            throw new IllegalArgumentException("a user's network cannot get a dropout layer; check ModelFactory.supportsDropout first");
        }
        if (stochasticDepth > 0 && (torchScript != null || blockFactory != null)) {
            throw new IllegalArgumentException("a user's network cannot get stochastic depth; check"
                    + " ModelFactory.supportsStochasticDepth first");
        }
    }

    /** A spec without a user's block factory: a built-in architecture or a TorchScript file. */
    public ModelSpec(String architecture, int width, boolean smallStem, String torchScript, float batchNormMomentum,
            double dropout) {
        this(architecture, width, smallStem, torchScript, batchNormMomentum, dropout, 0, null);
    }

    /** A built-in architecture with default width, the standard stem and default momentum. */
    public static ModelSpec of(String architecture) {
        return new ModelSpec(architecture, 0, false, null, DEFAULT_BATCH_NORM_MOMENTUM, 0);
    }

    /**
     * A network built by a user's DJL {@code BlockFactory}, named by its class ({@link UserBlocks#register}).
     */
    public static ModelSpec ofUserBlock(String blockFactoryClass) {
        return new ModelSpec(USER_BLOCK, 0, false, null, DEFAULT_BATCH_NORM_MOMENTUM, 0, 0, blockFactoryClass);
    }

    /** A user's TorchScript file (not checked for existence here; {@link #parse} does). */
    public static ModelSpec ofTorchScript(Path file) {
        return new ModelSpec(TORCHSCRIPT, 0, false, file.toString(), DEFAULT_BATCH_NORM_MOMENTUM, 0);
    }

    /**
     * Parses the {@code --model} flag: a built-in name (case-insensitive, dashes and underscores
     * ignored: "ResNet-18" and "resnet_18" mean resnet18, "UNet_ResNet18" means unet-resnet18) or the path of a TorchScript file ending in .pt, .pth or .torchscript.
     *
     * @throws HoneException for an unknown name or a TorchScript file that does not exist
     */
    public static ModelSpec parse(String modelFlag) {
        if (modelFlag == null || modelFlag.isBlank()) {
            throw HoneException.of("No model given", "--model",
                    "pass one of " + ModelFactory.knownArchitectures() + " or a TorchScript file path");
        }
        String flag = modelFlag.strip();
        if (looksLikeTorchScript(flag)) {
            Path file = Path.of(flag);
            if (!Files.isRegularFile(file)) {
                throw HoneException.of("TorchScript file not found", file.toAbsolutePath(),
                        "check the path, or export the model with torch.jit.script(model).save(path)");
            }
            return ofTorchScript(file);
        }
        String name = canonical(flag);
        for (String known : ModelFactory.knownArchitectures()) {
            if (canonical(known).equals(name)) {
                return of(known);
            }
        }
        throw new HoneException("unknown model \"" + flag + "\" given to --model. Fix: use one of "
                + String.join(", ", ModelFactory.knownArchitectures()) + ", or the path of a TorchScript file (.pt, .pth, .torchscript)");
    }

    /** True when this spec names a user's TorchScript file. */
    /** Not named isTorchScript: Jackson would read that as a boolean property clashing with {@code torchScript}. */
    public boolean usesTorchScript() {
        return torchScript != null;
    }

    /** True when a user's {@code BlockFactory} builds the network. */
    public boolean usesUserBlock() {
        return blockFactory != null;
    }

    /**
     * True for a network whose layers are the user's (TorchScript or a user's block): hone adds no dropout,
     * swaps no stem and sets no BatchNorm momentum in it.
     */
    public boolean fixedLayers() {
        return torchScript != null || blockFactory != null;
    }

    /** The name to show for the network: the architecture, the TorchScript file, or the block factory class. */
    public String displayName() {
        return torchScript != null ? torchScript : blockFactory != null ? blockFactory : architecture;
    }

    /** The same spec with another base width (0 = default). */
    public ModelSpec withWidth(int newWidth) {
        return new ModelSpec(architecture, newWidth, smallStem, torchScript, batchNormMomentum, dropout, stochasticDepth, blockFactory);
    }

    /** The same spec with or without the small-input stem. */
    public ModelSpec withSmallStem(boolean small) {
        return new ModelSpec(architecture, width, small, torchScript, batchNormMomentum, dropout, stochasticDepth, blockFactory);
    }

    /** The same spec with another BatchNorm momentum (DJL convention). */
    public ModelSpec withBatchNormMomentum(float momentum) {
        return new ModelSpec(architecture, width, smallStem, torchScript, momentum, dropout, stochasticDepth, blockFactory);
    }

    /**
     * The same spec with another dropout rate before the classifier (0 = none).
     *
     * @throws IllegalArgumentException for a rate outside [0, 1), or a rate above 0 on a TorchScript spec
     */
    public ModelSpec withDropout(double rate) {
        return new ModelSpec(architecture, width, smallStem, torchScript, batchNormMomentum, rate, stochasticDepth, blockFactory);
    }

    /**
     * The same spec with another final drop rate of stochastic depth (0 = none).
     *
     * @throws IllegalArgumentException for a rate outside [0, 1), or a rate above 0 on a user's network
     */
    public ModelSpec withStochasticDepth(double rate) {
        return new ModelSpec(architecture, width, smallStem, torchScript, batchNormMomentum, dropout, rate, blockFactory);
    }

    /** Lowercase without dashes and underscores: "ResNet-18", "resnet_18" and "resnet18" are one name. */
    private static String canonical(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Whether a {@code --model} value names a TorchScript file by its extension (.pt, .pth, .torchscript). */
    public static boolean looksLikeTorchScript(String flag) {
        String lower = flag.toLowerCase(Locale.ROOT);
        for (String ext : TORCHSCRIPT_EXTENSIONS) {
            if (lower.endsWith(ext)) {
                return true;
            }
        }
        return false;
    }
}
