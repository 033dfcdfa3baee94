package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metalearn.probe.ThroughputProbe.Point;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The batch-size rule hears of a memory ceiling only when the throughput curve ran out of memory. */
class BatchSizeLearnerTest {
    @Test
    void theLargestBatchThatFitIsTheCeilingAfterAnOutOfMemory() {
        List<Point> gpu = List.of(new Point(16, 100, true), new Point(32, 190, true), new Point(64, 0, false));
        assertThat(BatchSizeLearner.memoryCeiling(gpu)).isEqualTo(OptionalInt.of(32));
    }

    @Test
    void noOutOfMemoryMeansNoCeiling() {
        List<Point> cpu = List.of(new Point(16, 300, true), new Point(32, 380, true), new Point(64, 450, true));
        assertThat(BatchSizeLearner.memoryCeiling(cpu)).isEmpty();
        assertThat(BatchSizeLearner.memoryCeiling(List.of())).isEmpty();
    }
}
