package dev.hone.optimize;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import java.util.Locale;

/**
 * Progressive resizing: the early training steps see downscaled images, which cost a fraction of a full-size step, and
 * the last steps see them at full size, so a time budget buys more steps.
 *
 * <p>The idea is fast.ai's (Howard and Gugger, "Deep Learning for Coders with fastai and PyTorch", 2020, chapter 7);
 * the schedule follows MosaicML Composer's {@code ProgressiveResizing} and its defaults: the side is scaled by
 * {@link #INITIAL_SCALE} for the first {@link #DELAY_SHARE} of the schedule, grows linearly to full size by {@code 1 -}
 * {@link #FINETUNE_SHARE}, and stays full for the rest, in multiples of {@link #INCREMENT} pixels (of the network's side
 * multiple where it pads its input to a larger one: a U-Net's 8, a ResNet encoder's 32). The share is of the
 * schedule ({@link TrainingView#scheduleStep()} of {@link TrainingView#scheduleTotal()}), so a budgeted run whose steps are
 * re-planned still ends at full size. Unlike Composer's bilinear {@code resize} mode, the images are downscaled by area
 * averaging ({@code torch.nn.functional.interpolate(mode="area")}), which does not alias a small side. Per-pixel targets
 * (segmentation's one-hot maps, {@code (N, K, H, W)}) are area-averaged with them: a downscaled pixel's target is the
 * share of each class among the pixels it covers, and its weight in the loss the share of them that count (ignored
 * pixels' maps are all zeros), as fast.ai trains its U-Nets at half size first. Boxes ({@code (N, B, 6)}, detection's,
 * in pixels) are scaled with the image, and the loss draws its heatmaps from them at the smaller output size. Targets
 * without spatial extent (classification) are left as they are. Validation always runs at full size.
 *
 * <p>{@link #cost} is what a step at a fraction of the schedule costs relative to a full-size one, for the budget
 * planner and the pacer: its pixel share.
 */
public final class ProgressiveResizing implements Technique {
    /** The side's scale for the first {@link #DELAY_SHARE} of the schedule (Composer's {@code initial_scale}). */
    public static final double INITIAL_SCALE = 0.5;
    /** The share of the schedule trained at {@link #INITIAL_SCALE} (Composer's {@code delay_fraction}). */
    public static final double DELAY_SHARE = 0.5;
    /** The last share of the schedule trained at full size (Composer's {@code finetune_fraction}). */
    public static final double FINETUNE_SHARE = 0.2;
    /** Sides are multiples of this many pixels (Composer's {@code size_increment}). */
    public static final int INCREMENT = 4;

    private static final int AREA = Image.Interpolation.AREA.ordinal();
    /** The fields of a box row, {@code class, x1, y1, x2, y2, ignore} (the data's {@code ImageSet.BOX_FIELDS}). */
    private static final int BOX_FIELDS = 6;

    private final int fullHeight;
    private final int fullWidth;
    private final int increment;

    /** Sides in multiples of {@link #INCREMENT} pixels: for networks that take any size (classifiers pool globally). */
    public ProgressiveResizing(int fullHeight, int fullWidth) {
        this(fullHeight, fullWidth, INCREMENT);
    }

    /**
     * @param fullHeight the training images' height, pixels
     * @param fullWidth their width, pixels
     * @param sideMultiple the multiple the network pads its input sides up to (a U-Net's or CenterNet's bottom stride, e.g.
     *     8 or 32; 1 for a network that takes any size): sides move in multiples of it, at least {@link #INCREMENT}, so
     *     that no downscaled step pays for padding, and a step's cost is its pixel share
     * @throws IllegalArgumentException when a side or the multiple is below 1
     */
    public ProgressiveResizing(int fullHeight, int fullWidth, int sideMultiple) {
        if (fullHeight < 1 || fullWidth < 1 || sideMultiple < 1) {
            throw new IllegalArgumentException("progressive resizing needs a positive image size and side multiple, got "
                    + fullHeight + "x" + fullWidth + " and " + sideMultiple);
        }
        this.fullHeight = fullHeight;
        this.fullWidth = fullWidth;
        this.increment = Math.max(INCREMENT, sideMultiple);
    }

    /**
     * The side's scale at {@code fraction} of the schedule: {@link #INITIAL_SCALE} until {@link #DELAY_SHARE}, then linear
     * to 1 at {@code 1 - }{@link #FINETUNE_SHARE}, then 1.
     */
    public static double scale(double fraction) {
        double rampEnd = 1 - FINETUNE_SHARE;
        if (fraction <= DELAY_SHARE) {
            return INITIAL_SCALE;
        }
        if (fraction >= rampEnd) {
            return 1;
        }
        return INITIAL_SCALE + (1 - INITIAL_SCALE) * (fraction - DELAY_SHARE) / (rampEnd - DELAY_SHARE);
    }

    /**
     * {@code full * scale} rounded to the nearest multiple of {@link #INCREMENT}, at least one increment and at most
     * {@code full}; a side of at most one increment is never scaled.
     */
    public static int side(int full, double scale) {
        return side(full, scale, INCREMENT);
    }

    /** {@code full * scale} rounded to the nearest multiple of {@code increment}, as {@link #side(int, double)}. */
    public static int side(int full, double scale, int increment) {
        if (full <= increment) {
            return full;
        }
        int rounded = (int) Math.round(full * scale / increment) * increment;
        return Math.max(increment, Math.min(full, rounded));
    }

    /** The training images' height at {@code fraction} of the schedule, pixels. */
    public int height(double fraction) {
        return side(fullHeight, scale(fraction), increment);
    }

    /** Their width at {@code fraction} of the schedule, pixels. */
    public int width(double fraction) {
        return side(fullWidth, scale(fraction), increment);
    }

    /** Sides are multiples of this many pixels: {@link #INCREMENT}, or the network's larger side multiple. */
    public int increment() {
        return increment;
    }

    /**
     * A step's cost at {@code fraction} of the schedule, relative to a full-size step: its pixel share, in (0, 1]. No part of
     * a step's cost was measured not to shrink with the image: timed in PyTorch for resnet9 on 28x28 images, batch 64, 2
     * threads, 16x16 steps took 0.36 of a full step (0.33 of its pixels), 20x20 0.54 (0.51), 24x24 0.74 (0.73). In hone's
     * 30-minute W1 runs the 16x16 epochs ran at 0.30 to 0.35 of a full step on one day and 0.37 to 0.42 on the next
     * (docs/BENCHMARKS.md): no constant fits both. A fixed 6% share, from the first timing, made the pacer read the
     * full-size step 13% faster than it ran on the first day; the pixel share reads it up to 18% slower on the second.
     * The pacer measures steps of sizes within a factor {@link BudgetPacer#MAX_COST_RATIO} in cost at a time (one size
     * at a time for 28x28 images), so the error only sets how many steps it plans while the steps are small; it gives
     * them back once it measures full-size steps.
     */
    public double cost(double fraction) {
        return (double) height(fraction) * width(fraction) / ((double) fullHeight * fullWidth);
    }

    /** The mean of {@link #cost} over the whole schedule: the share of a full-size run's time its steps take. */
    public double meanCost() {
        int n = 1000;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += cost((i + 0.5) / n);
        }
        return sum / n;
    }

    /** Whether any step of the schedule is downscaled: false for images too small to scale. */
    public boolean resizes() {
        return height(0) < fullHeight || width(0) < fullWidth;
    }

    /** For the record: the sizes the schedule goes through, e.g. {@code "16x16 (width x height) for the first 50% ..."}. */
    public String describe() {
        return String.format(Locale.ROOT, "%dx%d (width x height) for the first %.0f%% of the steps, growing to the full %dx%d by"
                        + " %.0f%% and training at full size for the last %.0f%%: the steps take %.0f%% of full-size steps' time",
                width(0), height(0), 100 * DELAY_SHARE, fullWidth, fullHeight, 100 * (1 - FINETUNE_SHARE), 100 * FINETUNE_SHARE,
                100 * meanCost());
    }

    @Override
    public String name() {
        return "progressive-resizing";
    }

    @Override
    public boolean matches(Event event, TrainingView view) {
        return event == Event.BATCH_START && fraction(view) < 1 - FINETUNE_SHARE;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        double f = fraction(state.view());
        NDArray x = state.inputs();
        Shape s = x.getShape();
        int h = height(f);
        int w = width(f);
        if (s.get(2) != fullHeight || s.get(3) != fullWidth || (h == fullHeight && w == fullWidth)) {
            return; // a batch of another size (none today) is left as it is
        }
        state.setInputs(downscale(x, h, w));
        NDArray targets = state.targets();
        Shape t = targets == null ? null : targets.getShape();
        if (t != null && t.dimension() == 4 && t.get(2) == fullHeight && t.get(3) == fullWidth) {
            state.setTargets(downscale(targets, h, w));
        } else if (t != null && t.dimension() == 3 && t.get(2) == BOX_FIELDS) {
            state.setTargets(scaleBoxes(targets, (float) w / fullWidth, (float) h / fullHeight));
        }
    }

    /**
     * Boxes {@code (N, B, 6)}, rows {@code class, x1, y1, x2, y2, ignore} in pixels, with their corners scaled by
     * {@code sx} across and {@code sy} down, as the images they lie on are; the result belongs to {@code boxes}' manager.
     */
    public static NDArray scaleBoxes(NDArray boxes, float sx, float sy) {
        float[] factors = {1, sx, sy, sx, sy, 1};
        return boxes.mul(boxes.getManager().create(factors).reshape(1, 1, BOX_FIELDS));
    }

    /**
     * {@code (N, C, H, W)} images, or per-pixel targets {@code (N, K, H, W)}, area-averaged to {@code (N, C, height, width)};
     * the result belongs to {@code x}'s manager.
     */
    public static NDArray downscale(NDArray x, int height, int width) {
        return x.getNDArrayInternal().interpolation(new long[] {height, width}, AREA, false);
    }

    /** Where the schedule stands, as a share of its steps. */
    static double fraction(TrainingView view) {
        return view.scheduleTotal() <= 0 ? 1 : (double) view.scheduleStep() / view.scheduleTotal();
    }
}
