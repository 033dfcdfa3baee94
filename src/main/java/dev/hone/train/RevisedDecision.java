package dev.hone.train;

import dev.hone.record.Decision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a decision that replaces one already logged, such as the budget plan's {@code epochs} after the regularization
 * or progressive resizing changes a step's cost: as revised, naming what revised it, when its value changed, and else
 * only at debug level, so the console never shows one decision twice as if two were made. The record keeps the last.
 */
final class RevisedDecision {
    private static final Logger LOG = LoggerFactory.getLogger("hone");

    private RevisedDecision() {}

    /**
     * @param by what revised it, e.g. "the chosen regularization"
     * @param changed whether its value differs from the one logged before
     */
    static <T> Decision<T> log(String by, boolean changed, Decision<T> decision) {
        if (changed) {
            LOG.info("decision revised for {}: {}", by, decision.describe());
        } else {
            LOG.debug("decision: {}", decision.describe());
        }
        return decision;
    }
}
