package dev.hone.loop;

import dev.hone.core.Event;
import dev.hone.core.Observer;
import dev.hone.core.TrainingView;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A progress line, with an ETA, for a training that runs inside a longer phase (the semi-supervised teacher, a round's
 * student, self-supervised pretraining), where the console's epoch bar, which follows the final run, does not show.
 * Every {@code interval} of wall time at most, after a batch, it writes e.g. {@code "ssl pretraining (barlow-twins): step
 * 1,200 of 3,450 (35%), 251 s in, ETA 471 s"}. The ETA is the steps left at the speed measured since the phase's loop
 * started; the steps left follow re-plans (a budget pacer's), as {@link TrainingView#totalSteps()} does. After every optimizer
 * step it also hands a {@link PhaseStatus} to a listener (the API's {@code onPhaseProgress}).
 */
public final class PhaseProgressLog implements Observer {
    /** How often a phase writes its line at most: often enough to show a long phase moving, rarely enough to read. */
    public static final Duration INTERVAL = Duration.ofSeconds(30);

    private final String phase;
    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private final Consumer<String> sink;
    private final Consumer<PhaseStatus> status;
    private long startNanos = Long.MIN_VALUE;
    private long startStep;
    private boolean firstEpochSeen;
    private long lastLineNanos;

    /**
     * @param phase what trains, as the line's first words
     * @param nanoClock {@code System::nanoTime}, or a test's clock, in nanoseconds
     * @param interval the least wall time between two lines
     * @param sink where the lines go (the run's log)
     * @param status hears where the phase stands after every optimizer step
     */
    public PhaseProgressLog(String phase, LongSupplier nanoClock, Duration interval, Consumer<String> sink,
            Consumer<PhaseStatus> status) {
        this.phase = Objects.requireNonNull(phase, "phase");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.intervalNanos = interval.toNanos();
        this.sink = Objects.requireNonNull(sink, "sink");
        this.status = Objects.requireNonNull(status, "status");
    }

    /** Lines only: as {@link #PhaseProgressLog(String, LongSupplier, Duration, Consumer, Consumer)} with no listener. */
    public PhaseProgressLog(String phase, LongSupplier nanoClock, Duration interval, Consumer<String> sink) {
        this(phase, nanoClock, interval, sink, s -> { });
    }

    @Override
    public void on(Event event, TrainingView view) {
        if (event == Event.FIT_START || startNanos == Long.MIN_VALUE) {
            startNanos = nanoClock.getAsLong();
            lastLineNanos = startNanos;
            startStep = view.globalStep();
            firstEpochSeen = false;
            return;
        }
        if (event == Event.EPOCH_START && !firstEpochSeen) {
            firstEpochSeen = true;
            startStep = view.globalStep(); // where the loop starts: after the epochs a resumed run restored
            return;
        }
        if (event != Event.BATCH_END || view.microBatch() != 0) {
            return; // after optimizer steps only: a micro-batch kept for a later step leaves microBatch above 0
        }
        long now = nanoClock.getAsLong();
        PhaseStatus at = status(view.globalStep(), view.totalSteps(), (now - startNanos) / 1e9);
        status.accept(at);
        if (now - lastLineNanos < intervalNanos) {
            return;
        }
        lastLineNanos = now;
        sink.accept(at.line());
    }

    /** Where the phase stands after {@code step} of {@code total} steps, {@code seconds} after its loop started. */
    PhaseStatus status(long step, long total, double seconds) {
        long done = step - startStep;
        return new PhaseStatus(phase, step, total, seconds, done <= 0 ? Double.NaN : Math.max(0, total - step) * seconds / done);
    }

    /** The line after {@code step} of {@code total} steps, {@code seconds} after the phase's loop started. */
    String line(long step, long total, double seconds) {
        return status(step, total, seconds).line();
    }
}
