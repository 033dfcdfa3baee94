package dev.hone.loop;

import dev.hone.record.Decision;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Optimizer steps skipped because a gradient was not finite, as PyTorch's {@code GradScaler} skips a mixed-precision
 * step whose gradients overflowed: the loss was finite, so the learning rate is not to blame, and one step on a NaN
 * gradient would write NaN into every weight and optimizer moment it touches. PyTorch 2.7.1's CPU convolution
 * (oneDNN, AVX-512) gives such gradients at random for 3x3 convolutions whose output channels are not a multiple of
 * 16 ({@link dev.hone.models.ConvolutionChannels}). Many in a row are no transient fault: the epoch is abandoned as
 * diverging, so the loop backs off as for a diverging loss.
 */
final class SkippedSteps {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    /** Skipped steps in a row after which the epoch is treated as diverging. */
    static final int MAX_IN_A_ROW = 10;

    /** How the divergence reason for skipped steps begins. */
    static final String NOT_FINITE = "gradients not finite";

    private int skipped;
    private int inARow;
    private int steps;

    /**
     * Records one optimizer step's verdict.
     *
     * @param finite whether every gradient was finite (the step was taken)
     * @return why the epoch must be abandoned, or null
     */
    String record(boolean finite, int epoch, int batch) {
        steps++;
        if (finite) {
            inARow = 0;
            return null;
        }
        skipped++;
        inARow++;
        if (skipped == 1) {
            LOG.warn("skipped a step at epoch {} batch {}: a gradient was not finite while the loss was; the weights were"
                    + " left as they were (later skips are counted in the record)", epoch, batch);
        }
        return inARow < MAX_IN_A_ROW ? null : NOT_FINITE + " in " + MAX_IN_A_ROW + " steps in a row";
    }

    /** Starts the count of skips in a row again, for an epoch run again after a back-off. */
    void restart() {
        inARow = 0;
    }

    /** The record's account of the skipped steps, or null when none was skipped. */
    Decision<Integer> decision() {
        if (skipped == 0) {
            return null;
        }
        return Decision.derived("skipped-steps", skipped, "non-finite gradients",
                String.format("%d of the %d optimizer steps this process ran were skipped because a gradient was not finite"
                        + " while the loss was", skipped, steps),
                Map.of("skipped", skipped, "steps", steps));
    }
}
