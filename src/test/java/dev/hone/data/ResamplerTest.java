package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    @Test
    void sameSizeReturnsInput() {
        float[] src = {1, 2, 3, 4};
        assertThat(Resampler.resize(src, 2, 2, 2, 2)).isSameAs(src);
    }

    @Test
    void shrinkingAveragesTheCoveredArea() {
        float[] src = {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150};
        float[] out = Resampler.resize(src, 4, 4, 2, 2);
        assertThat(out).containsExactly(new float[] {25, 45, 105, 125}, within(1e-4f));
    }

    @Test
    void shrinkingByANonIntegerFactorWeighsPartialPixels() {
        float[] out = Resampler.resize(new float[] {0, 30, 60}, 1, 3, 1, 2);
        // output 0 covers [0, 1.5): (0 * 1 + 30 * 0.5) / 1.5 = 10; output 1 covers [1.5, 3): 50
        assertThat(out).containsExactly(new float[] {10, 50}, within(1e-4f));
    }

    @Test
    void enlargingIsBilinearWithHalfPixelCentres() {
        float[] out = Resampler.resize(new float[] {0, 100}, 1, 2, 1, 4);
        assertThat(out).containsExactly(new float[] {0, 25, 75, 100}, within(1e-4f));
    }

    @Test
    void constantImageStaysConstantWhateverTheSize() {
        float[] src = new float[7 * 5];
        java.util.Arrays.fill(src, 42f);
        for (float v : Resampler.resize(src, 7, 5, 3, 11)) {
            assertThat(v).isCloseTo(42f, within(1e-3f));
        }
    }

    @Test
    void converterTakesLuminanceAndReplicatesGrey() {
        float[][] red = {{255}, {0}, {0}};
        byte[] grey = new byte[1];
        PixelConverter.write(red, 1, 1, new ImageFormat(1, 1, 1), grey, 0);
        assertThat(grey[0] & 0xFF).isEqualTo(76); // 0.299 * 255

        byte[] rgb = new byte[3];
        PixelConverter.write(new float[][] {{200}}, 1, 1, new ImageFormat(3, 1, 1), rgb, 0);
        assertThat(rgb).containsExactly((byte) 200, (byte) 200, (byte) 200);
    }

    @Test
    void conformResizesAWholeSet() {
        byte[] pixels = new byte[2 * 4 * 4];
        java.util.Arrays.fill(pixels, 0, 16, (byte) 10);
        java.util.Arrays.fill(pixels, 16, 32, (byte) 250);
        ImageSet set = new ImageSet(pixels, new int[] {0, 1}, 1, 4, 4, java.util.List.of("a", "b"), i -> "img" + i);

        ImageSet out = PixelConverter.conform(set, new ImageFormat(3, 2, 2));

        assertThat(ImageFormat.of(out)).isEqualTo(new ImageFormat(3, 2, 2));
        assertThat(out.pixels()[0] & 0xFF).isEqualTo(10);
        assertThat(out.pixels()[12] & 0xFF).isEqualTo(250);
        assertThat(out.labels()).containsExactly(0, 1);
        assertThat(out.source(1)).isEqualTo("img1");
    }
}
