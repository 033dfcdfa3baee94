package dev.hone.data.segmentation;

import static dev.hone.data.segmentation.MaskFiles.box;
import static dev.hone.data.segmentation.MaskFiles.filled;
import static dev.hone.data.segmentation.MaskFiles.image;
import static dev.hone.data.segmentation.MaskFiles.save;
import static dev.hone.data.segmentation.MaskFiles.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.ImageSet;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input is a HoneException naming the files involved and the fix. */
class SegmentationErrorsTest {
    @TempDir Path dir;

    private static final int IGNORE = SegmentationSource.DEFAULT_IGNORE_INDEX;

    private AbstractThrowableAssert<?, ? extends Throwable> readingFails() {
        return assertThatThrownBy(() -> SegmentationSource.readFolder(dir, null, null, IGNORE))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("Fix: ");
    }

    private void pair(String name, int[][] mask) {
        save(image(mask.length, mask[0].length, 0), "png", dir.resolve("images/" + name + ".png"));
        save(MaskFiles.grey(mask), "png", dir.resolve("masks/" + name + ".png"));
    }

    @Test
    void anImageWithoutAMaskNamesTheImageAndTheMaskLookedFor() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        save(image(4, 4, 0), "jpg", dir.resolve("images/b.jpg"));
        readingFails().hasMessageContaining("1 image without a mask")
                .hasMessageContaining(dir.resolve("images/b.jpg").toString())
                .hasMessageContaining(dir.resolve("masks/b.png").toString())
                .hasMessageContaining("under the image's name");
    }

    @Test
    void aMaskWithoutAnImageNamesTheMaskAndTheImageLookedFor() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        save(MaskFiles.grey(filled(4, 4, 1)), "png", dir.resolve("masks/c.png"));
        readingFails().hasMessageContaining("1 mask without an image")
                .hasMessageContaining(dir.resolve("masks/c.png").toString())
                .hasMessageContaining(dir.resolve("images/c.*").toString())
                .hasMessageContaining("or remove the mask");
    }

    @Test
    void aMaskOfAnotherSizeThanItsImageNamesBoth() {
        save(image(4, 6, 0), "png", dir.resolve("images/a.png"));
        save(MaskFiles.grey(box(4, 5, 0, 0, 2, 0, 2, 1)), "png", dir.resolve("masks/a.png"));
        readingFails().hasMessageContaining("mask is 5x4 (width x height)")
                .hasMessageContaining("is 6x4")
                .hasMessageContaining(dir.resolve("images/a.png").toString())
                .hasMessageContaining(dir.resolve("masks/a.png").toString())
                .hasMessageContaining("exactly its image's size");
    }

    @Test
    void aMaskValueOutsideTheClassesNamesBothFilesAndTheClassFile() {
        text(dir.resolve("classes.txt"), "background\ncat\ndog\n");
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        pair("b", box(4, 4, 0, 0, 1, 0, 1, 7));
        readingFails().hasMessageContaining("mask value 7 (1 pixel) is outside the 3 classes of "
                        + dir.resolve("classes.txt") + " (0-2)")
                .hasMessageContaining(dir.resolve("masks/b.png").toString())
                .hasMessageContaining(dir.resolve("images/b.png").toString())
                .hasMessageContaining("line k naming mask value k");
    }

    @Test
    void aTestMaskValueOutsideTheTrainingClasses() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 4));
        assertThatThrownBy(() -> SegmentationSource.readFolder(dir, null, List.of("bg", "cat"), IGNORE))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("mask value 4 (4 pixels) is outside the 2 training classes (0-1)")
                .hasMessageContaining(dir.resolve("images/a.png").toString())
                .hasMessageContaining("use test masks whose values are training classes");
    }

    @Test
    void anRgbMaskIsRefusedWithTheFormatsToUse() {
        save(image(4, 4, 0), "png", dir.resolve("images/a.png"));
        save(MaskFiles.rgb(box(4, 4, 0, 0, 2, 0, 2, 1)), "png", dir.resolve("masks/a.png"));
        readingFails().hasMessageContaining("mask is an RGB colour image, not class indices")
                .hasMessageContaining(dir.resolve("masks/a.png").toString())
                .hasMessageContaining(dir.resolve("images/a.png").toString())
                .hasMessageContaining("palette (indexed-colour) PNG")
                .hasMessageContaining("single-channel (greyscale) PNG");
    }

    @Test
    void binaryMasksWithAFewOtherValuesAreRefusedNotReadAsClasses() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 255));
        pair("b", box(4, 4, 0, 1, 3, 1, 3, 255));
        int[][] edge = box(4, 4, 0, 0, 2, 0, 2, 255);
        edge[2][0] = 128; // an anti-aliased edge
        pair("c", edge);
        readingFails().hasMessageContaining("2 of the 3 masks hold only 0 and 255")
                .hasMessageContaining(dir.resolve("masks/c.png") + " (1 pixel, e.g. value 128)")
                .hasMessageContaining("threshold at 128");
    }

    @Test
    void masksWithIgnoreBordersAndClassesStayClassesWhenFewAreBinary() throws Exception {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 255));
        int[][] b = box(4, 4, 0, 0, 2, 0, 2, 1);
        b[3][3] = 255;
        pair("b", b);
        pair("c", box(4, 4, 0, 1, 3, 1, 3, 2));
        org.assertj.core.api.Assertions.assertThat(SegmentationSource.readFolder(dir, null, null, IGNORE).images().classNames())
                .hasSize(3);
    }

    @Test
    void aMaskThatIsAllIgnoreNamesBothFiles() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        pair("b", filled(4, 4, 255));
        readingFails().hasMessageContaining("mask is all ignore (every pixel is 255)")
                .hasMessageContaining(dir.resolve("masks/b.png").toString())
                .hasMessageContaining(dir.resolve("images/b.png").toString());
    }

    @Test
    void allIgnoreCountsTheUsersIgnoreIndex() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        pair("b", filled(4, 4, 9));
        assertThatThrownBy(() -> SegmentationSource.readFolder(dir, null, null, 9))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("every pixel is 9");
    }

    @Test
    void aJpegMaskIsRefused() {
        save(image(4, 4, 0), "png", dir.resolve("images/a.png"));
        save(image(4, 4, 0), "jpg", dir.resolve("masks/a.jpg"));
        readingFails().hasMessageContaining("mask is a JPEG")
                .hasMessageContaining(dir.resolve("masks/a.jpg").toString())
                .hasMessageContaining(dir.resolve("images/a.png").toString());
    }

    @Test
    void twoImagesOfOneNameAreRefused() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        save(image(4, 4, 0), "jpg", dir.resolve("images/a.jpg"));
        readingFails().hasMessageContaining("two images share a name up to the extension")
                .hasMessageContaining(dir.resolve("images/a.jpg").toString())
                .hasMessageContaining(dir.resolve("images/a.png").toString());
    }

    @Test
    void value255IsAClassWhenAnotherIgnoreIndexIsGivenAndCannotBeStored() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 255));
        save(image(4, 4, 0), "png", dir.resolve("images/b.png"));
        save(MaskFiles.grey(box(4, 4, 0, 0, 2, 0, 2, 3)), "png", dir.resolve("masks/b.png"));
        assertThatThrownBy(() -> SegmentationSource.readFolder(dir, null, null, 3))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("mask value 255 is a class index because the ignore index is 3")
                .hasMessageContaining(dir.resolve("masks/a.png").toString());
    }

    @Test
    void onlyBackgroundIsNotEnough() {
        pair("a", filled(4, 4, 0));
        readingFails().hasMessageContaining("every mask holds only class 0");
    }

    @Test
    void anIgnoreIndexOutsideZeroTo255() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        assertThatThrownBy(() -> SegmentationSource.readFolder(dir, null, null, 300))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("--ignore-index 300");
    }

    @Test
    void aClassFileThatDiffersFromTheTrainingClasses() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        text(dir.resolve("classes.txt"), "bg\nperson\n");
        assertThatThrownBy(() -> SegmentationSource.readFolder(dir, null, List.of("bg", "car"), IGNORE))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("differ from the training classes [bg, car]")
                .hasMessageContaining(dir.resolve("classes.txt").toString());
    }

    @Test
    void aClassFileListingTheTrainingClassesInAnotherOrderIsMappedByName() {
        // 4x4, the top-left 2x2 block is value 1: 'bg' in this file, class 0 of the training classes [bg, car]
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        text(dir.resolve("classes.txt"), "car\nbg\n");
        ImageSet set = SegmentationSource.readFolder(dir, null, List.of("bg", "car"), IGNORE).images();
        assertThat(set.classNames()).containsExactly("bg", "car");
        byte[] masks = set.masks();
        assertThat(masks[0]).as("value 1, 'bg' here").isEqualTo((byte) 0);
        assertThat(masks[15]).as("value 0, 'car' here").isEqualTo((byte) 1);
    }

    @Test
    void manifestRowsNameTheirLineAndBothFiles() {
        save(image(4, 4, 0), "png", dir.resolve("a.png"));
        Path csv = text(dir.resolve("data.csv"), "image,mask\na.png,a_mask.png\n");
        assertThatThrownBy(() -> SegmentationSource.loadManifest(csv, null, null, IGNORE))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("missing mask file a_mask.png")
                .hasMessageContaining(dir.resolve("a.png").toString())
                .hasMessageContaining(csv + ", line 2");
    }

    @Test
    void anUnreadableImageOrAMisfitMaskNamesItsManifestLine() throws Exception {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        pair("b", box(4, 4, 0, 0, 2, 0, 2, 1));
        java.nio.file.Files.write(dir.resolve("images/b.png"), new byte[] {1, 2, 3});
        Path csv = text(dir.resolve("data.csv"), "image,mask\nimages/a.png,masks/a.png\nimages/b.png,masks/b.png\n");
        assertThatThrownBy(() -> SegmentationSource.loadManifest(csv, null, null, IGNORE))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(dir.resolve("images/b.png").toString())
                .hasMessageContaining("(listed at " + csv + ", line 3)")
                .hasMessageContaining("remove the line that lists it");

        pair("b", box(4, 4, 0, 0, 2, 0, 2, 1));
        save(MaskFiles.grey(filled(6, 4, 1)), "png", dir.resolve("masks/a.png"));
        assertThatThrownBy(() -> SegmentationSource.loadManifest(csv, null, null, IGNORE))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("mask is")
                .hasMessageContaining("(listed at " + csv + ", line 2)");
    }

    @Test
    void aManifestListingAnImageWithTwoMasks() {
        pair("a", box(4, 4, 0, 0, 2, 0, 2, 1));
        save(MaskFiles.grey(filled(4, 4, 1)), "png", dir.resolve("masks/a2.png"));
        Path csv = text(dir.resolve("data.csv"), "image,mask\nimages/a.png,masks/a.png\nimages/a.png,masks/a2.png\n");
        assertThatThrownBy(() -> SegmentationSource.loadManifest(csv, null, null, IGNORE))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("with two masks")
                .hasMessageContaining("line 2").hasMessageContaining("line 3");
    }
}
