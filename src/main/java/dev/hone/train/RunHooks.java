package dev.hone.train;

import dev.hone.core.Observer;
import dev.hone.loop.PhaseHooks;
import dev.hone.loop.PhaseStatus;
import dev.hone.record.Decision;
import dev.hone.record.EpochMetrics;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What a caller of {@link TrainingRun} hears and how it can stop the run: observers of the fit loop's
 * events, every decision, every epoch's metrics, and a cancellation flag polled at batch boundaries.
 *
 * <p>Hooks only read, as observers do; cancelling is a request the loop honours after the current
 * batch (see {@link dev.hone.core.TrainingState#requestCancel}). The public API
 * ({@code dev.hone.api}) builds these from its listeners; the command line's progress bar is one of them.
 *
 * @param observers read the loop's state at every event (progress bars, ETA)
 * @param decisions receives each decision once it is made: the data decisions and the plan's once
 *     planning ends, the final choices (weights, thresholds) once training ends
 * @param epochs receives each epoch's metrics once its checkpoint is written
 * @param cancelled polled at batch boundaries (the final run's, meta-learning trials' and the semi-supervised phases') and
 *     between phases; true stops the run, which then throws {@link RunCancelledException} and leaves its work folder for a
 *     resume
 * @param phases hears each optimizer step of the trainings before the final run that report progress (the
 *     semi-supervised teacher, rounds and pretraining)
 */
public record RunHooks(List<Observer> observers, Consumer<Decision<?>> decisions, Consumer<EpochMetrics> epochs,
        BooleanSupplier cancelled, Consumer<PhaseStatus> phases) {

    public RunHooks {
        observers = List.copyOf(observers);
        Objects.requireNonNull(decisions);
        Objects.requireNonNull(epochs);
        Objects.requireNonNull(cancelled);
        Objects.requireNonNull(phases);
    }

    /** Without a listener for the phases before the final run. */
    public RunHooks(List<Observer> observers, Consumer<Decision<?>> decisions, Consumer<EpochMetrics> epochs,
            BooleanSupplier cancelled) {
        this(observers, decisions, epochs, cancelled, s -> { });
    }

    /** The cancellation and the phases' listener, for the trainings before the final run. */
    PhaseHooks phaseHooks() {
        return new PhaseHooks(cancelled, phases);
    }

    /** No observers or listeners (the log still reports the run), never cancelled. */
    public static RunHooks none() {
        return new RunHooks(List.of(), d -> { }, m -> { }, () -> false);
    }

    /** Throws {@link RunCancelledException} when the caller has cancelled; for phase boundaries. */
    void checkCancelled(java.nio.file.Path out, String phase) {
        if (cancelled.getAsBoolean()) {
            throw new RunCancelledException(out, 0, phase);
        }
    }
}
