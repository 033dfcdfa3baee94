package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A signal's stop waits for a run that is stopping, and not for one busy outside DJL (loading data). */
class SignalStopTest {
    @Test
    void waitsForTheRunToEndAfterCancelling() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        AtomicBoolean cancelled = new AtomicBoolean();
        Thread runner = new Thread(() -> {
            while (!cancelled.get()) {
                Thread.onSpinWait();
            }
            ended.countDown();
        });
        runner.start();
        assertThat(SignalStop.stop(() -> cancelled.set(true), ended, runner)).isTrue();
        runner.join();
    }

    @Test
    void doesNotWaitForARunBusyOutsideDjl() throws Exception {
        CountDownLatch ended = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread runner = new Thread(() -> {
            try {
                release.await(); // decoding images, say: no cancellation check until it is done
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        runner.start();
        long t = System.nanoTime();
        assertThat(SignalStop.stop(() -> { }, ended, runner)).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t)).isLessThan(SignalStop.WAIT_S * 1000L / 2);
        assertThat(SignalStop.inDjl(runner)).isFalse();
        release.countDown();
        runner.join();
    }
}
