package dev.hone.augment;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.HoneException;
import dev.hone.data.Normalization;
import dev.hone.loop.Seeds;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Applies an {@link AugmentationPolicy} to a normalised float32 NCHW batch, as batched tensor
 * operations on the batch's device.
 *
 * <p>Only the random parameters are drawn in Java, a handful of numbers per image; every pixel is
 * touched by the engine. Geometric steps run first, composed into one resampling in normalised
 * space (pixels from outside the image are black: the normalised value of pixel 0 per channel).
 * The other steps run in [0,1] pixel space, in {@link Transform} order: colour, noise and blur,
 * erasing last (to the dataset mean, 0 once normalised) so that the erased area stays a clean
 * blank. The result is normalised again.
 */
public final class Augmenter {
    private final float[] mean;
    private final float[] std;
    private final float[] blackNormalised;

    public Augmenter(Normalization norm) {
        this.mean = norm.mean().clone();
        this.std = norm.std().clone();
        this.blackNormalised = new float[mean.length];
        for (int c = 0; c < mean.length; c++) {
            blackNormalised[c] = -mean[c] / std[c];
        }
    }

    /**
     * Applies every step of the policy, in a fixed canonical order (geometric first, then colour,
     * noise/blur, erasing last), with per-sample random parameters drawn from a
     * {@link SplittableRandom} seeded by {@code seed} (one stream per transform, so adding a step
     * never changes another's draws). Returns a new array owned by x's manager; x is not modified.
     * Same seed + same input => bitwise-same output on the same device.
     *
     * @throws HoneException if x is not float32 NCHW with the normalisation's channel count, or the
     *     policy has a colour-only transform and the images are not three-channel
     */
    public NDArray apply(NDArray x, AugmentationPolicy policy, long seed) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(1) != mean.length || x.getDataType() != DataType.FLOAT32) {
            throw HoneException.of("cannot augment a " + x.getDataType() + " array of shape " + s, "Augmenter",
                    "pass normalised float32 images shaped (N, " + mean.length + ", H, W)");
        }
        Map<Transform, Double> geometric = new EnumMap<>(Transform.class);
        Map<Transform, Double> pixel = new EnumMap<>(Transform.class);
        for (AugmentationPolicy.Step step : policy.steps()) {
            Transform t = step.asTransform();
            if (t.colourOnly() && s.get(1) != 3) {
                throw HoneException.of(t.id() + " needs colour images, these have " + s.get(1) + " channel(s)",
                        "augmentation policy " + policy.describe(), "drop it; Transform.forChannels lists those that apply");
            }
            (t.kind() == Transform.Kind.GEOMETRIC ? geometric : pixel).put(t, step.magnitude());
        }
        if (geometric.isEmpty() && pixel.isEmpty()) {
            return x.duplicate();
        }
        NDManager owner = x.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            x.tempAttach(scratch); // every intermediate joins scratch and is freed with it; x goes back
            NDArray y = x;
            int n = (int) s.get(0), h = (int) s.get(2), w = (int) s.get(3);
            if (!geometric.isEmpty()) {
                y = GeometricOps.resample(y, GeometricOps.samplingMatrices(geometric, n, h, w, seed), blackNormalised);
            }
            if (!pixel.isEmpty()) {
                NDArray p = y.mul(channels(scratch, std)).add(channels(scratch, mean));
                for (Map.Entry<Transform, Double> step : pixel.entrySet()) {
                    p = pixelStep(p, step.getKey(), step.getValue(), seed);
                }
                // subtract then divide, so that the mean (an erased pixel) becomes exactly 0
                y = p.sub(channels(scratch, mean)).div(channels(scratch, std));
            }
            y.attach(owner);
            return y;
        }
    }

    /**
     * Moves per-pixel targets as {@link #apply} moved the images drawn with the same policy and seed:
     * the same geometric map, resampled by nearest neighbour, pixels from outside the image all zeros
     * (ignored). Colour, noise, blur and erasing leave targets as they are. Returns a new array owned by
     * y's manager.
     *
     * @param targets float32 (N, K, H, W) dense targets of the images {@link #apply} was given
     */
    public NDArray applyToTargets(NDArray targets, AugmentationPolicy policy, long seed) {
        Shape s = targets.getShape();
        Map<Transform, Double> geometric = new EnumMap<>(Transform.class);
        for (AugmentationPolicy.Step step : policy.steps()) {
            Transform t = step.asTransform();
            if (t.kind() == Transform.Kind.GEOMETRIC) {
                geometric.put(t, step.magnitude());
            }
        }
        if (geometric.isEmpty()) {
            return targets;
        }
        NDManager owner = targets.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            targets.tempAttach(scratch);
            int n = (int) s.get(0), h = (int) s.get(2), w = (int) s.get(3);
            NDArray y = GeometricOps.resampleNearest(targets, GeometricOps.samplingMatrices(geometric, n, h, w, seed));
            y.attach(owner);
            return y;
        }
    }

    /**
     * Moves boxes as {@link #apply} moved the images drawn with the same policy and seed: each box's four
     * corners go through the geometric map, the box is re-fitted to them and clipped to the image, and a
     * box less than {@value BoxAffine#MIN_VISIBLE} visible after clipping is dropped (its class becomes
     * -1, padding). Colour, noise, blur and erasing leave boxes as they are.
     *
     * @param boxes float32 (N, B, 6) rows {@code class, x1, y1, x2, y2, ignore} in pixels; class -1 is padding
     * @param height the images' height H in pixels
     * @param width the images' width W in pixels
     * @return a new (N, B, 6) array owned by {@code boxes}' manager, or {@code boxes} when no step is geometric
     */
    public NDArray applyToBoxes(NDArray boxes, AugmentationPolicy policy, long seed, int height, int width) {
        Map<Transform, Double> geometric = new EnumMap<>(Transform.class);
        for (AugmentationPolicy.Step step : policy.steps()) {
            Transform t = step.asTransform();
            if (t.kind() == Transform.Kind.GEOMETRIC) {
                geometric.put(t, step.magnitude());
            }
        }
        Shape s = boxes.getShape();
        if (geometric.isEmpty() || s.get(1) == 0) {
            return boxes;
        }
        int n = (int) s.get(0), b = (int) s.get(1);
        float[] moved = BoxAffine.move(boxes.toFloatArray(), n, b, GeometricOps.samplingMatrices(geometric, n, height, width, seed),
                height, width);
        return boxes.getManager().create(moved, s);
    }

    private NDArray pixelStep(NDArray p, Transform t, double magnitude, long seed) {
        Shape s = p.getShape();
        int n = (int) s.get(0);
        double a = t.amount(magnitude);
        SplittableRandom r = stream(seed, t);
        return switch (t) {
            case BRIGHTNESS -> ColourOps.brightness(p, factors(r, n, a));
            case CONTRAST -> ColourOps.contrast(p, factors(r, n, a));
            case SATURATION -> ColourOps.saturation(p, factors(r, n, a));
            case HUE -> ColourOps.hue(p, radians(r, n, a));
            case NOISE -> NoiseOps.gaussian(p, upTo(r, n, a), r.nextLong());
            case BLUR -> NoiseOps.blur(p, upTo(r, n, a));
            case ERASE -> {
                EraseBoxes boxes = EraseBoxes.draw(r, n, (int) s.get(2), (int) s.get(3), a);
                yield NoiseOps.erase(p, boxes.rowMask(), boxes.columnMask(), mean);
            }
            default -> throw new IllegalArgumentException(t + " is geometric");
        };
    }

    /** The random stream of one transform for one batch. */
    static SplittableRandom stream(long seed, Transform t) {
        return new SplittableRandom(Seeds.mix(seed, t.id(), 0));
    }

    /** Uniform in [-1, 1). */
    static double symmetric(SplittableRandom r) {
        return 2 * r.nextDouble() - 1;
    }

    private static float[] factors(SplittableRandom r, int n, double a) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (1 + symmetric(r) * a);
        }
        return f;
    }

    private static float[] radians(SplittableRandom r, int n, double degrees) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) Math.toRadians(symmetric(r) * degrees);
        }
        return f;
    }

    private static float[] upTo(SplittableRandom r, int n, double a) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (r.nextDouble() * a);
        }
        return f;
    }

    private static NDArray channels(NDManager m, float[] values) {
        return m.create(values, new Shape(1, values.length, 1, 1));
    }
}
