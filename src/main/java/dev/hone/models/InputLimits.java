package dev.hone.models;

import dev.hone.core.HoneException;
import java.util.List;

/**
 * The smallest image each built-in architecture accepts, derived from its downsampling layers.
 *
 * <p>A convolution or pooling window of size k, stride s and padding p maps a side of n pixels to
 * {@code floor((n + 2p - k) / s) + 1} and fails when {@code n + 2p < k} (PyTorch: "Output size is too
 * small"). 3x3 convolutions with padding 1 never fail, so only the unpadded poolings limit the
 * input: resnet9's two 2x2 max-pools need 4 pixels (3 becomes 1 after the first, and the second has
 * nothing to pool). The segmentation networks ({@link UNet}) pad their input to a multiple of their
 * bottom stride and crop the logits back, so they accept every side. Checking this before anything is written turns a stack trace from deep inside
 * the first forward pass into a message that says what to do.
 *
 * <p>{@code ArchitecturesTest} runs every architecture at exactly its minimum and resnet9 one pixel
 * below it, so these tables cannot drift from the networks unnoticed.
 */
public final class InputLimits {

    /** One downsampling window: {@code kernel x kernel}, stride and padding on each side. */
    record Window(int kernel, int stride, int padding) {
        /** The side after this window, or 0 when the window does not fit. */
        int apply(int side) {
            return side + 2 * padding < kernel ? 0 : (side + 2 * padding - kernel) / stride + 1;
        }
    }

    private static final Window CONV3_S2 = new Window(3, 2, 1);
    private static final Window CONV3_S1 = new Window(3, 1, 1);

    private InputLimits() {}

    /** The windows that shrink the input, in order; stride-1 padded 3x3 convolutions are left out. */
    static List<Window> windows(ModelSpec spec) {
        switch (spec.architecture()) {
            case "resnet9":
                return List.of(new Window(2, 2, 0), new Window(2, 2, 0));
            case "resnet18", "resnet34", "resnet50":
                return spec.smallStem()
                        ? List.of(CONV3_S1, CONV3_S2, CONV3_S2, CONV3_S2)
                        : List.of(new Window(7, 2, 3), new Window(3, 2, 1), CONV3_S2, CONV3_S2, CONV3_S2);
            case "resnet20", "resnet56":
                return List.of(CONV3_S2, CONV3_S2);
            case "mobilenetv2":
                return List.of(spec.smallStem() ? CONV3_S1 : CONV3_S2, CONV3_S2, CONV3_S2, CONV3_S2, CONV3_S2);
            case "unet", "unet-resnet18", "unet-resnet34", "centernet-resnet18", "centernet-resnet34", "centernet-resnet50":
                return List.of(); // pads its input to a multiple of its bottom stride, so any side fits
            default:
                return List.of(); // a TorchScript network: its own first forward pass is the check
        }
    }

    /**
     * The smallest height (and width) the spec's network accepts, in pixels; 1 for a TorchScript
     * file, which hone cannot inspect (its loader runs a forward pass instead).
     */
    public static int minimumSide(ModelSpec spec) {
        List<Window> windows = windows(spec);
        for (int side = 1; side <= 4096; side++) {
            if (fits(windows, side)) {
                return side;
            }
        }
        throw new IllegalStateException("no input side up to 4096 fits " + spec);
    }

    private static boolean fits(List<Window> windows, int side) {
        int n = side;
        for (Window w : windows) {
            n = w.apply(n);
            if (n < 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * Refuses images smaller than the network accepts, before anything is written.
     *
     * @param data where the images come from, for the message (the {@code --data} value)
     * @throws HoneException naming the data, the image size, the minimum and what to do
     */
    public static void check(ModelSpec spec, int height, int width, String data) {
        int min = minimumSide(spec);
        if (height >= min && width >= min) {
            return;
        }
        String others = String.join(", ", accepting(spec, Math.min(height, width)));
        throw new HoneException("the images of " + data + " are " + height + "x" + width + " pixels (height x width), but "
                + spec.architecture() + " needs at least " + min + "x" + min + ": its poolings would shrink them to nothing."
                + " Fix: resize the images to at least " + min + "x" + min + " before training (hone has no resize flag)"
                + (others.isEmpty() ? "" : ", or use --model " + others + ", which accept " + height + "x" + width));
    }

    /** The built-in architectures (standard stems) of the spec's kind that accept a side this small. */
    static List<String> accepting(ModelSpec spec, int side) {
        List<String> kind = switch (ModelFactory.headOf(spec)) {
            case PIXELS -> ModelFactory.segmentationArchitectures();
            case CENTRES -> ModelFactory.detectionArchitectures();
            case IMAGE -> ModelFactory.classificationArchitectures();
        };
        return kind.stream()
                .filter(a -> minimumSide(ModelSpec.of(a)) <= side)
                .toList();
    }
}
