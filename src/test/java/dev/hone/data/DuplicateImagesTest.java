package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.data.DuplicateImages.Digest;
import dev.hone.data.DuplicateImages.Match;
import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicateImagesTest {

    /** 2x2 grey images, each given by its first pixel value; the other three pixels are 1, 2, 3. */
    private static ImageSet images(String prefix, int... firstPixels) {
        byte[] px = new byte[firstPixels.length * 4];
        for (int i = 0; i < firstPixels.length; i++) {
            px[4 * i] = (byte) firstPixels[i];
            px[4 * i + 1] = 1;
            px[4 * i + 2] = 2;
            px[4 * i + 3] = 3;
        }
        return new ImageSet(px, new int[firstPixels.length], 1, 2, 2, List.of("a", "b"), i -> prefix + i + ".png");
    }

    /** SHA-256 of the single byte 0x00 is 6e340b9cffb37a98 9ca544e6bb780a2c ...; the key is its first 128 bits. */
    @Test
    void digestIsTheFirst128BitsOfTheSha256OfThePixels() {
        ImageSet one = new ImageSet(new byte[] {0, 7}, new int[] {0, 0}, 1, 1, 1, List.of("a", "b"), i -> "x");
        Digest[] d = DuplicateImages.digests(one);
        assertThat(d[0]).isEqualTo(new Digest(0x6e340b9cffb37a98L, 0x9ca544e6bb780a2cL));
        assertThat(d[1]).isNotEqualTo(d[0]);
    }

    @Test
    void findsEveryImageOfASetThatCopiesAReferenceImage() {
        ImageSet train = images("train/", 10, 20, 30, 20);
        ImageSet test = images("test/", 30, 99, 20, 10, 40);

        List<Match> copies = DuplicateImages.across(train, test);

        // each copy points at the first reference image with its pixels (20 is at 1 and 3: 1)
        assertThat(copies).containsExactly(new Match(0, 2), new Match(2, 1), new Match(3, 0));
        assertThat(DuplicateImages.without(test.size(), copies)).containsExactly(1, 4);
        assertThat(DuplicateImages.across(train, images("other/", 11, 21))).isEmpty();
    }

    @Test
    void oneDifferentPixelIsNotACopy() {
        ImageSet a = images("a/", 50);
        byte[] px = a.pixels().clone();
        px[3] = 4;
        ImageSet b = new ImageSet(px, new int[1], 1, 2, 2, List.of("a", "b"), i -> "b");
        assertThat(DuplicateImages.across(a, b)).isEmpty();
    }

    @Test
    void repeatsWithinASetPointAtTheirFirstCopy() {
        ImageSet set = images("s/", 5, 6, 5, 7, 6, 5);
        assertThat(DuplicateImages.within(set, DuplicateImages.digests(set)))
                .containsExactly(new Match(2, 0), new Match(4, 1), new Match(5, 0));
    }

    @Test
    void setsOfDifferentFormatsAreNotCompared() {
        ImageSet small = new ImageSet(new byte[1], new int[1], 1, 1, 1, List.of("a", "b"), i -> "x");
        assertThatThrownBy(() -> DuplicateImages.across(small, images("a/", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be compared");
    }

    @Test
    void segmentationImagesAreCopiesByTheirPixelsWhateverTheirMasks() {
        ImageSet train = images("train/", 10, 20).withMasks(new byte[] {0, 0, 0, 0, 1, 1, 1, 1});
        ImageSet test = images("test/", 20, 30).withMasks(new byte[] {1, 0, 0, 1, 0, 1, (byte) 255, 0});

        List<Match> copies = DuplicateImages.across(train, test);

        assertThat(copies).containsExactly(new Match(0, 1));
        ImageSet kept = test.subset(DuplicateImages.without(test.size(), copies));
        assertThat(kept.segmentation()).isTrue();
        assertThat(kept.masks()).containsExactly(0, 1, (byte) 255, 0);
    }
}
