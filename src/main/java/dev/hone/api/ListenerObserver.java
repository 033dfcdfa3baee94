package dev.hone.api;

import dev.hone.core.Event;
import dev.hone.core.Observer;
import dev.hone.core.TrainingView;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/** Turns the fit loop's events into {@link TrainingListener} calls, with the ETAs measured here. */
final class ListenerObserver implements Observer {
    private final List<TrainingListener> listeners;
    private final LongSupplier clock;
    private long fitStart;
    private long fitFirstStep = -1;
    private long epochStart;

    ListenerObserver(List<TrainingListener> listeners) {
        this(listeners, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime} */
    ListenerObserver(List<TrainingListener> listeners, LongSupplier clock) {
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
    }

    @Override
    public void on(Event event, TrainingView view) {
        switch (event) {
            case FIT_START -> fitStart = clock.getAsLong();
            case EPOCH_START -> {
                epochStart = clock.getAsLong();
                if (fitFirstStep < 0) {
                    fitFirstStep = view.globalStep(); // the fit's first step: 0, or where a resumed run resumed
                }
            }
            case BATCH_END -> {
                if (view.microBatch() == 0) {
                    progress(view);
                }
            }
            case FIT_END -> listeners.forEach(l -> l.onTrainingEnd(view.stopReason().orElse("completed")));
            default -> { }
        }
    }

    private void progress(TrainingView view) {
        long now = clock.getAsLong();
        int batch = view.batchInEpoch();
        long left = Math.max(0, view.totalSteps() - view.globalStep());
        // the last epoch ends at the planned total, which a budget may put before the epoch's last batch
        Duration epochEta = eta(now - epochStart, batch, Math.min(left, Math.max(0, view.batchesPerEpoch() - batch)));
        Duration eta = eta(now - fitStart, view.globalStep() - fitFirstStep, left);
        Progress p = new Progress(view.epoch(), view.totalEpochs(), batch, view.batchesPerEpoch(), view.globalStep(),
                view.totalSteps(), view.lastLoss(), view.learningRate(), epochEta, eta);
        listeners.forEach(l -> l.onProgress(p));
    }

    private static Duration eta(long elapsedNanos, long done, long left) {
        return done <= 0 ? Duration.ZERO : Duration.ofNanos((long) ((double) elapsedNanos / done * left));
    }
}
