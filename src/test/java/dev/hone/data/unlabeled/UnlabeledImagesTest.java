package dev.hone.data.unlabeled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.ImageDecoder;
import dev.hone.data.ImageFormat;
import dev.hone.data.ImageSet;
import dev.hone.data.SkippedFiles.Reason;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnlabeledImagesTest {
    private static final ImageFormat GREY_4 = new ImageFormat(1, 4, 4);

    @TempDir Path dir;

    /** A 4x4 grey image whose pixel (x, y) is {@code (base + 10 x + y) % 256}: distinct bases, distinct images. */
    private static BufferedImage grey(int base) {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img.getRaster().setSample(x, y, 0, (base + 10 * x + y) % 256);
            }
        }
        return img;
    }

    private static Path png(BufferedImage img, Path file) {
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(img, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path text(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A labelled set of {@code images}, decoded as the unlabeled ones are. */
    private static ImageSet labeled(String prefix, Path... images) {
        byte[] px = new byte[images.length * GREY_4.imageBytes()];
        for (int i = 0; i < images.length; i++) {
            ImageDecoder.decodeInto(images[i], GREY_4, px, i * GREY_4.imageBytes());
        }
        return new ImageSet(px, new int[images.length], 1, 4, 4, List.of("a", "b"), i -> prefix + i);
    }

    private static byte[] image(UnlabeledSet set, int i) {
        int bytes = set.format().imageBytes();
        return Arrays.copyOfRange(set.pixels(), i * bytes, (i + 1) * bytes);
    }

    @Test
    void readsEveryImageOfANestedFolderInPathOrderSkippingHiddenAndOtherFiles() {
        png(grey(1), dir.resolve("u/top.png"));
        png(grey(2), dir.resolve("u/cat/a.png"));
        png(grey(3), dir.resolve("u/cat/2019/summer/b.PNG"));
        png(grey(4), dir.resolve("u/shard-000/c.png"));
        png(grey(5), dir.resolve("u/.cache/hidden.png"));
        png(grey(6), dir.resolve("u/cat/.x.png"));
        text(dir.resolve("u/labels.txt"), "no labels here");

        UnlabeledSet set = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of());

        assertThat(set.size()).isEqualTo(4);
        assertThat(set.pixels()).hasSize(4 * 16);
        assertThat(List.of(set.source(0), set.source(1), set.source(2), set.source(3)))
                .satisfiesExactly(s -> assertThat(s).endsWith("cat/2019/summer/b.PNG"), s -> assertThat(s).endsWith("cat/a.png"),
                        s -> assertThat(s).endsWith("shard-000/c.png"), s -> assertThat(s).endsWith("top.png"));
        assertThat(image(set, 1)).isEqualTo(ImageDecoder.decode(dir.resolve("u/cat/a.png"), GREY_4));
        assertThat(set.skipped().count(Reason.HIDDEN)).isEqualTo(2);
        assertThat(set.skipped().count(Reason.NOT_A_REGULAR_FILE) + set.skipped().count(Reason.UNSUPPORTED_FORMAT)).isEqualTo(1);
        assertThat(set.copiesOfLabeled()).isEmpty();
        assertThat(set.repeats()).isEmpty();
        assertThat(set.lines().get(0)).contains("4 images").contains("1x4x4");
    }

    /** A {@code w x h} colour image, every pixel the same red. */
    private static BufferedImage colour(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, 0xC81E1E);
            }
        }
        return img;
    }

    @Test
    void imagesOfAnotherSizeOrColourAreCountedAsTheyAreConformed() {
        png(grey(1), dir.resolve("u/a.png"));
        png(colour(6, 5), dir.resolve("u/b.png"));
        BufferedImage large = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        png(large, dir.resolve("u/c.png"));

        UnlabeledSet set = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of());

        assertThat(set.size()).isEqualTo(3);
        assertThat(set.conformed().resized()).isEqualTo(2);
        assertThat(set.conformed().toGrey()).isEqualTo(1);
        assertThat(set.conformed().toColour()).isZero();
        assertThat(set.conformed().examples()).satisfiesExactly(e -> assertThat(e).endsWith("b.png (6x5 colour)"),
                e -> assertThat(e).endsWith("c.png (8x8 grey)"));
        assertThat(set.lines().get(1)).startsWith("unlabeled images: resized 2 to 4x4 (width x height), converted 1 from"
                + " colour to grey, as the labelled images are; e.g. ");
        assertThat(set.describe().get("conformed")).isEqualTo(set.conformed().describe());

        Path csv = text(dir.resolve("u/list.csv"), "b.png\na.png\n");
        UnlabeledSet colourSet = UnlabeledImages.read(csv, new ImageFormat(3, 5, 6), List.of());
        assertThat(colourSet.conformed().resized()).as("a.png is 4x4").isEqualTo(1);
        assertThat(colourSet.conformed().toColour()).isEqualTo(1);
        assertThat(colourSet.conformed().toGrey()).isZero();
        assertThat(colourSet.lines().get(1)).contains("converted 1 from grey to colour");
    }

    @Test
    void imagesAlreadyInTheFormatAddNoLine() {
        png(grey(1), dir.resolve("u/a.png"));
        UnlabeledSet set = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of());
        assertThat(set.conformed().any()).isFalse();
        assertThat(set.lines()).hasSize(1);
    }

    @Test
    void aDamagedImageInAFolderIsSkippedAndReported() {
        png(grey(1), dir.resolve("u/a.png"));
        text(dir.resolve("u/broken.png"), "not a png");

        UnlabeledSet set = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of());

        assertThat(set.size()).isEqualTo(1);
        assertThat(set.skipped().count(Reason.UNREADABLE)).isEqualTo(1);
        assertThat(set.skipped().examples(Reason.UNREADABLE).get(0)).contains("broken.png");
        assertThat(set.describe()).containsKey("skipped");
    }

    @Test
    void readsACsvOfRelativeAndAbsolutePathsWithAHeaderAndExtraColumns() {
        png(grey(1), dir.resolve("imgs/a.png"));
        Path b = png(grey(2), dir.resolve("elsewhere/b.png"));
        Path csv = text(dir.resolve("imgs/list.csv"), "path,note\na.png,first\n" + b.toAbsolutePath() + ",second\n");

        UnlabeledSet set = UnlabeledImages.read(csv, GREY_4, List.of());

        assertThat(set.size()).isEqualTo(2);
        assertThat(set.source(0)).endsWith("a.png");
        assertThat(set.source(1)).endsWith("b.png");
        assertThat(image(set, 1)).isEqualTo(ImageDecoder.decode(b, GREY_4));
    }

    @Test
    void aCsvWithoutHeaderReadsItsFirstLineAsAnImage() {
        png(grey(1), dir.resolve("a.png"));
        png(grey(2), dir.resolve("sub/b.png"));
        Path csv = text(dir.resolve("list.csv"), "a.png\nsub/b.png\n");

        assertThat(UnlabeledImages.read(csv, GREY_4, List.of()).size()).isEqualTo(2);
    }

    @Test
    void conformsAColourImageToTheLabelledFormatAsLabelledImagesAre() {
        BufferedImage rgb = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                rgb.setRGB(x, y, (x * 6) << 16 | (y * 8) << 8 | 77);
            }
        }
        Path file = png(rgb, dir.resolve("u/rgb.png"));
        ImageFormat mnist = new ImageFormat(1, 28, 28);

        UnlabeledSet set = UnlabeledImages.read(dir.resolve("u"), mnist, List.of());

        assertThat(set.format()).isEqualTo(mnist);
        assertThat(set.pixels()).hasSize(28 * 28).isEqualTo(ImageDecoder.decode(file, mnist));
    }

    @Test
    void anImageIdenticalToALabelledOrTestImageIsDroppedAndReported() {
        Path train = png(grey(10), dir.resolve("train/cat/t.png"));
        Path test = png(grey(20), dir.resolve("test/cat/t.png"));
        png(grey(10), dir.resolve("u/copy-of-train.png"));
        png(grey(30), dir.resolve("u/new.png"));
        png(grey(20), dir.resolve("u/z-copy-of-test.png"));

        UnlabeledSet set = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of(labeled("train#", train)),
                labeled("test#", test));

        assertThat(set.size()).isEqualTo(1);
        assertThat(set.source(0)).endsWith("new.png");
        assertThat(set.copiesOfLabeled()).hasSize(2);
        assertThat(set.copiesOfLabeled().get(0).file()).endsWith("copy-of-train.png");
        assertThat(set.copiesOfLabeled().get(0).original()).isEqualTo("train#0");
        assertThat(set.copiesOfLabeled().get(1).original()).isEqualTo("test#0");
        assertThat(set.lines()).anyMatch(l -> l.startsWith("dropped 2 unlabeled images identical to labelled or test images"));
        // the test copy is named as one: it would have leaked into the test figures
        assertThat(set.copiesOfTest()).extracting(UnlabeledSet.Copy::original).containsExactly("test#0");
        assertThat(set.lines()).anyMatch(l -> l.startsWith("1 of them is a copy of a test image") && l.contains("z-copy-of-test.png"));
    }

    @Test
    void repeatsWithinTheUnlabeledImagesKeepTheFirst() {
        png(grey(1), dir.resolve("u/a.png"));
        png(grey(1), dir.resolve("u/b.png"));
        png(grey(2), dir.resolve("u/c.png"));
        png(grey(1), dir.resolve("u/d/e.png"));

        UnlabeledSet set = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of());

        assertThat(set.size()).isEqualTo(2);
        assertThat(set.source(0)).endsWith("a.png");
        assertThat(set.source(1)).endsWith("c.png");
        assertThat(set.repeats()).hasSize(2);
        assertThat(set.repeats().get(0).file()).endsWith("b.png");
        assertThat(set.repeats().get(0).original()).endsWith("a.png");
        assertThat(set.repeats().get(1).file()).endsWith("e.png");
        assertThat(set.describe().get("repeats").toString()).contains("count=2");
    }

    @Test
    void aRepeatOfACopyOfALabelledImageCountsAsACopyOnly() {
        Path train = png(grey(10), dir.resolve("train/t.png"));
        png(grey(10), dir.resolve("u/a.png"));
        png(grey(10), dir.resolve("u/b.png"));
        png(grey(11), dir.resolve("u/c.png"));

        UnlabeledSet set = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of(labeled("train#", train)));

        assertThat(set.size()).isEqualTo(1);
        assertThat(set.copiesOfLabeled()).hasSize(2);
        assertThat(set.repeats()).isEmpty();
    }

    @Test
    void fingerprintIsStableAcrossReadsAndFoldersAndChangesWithOnePixel() {
        png(grey(1), dir.resolve("u/a.png"));
        png(grey(2), dir.resolve("u/b.png"));
        png(grey(1), dir.resolve("moved/x/a.png"));
        png(grey(2), dir.resolve("moved/x/b.png"));

        String first = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of()).fingerprint();
        String again = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of()).fingerprint();
        String moved = UnlabeledImages.read(dir.resolve("moved"), GREY_4, List.of()).fingerprint();
        BufferedImage changed = grey(2);
        changed.getRaster().setSample(3, 3, 0, 0);
        png(changed, dir.resolve("u/b.png"));
        String other = UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of()).fingerprint();

        assertThat(first).hasSize(64).isEqualTo(again).isEqualTo(moved).isNotEqualTo(other);
    }

    @Test
    void aMissingPathIsNamedWithTheFix() {
        Path missing = dir.resolve("nowhere");
        assertThatThrownBy(() -> UnlabeledImages.read(missing, GREY_4, List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("unlabeled images not found: " + missing)
                .hasMessageContaining("Fix: check the path");
    }

    @Test
    void aFolderWithoutImagesSaysWhereItLookedAndWhichFilesCount() {
        text(dir.resolve("u/sub/readme.txt"), "hello");
        png(grey(1), dir.resolve("u/.hidden.png"));

        assertThatThrownBy(() -> UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("no unlabeled images found in this folder or any folder below it")
                .hasMessageContaining(".png, .jpg, .jpeg")
                .hasMessageContaining("2 other entries")
                .hasMessageContaining(": " + dir.resolve("u") + ". Fix: put the unlabeled");
    }

    @Test
    void aCsvLineNamingAMissingFileIsRefusedWithItsLineAndPath() {
        png(grey(1), dir.resolve("a.png"));
        Path csv = text(dir.resolve("list.csv"), "image\na.png\nmissing.png\n");

        assertThatThrownBy(() -> UnlabeledImages.read(csv, GREY_4, List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("missing image file missing.png (looked for " + dir.resolve("missing.png") + ")")
                .hasMessageContaining(csv + ", line 3")
                .hasMessageContaining("Fix: correct the path");
    }

    @Test
    void aHeaderHoneDoesNotKnowIsNamedAsAHeaderNotAMissingFile() {
        png(grey(1), dir.resolve("a.png"));
        Path csv = text(dir.resolve("list.csv"), "image_url\na.png\n");

        assertThatThrownBy(() -> UnlabeledImages.read(csv, GREY_4, List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("first line starts with 'image_url', which is neither an image file nor a header column")
                .hasMessageContaining(csv + ", line 1")
                .hasMessageContaining("name the path column one of").hasMessageContaining("image_path");
    }

    @Test
    void aCsvWithoutRowsIsRefused() {
        Path csv = text(dir.resolve("list.csv"), "path\n\n");

        assertThatThrownBy(() -> UnlabeledImages.read(csv, GREY_4, List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("CSV of unlabeled images lists no images: " + csv)
                .hasMessageContaining("Fix: write one image path per line");
    }

    @Test
    void aDamagedImageNamedInACsvStopsTheReadNamingItsLine() {
        png(grey(1), dir.resolve("a.png"));
        Path csv = text(dir.resolve("list.csv"), "a.png\nbroken.png\n");
        text(dir.resolve("broken.png"), "not a png");

        assertThatThrownBy(() -> UnlabeledImages.read(csv, GREY_4, List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(dir.resolve("broken.png") + " (listed at " + csv + ", line 2). Fix: re-export the image,"
                        + " or remove the line that lists it")
                .hasMessageNotContaining("folder");
    }

    @Test
    void anEmptyFileNamedInACsvIsSaidToBeEmpty() {
        Path csv = text(dir.resolve("list.csv"), "path\nzero.png\n");
        text(dir.resolve("zero.png"), "");

        assertThatThrownBy(() -> UnlabeledImages.read(csv, GREY_4, List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("file is empty (0 bytes), not an image")
                .hasMessageContaining("line 2");
    }

    @Test
    void aHeaderThatNamesThePathColumnAnywhereIsReadByName() {
        png(grey(1), dir.resolve("a.png"));
        png(grey(2), dir.resolve("b.png"));
        Path csv = text(dir.resolve("list.csv"), "id,path,source\n1,a.png,cam\n2,b.png,cam\n");

        UnlabeledSet set = UnlabeledImages.read(csv, GREY_4, List.of());

        assertThat(set.size()).isEqualTo(2);
        assertThat(set.source(1)).endsWith("b.png");
    }

    @Test
    void imagesThatAllCopyLabelledImagesAreRefused() {
        Path train = png(grey(10), dir.resolve("train/t.png"));
        png(grey(10), dir.resolve("u/a.png"));

        assertThatThrownBy(() -> UnlabeledImages.read(dir.resolve("u"), GREY_4, List.of(labeled("train#", train))))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("every one of the 1 unlabeled images is identical to a labelled or test image, e.g. ")
                .hasMessageContaining("a.png = train#0")
                .hasMessageContaining(": " + dir.resolve("u") + ". Fix: point at images that are not part of the training or test data");
    }

    @Test
    void aSingleImageFileIsNotAnUnlabeledSet() {
        Path one = png(grey(1), dir.resolve("a.png"));

        assertThatThrownBy(() -> UnlabeledImages.read(one, GREY_4, List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("must be a folder of images or a .csv of image paths")
                .hasMessageContaining("Fix: point at the folder");
    }

    @Test
    void imagesThatCannotFitInTheHeapAreRefusedBeforeDecodingWithTheFigures() {
        png(grey(1), dir.resolve("u/a.png"));
        ImageFormat huge = new ImageFormat(1, 16_384, 16_384); // 256 MiB resident, far more to decode one

        assertThatThrownBy(() -> UnlabeledImages.read(dir.resolve("u"), huge, List.of()))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("the 1 image need 268435456 bytes")
                .hasMessageContaining("-Xmx");
    }
}
