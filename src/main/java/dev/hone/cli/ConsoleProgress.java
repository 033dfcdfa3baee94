package dev.hone.cli;

import dev.hone.api.Progress;
import dev.hone.api.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line's view of training, as a {@link TrainingListener}: progress within an epoch with
 * ETA, the running loss and the learning rate: a progress bar on a terminal, and a log line at each
 * quarter of the epoch otherwise (a bar's carriage-return updates run together into one unreadable line
 * in a log file or CI output). Decisions and epoch lines reach the console through hone's log.
 */
final class ConsoleProgress implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    private static final int LOG_STEPS = 4;

    private final boolean interactive;
    private ProgressBar bar;
    private int epoch;
    private int logged;

    ConsoleProgress() {
        this(System.console() != null);
    }

    ConsoleProgress(boolean interactive) {
        this.interactive = interactive;
    }

    @Override
    public void onProgress(Progress p) {
        if (p.epoch() != epoch) {
            start(p);
        }
        String status = String.format("loss %.4f lr %.3g", p.loss(), p.learningRate());
        if (bar != null) {
            bar.stepTo(p.batch());
            bar.setExtraMessage(status);
            if (p.batch() >= p.batchesPerEpoch()) {
                close();
            }
            return;
        }
        int quarter = p.batch() * LOG_STEPS / Math.max(1, p.batchesPerEpoch());
        if (!interactive && quarter > logged && p.batch() < p.batchesPerEpoch()) {
            logged = quarter;
            LOG.info(String.format("epoch %d/%d: %d/%d batches, %s, ETA %.0f s", p.epoch(), p.totalEpochs(), p.batch(),
                    p.batchesPerEpoch(), status, p.epochEta().toMillis() / 1000.0));
        }
    }

    @Override
    public void onTrainingEnd(String stopReason) {
        close();
    }

    private void start(Progress p) {
        close();
        epoch = p.epoch();
        logged = 0;
        if (interactive) {
            bar = new ProgressBarBuilder()
                    .setTaskName(String.format("epoch %d/%d", p.epoch(), p.totalEpochs()))
                    .setInitialMax(p.batchesPerEpoch())
                    .setUnit(" batches", 1)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(1000)
                    .setMaxRenderedLength(110)
                    .continuousUpdate()
                    .build();
        }
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
