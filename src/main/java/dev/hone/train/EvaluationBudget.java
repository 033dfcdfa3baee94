package dev.hone.train;

import dev.hone.data.ImageSet;
import dev.hone.loop.EpochOrder;
import dev.hone.record.Decision;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The time a budgeted run has left for the work after training (the final choices on validation, the test pass, writing
 * the outputs), and the forward-only speed to size that work by. When training ran slower than planned (a machine that
 * another process started using), the work after it shrinks to what is left (issue 14: "when a phase overruns, later
 * phases shrink, and the record says so"): the final choices' candidates that do not fit are not compared, and the test
 * pass scores a seeded sample of as many test images as fit, drawn class by class where the classes allow, and at least
 * {@link #MIN_TESTED} where a pass over them fits the grace (never fewer than {@link #MIN_FLOOR}). Passes are cut only when they would
 * end more than {@link #GRACE} of the budget late, so that a run whose training ended on time is evaluated in full (the
 * pacer plans the work after training at the measured speed, and timing noise must not sample its test set). A run
 * without a budget has {@link #UNLIMITED} time.
 *
 * @param clock nanoseconds, as {@link System#nanoTime}
 * @param endNanos when the whole run must end, on {@code clock}
 * @param imagesPerSecond forward-only images per second (the budget pacer's: the median of the last validation passes)
 * @param outputSeconds seconds held back for writing the model, record and report
 * @param graceSeconds seconds the passes may run past {@code endNanos}: {@link #GRACE} of the budget
 */
record EvaluationBudget(LongSupplier clock, long endNanos, double imagesPerSecond, double outputSeconds, double graceSeconds) {
    /** No budget: every pass fits. */
    static final EvaluationBudget UNLIMITED = new EvaluationBudget(() -> 0, Long.MAX_VALUE, Double.POSITIVE_INFINITY, 0, 0);
    /**
     * Share of the budget the passes after training may run past it before they are cut: inside the +5% issue 14 allows a
     * slowed run, with room for writing the outputs.
     */
    static final double GRACE = 0.03;
    /**
     * Test images a shrunk test pass scores at the least where a pass over them fits the grace (all of them where there
     * are fewer): accuracy on 1,000 images has a standard error of at most 1.6 points.
     */
    static final int MIN_TESTED = 1000;
    /**
     * Test images a shrunk test pass scores at the least however slow the passes: a detector on a CPU predicts about 10
     * images a second, so 1,000 images would take 100 s past a deadline already spent.
     */
    static final int MIN_FLOOR = 100;

    /** Seconds left for passes before the outputs must be written, the grace included; negative once that is overrun. */
    double secondsLeft() {
        if (endNanos == Long.MAX_VALUE) {
            return Double.POSITIVE_INFINITY;
        }
        return (endNanos - clock.getAsLong()) / 1e9 - outputSeconds + graceSeconds;
    }

    /** The seconds {@code images} forward-only predictions take at the measured speed. */
    double seconds(long images) {
        return images / imagesPerSecond;
    }

    /** Whether predicting {@code images} still leaves time to predict {@code reservedImages} after them. */
    boolean affords(long images, long reservedImages) {
        return seconds(images + reservedImages) <= secondsLeft();
    }

    /**
     * Which test rows to score: all of them in order when their pass fits the time left, else a seeded sample of exactly
     * as many as fit but at least {@link #floor}, in ascending order: stratified by class ({@link Splits#stratified}) and
     * made exactly that size ({@link #exactly}); a plain seeded sample where a class has no test image.
     *
     * @param test the test set
     * @param passes forward passes per image (2 with test-time flips)
     * @param seed the run's seed
     */
    int[] testRows(ImageSet test, int passes, long seed) {
        int testImages = test.size();
        double left = secondsLeft();
        long fit = Double.isInfinite(left) ? testImages : (long) Math.floor(Math.max(0, left) * imagesPerSecond / passes);
        int n = (int) Math.max(floor(passes), fit);
        if (n >= testImages) {
            return java.util.stream.IntStream.range(0, testImages).toArray();
        }
        int[] held;
        try {
            held = Splits.stratified(test, (double) n / testImages, seed, "budget test sample").held();
        } catch (dev.hone.core.HoneException e) {
            held = new int[0]; // a class without test images: a plain seeded sample
        }
        return exactly(held, n, testImages, seed);
    }

    /**
     * {@code n} rows in ascending order: {@code held}'s where they are that many; a seeded choice of them where there are
     * more (one image of each of many classes); topped up with seeded others where there are fewer (classes of one image
     * are never held out).
     */
    static int[] exactly(int[] held, int n, int size, long seed) {
        java.util.LinkedHashSet<Integer> rows = new java.util.LinkedHashSet<>();
        int[] order = EpochOrder.permutation(seed, 3, held.length);
        for (int i = 0; i < held.length && rows.size() < n; i++) {
            rows.add(held[order[i]]);
        }
        for (int r : EpochOrder.permutation(seed, 4, size)) {
            if (rows.size() >= n) {
                break;
            }
            rows.add(r);
        }
        return rows.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * The fewest test images a shrunk pass scores: {@link #MIN_TESTED}, or as many as a pass over them takes in the grace
     * where that is fewer, but at least {@link #MIN_FLOOR}.
     */
    int floor(int passes) {
        double inGrace = Double.isInfinite(imagesPerSecond) ? MIN_TESTED : graceSeconds * imagesPerSecond / passes;
        return (int) Math.max(MIN_FLOOR, Math.min(MIN_TESTED, inGrace));
    }

    /**
     * The record of a test pass shrunk to {@code scored} of {@code testImages} images.
     *
     * @param testName what the test images are, e.g. "held-out test split of fashion-mnist"
     * @param separateTest whether they came from their own source, which {@code hone evaluate} can score in full later
     */
    Decision<Integer> shrunkTest(int scored, int testImages, int passes, String testName, boolean separateTest) {
        double left = Math.max(0, secondsLeft());
        return Decision.derived("test-evaluation", scored, "time left of the budget", String.format(Locale.ROOT,
                "the test pass did not fit the time left: %.0f s (the budget's %.0f%% grace included), where all %d images (%s)"
                        + " would have taken %.0f s at the measured %.0f images/s, so a seeded sample of %d of them, drawn"
                        + " class by class where the classes allow, was scored; the test figures are that sample's%s",
                left, 100 * GRACE, testImages, testName, seconds((long) testImages * passes), imagesPerSecond, scored,
                separateTest ? "; hone evaluate on the test data scores all of them" : ""),
                Map.of("scoredImages", scored, "testImages", testImages, "secondsLeft", left, "imagesPerSecond", imagesPerSecond));
    }
}
