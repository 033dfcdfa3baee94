package dev.hone.loop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.core.TrainingState;
import dev.hone.record.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A checkpoint's progress keeps the schedules' frame, and one written before frames were saved still reads. */
class CheckpointProgressTest {

    @Test
    void theScheduleFrameRoundTripsAndAnOlderCheckpointReadsWithout() throws Exception {
        Checkpoints.Progress p = new Checkpoints.Progress(3, List.of(), 0.5, new TrainingState.ScheduleFrame(1600, 230, 228.5));
        Checkpoints.Progress back = Json.mapper().readValue(Json.mapper().writeValueAsString(p), Checkpoints.Progress.class);
        assertThat(back).isEqualTo(p);
        // a slow patch's cut still pending at the checkpoint comes back with it
        Checkpoints.Progress cut = new Checkpoints.Progress(3, List.of(), 1,
                new TrainingState.ScheduleFrame(1600, 230, 228.5, 200, 190.0, 2000));
        assertThat(Json.mapper().readValue(Json.mapper().writeValueAsString(cut), Checkpoints.Progress.class)).isEqualTo(cut);
        // a frame written before the cut was kept reads as none pending
        Checkpoints.Progress framed = Json.mapper().readValue("{\"completedEpochs\":2,\"history\":[],\"learningRateScale\":1.0,"
                + "\"schedule\":{\"totalSteps\":1600,\"anchorStep\":230,\"anchorPosition\":228.5}}", Checkpoints.Progress.class);
        assertThat(framed.schedule()).isEqualTo(new TrainingState.ScheduleFrame(1600, 230, 228.5));

        Checkpoints.Progress old = Json.mapper().readValue("{\"completedEpochs\":2,\"history\":[],\"learningRateScale\":1.0}",
                Checkpoints.Progress.class);
        assertThat(old.completedEpochs()).isEqualTo(2);
        assertThat(old.schedule()).isNull();
    }
}
