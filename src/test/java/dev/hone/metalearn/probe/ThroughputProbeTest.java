package dev.hone.metalearn.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.metalearn.probe.ThroughputProbe.Point;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ThroughputProbeTest {

    /** A timer that answers scripted figures per batch, one per call, and records the calls. */
    private static final class Script implements ThroughputProbe.Timer {
        final Map<Integer, double[]> figures = new HashMap<>();
        final Map<Integer, Integer> calls = new HashMap<>();
        final List<Integer> order = new ArrayList<>();
        double seconds;

        Script with(int batch, double... ips) {
            figures.put(batch, ips);
            return this;
        }

        @Override
        public double imagesPerSecond(int batch) {
            int n = calls.merge(batch, 1, Integer::sum) - 1;
            order.add(batch);
            double[] f = figures.get(batch);
            double ips = f[Math.min(n, f.length - 1)];
            seconds += 3.0 * batch / ips;
            return ips;
        }
    }

    @Test
    void eachSizeKeepsItsFastestRoundAndTheRepeatsAlternateOrder() {
        // the warm-up round measures 16 slow; the later rounds find it as fast as 64
        Script s = new Script().with(16, 200, 450, 430).with(32, 300, 440, 460).with(64, 400, 470, 450)
                .with(128, 420, 480, 475).with(256, 180, 190, 185);
        ThroughputProbe.Curve whole = ThroughputProbe.curve(s, 2048, Double.POSITIVE_INFINITY, () -> s.seconds);
        List<Point> curve = whole.points();

        assertThat(whole.complete()).isTrue();
        assertThat(curve).containsExactly(new Point(16, 450, true), new Point(32, 460, true), new Point(64, 470, true),
                new Point(128, 480, true), new Point(256, 180, true));
        // the doubling round stops after two sizes in a row without a 5% gain: 128 (420 vs 400) and 256
        assertThat(s.order.subList(0, 5)).containsExactly(16, 32, 64, 128, 256);
        // 256 ran at under half the fastest and after it, so it is not timed again
        assertThat(s.order.subList(5, 9)).containsExactly(128, 64, 32, 16);
        assertThat(s.order.subList(9, 13)).containsExactly(16, 32, 64, 128);
        assertThat(s.calls.get(256)).isEqualTo(1);
    }

    @Test
    void repeatRoundsStopWhenTheyWouldOverrunTheAllowance() {
        Script s = new Script().with(16, 400).with(32, 400).with(64, 400);
        // the doubling round costs 0.12 + 0.24 + 0.48 = 0.84 s; a repeat round would cost as much again
        ThroughputProbe.Curve cut = ThroughputProbe.curve(s, 64, 1.5, () -> s.seconds);
        List<Point> curve = cut.points();
        assertThat(cut.complete()).as("a curve cut short by the allowance is not kept for later runs").isFalse();

        assertThat(curve).hasSize(3);
        assertThat(s.order).containsExactly(16, 32, 64);
    }

    @Test
    void aBatchThatRunsOutOfMemoryEndsTheCurveAndIsNotTimedAgain() {
        Script s = new Script().with(16, 100, 110, 120).with(32, 200, 190, 180);
        ThroughputProbe.Timer oom = b -> {
            if (b >= 64) {
                throw new OutOfMemoryError("scripted");
            }
            return s.imagesPerSecond(b);
        };
        List<Point> curve = ThroughputProbe.curve(oom, 2048, Double.POSITIVE_INFINITY, () -> s.seconds).points();

        assertThat(curve).containsExactly(new Point(16, 120, true), new Point(32, 200, true), new Point(64, 0, false));
        assertThat(s.calls).containsEntry(16, 3).containsEntry(32, 3);
    }

    @Test
    void onlyFittingPointsUpToTheFastestOrAtHalfItsSpeedAreTimedAgain() {
        List<Point> points = List.of(new Point(16, 100, true), new Point(32, 300, true), new Point(64, 160, true),
                new Point(128, 140, true), new Point(256, 0, false));
        assertThat(ThroughputProbe.retimed(points)).containsExactly(0, 1, 2);
        assertThat(ThroughputProbe.retimed(List.of(new Point(16, 0, false)))).isEmpty();
    }
}
