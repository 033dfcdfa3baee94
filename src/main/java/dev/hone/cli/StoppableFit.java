package dev.hone.cli;

import dev.hone.api.HoneTrainer;
import dev.hone.api.TrainingResult;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Fits a run of {@code hone train} or {@code hone demo} so that Ctrl-C or a kill signal stops it at its next batch
 * ({@link SignalStop}) and prints where its work is kept and how to continue it ({@link TrainCommand#interruptedMessage}).
 */
final class StoppableFit {
    private StoppableFit() {}

    /**
     * Fits the trainer {@code make} builds on the console's progress.
     *
     * @param again how to run it again to continue, e.g. {@code "run the same command with --resume"}
     * @return the result, or null when a signal stopped it (its message is printed; the JVM exits with the signal's status)
     */
    static TrainingResult fit(Function<ConsoleProgress, HoneTrainer> make, Path out, String again) {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicReference<HoneTrainer> running = new AtomicReference<>();
        Thread runner = Thread.currentThread();
        Thread interrupted = new Thread(() -> {
            HoneTrainer trainer = running.get();
            if (trainer != null) {
                SignalStop.stop(trainer::cancel, ended, runner);
            }
            System.err.println(TrainCommand.interruptedMessage(out, again));
        }, "hone-interrupted");
        java.lang.Runtime.getRuntime().addShutdownHook(interrupted);
        // closed however the run ends, so that a bar cut short (a failure, a phase that stops early) ends its line
        try (ConsoleProgress console = new ConsoleProgress()) {
            HoneTrainer trainer = make.apply(console);
            running.set(trainer);
            return trainer.fit();
        } catch (dev.hone.api.TrainingCancelledException e) {
            return null; // only the shutdown hook cancels: it prints what to do
        } finally {
            ended.countDown();
            try {
                java.lang.Runtime.getRuntime().removeShutdownHook(interrupted);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already stopping: the hook runs
            }
        }
    }
}
