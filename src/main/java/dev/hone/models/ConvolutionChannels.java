package dev.hone.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Finds the convolutions whose gradients PyTorch 2.7.1's CPU backward pass computes unreliably. oneDNN computes a
 * convolution in blocks of 16 channels on an AVX-512 machine (8 with its AVX2 kernels). The input gradient of a
 * convolution larger than 1x1, without groups, whose output channels are not a multiple of 16 then comes back with NaN
 * at random, and more rarely with wrong finite values (README, "Known platform fault"). Measured with DJL 0.35.1 on 2
 * threads, 20 to 30 tries per shape (docs/BENCHMARKS.md): 3, 4 and 8 output channels failed in up to 22 of 30 backward
 * passes, 12 and 24 at times, 16, 32 and 64 never; 1x1 and depthwise
 * convolutions never failed; the weight gradients were always finite. A unet at {@code --width 8} then diverged at every
 * learning rate, where width 16 trained. The fault is in PyTorch's native code, so hone warns before training, skips a
 * step whose gradient is not finite, and names this cause when such a network diverges.
 *
 * <p>The first convolution met (in the order of the block's children) is taken to read the images, whose gradient is never
 * computed, and is not counted.
 */
public final class ConvolutionChannels {
    /** Output channels of a convolution larger than 1x1 should be a multiple of this. */
    public static final int MULTIPLE = 16;

    /** The widest base width tried when looking for one that aligns a built-in architecture. */
    private static final int WIDEST = 1024;

    private ConvolutionChannels() {}

    /**
     * The misaligned convolutions of {@code block} and its children after the first, by kernel and output channels, with
     * their count: {@code "3x3 with 8 channels" -> 4}. Empty for a TorchScript network, whose layers DJL does not expose.
     */
    public static Map<String, Integer> misaligned(Block block) {
        Map<String, Integer> found = new TreeMap<>();
        List<Convolution> convolutions = BlockTree.ofType(block, Convolution.class);
        // the first reads the images: its output channels are the stem's, and it has no input gradient to get wrong
        for (Convolution conv : convolutions.subList(Math.min(1, convolutions.size()), convolutions.size())) {
            Shape kernel = conv.getKernelShape();
            if (kernel.size() > 1 && conv.getGroups() == 1 && conv.getFilters() % MULTIPLE != 0) {
                String key = kernelText(kernel) + " with " + conv.getFilters() + (conv.getFilters() == 1 ? " channel" : " channels");
                found.merge(key, 1, Integer::sum);
            }
        }
        return found;
    }

    private static String kernelText(Shape kernel) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < kernel.dimension(); i++) {
            s.append(i == 0 ? "" : "x").append(kernel.get(i));
        }
        return s.toString();
    }

    /**
     * What the misaligned convolutions are, for a message: "4 convolutions larger than 1x1 whose output channels are not
     * a multiple of 16 (3x3 with 8 channels: 4)".
     */
    static String describe(Map<String, Integer> found) {
        int total = found.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder s = new StringBuilder();
        found.forEach((k, n) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(": ").append(n));
        return total + (total == 1 ? " convolution" : " convolutions") + " larger than 1x1 whose output channels are not a"
                + " multiple of " + MULTIPLE + " (" + s + ")";
    }

    /**
     * The warning to log before training, or empty when every convolution is aligned.
     *
     * @param fix what to change ({@link #fix}), asked only when some convolution is misaligned
     */
    public static Optional<String> warning(Block block, Supplier<String> fix) {
        Map<String, Integer> found = misaligned(block);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the network has " + describe(found) + ": PyTorch's CPU convolution (oneDNN) returns NaN gradients"
                + " for those at random. hone skips such steps, but training may stall or diverge at any learning rate. Fix: "
                + fix.get());
    }

    /**
     * What aligns the network of {@code spec}: for a built-in architecture the narrowest base width, from its own up,
     * whose convolutions are all aligned (16 for {@code unet}, 64 for {@code unet-resnet18}, whose decoder ends at a quarter
     * of the width); for the user's own network, its layers.
     *
     * @param outputs the network's outputs, as {@link ModelFactory#create} is given them
     */
    public static String fix(ModelSpec spec, int outputs) {
        if (spec.usesUserBlock() || spec.usesTorchScript()) {
            return "give those layers a multiple of " + MULTIPLE + " output channels";
        }
        int from = Math.max(MULTIPLE, (spec.width() + MULTIPLE - 1) / MULTIPLE * MULTIPLE);
        for (int w = from; w <= WIDEST; w += MULTIPLE) {
            if (misaligned(ModelFactory.builtIn(spec.withWidth(w), outputs)).isEmpty()) {
                return "--width " + w + " (the narrowest width from " + from + " up that aligns every convolution of "
                        + spec.architecture() + "), or leave --width out for the default";
            }
        }
        return "leave --width out: the architecture's default width aligns its convolutions";
    }

    /**
     * The divergence advice for {@code block}, when it has misaligned convolutions; null when it has none.
     *
     * @param fix what to change ({@link #fix}), asked only when some convolution is misaligned
     */
    public static String divergenceNote(Block block, Supplier<String> fix) {
        Map<String, Integer> found = misaligned(block);
        if (found.isEmpty()) {
            return null;
        }
        return "the network has " + describe(found) + ", for which PyTorch's CPU convolution returns NaN gradients at random,"
                + " whatever the learning rate: " + fix.get();
    }
}
