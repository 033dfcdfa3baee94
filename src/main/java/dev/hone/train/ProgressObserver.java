package dev.hone.train;

import dev.hone.core.Event;
import dev.hone.core.Observer;
import dev.hone.core.TrainingView;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch, with ETA, the running loss and the learning rate. */
final class ProgressObserver implements Observer {
    private ProgressBar bar;

    @Override
    public void on(Event event, TrainingView view) {
        switch (event) {
            case EPOCH_START -> bar = new ProgressBarBuilder()
                    .setTaskName(String.format("epoch %d/%d", view.epoch(), view.totalEpochs()))
                    .setInitialMax(view.batchesPerEpoch())
                    .setUnit(" batches", 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(1000)
                    .setMaxRenderedLength(110)
                    .continuousUpdate()
                    .build();
            case BATCH_END -> {
                if (bar != null) {
                    bar.stepTo(view.batchInEpoch());
                    bar.setExtraMessage(String.format("loss %.4f lr %.3g", view.lastLoss(), view.learningRate()));
                }
            }
            case VALIDATION_START, FIT_END -> close();
            default -> { }
        }
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
