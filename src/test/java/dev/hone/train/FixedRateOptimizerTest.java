package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.record.Decision;
import dev.hone.record.Origin;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** With {@code --lr} and no {@code --optimizer}, no range tests compare optimizers: the rule's choice at that rate. */
class FixedRateOptimizerTest {
    private static TrainOptions options(String optimizer, Double lr) {
        return new TrainOptions("d", null, "resnet9", Path.of("out"), null, null, false, null, optimizer, lr, null, null, null,
                null, null, null, null, null, "hone train", false, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void aFixedRateBelowTheLargeBatchTrainsAdamWNotSgdAtARateCopiedFromAnAdamRecipe() {
        Decision<String> d = Planner.optimizer(options(null, 1e-3), 64);
        assertThat(d.value()).isEqualTo("adamw");
        assertThat(d.origin()).isEqualTo(Origin.DERIVED);
        assertThat(d.rationale()).contains("fixed by the user", "--optimizer");
    }

    @Test
    void aFixedRateAtTheLargeBatchTrainsLamb() {
        assertThat(Planner.optimizer(options(null, 0.01), Defaults.LARGE_BATCH).value()).isEqualTo("lamb");
        assertThat(Planner.optimizer(options(null, 0.01), Defaults.LARGE_BATCH - 1).value()).isEqualTo("adamw");
    }

    @Test
    void theUsersOptimizerStands() {
        Decision<String> d = Planner.optimizer(options("sgd-nesterov", 0.05), 64);
        assertThat(d.value()).isEqualTo("sgd-nesterov");
        assertThat(d.origin()).isEqualTo(Origin.USER);
    }
}
