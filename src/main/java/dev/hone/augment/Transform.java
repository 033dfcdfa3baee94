package dev.hone.augment;

import dev.hone.core.HoneException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The augmentations hone can apply, each with a magnitude in [0,1] mapped to its natural range.
 *
 * <p>The ranges live here, in one place. At magnitude 1 each is strong but leaves the image
 * recognisable, in the spirit of RandAugment's shared magnitude scale (arXiv:1909.13719): one number
 * per transform that a learner can search. Every sample draws its own parameter uniformly inside
 * the range (sign included), so a magnitude is an upper bound, not a fixed strength. Declaration
 * order is the order {@link Augmenter} applies them in: geometric, colour, noise and blur, erasing.
 */
public enum Transform {
    /** Mirror left-right; the magnitude only switches it on (each image flipped with probability 1/2). */
    FLIP_HORIZONTAL(Kind.GEOMETRIC, 0),
    /** Mirror top-bottom, for data without an up (satellite, microscopy); on/off like the other flip. */
    FLIP_VERTICAL(Kind.GEOMETRIC, 0),
    /** Shift each axis by up to 25% of the side: beyond that a digit or object leaves the frame. */
    TRANSLATE(Kind.GEOMETRIC, 0.25),
    /**
     * Crop-with-padding, the CIFAR and ResNet recipe (arXiv:1512.03385, section 4.2): pad by up to
     * 12.5% of the side (4 pixels at 32) with black and crop back at a random offset, so each axis
     * shifts by a whole number of pixels, copied exactly.
     */
    CROP(Kind.GEOMETRIC, 0.125),
    /** Scale about the centre by a factor in [1-0.4m, 1+0.4m]: crop-and-resize in, shrink with a black border out. */
    ZOOM(Kind.GEOMETRIC, 0.4),
    /** Rotate about the centre by up to ±30°: beyond that 6 and 9, or M and W, start to meet. */
    ROTATE(Kind.GEOMETRIC, 30),
    /** Shear along x or y (chosen per image) by a factor up to ±0.3 (about ±17°), AutoAugment's limit. */
    SHEAR(Kind.GEOMETRIC, 0.3),
    /** Multiply pixel values by a factor in [1-0.5m, 1+0.5m], as torchvision's ColorJitter does. */
    BRIGHTNESS(Kind.COLOUR, 0.5),
    /** Blend with the image's mean grey by a factor in [1-0.5m, 1+0.5m] (below 1 flattens, above stretches). */
    CONTRAST(Kind.COLOUR, 0.5),
    /** Blend with the pixel's own grey by a factor in [1-m, 1+m]: at m=1 from greyscale to doubled saturation. */
    SATURATION(Kind.COLOUR, 1.0),
    /**
     * Rotate the chroma plane of YIQ by up to ±90°. A quarter turn, not torchvision's half: at ±180°
     * red and cyan become one class of colour, and magnitude 1 should stay plausible.
     */
    HUE(Kind.COLOUR, 90),
    /** Add Gaussian noise with a standard deviation up to 0.1 of the pixel range (25 grey levels). */
    NOISE(Kind.PIXEL, 0.1),
    /** Blend towards a Gaussian-blurred copy (binomial kernel) with a weight up to m. */
    BLUR(Kind.PIXEL, 1.0),
    /**
     * Random erasing / cutout (arXiv:1708.04896, arXiv:1708.04552): a rectangle of up to 40% of the
     * image, random aspect ratio and position, set to the dataset mean (0 once normalised).
     */
    ERASE(Kind.PIXEL, 0.4);

    /** Which stage of {@link Augmenter} runs a transform. */
    enum Kind { GEOMETRIC, COLOUR, PIXEL }

    private final Kind kind;
    private final double range;

    Transform(Kind kind, double range) {
        this.kind = kind;
        this.range = range;
    }

    /** Stable kebab-case name used in JSON and the report: {@code flip-horizontal}, {@code translate}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The transform named {@code id}; a {@link HoneException} naming the valid ids otherwise. */
    public static Transform fromId(String id) {
        for (Transform t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw HoneException.of("unknown augmentation '" + id + "'", "augmentation policy",
                "use one of " + Arrays.stream(values()).map(Transform::id).collect(Collectors.joining(", ")));
    }

    /** Whether the transform needs colour (three channels): saturation and hue. */
    public boolean colourOnly() {
        return this == SATURATION || this == HUE;
    }

    /** False for the flips, whose magnitude only switches them on. */
    public boolean hasMagnitude() {
        return range > 0;
    }

    /** The largest parameter at {@code magnitude}, in the transform's natural unit (see each constant). */
    public double amount(double magnitude) {
        return range * magnitude;
    }

    Kind kind() {
        return kind;
    }

    /** The range at {@code magnitude} in words, e.g. "rotate up to ±30°". */
    public String describe(double magnitude) {
        double a = amount(magnitude);
        return switch (this) {
            case FLIP_HORIZONTAL -> magnitude > 0 ? "flip half the images left-right" : "no horizontal flip";
            case FLIP_VERTICAL -> magnitude > 0 ? "flip half the images top-bottom" : "no vertical flip";
            case TRANSLATE -> String.format(Locale.ROOT, "translate up to %.0f%% of the side", 100 * a);
            case CROP -> String.format(Locale.ROOT, "pad by up to %.1f%% of the side and crop back", 100 * a);
            case ZOOM -> String.format(Locale.ROOT, "zoom by x%.2f to x%.2f", 1 - a, 1 + a);
            case ROTATE -> String.format(Locale.ROOT, "rotate up to ±%.0f°", a);
            case SHEAR -> String.format(Locale.ROOT, "shear up to ±%.2f", a);
            case BRIGHTNESS -> String.format(Locale.ROOT, "brightness x%.2f to x%.2f", 1 - a, 1 + a);
            case CONTRAST -> String.format(Locale.ROOT, "contrast x%.2f to x%.2f", 1 - a, 1 + a);
            case SATURATION -> String.format(Locale.ROOT, "saturation x%.2f to x%.2f", 1 - a, 1 + a);
            case HUE -> String.format(Locale.ROOT, "hue shift up to ±%.0f°", a);
            case NOISE -> String.format(Locale.ROOT, "Gaussian noise with sigma up to %.3f of the pixel range", a);
            case BLUR -> String.format(Locale.ROOT, "blend up to %.0f%% towards a blurred copy", 100 * a);
            case ERASE -> String.format(Locale.ROOT, "erase a rectangle of up to %.0f%% of the image", 100 * a);
        };
    }

    /** The transforms that apply to images with {@code channels} channels: colour-only ones need 3. */
    public static List<Transform> forChannels(int channels) {
        return Arrays.stream(values()).filter(t -> channels == 3 || !t.colourOnly()).toList();
    }
}
