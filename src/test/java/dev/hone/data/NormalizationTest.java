package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-channel statistics, and the floor that keeps sparse or constant images from blowing up. */
class NormalizationTest {

    private static ImageSet grey(int n, int size, java.util.function.IntUnaryOperator pixel) {
        byte[] px = new byte[n * size * size];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) pixel.applyAsInt(i);
        }
        return new ImageSet(px, new int[n], 1, size, size, List.of("a", "b"), i -> "img" + i);
    }

    @Test
    void ordinaryImagesKeepTheirMeasuredStatistics() {
        // half 0, half 255: mean 0.5, std 0.5
        Normalization n = Normalization.of(grey(4, 8, i -> i % 2 == 0 ? 0 : 255));
        assertThat(n.mean()[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(n.std()[0]).isCloseTo(0.5f, within(1e-6f));
        assertThat(n.degenerate()).isEmpty();
    }

    @Test
    void oneBrightPixelPerImageIsHeldAtTheFloor() {
        // one 255 pixel in each black 32x32 image: mean 1/1024, measured std about 0.031
        Normalization n = Normalization.of(grey(3, 32, i -> i % 1024 == 0 ? 255 : 0));
        double mean = 1.0 / 1024;
        assertThat(n.mean()[0]).isCloseTo((float) mean, within(1e-6f));
        assertThat(n.std()[0]).isCloseTo((float) ((1 - mean) / 10), within(1e-6f));
        // the bright pixel normalises to at most 10, not about 32
        assertThat((1 - n.mean()[0]) / n.std()[0]).isCloseTo(10f, within(1e-3f));
        assertThat(n.degenerate()).singleElement().asString().contains("channel 0").contains("barely varies");
    }

    @Test
    void aConstantChannelStaysFinite() {
        Normalization n = Normalization.of(grey(2, 4, i -> 7));
        assertThat(n.std()[0]).isGreaterThan(0f);
        assertThat(Float.isFinite((7 / 255f - n.mean()[0]) / n.std()[0])).isTrue();
        assertThat(n.degenerate()).hasSize(1);
    }
}
