package dev.hone.train;

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
 * pass scores a seeded sample of the test images, never fewer than {@link #MIN_TESTED}. Passes are cut only when they would
 * end more than {@link #GRACE} of the budget late, so that a run whose training ended on time is evaluated in full (the
 * pacer plans the work after training at the measured speed, and timing noise must not sample its test set). A run
 * without a budget has {@link #UNLIMITED} time.
 *
 * @param clock nanoseconds, as {@link System#nanoTime}
 * @param endNanos when the whole run must end, on {@code clock}
 * @param imagesPerSecond forward-only images per second (as the last validation pass measured them)
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
     * Fewest test images a shrunk test pass scores (all of them where there are fewer): accuracy on 1,000 images has a
     * standard error of at most 1.6 points, and costs a few seconds even on a machine twenty times slower than usual.
     */
    static final int MIN_TESTED = 1000;

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
     * Which test rows to score: all of them in order when their pass fits the time left, else a seeded sample of as many
     * as fit, at least {@link #MIN_TESTED}, in ascending order.
     *
     * @param testImages images in the test set
     * @param passes forward passes per image (2 with test-time flips)
     * @param seed the run's seed
     */
    int[] testRows(int testImages, int passes, long seed) {
        double left = secondsLeft();
        long fit = Double.isInfinite(left) ? testImages : (long) Math.floor(Math.max(0, left) * imagesPerSecond / passes);
        if (fit >= testImages || testImages <= MIN_TESTED) {
            return java.util.stream.IntStream.range(0, testImages).toArray();
        }
        int n = (int) Math.max(MIN_TESTED, fit);
        int[] rows = Arrays.copyOf(EpochOrder.permutation(seed, 3, testImages), n);
        Arrays.sort(rows);
        return rows;
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
                "training and validation ran slower than planned: %.0f s of the budget were left for the test pass, and all %d"
                        + " images (%s) would have taken %.0f s at the measured %.0f images/s, so a seeded sample of %d of"
                        + " them was scored (at least %d); the test figures are that sample's%s",
                left, testImages, testName, seconds((long) testImages * passes), imagesPerSecond, scored, MIN_TESTED,
                separateTest ? "; hone evaluate on the test data scores all of them" : ""),
                Map.of("scoredImages", scored, "testImages", testImages, "secondsLeft", left, "imagesPerSecond", imagesPerSecond));
    }
}
