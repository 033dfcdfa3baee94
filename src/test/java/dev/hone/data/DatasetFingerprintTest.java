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

    @Test
    void segmentationSetsDifferByTheirMasksAndFromTheSameImagesWithout() {
        ImageSet images = set(new byte[8], new int[] {0, 1}, List.of("a", "b"));
        byte[] masks = {0, 1, 1, 0, 1, 1, (byte) 255, 0};
        byte[] other = masks.clone();
        other[0] = 1;
        String plain = DatasetFingerprint.of(images);
        String withMasks = DatasetFingerprint.of(images.withMasks(masks));
        assertThat(withMasks).isNotEqualTo(plain);
        assertThat(DatasetFingerprint.of(images.withMasks(other))).isNotEqualTo(withMasks);
        assertThat(DatasetFingerprint.of(images.withMasks(masks.clone()))).isEqualTo(withMasks);
    }

    /** The hash of a set without masks is pinned, so no later change can silently alter recorded fingerprints. */
    @Test
    void aSetWithoutMasksKeepsItsFingerprint() {
        assertThat(DatasetFingerprint.of(set(new byte[8], new int[] {0, 1}, List.of("a", "b"))))
                .isEqualTo(PINNED);
    }

    /** SHA-256 of "hone-imageset-v1", the header ints 2,1,2,2,2, the names "a" and "b" length-prefixed, labels 0,1 and 8 zero bytes (computed apart from this class). */
    private static final String PINNED = "886568d32b41483dc5dd42dd15bb0f1c7391056f72b05be756e69cc427caae3a";
}
