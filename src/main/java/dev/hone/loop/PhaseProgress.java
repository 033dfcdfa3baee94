package dev.hone.loop;

import dev.hone.core.Event;
import dev.hone.core.Observer;
import dev.hone.core.TrainingView;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A progress line, with an ETA, for a training that runs inside a longer phase (the semi-supervised teacher, a round's
 * student, self-supervised pretraining), where the console's epoch bar, which follows the final run, does not show.
 * Every {@code interval} of wall time at most, after a batch, it writes e.g. {@code "ssl pretraining (barlow-twins): step
 * 1,200 of 3,450 (35%), 251 s in, ETA 471 s"}. The ETA is the steps left at the speed measured since the phase's first
 * step; the steps left follow re-plans (a budget pacer's), as {@link TrainingView#totalSteps()} does.
 */
public final class PhaseProgress implements Observer {
    /** How often a phase writes its line at most: often enough to show a long phase moving, rarely enough to read. */
    public static final Duration INTERVAL = Duration.ofSeconds(30);

    private final String phase;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final Consumer<String> sink;
    private long startNanos = Long.MIN_VALUE;
    private long startStep;
    private long lastLineNanos;

    /**
     * @param phase what trains, as the line's first words
     * @param nanoClock {@code System::nanoTime}, or a test's clock, in nanoseconds
     * @param interval the least wall time between two lines
     * @param sink where the lines go (the run's log)
     */
    public PhaseProgress(String phase, LongSupplier nanoClock, Duration interval, Consumer<String> sink) {
        this.phase = Objects.requireNonNull(phase, "phase");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.intervalNanos = interval.toNanos();
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public void on(Event event, TrainingView view) {
        if (event == Event.FIT_START || startNanos == Long.MIN_VALUE) {
            startNanos = nanoClock.getAsLong();
            lastLineNanos = startNanos;
            startStep = view.globalStep();
            return;
        }
        if (event != Event.BATCH_END) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (now - lastLineNanos < intervalNanos) {
            return;
        }
        lastLineNanos = now;
        sink.accept(line(view.globalStep(), view.totalSteps(), (now - startNanos) / 1e9));
    }

    /** The line after {@code step} of {@code total} steps, {@code seconds} after the phase's first step. */
    String line(long step, long total, double seconds) {
        long done = step - startStep;
        String eta = done <= 0 ? "ETA unknown"
                : String.format(Locale.ROOT, "ETA %.0f s", Math.max(0, total - step) * seconds / done);
        return String.format(Locale.ROOT, "%s: step %,d of %,d (%.0f%%), %.0f s in, %s", phase, step, total,
                total <= 0 ? 0 : 100.0 * step / total, seconds, eta);
    }
}
