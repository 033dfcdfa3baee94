package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
import dev.hone.data.SkippedFiles.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderSourceTest {
    @TempDir Path dir;

    @Test
    void mixedSizesAndColourGreyPngAndColourJpeg() {
        TestImages.save(TestImages.grey(10, 20, 0), "png", dir.resolve("cat/b.png"));
        TestImages.save(TestImages.grey(30, 40, 0), "PNG", dir.resolve("cat/a.PNG"));
        TestImages.save(TestImages.solid(20, 30, 0xFF0000), "jpg", dir.resolve("dog/x.JPEG"));
        TestImages.write(dir.resolve("dog/notes.txt"), "ignored".getBytes(), false);
        TestImages.save(TestImages.grey(5, 5, 0), "png", dir.resolve("dog/.hidden.png"));
        TestImages.write(dir.resolve("README.md"), "ignored".getBytes(), false);
        TestImages.save(TestImages.grey(5, 5, 0), "png", dir.resolve(".thumbs/z.png"));

        ImageSet set = ImageFolderSource.load(dir, null);

        assertThat(set.classNames()).containsExactly("cat", "dog");
        assertThat(set.labels()).containsExactly(0, 0, 1);
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(3, 20, 30));
        assertThat(set.source(0)).endsWith("a.PNG");
        assertThat(set.source(1)).endsWith("b.png");
        assertThat(set.source(2)).endsWith("x.JPEG");
        int plane = 20 * 30;
        // the red JPEG: R high, G and B low
        assertThat(set.pixels()[2 * 3 * plane] & 0xFF).isGreaterThan(200);
        assertThat(set.pixels()[2 * 3 * plane + plane] & 0xFF).isLessThan(40);
    }

    @Test
    void nestedFoldersBelongToTheirClassInPathOrder() {
        // 30 images per class: 10 at the top of the class folder, 10 one level deeper, 10 two levels deeper
        String[] classes = {"bird", "cat", "dog"};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 30; i++) {
                String sub = i < 10 ? "" : i < 20 ? "2019/" : "2019/summer/";
                TestImages.save(TestImages.grey(4, 4, 30 * c + i), "png",
                        dir.resolve(classes[c] + "/" + sub + String.format("%02d.png", i)));
            }
        }

        ImageFolderSource.Read read = ImageFolderSource.read(dir, null, null);
        ImageSet set = read.images();

        assertThat(set.size()).isEqualTo(90);
        assertThat(set.classNames()).containsExactly("bird", "cat", "dog");
        assertThat(set.classCounts()).containsExactly(30, 30, 30);
        assertThat(read.skipped().isEmpty()).isTrue();
        // class, then relative path: "00.png" .. "09.png", then "2019/10.png" .., then "2019/summer/20.png" ..
        for (int k = 0; k < 90; k++) {
            assertThat(set.label(k)).isEqualTo(k / 30);
            assertThat(set.pixels()[k * 16] & 0xFF).as("image %d", k).isEqualTo(k);
        }
        assertThat(set.source(15)).endsWith("bird/2019/15.png".replace('/', java.io.File.separatorChar));
        assertThat(set.source(89)).endsWith("dog/2019/summer/29.png".replace('/', java.io.File.separatorChar));
    }

    @Test
    void everySkippedFileIsCountedWithItsReason() throws Exception {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("cat/1.png"));
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("dog/2020/1.png"));
        TestImages.write(dir.resolve(".DS_Store"), new byte[] {0}, false);
        TestImages.write(dir.resolve("cat/.DS_Store"), new byte[] {0}, false);
        TestImages.write(dir.resolve("cat/._1.jpg"), new byte[] {0}, false);
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("dog/.thumbs/a.png"));
        TestImages.write(dir.resolve("cat/notes.txt"), "n".getBytes(), false);
        TestImages.write(dir.resolve("dog/2020/IMG_1.HEIC"), new byte[] {0}, false);
        TestImages.write(dir.resolve("README.md"), "r".getBytes(), false);
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("loose.png"));
        Files.createSymbolicLink(dir.resolve("dog/gone.png"), dir.resolve("nowhere.png"));

        ImageFolderSource.Read read = ImageFolderSource.read(dir, null, null);

        assertThat(read.images().size()).isEqualTo(2);
        SkippedFiles skipped = read.skipped();
        assertThat(skipped.count(Reason.HIDDEN)).isEqualTo(4);
        assertThat(skipped.examples(Reason.HIDDEN)).containsExactly(dir.resolve(".DS_Store").toString(),
                dir.resolve("cat/.DS_Store").toString(), dir.resolve("cat/._1.jpg").toString());
        assertThat(skipped.count(Reason.UNSUPPORTED_FORMAT)).isEqualTo(3);
        assertThat(skipped.examples(Reason.UNSUPPORTED_FORMAT)).contains(dir.resolve("dog/2020/IMG_1.HEIC").toString());
        assertThat(skipped.count(Reason.OUTSIDE_CLASS_FOLDER)).isEqualTo(1);
        assertThat(skipped.examples(Reason.OUTSIDE_CLASS_FOLDER)).containsExactly(dir.resolve("loose.png").toString());
        assertThat(skipped.count(Reason.NOT_A_REGULAR_FILE)).isEqualTo(1);
        assertThat(skipped.total()).isEqualTo(9);
    }

    @Test
    void aLinkLoopIsReadOnceAndReported() throws Exception {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("cat/1.png"));
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("dog/1.png"));
        Files.createSymbolicLink(dir.resolve("cat/again"), dir.resolve("cat"));

        ImageFolderSource.Read read = ImageFolderSource.read(dir, null, null);

        assertThat(read.images().labels()).containsExactly(0, 1);
        assertThat(read.skipped().count(Reason.NOT_A_REGULAR_FILE)).isEqualTo(1);
        assertThat(read.skipped().examples(Reason.NOT_A_REGULAR_FILE)).containsExactly(dir.resolve("cat/again").toString());
    }

    /** A link that makes one folder part of two classes: refused naming both, whichever class is read first. */
    @Test
    void aFolderReachedFromTwoClassFoldersIsRefused() throws Exception {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("cat/1.png"));
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("tshirt/part/1.png"));
        Files.createSymbolicLink(dir.resolve("cat/sub"), dir.resolve("tshirt/part"));
        assertError(() -> ImageFolderSource.read(dir, null, null), dir.resolve("tshirt/part"), "reached from two class folders, as "
                + dir.resolve("cat/sub") + " (class cat) and as " + dir.resolve("tshirt/part") + " (class tshirt)", "two labels",
                "remove the link");
    }

    @Test
    void tiffIsRead() {
        TestImages.save(TestImages.grey(4, 4, 50), "tiff", dir.resolve("a/1.TIF"));
        TestImages.save(TestImages.grey(4, 4, 90), "tiff", dir.resolve("b/2.tiff"));
        ImageFolderSource.Read read = ImageFolderSource.read(dir, null, null);
        assertThat(read.images().labels()).containsExactly(0, 1);
        assertThat(read.images().pixels()[16] & 0xFF).isEqualTo(90);
        assertThat(read.skipped().isEmpty()).isTrue();
    }

    @Test
    void oneClassWithSubfoldersSuggestsPointingDeeper() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("photos/cat/1.png"));
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("photos/dog/1.png"));
        assertError(() -> ImageFolderSource.load(dir, null), dir, "only 1 class (photos)");
        assertThatThrownBy(() -> ImageFolderSource.load(dir, null))
                .hasMessageContaining("point --data there");
    }

    @Test
    void givenFormatWins() {
        TestImages.save(TestImages.solid(10, 10, 0x808080), "png", dir.resolve("a/1.png"));
        TestImages.save(TestImages.solid(10, 10, 0x808080), "png", dir.resolve("b/1.png"));
        ImageSet set = ImageFolderSource.load(dir, new ImageFormat(1, 4, 6));
        assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 4, 6));
    }

    @Test
    void manyImagesKeepDeterministicOrder() {
        for (int i = 0; i < 40; i++) {
            TestImages.save(TestImages.grey(4, 4, i), "png", dir.resolve((i % 2 == 0 ? "even" : "odd")
                    + String.format("/%02d.png", i)));
        }
        ImageSet set = ImageFolderSource.load(dir, null);
        for (int k = 0; k < 40; k++) {
            int i = k < 20 ? 2 * k : 2 * (k - 20) + 1;
            assertThat(set.pixels()[k * 16] & 0xFF).isEqualTo(i);
        }
    }

    @Test
    void knownClassesAllowASubset() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("b/1.png"));
        ImageSet set = ImageFolderSource.load(dir, new ImageFormat(1, 4, 4), List.of("a", "b", "c"));
        assertThat(set.classNames()).containsExactly("a", "b", "c");
        assertThat(set.labels()).containsExactly(1);
    }

    @Test
    void unknownClassFolderIsNamed() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("zebra/1.png"));
        assertError(() -> ImageFolderSource.load(dir, null, List.of("a", "b")), dir.resolve("zebra"),
                "'zebra' is not one of the training classes");
    }

    @Test
    void missingPath() {
        Path missing = dir.resolve("nope");
        assertError(() -> ImageFolderSource.load(missing, null), missing, "does not exist");
    }

    @Test
    void pathIsAFile() {
        Path file = dir.resolve("file.png");
        TestImages.write(file, new byte[] {1}, false);
        assertError(() -> ImageFolderSource.load(file, null), file, "this is a file");
    }

    @Test
    void emptyFolderExplainsTheLayout() {
        assertError(() -> ImageFolderSource.load(dir, null), dir, "no class subfolders");
        assertThatThrownBy(() -> ImageFolderSource.load(dir, null)).hasMessageContaining("DIR/<class>/*.png");
    }

    @Test
    void loosImagesAreMentioned() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("1.png"));
        assertThatThrownBy(() -> ImageFolderSource.load(dir, null)).hasMessageContaining("holds 1 images directly");
    }

    @Test
    void classFolderWithoutImagesIsNamed() throws Exception {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("a/1.png"));
        Files.createDirectories(dir.resolve("b"));
        TestImages.write(dir.resolve("b/readme.txt"), new byte[] {1}, false);
        assertError(() -> ImageFolderSource.load(dir, null), dir.resolve("b"), "class folder has no images");
    }

    @Test
    void oneClassIsNotEnough() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("only/1.png"));
        assertError(() -> ImageFolderSource.load(dir, null), dir, "only 1 class (only)");
    }

    @Test
    void unreadableImagesAreSkippedWithTheDecodersReasonAndTheOthersRead() throws Exception {
        for (int i = 0; i < 3; i++) {
            TestImages.save(TestImages.grey(8, 8, 10 * i), "png", dir.resolve("bottom/" + i + ".png"));
            TestImages.save(TestImages.grey(8, 8, 100 + 10 * i), "png", dir.resolve("top/" + i + ".png"));
        }
        // the reviewer's two cases: the first 300 bytes of a PNG, and a text file named .png
        byte[] png = TestImages.encode(TestImages.noise(64, 64, 1), "png");
        TestImages.write(dir.resolve("bottom/truncated.png"), java.util.Arrays.copyOf(png, 300), false);
        Files.writeString(dir.resolve("bottom/broken.png"), "garbage");

        for (ImageFormat format : new ImageFormat[] {null, new ImageFormat(1, 8, 8)}) {
            ImageFolderSource.Read read = ImageFolderSource.read(dir, format, null);
            ImageSet set = read.images();

            assertThat(set.size()).isEqualTo(6);
            assertThat(ImageFormat.of(set)).isEqualTo(new ImageFormat(1, 8, 8));
            assertThat(set.labels()).containsExactly(0, 0, 0, 1, 1, 1);
            // compacted in path order: bottom/0, 1, 2 then top/0, 1, 2, each image's pixels where its label is
            int[] bases = {0, 10, 20, 100, 110, 120};
            for (int k = 0; k < 6; k++) {
                assertThat(set.pixels()[k * 64] & 0xFF).as("image %d", k).isEqualTo(bases[k]);
            }
            assertThat(set.source(2)).endsWith("2.png");
            SkippedFiles skipped = read.skipped();
            assertThat(skipped.count(Reason.UNREADABLE)).isEqualTo(2);
            assertThat(skipped.examples(Reason.UNREADABLE)).hasSize(2);
            assertThat(skipped.examples(Reason.UNREADABLE).get(0)).isEqualTo(dir.resolve("bottom/broken.png")
                    + " (file is not a readable image (PNG, JPEG, TIFF, WebP, BMP or GIF))");
            assertThat(skipped.examples(Reason.UNREADABLE).get(1))
                    .startsWith(dir.resolve("bottom/truncated.png") + " (image ")
                    .containsPattern("\\((image header is corrupt|image is corrupt or truncated) \\(.+\\)\\)$")
                    .doesNotContain("Fix:");
            assertThat(skipped.total()).isEqualTo(2);
            assertThat(skipped.lines("training data")).anyMatch(l -> l.startsWith("skipped 2 files of the training data, unreadable"));
        }
    }

    @Test
    void aClassFolderWithNoReadableImageIsNamed() throws Exception {
        TestImages.save(TestImages.grey(8, 8, 0), "png", dir.resolve("a/1.png"));
        Path bad = TestImages.saveTruncated(TestImages.noise(32, 32, 3), "jpg", dir.resolve("b/bad.jpg"));
        Files.writeString(dir.resolve("b/worse.png"), "garbage");
        for (ImageFormat format : new ImageFormat[] {null, new ImageFormat(3, 4, 4)}) {
            assertThatThrownBy(() -> ImageFolderSource.load(dir, format))
                    .isInstanceOf(HoneException.class)
                    .hasMessageContaining("class folder has no readable image: all 2 of its images are unreadable")
                    .hasMessageContaining(dir.resolve("b") + ". Fix:")
                    .hasMessageContaining(bad.toString());
        }
    }

    @Test
    void noReadableImageAtAllNamesTheFirstClassFolder() throws Exception {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("a/1.png"), "garbage");
        Files.writeString(dir.resolve("b/1.png"), "garbage");
        assertThatThrownBy(() -> ImageFolderSource.load(dir, null))
                .isInstanceOf(HoneException.class)
                .hasMessageContaining("class folder has no readable image: its only image is unreadable")
                .hasMessageContaining(dir.resolve("a") + ". Fix:");
    }

    static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Path where, String... what) {
        var thrown = assertThatThrownBy(call)
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(where.toString())
                .hasMessageContaining("Fix:");
        for (String part : what) {
            thrown.hasMessageContaining(part);
        }
    }
}
