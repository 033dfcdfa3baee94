package dev.hone.train;

import dev.hone.core.Event;
import dev.hone.core.Observer;
import dev.hone.core.TrainingView;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress within an epoch, with ETA, the running loss and the learning rate: a progress bar on a
 * terminal, and a log line at each quarter of the epoch otherwise (a bar's carriage-return updates
 * run together into one unreadable line in a log file or CI output).
 */
final class ProgressObserver implements Observer {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    private static final int LOG_STEPS = 4;

    private final boolean interactive;
    private ProgressBar bar;
    private long epochStart;
    private int logged;

    ProgressObserver() {
        this(System.console() != null);
    }

    ProgressObserver(boolean interactive) {
        this.interactive = interactive;
    }

    @Override
    public void on(Event event, TrainingView view) {
        switch (event) {
            case EPOCH_START -> start(view);
            case BATCH_END -> progress(view);
            case VALIDATION_START, FIT_END -> close();
            default -> { }
        }
    }

    private void start(TrainingView view) {
        epochStart = System.nanoTime();
        logged = 0;
        if (interactive) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format("epoch %d/%d", view.epoch(), view.totalEpochs()))
                    .setInitialMax(view.batchesPerEpoch())
                    .setUnit(" batches", 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(1000)
                    .setMaxRenderedLength(110)
                    .continuousUpdate()
                    .build();
        }
    }

    private void progress(TrainingView view) {
        String status = String.format("loss %.4f lr %.3g", view.lastLoss(), view.learningRate());
        if (bar != null) {
            bar.stepTo(view.batchInEpoch());
            bar.setExtraMessage(status);
            return;
        }
        int quarter = view.batchInEpoch() * LOG_STEPS / Math.max(1, view.batchesPerEpoch());
        if (!interactive && quarter > logged && view.batchInEpoch() < view.batchesPerEpoch()) {
            logged = quarter;
            double elapsed = (System.nanoTime() - epochStart) / 1e9;
            double eta = elapsed / view.batchInEpoch() * (view.batchesPerEpoch() - view.batchInEpoch());
            LOG.info(String.format("epoch %d/%d: %d/%d batches, %s, ETA %.0f s", view.epoch(), view.totalEpochs(),
                    view.batchInEpoch(), view.batchesPerEpoch(), status, eta));
        }
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
