package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The guard-rail's word on a comparison its validation split cannot resolve. */
class SslGuardRailTest {

    @Test
    void anIntervalWiderThanTenPointsIsCalledUnresolvedWithTheFix() {
        // 1% of Fashion-MNIST's labels: 60 validation images, gain -1.7 points, interval -10.0 to +6.7
        assertThat(SslGuardRail.unresolved(-0.1000, 0.0667, 60)).contains("spans 17 points", "60 validation images cannot tell",
                "the rule's, not the evidence's", "--val-fraction");
        // 10%: 600 images, an interval of 6 points
        assertThat(SslGuardRail.unresolved(-0.01, 0.05, 600)).isEmpty();
        assertThat(SslGuardRail.unresolved(-0.05, 0.05, 600)).as("exactly 10 points").isEmpty();
    }
}
