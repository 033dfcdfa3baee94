package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hone.record.Decision;
import dev.hone.record.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The saved plan round-trips, and plans written before gradient accumulation still load. */
class TrainingPlanTest {
    @TempDir
    Path tmp;

    private static TrainingPlan plan(int accumulation) {
        return new TrainingPlan(42, 3, 300, 64, "adamw", 3e-3, 0.05, "one-cycle", 0.1, 0.99f, 0, 600,
                List.of(Decision.user("batch-size", 64)), accumulation, null);
    }

    @Test
    void roundTripsWithItsAccumulation() {
        Path file = tmp.resolve(TrainingPlan.FILE);
        Json.write(file, plan(4));
        TrainingPlan back = Json.read(file, TrainingPlan.class);
        assertThat(back.accumulation()).isEqualTo(4);
        assertThat(back.effectiveBatch()).isEqualTo(256);
        assertThat(back.stepsPerEpoch(1000)).isEqualTo(3);
        assertThat(back.schedule()).isEqualTo("one-cycle");
    }

    @Test
    void aPlanWithoutAccumulationReadsAsOne() throws Exception {
        Path file = tmp.resolve(TrainingPlan.FILE);
        ObjectNode json = Json.mapper().valueToTree(plan(4));
        json.remove("accumulation");
        Files.writeString(file, json.toString());
        TrainingPlan old = Json.read(file, TrainingPlan.class);
        assertThat(old.accumulation()).isEqualTo(1);
        assertThat(old.stepsPerEpoch(1000)).isEqualTo(15);
        assertThat(plan(0).accumulation()).isEqualTo(1);
    }
}
