package dev.hone.api;

import dev.hone.core.Event;
import dev.hone.core.Observer;
import dev.hone.core.TrainingView;
import java.time.Duration;
import java.util.List;

/** Turns the fit loop's events into {@link TrainingListener} calls, with the ETAs measured here. */
final class ListenerObserver implements Observer {
    private final List<TrainingListener> listeners;
    private long fitStart;
    private long fitFirstStep;
    private long epochStart;

    ListenerObserver(List<TrainingListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void on(Event event, TrainingView view) {
        switch (event) {
            case FIT_START -> fitStart = System.nanoTime();
            case EPOCH_START -> {
                epochStart = System.nanoTime();
                if (fitFirstStep == 0 && view.epoch() > 1) {
                    fitFirstStep = view.globalStep(); // a resumed run measures its pace from where it resumed
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
        long now = System.nanoTime();
        int batch = view.batchInEpoch();
        Duration epochEta = eta(now - epochStart, batch, Math.max(0, view.batchesPerEpoch() - batch));
        long done = view.globalStep() - fitFirstStep;
        Duration eta = eta(now - fitStart, done, Math.max(0, view.totalSteps() - view.globalStep()));
        Progress p = new Progress(view.epoch(), view.totalEpochs(), batch, view.batchesPerEpoch(), view.globalStep(),
                view.totalSteps(), view.lastLoss(), view.learningRate(), epochEta, eta);
        listeners.forEach(l -> l.onProgress(p));
    }

    private static Duration eta(long elapsedNanos, long done, long left) {
        return done <= 0 ? Duration.ZERO : Duration.ofNanos((long) ((double) elapsedNanos / done * left));
    }
}
