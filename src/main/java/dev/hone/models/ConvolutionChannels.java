package dev.hone.models;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Finds the convolutions for which PyTorch 2.7.1's CPU backward pass is unreliable. On an AVX-512 machine oneDNN
 * computes a convolution in blocks of 16 channels. The gradient of a convolution larger than 1x1 with input
 * gradients, no groups and output channels that are not a multiple of 16 then comes back NaN at random. Measured
 * with DJL 0.35.1 on 2 threads, 20 to 30 tries per shape: 8, 4 and 3 output channels failed in up to 25% of the
 * backward passes; 12 and 24 more rarely; 16, 32 and 64 never. 1x1 and depthwise convolutions never failed. A unet at
 * {@code --width 8} then diverged at every learning rate, where width 16 trained. The fault is in PyTorch's native
 * code, so hone's remedy is to warn before training, to skip a step whose gradient is not finite, and to name this
 * cause when such a network diverges.
 */
public final class ConvolutionChannels {
    /** Output channels of a convolution larger than 1x1 should be a multiple of this. */
    public static final int MULTIPLE = 16;

    private ConvolutionChannels() {}

    /**
     * The misaligned convolutions of {@code block} and its children, by kernel and output channels, with their count:
     * {@code "3x3 with 8 channels" -> 6}. Empty for a TorchScript network, whose layers DJL does not expose.
     */
    public static Map<String, Integer> misaligned(Block block) {
        Map<String, Integer> found = new TreeMap<>();
        collect(block, found);
        return found;
    }

    private static void collect(Block block, Map<String, Integer> found) {
        if (block instanceof Convolution conv) {
            Shape kernel = conv.getKernelShape();
            if (kernel.size() > 1 && conv.getGroups() == 1 && conv.getFilters() % MULTIPLE != 0) {
                String key = kernelText(kernel) + " with " + conv.getFilters() + (conv.getFilters() == 1 ? " channel" : " channels");
                found.merge(key, 1, Integer::sum);
            }
        }
        for (Block child : block.getChildren().values()) {
            collect(child, found);
        }
    }

    private static String kernelText(Shape kernel) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < kernel.dimension(); i++) {
            s.append(i == 0 ? "" : "x").append(kernel.get(i));
        }
        return s.toString();
    }

    /**
     * What the misaligned convolutions are, for a message: "6 convolutions larger than 1x1 whose output channels are not
     * a multiple of 16 (3x3 with 8 channels: 6)".
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
     * @param fix what to change: a width for a built-in architecture, the layers for a user's network
     */
    public static Optional<String> warning(Block block, String fix) {
        Map<String, Integer> found = misaligned(block);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("the network has " + describe(found) + ": PyTorch's CPU convolution (oneDNN) returns NaN gradients for those at random on AVX-512"
                + " machines. hone skips such steps, but training may stall or diverge at any learning rate. Fix: " + fix);
    }

    /** The fix for a network built by {@link ModelFactory}: a width that aligns it, or the user's layers. */
    public static String fix(ModelSpec spec) {
        return spec.usesUserBlock() ? "give those layers a multiple of " + MULTIPLE + " output channels"
                : "--width " + MULTIPLE + " or another multiple of " + MULTIPLE;
    }

    /**
     * The divergence advice for {@code block}: the convolutions to align when it has misaligned ones, else null.
     */
    public static String divergenceFix(Block block, ModelSpec spec) {
        Map<String, Integer> found = misaligned(block);
        if (found.isEmpty()) {
            return null;
        }
        return "the network has " + describe(found) + ", for which PyTorch's CPU convolution returns NaN gradients at random; no learning rate mends that. "
                + fix(spec);
    }
}
