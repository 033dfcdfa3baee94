package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetFingerprintTest {

    private static ImageSet set(byte[] pixels, int[] labels, List<String> names) {
        return new ImageSet(pixels, labels, 1, 2, 2, names, i -> "x" + i);
    }

    @Test
    void isStableHexAndIgnoresSources() {
        ImageSet a = set(new byte[8], new int[] {0, 1}, List.of("a", "b"));
        ImageSet b = new ImageSet(new byte[8], new int[] {0, 1}, 1, 2, 2, List.of("a", "b"), i -> "elsewhere");
        assertThat(DatasetFingerprint.of(a)).matches("[0-9a-f]{64}").isEqualTo(DatasetFingerprint.of(b));
    }

    @Test
    void changesWithOnePixelLabelClassNameOrShape() {
        byte[] pixels = new byte[8];
        String base = DatasetFingerprint.of(set(pixels, new int[] {0, 1}, List.of("a", "b")));
        byte[] changed = pixels.clone();
        changed[7] = 1;
        assertThat(DatasetFingerprint.of(set(changed, new int[] {0, 1}, List.of("a", "b")))).isNotEqualTo(base);
        assertThat(DatasetFingerprint.of(set(pixels, new int[] {1, 1}, List.of("a", "b")))).isNotEqualTo(base);
        assertThat(DatasetFingerprint.of(set(pixels, new int[] {0, 1}, List.of("a", "c")))).isNotEqualTo(base);
        assertThat(DatasetFingerprint.of(set(pixels, new int[] {0, 1}, List.of("ab", "")))).isNotEqualTo(
                DatasetFingerprint.of(set(pixels, new int[] {0, 1}, List.of("a", "b"))));
        assertThat(DatasetFingerprint.of(new ImageSet(pixels, new int[] {0, 1}, 1, 1, 4, List.of("a", "b"),
                i -> ""))).isNotEqualTo(base);
    }
}
