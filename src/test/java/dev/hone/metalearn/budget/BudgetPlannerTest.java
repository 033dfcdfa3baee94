package dev.hone.metalearn.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BudgetPlannerTest {

    @Test
    void parsesDurations() {
        assertThat(Budget.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Budget.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Budget.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Budget.parse("2.5m")).isEqualTo(Duration.ofSeconds(150));
        for (String bad : new String[] {"", "10", "10x", "m10", "5s", "10m junk"}) {
            assertThatThrownBy(() -> Budget.parse(bad)).isInstanceOf(HoneException.class).hasMessageContaining("Fix");
        }
        // a bare number in range is not "out of range": it lacks its unit
        assertThatThrownBy(() -> Budget.parse("90")).isInstanceOf(HoneException.class).hasMessageContaining("no unit")
                .hasMessageContaining("90s").hasMessageContaining("90m");
        // only the readings in range are offered: 10s is too short, and 0 has none
        assertThatThrownBy(() -> Budget.parse("10")).hasMessageContaining("write 10m for minutes (").hasMessageNotContaining("10s");
        assertThatThrownBy(() -> Budget.parse("0")).hasMessageContaining("is not a duration from 30s to 7d");
        // days, up to the 7 the help names
        assertThat(Budget.parse("1d")).isEqualTo(java.time.Duration.ofDays(1));
        assertThat(Budget.parse("6d23h")).isEqualTo(java.time.Duration.ofHours(167));
        assertThat(Budget.parse("7d")).isEqualTo(java.time.Duration.ofDays(7));
        assertThatThrownBy(() -> Budget.parse("8d")).hasMessageContaining("is not a duration from 30s to 7d");
    }

    @Test
    void fillsTheBudgetWithWholeAndPartialEpochs() {
        // 600 s budget, 90 s spent, 500 images/s, batch 100, 50,000 training images: 100 s an epoch
        BudgetPlanner.Plan p = BudgetPlanner.plan(600, 90, 500, 100, 50_000, 5_000, 10_000);
        double validation = 5_000 / 1500.0;
        double test = 10_000 / 1500.0;
        double available = (600 - 90 - test - 5) * (1 - BudgetPlanner.MARGIN);
        assertThat(p.epochs()).isEqualTo(5);
        assertThat(p.totalSteps()).isGreaterThan(4 * 500).isLessThan(5 * 500);
        assertThat(p.trainSeconds()).isLessThanOrEqualTo(available + 1e-9);
        assertThat(p.trainSeconds() + 90 + test + 5).isGreaterThan(0.9 * 600).isLessThanOrEqualTo(600);
        assertThat(validation).isPositive();
    }

    @Test
    void aBudgetTooSmallStillTrainsOneStep() {
        BudgetPlanner.Plan p = BudgetPlanner.plan(60, 59, 10, 100, 1000, 100, 100);
        assertThat(p.totalSteps()).isEqualTo(1);
        assertThat(p.epochs()).isEqualTo(1);
    }
}
