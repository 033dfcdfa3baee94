package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LaunchTimeTest {
    @Test
    void theLaunchersTimeCountsOnlyWhenItIsRecentAndReadable() {
        assertThat(LaunchTime.since("1000", 2_900)).isEqualTo(1_900);
        assertThat(LaunchTime.since(" 1000\n", 1_000)).isZero();
        assertThat(LaunchTime.since("1000", 1_000 + LaunchTime.MAX_MS + 1)).as("stale").isZero();
        assertThat(LaunchTime.since("5000", 1_000)).as("in the future").isZero();
        assertThat(LaunchTime.since("soon", 1_000)).isZero();
    }

    @Test
    void onlyTheFirstRunOfAProcessReadsIt() {
        System.setProperty(LaunchTime.PROPERTY, Long.toString(System.currentTimeMillis() - 1_500));
        assertThat(LaunchTime.sinceLaunchMillis()).isBetween(1_500L, 1_500L + 5_000);
        assertThat(LaunchTime.sinceLaunchMillis()).isZero();
    }
}
