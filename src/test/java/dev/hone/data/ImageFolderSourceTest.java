package dev.hone.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hone.core.HoneException;
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
    void corruptImageInAFolderIsNamed() {
        TestImages.save(TestImages.grey(4, 4, 0), "png", dir.resolve("a/1.png"));
        Path bad = TestImages.saveTruncated(TestImages.noise(32, 32, 3), "jpg", dir.resolve("b/bad.jpg"));
        assertError(() -> ImageFolderSource.load(dir, new ImageFormat(3, 4, 4)), bad, "corrupt or truncated");
    }

    static void assertError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Path where, String what) {
        assertThatThrownBy(call)
                .isInstanceOf(HoneException.class)
                .hasMessageContaining(what)
                .hasMessageContaining(where.toString())
                .hasMessageContaining("Fix:");
    }
}
