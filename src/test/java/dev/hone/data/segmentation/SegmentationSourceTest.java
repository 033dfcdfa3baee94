package dev.hone.data.segmentation;

import static dev.hone.data.segmentation.MaskFiles.box;
import static dev.hone.data.segmentation.MaskFiles.filled;
import static dev.hone.data.segmentation.MaskFiles.image;
import static dev.hone.data.segmentation.MaskFiles.save;
import static dev.hone.data.segmentation.MaskFiles.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.PixelConverter;
import dev.hone.data.SkippedFiles.Reason;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentationSourceTest {
    @TempDir Path dir;

    private static final int IGNORE = SegmentationSource.DEFAULT_IGNORE_INDEX;

    /** Image i's mask as unsigned values. */
    static int[] mask(ImageSet set, int i) {
        int hw = set.height() * set.width();
        int[] out = new int[hw];
        for (int p = 0; p < hw; p++) {
            out[p] = set.masks()[i * hw + p] & 0xFF;
        }
        return out;
    }

    static int[] flat(int[][] m) {
        return Arrays.stream(m).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void folderOfGreyMasksNumbersTheClassesAndKeepsEveryValue() {
        int[][] a = box(6, 8, 0, 1, 4, 2, 6, 2);
        int[][] b = box(6, 8, 0, 0, 6, 0, 3, 1);
        b[5][7] = 255;
        save(image(6, 8, 0), "png", dir.resolve("images/a.png"));
        save(image(6, 8, 50), "png", dir.resolve("images/b.png"));
        save(MaskFiles.grey(a), "png", dir.resolve("masks/a.png"));
        save(MaskFiles.grey(b), "png", dir.resolve("masks/b.png"));

        var read = SegmentationSource.readFolder(dir, null, null, IGNORE);
        ImageSet set = read.images();

        assertThat(set.segmentation()).isTrue();
        assertThat(set.classNames()).containsExactly("class 0", "class 1", "class 2");
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 6, 8));
        assertThat(mask(set, 0)).containsExactly(flat(a));
        assertThat(mask(set, 1)).containsExactly(flat(b));
        assertThat(set.labels()).containsExactly(2, 1);
        assertThat(set.source(0)).endsWith("a.png");
        assertThat(read.skipped().isEmpty()).isTrue();
    }

    @Test
    void jpegImagesPairWithPngMasksByNameAtAnyDepthAndOtherFilesAreSkipped() {
        save(MaskFiles.colour(6, 6, 0x102030), "jpg", dir.resolve("images/2007_000032.jpg"));
        save(MaskFiles.colour(6, 6, 0x302010), "jpg", dir.resolve("images/city/b.JPEG"));
        save(MaskFiles.grey(box(6, 6, 0, 0, 2, 0, 2, 1)), "png", dir.resolve("masks/2007_000032.png"));
        save(MaskFiles.grey(box(6, 6, 0, 0, 3, 0, 3, 1)), "png", dir.resolve("masks/city/b.png"));
        text(dir.resolve("masks/notes.txt"), "n");
        text(dir.resolve("images/.DS_Store"), "x");
        text(dir.resolve("README.md"), "r");
        text(dir.resolve("classes.txt"), "background\nroad\n");

        var read = SegmentationSource.readFolder(dir, null, null, IGNORE);
        ImageSet set = read.images();

        assertThat(set.size()).isEqualTo(2);
        assertThat(set.channels()).isEqualTo(3);
        assertThat(set.classNames()).containsExactly("background", "road");
        assertThat(set.source(0)).endsWith("2007_000032.jpg");
        assertThat(set.source(1)).endsWith("b.JPEG");
        assertThat(Arrays.stream(mask(set, 1)).filter(v -> v == 1).count()).isEqualTo(9);
        assertThat(read.skipped().count(Reason.UNSUPPORTED_FORMAT)).isEqualTo(1);
        assertThat(read.skipped().count(Reason.HIDDEN)).isEqualTo(1);
        assertThat(read.skipped().count(Reason.OUTSIDE_SEGMENTATION_FOLDERS)).isEqualTo(1);
    }

    @Test
    void paletteMasksGiveThePaletteIndexNotTheColourAndVocLabelmapNamesTheClasses() {
        int[][] m = box(5, 5, 0, 1, 4, 1, 4, 15);
        m[0][0] = 255; // VOC's object boundary: ignore
        m[4][4] = 1;
        save(image(5, 5, 0), "png", dir.resolve("images/x.png"));
        save(MaskFiles.palette(m), "png", dir.resolve("masks/x.png"));
        StringBuilder labelmap = new StringBuilder("# label:color_rgb:parts:actions\n");
        String[] voc = {"background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair",
            "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"};
        for (String name : voc) {
            labelmap.append(name).append(":0,0,0::\n");
        }
        text(dir.resolve("labelmap.txt"), labelmap.toString());

        ImageSet set = SegmentationSource.readFolder(dir, null, null, IGNORE).images();

        assertThat(set.classNames()).hasSize(21).startsWith("background", "aeroplane").contains("person");
        int[] got = mask(set, 0);
        assertThat(got[0]).isEqualTo(ImageSet.IGNORE);
        assertThat(got[2 * 5 + 2]).isEqualTo(15);
        assertThat(got[24]).isEqualTo(1);
        assertThat(set.label(0)).isEqualTo(15);
        assertThat(set.classCounts()[15]).isEqualTo(1);
    }

    @Test
    void binaryMasksOfZeroAnd255AreBackgroundAndForeground() {
        save(image(4, 4, 0), "png", dir.resolve("images/a.png"));
        save(image(4, 4, 9), "png", dir.resolve("images/b.png"));
        save(MaskFiles.grey(box(4, 4, 0, 0, 2, 0, 4, 255)), "png", dir.resolve("masks/a.png"));
        save(MaskFiles.grey(filled(4, 4, 0)), "png", dir.resolve("masks/b.png"));

        ImageSet set = SegmentationSource.readFolder(dir, null, null, IGNORE).images();

        assertThat(set.classNames()).containsExactly("background", "foreground");
        assertThat(mask(set, 0)).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        assertThat(set.labels()).containsExactly(1, 0);
    }

    @Test
    void zeroAnd255WithAClassFileOfMoreThanTwoClassesIsBackgroundAndIgnore() {
        save(image(4, 4, 0), "png", dir.resolve("images/a.png"));
        save(MaskFiles.grey(box(4, 4, 0, 0, 2, 0, 4, 255)), "png", dir.resolve("masks/a.png"));
        text(dir.resolve("classes.txt"), "sky\ntree\nroad\n");

        ImageSet set = SegmentationSource.readFolder(dir, null, null, IGNORE).images();

        assertThat(set.classNames()).containsExactly("sky", "tree", "road");
        assertThat(mask(set, 0)[0]).isEqualTo(ImageSet.IGNORE);
        assertThat(mask(set, 0)[15]).isZero();
    }

    @Test
    void theUsersIgnoreIndexIsStoredAs255() {
        int[][] m = box(4, 4, 0, 0, 2, 0, 2, 2);
        m[3][3] = 9;
        save(image(4, 4, 0), "png", dir.resolve("images/a.png"));
        save(MaskFiles.grey(m), "png", dir.resolve("masks/a.png"));

        ImageSet set = SegmentationSource.readFolder(dir, null, null, 9).images();

        assertThat(set.classNames()).hasSize(3);
        assertThat(mask(set, 0)[15]).isEqualTo(ImageSet.IGNORE);
        assertThat(mask(set, 0)[0]).isEqualTo(2);
    }

    @Test
    void resizingKeepsMaskValuesExactByNearestNeighbour() {
        int[][] m = new int[8][8];
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                m[y][x] = (x + 3 * y) % 5 == 0 ? 255 : (x / 2 + y) % 4;
            }
        }
        save(image(8, 8, 0), "png", dir.resolve("images/a.png"));
        save(MaskFiles.grey(m), "png", dir.resolve("masks/a.png"));
        byte[] raw = new byte[64];
        int[] values = flat(m);
        for (int p = 0; p < 64; p++) {
            raw[p] = (byte) values[p];
        }

        for (ImageFormat format : List.of(new ImageFormat(3, 3, 5), new ImageFormat(1, 13, 11))) {
            ImageSet set = SegmentationSource.readFolder(dir, format, null, IGNORE).images();
            assertThat(ImageFormat.of(set)).isEqualTo(format);
            byte[] expected = PixelConverter.nearest(raw, 1, 8, 8, format.height(), format.width());
            assertThat(set.masks()).containsExactly(expected);
            assertThat(Arrays.stream(mask(set, 0)).allMatch(v -> v == ImageSet.IGNORE || v < 4)).isTrue();
        }
    }

    @Test
    void imagesOfMixedSizesAreConformedWithTheirMasks() {
        save(image(8, 8, 0), "png", dir.resolve("images/a.png"));
        save(image(16, 16, 0), "png", dir.resolve("images/b.png"));
        save(image(16, 16, 0), "png", dir.resolve("images/c.png"));
        save(MaskFiles.grey(box(8, 8, 0, 0, 4, 0, 8, 1)), "png", dir.resolve("masks/a.png"));
        save(MaskFiles.grey(box(16, 16, 0, 8, 16, 0, 16, 2)), "png", dir.resolve("masks/b.png"));
        save(MaskFiles.grey(filled(16, 16, 1)), "png", dir.resolve("masks/c.png"));

        ImageSet set = SegmentationSource.readFolder(dir, null, null, IGNORE).images();

        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 16, 16));
        int[] a = mask(set, 0);
        assertThat(a[0]).isEqualTo(1);
        assertThat(a[255]).isZero();
        assertThat(Arrays.stream(a).filter(v -> v == 1).count()).isEqualTo(128);
    }

    @Test
    void greyMasksStoredAsRgbAreRead() {
        int[][] m = box(4, 4, 0, 0, 2, 0, 2, 1);
        java.awt.image.BufferedImage rgb = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int v = m[y][x];
                rgb.setRGB(x, y, v << 16 | v << 8 | v);
            }
        }
        save(image(4, 4, 0), "png", dir.resolve("images/a.png"));
        save(rgb, "png", dir.resolve("masks/a.png"));

        ImageSet set = SegmentationSource.readFolder(dir, null, null, IGNORE).images();

        assertThat(mask(set, 0)).containsExactly(flat(m));
    }

    @Test
    void csvManifestOfImageAndMaskPaths() {
        save(image(4, 4, 0), "png", dir.resolve("pics/a.png"));
        save(MaskFiles.colour(4, 4, 0x112233), "jpg", dir.resolve("pics/b.jpg"));
        save(MaskFiles.grey(box(4, 4, 0, 0, 1, 0, 1, 3)), "png", dir.resolve("labels/a_mask.png"));
        save(MaskFiles.palette(box(4, 4, 0, 0, 2, 0, 2, 1)), "png", dir.resolve("labels/b_mask.png"));
        Path csv = text(dir.resolve("train.csv"), "image,mask\npics/b.jpg,labels/b_mask.png\npics/a.png,labels/a_mask.png\n"
                + "pics/a.png,labels/a_mask.png\n");

        assertThat(SegmentationSource.isSegmentationManifest(csv)).isTrue();
        ImageSet set = SegmentationSource.loadManifest(csv, null, null, IGNORE).images();

        assertThat(set.size()).isEqualTo(2);
        assertThat(set.source(0)).endsWith("b.jpg");
        assertThat(set.classNames()).containsExactly("class 0", "class 1", "class 2", "class 3");
        assertThat(set.labels()).containsExactly(1, 3);
    }

    @Test
    void aTestSetTakesTheTrainingClassesAndFormat() {
        save(image(10, 10, 0), "png", dir.resolve("images/a.png"));
        save(MaskFiles.grey(box(10, 10, 0, 0, 5, 0, 5, 1)), "png", dir.resolve("masks/a.png"));
        List<String> training = List.of("bg", "cat", "dog");

        ImageSet set = SegmentationSource.readFolder(dir, new ImageFormat(3, 5, 5), training, IGNORE).images();

        assertThat(set.classNames()).isEqualTo(training);
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(3, 5, 5));
        assertThat(set.label(0)).isEqualTo(1);
    }

    @Test
    void labelsAreTheMostFrequentClassOtherThanBackground() {
        int[][] m = box(6, 6, 0, 0, 2, 0, 6, 1); // 12 pixels of 1
        for (int x = 0; x < 6; x++) {
            m[2][x] = 2;
            m[3][x] = 2;
            m[4][x] = 2; // 18 of 2; background 6
        }
        save(image(6, 6, 0), "png", dir.resolve("images/a.png"));
        save(MaskFiles.grey(m), "png", dir.resolve("masks/a.png"));
        save(image(6, 6, 1), "png", dir.resolve("images/b.png"));
        save(MaskFiles.grey(box(6, 6, 0, 0, 1, 0, 1, 255)), "png", dir.resolve("masks/b.png"));

        ImageSet set = SegmentationSource.readFolder(dir, null, null, IGNORE).images();

        assertThat(set.labels()).containsExactly(2, 0);
    }

    @Test
    void aStrayValueWithoutAClassFileWarnsOfTheEmptyClassesAndNamesTheMask() {
        int[][] stray = box(6, 8, 0, 1, 4, 2, 6, 2);
        stray[0][0] = 9;
        stray[0][1] = 9;
        save(image(6, 8, 0), "png", dir.resolve("images/a.png"));
        save(image(6, 8, 50), "png", dir.resolve("images/b.png"));
        save(MaskFiles.grey(box(6, 8, 0, 0, 6, 0, 3, 1)), "png", dir.resolve("masks/a.png"));
        save(MaskFiles.grey(stray), "png", dir.resolve("masks/b.png"));

        var read = SegmentationSource.readFolder(dir, null, null, IGNORE);

        assertThat(read.images().classNames()).hasSize(10); // a warning, not an error: the run goes on
        assertThat(read.warnings()).singleElement().asString()
                .startsWith(dir + ": no pixel of any mask has the values 3-8")
                .contains("6 of the 10 classes have no pixel")
                .contains(dir.resolve("masks/b.png") + " (value 9, 2 pixels)")
                .contains("Fix: add a classes.txt", "or repair the masks")
                .doesNotContain(dir.resolve("masks/a.png").toString());
    }

    @Test
    void oneUnusedValueWarnsTooAndAClassFileSilencesTheWarning() {
        save(image(6, 8, 0), "png", dir.resolve("images/a.png"));
        save(MaskFiles.grey(box(6, 8, 0, 1, 4, 2, 6, 2)), "png", dir.resolve("masks/a.png"));
        assertThat(SegmentationSource.readFolder(dir, null, null, IGNORE).images().classNames()).hasSize(3);
        assertThat(SegmentationSource.readFolder(dir, null, null, IGNORE).warnings()).singleElement().asString()
                .contains("the value 1,").contains("(value 2, 12 pixels)");

        text(dir.resolve("classes.txt"), "background\ncat\ndog\n"); // named classes may have no pixel here
        assertThat(SegmentationSource.readFolder(dir, null, null, IGNORE).warnings()).isEmpty();
    }

    @Test
    void unusedValuesAreWrittenAsRanges() {
        assertThat(MaskedImageLoader.ranges(List.of(3, 5, 6, 7, 11, 12, 14))).isEqualTo("3, 5-7, 11, 12, 14");
        assertThat(MaskedImageLoader.ranges(List.of(11))).isEqualTo("11");
    }
}
