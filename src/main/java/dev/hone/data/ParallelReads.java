package dev.hone.data;

import dev.hone.core.HoneException;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/** Reading many files in parallel with errors that do not depend on timing. */
public final class ParallelReads {
    private ParallelReads() {}

    /**
     * Runs {@code task} for 0..n-1 in parallel, then throws the failure of the lowest index, so the same bad
     * input gives the same error on every run.
     *
     * @throws HoneException the first failure in index order
     */
    public static void firstFailure(int n, IntConsumer task) {
        HoneException[] failures = new HoneException[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                task.accept(i);
            } catch (HoneException e) {
                failures[i] = e;
            }
        });
        for (HoneException f : failures) {
            if (f != null) {
                throw f;
            }
        }
    }
}
