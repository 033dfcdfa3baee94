package dev.hone.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What Ctrl-C or a kill signal does to a running {@code hone train}, from its shutdown hook: cancel the run and wait
 * until it stops at its next batch, so that the JVM does not exit while PyTorch is inside a step (it crashed there:
 * SIGSEGV in {@code torchBackward}, the JVM tearing down under native code). The wait ends early when the run's thread
 * has been outside DJL for {@value #QUIET_MS} ms (decoding images, writing files), where exiting is safe and waiting for
 * the next cancellation check would hold up the user for seconds.
 */
final class SignalStop {
    /** The longest wait for the run to reach the end of its batch. */
    static final int WAIT_S = 20;
    /** How long the run's thread must run no DJL code before the JVM may exit without waiting for the run to stop. */
    static final int QUIET_MS = 200;
    private static final int POLL_MS = 20;

    private SignalStop() {}

    /**
     * Cancels the run ({@code cancel}, e.g. {@code HoneTrainer::cancel}) and waits for {@code ended}, at most
     * {@link #WAIT_S} s, or until {@code runner}, the run's thread, has spent {@link #QUIET_MS} ms outside DJL.
     *
     * @return whether the run ended before the wait did
     */
    static boolean stop(Runnable cancel, CountDownLatch ended, Thread runner) {
        cancel.run();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        int quiet = 0;
        try {
            while (System.nanoTime() < deadline) {
                if (ended.await(POLL_MS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                quiet = inDjl(runner) ? 0 : quiet + POLL_MS;
                if (quiet >= QUIET_MS) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /** Whether {@code thread} is running DJL code (an engine call, or hone code that called one) at this moment. */
    static boolean inDjl(Thread thread) {
        for (StackTraceElement frame : thread.getStackTrace()) {
            if (frame.getClassName().startsWith("ai.djl.")) {
                return true;
            }
        }
        return false;
    }
}
