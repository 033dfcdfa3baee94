package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.core.Event;
import dev.hone.core.Technique;
import dev.hone.core.TrainingState;
import dev.hone.data.Normalization;
import dev.hone.optimize.Schedule;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyTechniquesTest {
    private static final Normalization NORM = new Normalization(new float[] {0.5f}, new float[] {0.25f});

    @Test
    void aMixingPolicyTrainsItsLastTenthOfStepsUnmixed() {
        RegularizationPolicy cutmix = RegularizationPolicy.searchStart().withSoftLabels(0, 0, 1.0);
        List<Technique> techniques = PolicyTechniques.training(cutmix, Schedule.warmupCosine(0.1, 0.1), NORM, 7);
        Technique mixing = techniques.stream().filter(t -> t.name().equals("sample-mixing")).findFirst().orElseThrow();
        TrainingState state = new TrainingState(2, 50, 100, 0.1); // 100 steps: 0..89 mixed, 90..99 refined on clean images
        state.startEpoch(1);
        for (int step = 0; step < 100; step++) {
            assertThat(mixing.matches(Event.BATCH_START, state.view())).as("step %d", step).isEqualTo(step < 90);
            state.endBatch(0);
            if (step == 49) {
                state.startEpoch(2);
            }
        }
        assertThat(cutmix.describe()).contains("cutmix alpha 1.00", "unmixed for the last 10% of steps");
        assertThat(RegularizationPolicy.NONE.describe()).doesNotContain("unmixed");
    }
}
