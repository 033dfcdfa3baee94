package dev.hone.train;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The report's worst and best images never share an image, and a perfect one is never among the worst. */
class ShownImagesTest {
    private static Integer[] order(int n) {
        Integer[] o = new Integer[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        return o;
    }

    @Test
    void aSmallSplitIsSharedOutNotShownTwice() {
        // 8 images, 6 shown each: the worst 4 and the best 4 (before, images 2 to 5 were in both lists)
        assertThat(ShownImages.of(order(8), new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8}, 6))
                .isEqualTo(new ShownImages(4, 4));
        // a large split shows 6 of each end
        assertThat(ShownImages.of(order(100), new double[100], 6)).isEqualTo(new ShownImages(6, 94));
    }

    @Test
    void perfectImagesAreNotAmongTheWorst() {
        assertThat(ShownImages.of(order(10), new double[] {0.2, 0.9, 1, 1, 1, 1, 1, 1, 1, 1}, 6)).isEqualTo(new ShownImages(2, 4));
        assertThat(ShownImages.of(order(3), new double[] {1, 1, 1}, 6)).isEqualTo(new ShownImages(0, 0));
    }
}
