package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A detection set's fingerprint covers its boxes; conforming it to another size scales them. */
class DetectionFingerprintTest {

    private static ImageSet set(float[]... boxes) {
        return new ImageSet(new byte[boxes.length * 8], new int[boxes.length], 1, 2, 4, List.of("cat", "dog"), i -> "img" + i)
                .withBoxes(boxes);
    }

    @Test
    void changingAnyPartOfABoxChangesTheFingerprint() {
        String base = DatasetFingerprint.of(set(new float[] {0, 0, 0, 2, 2, 0}, new float[0]));
        assertThat(DatasetFingerprint.of(set(new float[] {0, 0, 0, 2, 2, 0}, new float[0]))).isEqualTo(base);
        assertThat(DatasetFingerprint.of(set(new float[] {0, 0, 0, 2.5f, 2, 0}, new float[0]))).isNotEqualTo(base);
        assertThat(DatasetFingerprint.of(set(new float[] {1, 0, 0, 2, 2, 0}, new float[0]))).isNotEqualTo(base);
        assertThat(DatasetFingerprint.of(set(new float[] {0, 0, 0, 2, 2, 1}, new float[0]))).isNotEqualTo(base);
        // the same box on the other image
        assertThat(DatasetFingerprint.of(set(new float[0], new float[] {0, 0, 0, 2, 2, 0}))).isNotEqualTo(base);
        // no boxes at all still differs from a classification set of the same pixels
        ImageSet plain = new ImageSet(new byte[16], new int[2], 1, 2, 4, List.of("cat", "dog"), i -> "img" + i);
        assertThat(DatasetFingerprint.of(set(new float[0], new float[0]))).isNotEqualTo(DatasetFingerprint.of(plain));
    }

    @Test
    void conformingScalesTheBoxesWithThePixels() {
        ImageSet conformed = PixelConverter.conform(set(new float[] {1, 1, 0.5f, 4, 2, 1}), new ImageFormat(3, 4, 2));
        assertThat(conformed.detection()).isTrue();
        assertThat(conformed.boxes()[0]).containsExactly(new float[] {1, 0.5f, 1, 2, 4, 1}, within(1e-6f));
    }
}
