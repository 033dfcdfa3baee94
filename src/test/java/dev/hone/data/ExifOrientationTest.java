package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExifOrientationTest {
    /**
     * Stored, 2 rows x 3 columns:
     * <pre>
     * 1 2 3
     * 4 5 6
     * </pre>
     * Expected: the image as shown, row by row, by the TIFF 6.0 meaning of each value (where stored
     * row 0 / column 0 belong), written out by hand.
     */
    @ParameterizedTest(name = "orientation {0}")
    @CsvSource({
        "1, 2, 3, '1 2 3 4 5 6'", // upright
        "2, 2, 3, '3 2 1 6 5 4'", // mirrored left-right
        "3, 2, 3, '6 5 4 3 2 1'", // turned 180
        "4, 2, 3, '4 5 6 1 2 3'", // mirrored top-bottom
        "5, 3, 2, '1 4 2 5 3 6'", // transposed: stored row 0 is shown as column 0
        "6, 3, 2, '4 1 5 2 6 3'", // turned 90 clockwise to show: stored row 0 becomes the right column
        "7, 3, 2, '6 3 5 2 4 1'", // transversed
        "8, 3, 2, '3 6 2 5 1 4'", // turned 90 counter-clockwise to show: stored row 0 becomes the left column, upwards
    })
    void turnsTheStoredPixelsAsTheTagSays(int orientation, int shownH, int shownW, String shown) {
        float[] stored = {1, 2, 3, 4, 5, 6};
        float[] out = ExifOrientation.apply(stored, 2, 3, orientation);
        assertThat(ExifOrientation.swapsAxes(orientation)).isEqualTo(shownH == 3);
        StringBuilder s = new StringBuilder();
        for (float v : out) {
            s.append(s.length() == 0 ? "" : " ").append((int) v);
        }
        assertThat(s.toString()).isEqualTo(shown);
        assertThat(out).hasSize(shownH * shownW);
    }

    @ParameterizedTest
    @CsvSource({"0", "9", "-1"})
    void valuesOutsideOneToEightLeaveThePixels(int orientation) {
        float[] stored = {1, 2, 3, 4, 5, 6};
        assertThat(ExifOrientation.apply(stored, 2, 3, orientation)).isSameAs(stored);
        assertThat(ExifOrientation.swapsAxes(orientation)).isFalse();
    }
}
