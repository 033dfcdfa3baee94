package dev.hone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.record.Json;
import dev.hone.train.SyntheticData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A budgeted run on a machine that slows down part-way through (issue 14): a busy thread takes part
 * of the CPU from 40% of the budget on. The schedule must still anneal (the last learning rate at
 * most 5% of its peak) and the run must end within its budget + 5%. The optimization values are
 * fixed, so the test is of the plan and its pacing, not of the probes.
 */
class BudgetSlowdownTest {
    private static final int BUDGET_SECONDS = 40;

    @TempDir
    Path tmp;

    @Test
    void aRunThatSlowsDownStillAnnealsAndEndsInsideItsBudget() throws Exception {
        Path data = SyntheticData.folder(tmp.resolve("images"), 150, 16, 9);
        Path out = tmp.resolve("run");
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> busy = List.of(spinner(stop), spinner(stop));
        Thread starter = new Thread(() -> {
            try {
                Thread.sleep((long) (BUDGET_SECONDS * 0.4 * 1000));
                busy.forEach(Thread::start);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        starter.setDaemon(true);
        long start = System.nanoTime();
        starter.start();
        Cli.Outcome o;
        try {
            o = Cli.run("train", "--data", data.toString(), "--model", "resnet9", "--width", "8", "--regularization", "none",
                    // fixed, so that the run is the plan and the pacer, not the probes
                    "--batch-size", "32", "--optimizer", "adamw", "--lr", "0.002", "--schedule", "warmup-cosine",
                    "--budget", BUDGET_SECONDS + "s", "--out", out.toString());
        } finally {
            stop.set(true);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(o.status()).as(o.err()).isZero();
        assertThat(seconds).isLessThanOrEqualTo(BUDGET_SECONDS * 1.05);
        // a run that ended before the slowdown began (at 40%) would test nothing, and the pacer should use most of the
        // budget; runs end at 79-90% of it here (the reserve for the test evaluation and the after-training choices)
        assertThat(seconds).isGreaterThan(BUDGET_SECONDS * 0.7);

        List<String> epochs = Files.readAllLines(out.resolve("metrics.jsonl"));
        double last = Json.mapper().readTree(epochs.get(epochs.size() - 1)).get("learningRate").asDouble();
        String record = Files.readString(out.resolve("training-record.json"));
        String pacing = record.contains("budget-pacing") ? record.substring(record.indexOf("budget-pacing") - 20) : "no re-plan";
        assertThat(last).as("the last learning rate against the peak 0.002; epochs %s; %s; stopped: %s", epochs,
                pacing.substring(0, Math.min(2500, pacing.length())), o.out()).isLessThanOrEqualTo(0.05 * 0.002);
        assertThat(epochs.size()).as("epochs trained").isGreaterThan(1);
    }

    /** A thread that keeps one core busy until {@code stop}. */
    private static Thread spinner(AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            double x = 1;
            while (!stop.get()) {
                x = Math.sin(x) + 1;
            }
            if (x == 42) {
                System.out.println(x);
            }
        });
        t.setDaemon(true);
        return t;
    }
}
