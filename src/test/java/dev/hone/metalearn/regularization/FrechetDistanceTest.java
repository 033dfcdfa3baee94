package dev.hone.metalearn.regularization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    @Test
    void identicalSetsAreAtZero() {
        float[][] a = {{1, 2}, {3, 4}, {5, 0}};
        assertThat(FrechetDistance.between(a, a)).isCloseTo(0, within(1e-12));
    }

    @Test
    void matchesTheClosedFormForDiagonalGaussians() {
        // N(mu1, diag(s1^2)) vs N(mu2, diag(s2^2)): |mu1-mu2|^2 + sum (s1 - s2)^2
        double d = FrechetDistance.diagonal(new double[] {0, 1}, new double[] {4, 1}, new double[] {3, 1}, new double[] {1, 9});
        assertThat(d).isCloseTo(9 + 0 + (2 - 1) * (2 - 1) + (1 - 3) * (1 - 3), within(1e-12));
    }

    @Test
    void samplesConvergeToThePopulationDistance() {
        Random r = new Random(1);
        float[][] a = new float[20000][3];
        float[][] b = new float[20000][3];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < 3; j++) {
                a[i][j] = (float) r.nextGaussian();
                b[i][j] = (float) (2 + 3 * r.nextGaussian());
            }
        }
        // per dimension: mean shift 2 -> 4, std 1 vs 3 -> 4; three dimensions -> 24
        assertThat(FrechetDistance.between(a, b)).isCloseTo(24, within(0.6));
    }

    @Test
    void growsWithTheShift() {
        float[][] a = {{0}, {1}, {2}};
        float[][] near = {{0.5f}, {1.5f}, {2.5f}};
        float[][] far = {{2}, {3}, {4}};
        assertThat(FrechetDistance.between(a, near)).isLessThan(FrechetDistance.between(a, far));
    }
}
