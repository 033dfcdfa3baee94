package dev.hone.cli;

import dev.hone.api.PhaseProgress;
import dev.hone.api.Progress;
import dev.hone.api.TrainingListener;
import dev.hone.report.Formats;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line's view of training, as a {@link TrainingListener}: progress within an epoch with
 * ETA, the running loss and the learning rate: a progress bar on a terminal, and otherwise a log line at each
 * quarter of the epoch, at most one every {@link #LOG_EVERY_SECONDS} (a bar's carriage-return updates run together into
 * one unreadable line in a log file or CI output; epochs of a few batches printed three lines each). A log line also gives
 * the step of the whole training and its ETA. On a terminal, the trainings before the final run (the semi-supervised teacher, rounds
 * and pretraining) get a bar each too; in a log, their progress lines come from the run's log every 30 s. Decisions
 * and epoch lines reach the console through hone's log.
 */
final class ConsoleProgress implements TrainingListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("hone");
    private static final int LOG_STEPS = 4;
    /** The fewest seconds between two progress lines in a log. */
    static final double LOG_EVERY_SECONDS = 10;
    /** The most seconds without a progress line in a log while steps go on, whatever the quarter of the epoch. */
    static final double LOG_QUIET_SECONDS = 30;

    private final boolean interactive;
    private final ProgressBarConsumer consumer;
    private ProgressBar bar;
    private int epoch;
    private int logged;
    private String phase;
    private final java.util.function.LongSupplier clock;
    private long lastLine = Long.MIN_VALUE;

    ConsoleProgress() {
        this(System.console() != null);
    }

    ConsoleProgress(boolean interactive) {
        this(interactive, null);
    }

    /** @param consumer where the bars render (a test's); null for the terminal */
    ConsoleProgress(boolean interactive, ProgressBarConsumer consumer) {
        this(interactive, consumer, System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime}: when log lines were written */
    ConsoleProgress(boolean interactive, ProgressBarConsumer consumer, java.util.function.LongSupplier clock) {
        this.interactive = interactive;
        this.consumer = consumer;
        this.clock = clock;
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
        long now = clock.getAsLong();
        if (!interactive && logs(quarter, logged, p.batch() >= p.batchesPerEpoch(), now, lastLine)) {
            logged = quarter;
            lastLine = now;
            LOG.info(line(p));
        }
    }

    /**
     * Whether a log gets a progress line after a step: at each new quarter of an epoch, at most every {@link
     * #LOG_EVERY_SECONDS}; and when steps are so slow that no quarter ends for {@link #LOG_QUIET_SECONDS}, at that pace (a
     * loaded detection run trained 86 s without a line, a fresh review, 2026-12-08). Never at an epoch's last step, whose
     * epoch line follows.
     *
     * @param lastLine when the last progress line was written, in nanoseconds; {@code Long.MIN_VALUE} for never
     */
    static boolean logs(int quarter, int logged, boolean lastStepOfEpoch, long now, long lastLine) {
        if (lastStepOfEpoch) {
            return false;
        }
        if (lastLine == Long.MIN_VALUE) {
            return quarter > logged;
        }
        long since = now - lastLine;
        return since >= LOG_EVERY_SECONDS * 1e9 && (quarter > logged || since >= LOG_QUIET_SECONDS * 1e9);
    }

    /**
     * A log's progress line: e.g. {@code epoch 3/4: 126/168 batches, loss 0.2051 lr 0.00147, ETA 3.0 s; training step 462 of
     * 680 (68%), ETA 1m 12s}. The training's ETA is at the pace since training started in this process: a budget's
     * pacer re-plans the steps to end in time, and with progressive resizing the full-size steps still to come run slower.
     */
    static String line(Progress p) {
        return String.format(java.util.Locale.ROOT, "epoch %d/%d: %d/%d batches, loss %.4f lr %.3g, ETA %s; training step %,d of"
                + " %,d (%.0f%%), ETA %s", p.epoch(), p.totalEpochs(), p.batch(), p.batchesPerEpoch(), p.loss(), p.learningRate(),
                Formats.duration(p.epochEta()), p.step(), p.totalSteps(), 100 * p.fraction(), Formats.duration(p.eta()));
    }

    @Override
    public void onPhaseProgress(PhaseProgress p) {
        if (!interactive) {
            return;
        }
        if (!p.phase().equals(phase)) {
            close();
            phase = p.phase();
            bar = bar(p.phase(), p.totalSteps(), " steps");
        }
        bar.maxHint(p.totalSteps()); // a budget pacer may re-plan the steps
        bar.stepTo(p.step());
        if (p.step() >= p.totalSteps()) {
            close();
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
            bar = bar(String.format("epoch %d/%d", p.epoch(), p.totalEpochs()), p.batchesPerEpoch(), " batches");
        }
    }

    private ProgressBar bar(String task, long max, String unit) {
        ProgressBarBuilder builder = new ProgressBarBuilder();
        if (consumer != null) {
            builder.setConsumer(consumer);
        }
        return builder
                .setTaskName(task)
                .setInitialMax(max)
                .setUnit(unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000)
                .setMaxRenderedLength(110)
                .continuousUpdate()
                .build();
    }

    /** Ends the open bar, if any. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        phase = null;
    }
}
