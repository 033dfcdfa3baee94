package dev.hone.train;

import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.core.TrainingView;
import dev.hone.record.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seconds a budgeted run had spent, kept in its work folder while its final training runs, so that a run resumed
 * after a kill paces what is left of its training into what is left of its budget. Without it the resumed run trained
 * on to the total its pacer had last set, at whatever speed the steps ran: a 3-minute run on 96x96 images, killed at
 * 60 s, took 6 min 10 s more.
 */
final class SpentTime {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    /** The file in the work folder. */
    static final String FILE = "budget-spent.json";
    /**
     * Seconds of training between two updates; a kill loses at most this much of the count, and each epoch's end saves it.
     * Semi-supervised learning keeps its time in its own save at the same pace ({@link SslProgress#keepingTime}).
     */
    static final double KEPT_EVERY = 10;

    /** What the file holds: seconds since the budget's start. */
    record Kept(double seconds) {}

    private SpentTime() {}

    /** Keeps {@code seconds} spent, replacing the file atomically; a failure to write is logged, and training goes on. */
    static synchronized void keep(Path work, double seconds) { // the planning's timer and the run may both keep it
        try {
            Json.writeAtomically(work.resolve(FILE), new Kept(seconds));
        } catch (UncheckedIOException e) {
            LOG.warn("budget: cannot keep the time spent in {}: {}", work.resolve(FILE), e.getMessage());
        }
    }

    /** Removes the seconds kept in {@code work}: a work folder this run cannot resume holds none of its time. */
    static void clear(Path work) {
        try {
            Files.deleteIfExists(work.resolve(FILE));
        } catch (IOException e) {
            LOG.warn("budget: cannot remove {}: {}", work.resolve(FILE), e.getMessage());
        }
    }

    /**
     * The seconds kept in {@code work}, or empty when there are none or they cannot be read (then with a warning): the
     * resumed run is then not paced.
     */
    static OptionalDouble read(Path work) {
        Path file = work.resolve(FILE);
        if (!Files.exists(file)) {
            return OptionalDouble.empty();
        }
        try {
            double s = Json.mapper().readValue(file.toFile(), Kept.class).seconds();
            return s >= 0 && Double.isFinite(s) ? OptionalDouble.of(s) : OptionalDouble.empty();
        } catch (IOException e) {
            LOG.warn("budget: the time spent kept in {} cannot be read ({}); the resumed training is not paced", file, e.getMessage());
            return OptionalDouble.empty();
        }
    }

    /**
     * The budget's start for a resumed run: {@code resumedNanos}, when this process started, moved back by the seconds the
     * stopped run had spent (its final training's, or semi-supervised learning's, {@link SslProgress#budgetStart}).
     */
    static long budgetStart(long resumedNanos, double secondsSpent) {
        return resumedNanos - (long) (secondsSpent * 1e9);
    }

    /**
     * Keeps the seconds since {@code budgetStartNanos} in {@code work} every {@link #KEPT_EVERY} seconds until closed, from a
     * daemon thread: for the planning before training (the learners' probes, the regularization search), which has no
     * steps to keep them after. Without it, a run killed with {@code kill -9} there (no signal to catch) resumed with its
     * budget whole.
     */
    static Keeper whilePlanning(Path work, long budgetStartNanos) {
        return every(work, budgetStartNanos, System::nanoTime, (long) (KEPT_EVERY * 1000));
    }

    /** A timer keeping the time spent; closing it stops it, waiting for a write under way (not when interrupted). */
    interface Keeper extends AutoCloseable {
        @Override
        void close();
    }

    /** As {@link #whilePlanning}, every {@code periodMillis} by {@code clock}. */
    static Keeper every(Path work, long budgetStartNanos, LongSupplier clock, long periodMillis) {
        java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "hone-spent-time");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> keep(work, (clock.getAsLong() - budgetStartNanos) / 1e9), periodMillis, periodMillis,
                java.util.concurrent.TimeUnit.MILLISECONDS);
        return () -> {
            timer.shutdownNow();
            try {
                timer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /**
     * A technique that keeps the seconds since {@code budgetStartNanos} in {@code work} after the first step, after each epoch
     * and at most every {@link #KEPT_EVERY} seconds of steps.
     */
    static Technique keeper(Path work, long budgetStartNanos, LongSupplier clock) {
        return new Technique() {
            private long kept = Long.MIN_VALUE; // the first step keeps the time meta-learning spent before it

            @Override
            public String name() {
                return "spent-time";
            }

            @Override
            public boolean matches(Event event, TrainingView view) {
                return event == Event.BATCH_END || event == Event.EPOCH_END;
            }

            @Override
            public void apply(Event event, TrainingState state) {
                long now = clock.getAsLong();
                if (event == Event.EPOCH_END || kept == Long.MIN_VALUE || now - kept >= KEPT_EVERY * 1e9) {
                    kept = now;
                    keep(work, (now - budgetStartNanos) / 1e9);
                }
            }
        };
    }
}
